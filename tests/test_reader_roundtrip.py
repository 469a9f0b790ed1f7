"""Hypothesis round trips: papers written in each format read back with the same text, and the
counts ``read == used + merged + rejected`` over mixed good and bad records."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phasegraph.extract.paper import clean_text, normalise_title
from phasegraph.extract.readers import read_corpus
from phasegraph.extract.readers.listing import HEADER

Pair = tuple[str, str]

# Any text a corpus may hold: odd unicode, quotes, commas, tabs, newlines (no lone surrogates or
# C0 controls, which no text format carries).
ANY_CHAR = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from(
    list("\n\t \",;'|")
)
# JSON escapes control characters and CSV quotes them: any character but NUL (a NUL byte marks a
# binary file) and lone surrogates.
CONTROL_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
# BibTeX values are LaTeX: keep to letters, digits and punctuation LaTeX leaves alone, plus the
# specials the writer escapes.
BIBTEX_CHAR = st.characters(whitelist_categories=("L", "Nd", "Zs")) | st.sampled_from(list(' \n,.;:!?"()/+=*<>[]%&#_$'))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def texts(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Non-blank text over ``alphabet``."""
    return st.text(alphabet, min_size=1, max_size=40).filter(lambda text: clean_text(text) != "")


def papers(alphabet: st.SearchStrategy[str] = ANY_CHAR) -> st.SearchStrategy[list[Pair]]:
    """Lists of (title, abstract) pairs whose titles are distinct papers (never merged)."""
    pair = st.tuples(texts(alphabet).filter(lambda title: normalise_title(title) != ""), texts(alphabet))
    return st.lists(pair, min_size=1, max_size=6, unique_by=lambda p: normalise_title(p[0]))


def write_jsonl(items: list[Pair]) -> str:
    return "".join(json.dumps({"title": t, "abstract": a}, ensure_ascii=False) + "\n" for t, a in items)


def write_json(items: list[Pair]) -> str:
    return json.dumps([{"Title": t, "Abstract": a} for t, a in items], indent=1)


def write_table(delimiter: str) -> Callable[[list[Pair]], str]:
    def write(items: list[Pair]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)  # "\r\n" line ends: cells holding \r get quoted
        writer.writerow(["Title", "Abstract", "note"])
        writer.writerows([t, a, ""] for t, a in items)
        return out.getvalue()

    return write


def write_atom(items: list[Pair]) -> str:
    feed = ET.Element("{http://www.w3.org/2005/Atom}feed")
    for number, (title, abstract) in enumerate(items, start=1):
        entry = ET.SubElement(feed, "{http://www.w3.org/2005/Atom}entry")
        ET.SubElement(entry, "{http://www.w3.org/2005/Atom}id").text = f"http://arxiv.org/abs/2401.{number:05d}v1"
        ET.SubElement(entry, "{http://www.w3.org/2005/Atom}title").text = title
        ET.SubElement(entry, "{http://www.w3.org/2005/Atom}summary").text = abstract
    return ET.tostring(feed, encoding="unicode", default_namespace="http://www.w3.org/2005/Atom")


def bibtex_escape(text: str) -> str:
    for special in "%&#_$":
        text = text.replace(special, "\\" + special)
    return text


def write_bibtex(items: list[Pair]) -> str:
    return "".join(
        f"@article{{key{n},\n  title = {{{bibtex_escape(t)}}},\n  abstract = {{{bibtex_escape(a)}}}\n}}\n\n"
        for n, (t, a) in enumerate(items)
    )


def write_listing(items: list[Pair]) -> str:
    header = "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"
    return header + "".join(f"{clean_text(t)}\n{clean_text(a)}\n" for t, a in items)


WRITERS: dict[str, tuple[str, Callable[[list[Pair]], str]]] = {
    "jsonl": (".jsonl", write_jsonl),
    "json": (".json", write_json),
    "csv": (".csv", write_table(",")),
    "tsv": (".tsv", write_table("\t")),
    "atom": (".atom", write_atom),
    "bibtex": (".bib", write_bibtex),
    "listing": (".txt", write_listing),
}


def round_trip(format: str, items: list[Pair]) -> None:
    """Write ``items`` in ``format``, read them back (format sniffed), compare the cleaned text."""
    suffix, write = WRITERS[format]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"corpus{suffix}"
        path.write_text(write(items), encoding="utf-8", newline="")
        report = read_corpus([path])
    assert report.rejected == []
    assert report.formats[str(path)] == format
    assert [(p.title, p.abstract) for p in report.papers] == [(clean_text(t), clean_text(a)) for t, a in items]
    assert (report.read, report.merged) == (len(items), 0)


@SETTINGS
@given(papers(CONTROL_CHAR))
def test_jsonl_round_trip(items: list[Pair]) -> None:
    round_trip("jsonl", items)


@SETTINGS
@given(papers(CONTROL_CHAR))
def test_json_round_trip(items: list[Pair]) -> None:
    round_trip("json", items)


@SETTINGS
@given(papers(CONTROL_CHAR))
def test_csv_round_trip(items: list[Pair]) -> None:
    round_trip("csv", items)


@SETTINGS
@given(papers(CONTROL_CHAR))
def test_tsv_round_trip(items: list[Pair]) -> None:
    round_trip("tsv", items)


@SETTINGS
@given(papers())
def test_atom_round_trip(items: list[Pair]) -> None:
    round_trip("atom", items)


@SETTINGS
@given(papers(BIBTEX_CHAR))
def test_bibtex_round_trip(items: list[Pair]) -> None:
    round_trip("bibtex", items)


@SETTINGS
@given(
    papers().filter(lambda items: not items[0][0].lstrip().startswith("Subscribe") and not HEADER.match(items[0][0]))
)
def test_listing_round_trip(items: list[Pair]) -> None:
    round_trip("listing", items)
    assert [f"p{n:03d}" for n in range(1, len(items) + 1)]  # ids checked in test_readers


# --- counts over mixed good and bad records -------------------------------------------------------

GOOD = st.builds(lambda t, a: json.dumps({"title": t, "abstract": a}), texts(ANY_CHAR), texts(ANY_CHAR))
BAD = st.sampled_from(
    [
        '{"title": "no abstract"}',
        '{"abstract": "no title"}',
        '{"title": "  ", "abstract": "blank title"}',
        '{"title": "broken',
        "[1, 2]",
        '"a string"',
        "null",
    ]
)
LINE = st.one_of(GOOD.map(lambda line: ("good", line)), BAD.map(lambda line: ("bad", line)))


@SETTINGS
@given(st.lists(st.lists(LINE, max_size=8), min_size=1, max_size=4), st.booleans())
def test_counts_add_up_over_mixed_files(files: list[list[tuple[str, str]]], with_missing: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for number, lines in enumerate(files):
            path = Path(tmp) / f"part{number}.jsonl"
            path.write_text("".join(line + "\n" for _, line in lines), encoding="utf-8")
            paths.append(path)
        if with_missing:
            paths.append(Path(tmp) / "missing.jsonl")
        report = read_corpus(paths)
    good = sum(kind == "good" for lines in files for kind, _ in lines)
    bad_files = sum(not lines for lines in files) + with_missing  # empty and missing files: one rejection each
    bad = sum(kind == "bad" for lines in files for kind, _ in lines) + bad_files
    assert report.read == report.used + report.merged + len(report.rejected)
    assert (report.used + report.merged, len(report.rejected)) == (good, bad)
    assert report.merged == sum("duplicate of" in warning for warning in report.warnings)
