"""Corpus readers: every supported file format in, one list of :class:`Paper` out.

Use :func:`read_corpus`; it picks each file's format (content first, then extension, or the
``format`` argument), reads it with the matching reader, merges the same paper read twice, and
reports every record it could not use as a :class:`Rejection`. Formats (see :data:`FORMATS`):

- ``listing``: the built-in sample's text listing (title line, abstract line; ids ``p001``..),
- ``jsonl`` / ``json``: JSON Lines / a JSON array of objects,
- ``csv`` / ``tsv``: a table with a header row,
- ``bibtex``: entries with an ``abstract`` field,
- ``atom``: an arXiv export-API Atom feed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from phasegraph.extract.paper import Paper

from phasegraph.errors import InputError

from .atom import read_atom
from .bibtex import read_bibtex
from .detect import FORMATS, by_extension, same_family, sniff
from .jsonl import read_json, read_jsonl
from .listing import listing_id, read_listing
from .merge import Merger
from .records import ItemStream, ReadReport, Rejection, SourceFile, load
from .tabular import read_table

__all__ = [
    "FORMATS",
    "SAMPLE_CORPUS",
    "ReadReport",
    "Rejection",
    "choose_format",
    "listing_id",
    "read_corpus",
    "read_file",
    "write_rejections",
]

SAMPLE_CORPUS: Path = Path(__file__).resolve().parent.parent / "data" / "hf_papers_phases.txt"
"""The built-in sample corpus (a listing of 267 papers, ids ``p001``..``p267``)."""

READERS: dict[str, Callable[[SourceFile], ItemStream]] = {
    "listing": read_listing,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": lambda file: read_table(file, "csv"),
    "tsv": lambda file: read_table(file, "tsv"),
    "bibtex": read_bibtex,
    "atom": read_atom,
}


def choose_format(path: Path, text: str, format: str | None = None) -> tuple[str | None, list[str]]:
    """The format to read ``path`` in (None when nothing matches) and any warnings about the choice."""
    return _choose(path, sniff(text, by_extension(path)), format)


def _choose(path: Path, sniffed: str | None, format: str | None) -> tuple[str | None, list[str]]:
    """:func:`choose_format` given what the content was sniffed as."""
    named = by_extension(path)
    if format is not None:
        if sniffed is not None and not same_family(format, sniffed):
            return format, [f"{path}: read as {format} as asked, but the content looks like {sniffed}"]
        return format, []
    if sniffed is not None and named is not None and not same_family(sniffed, named):
        return sniffed, [f"{path}: the extension says {named} but the content looks like {sniffed}; read as {sniffed}"]
    return sniffed or named, []


def read_file(path: Path, format: str | None = None) -> tuple[str | None, list[str], list[Paper | Rejection]]:
    """One file's format (None when unreadable), warnings and records (papers and rejections), before merging.

    Every file gives at least one record: a file with no paper records is itself a rejection.
    """
    loaded = load(path)
    if isinstance(loaded, Rejection):
        return None, [], [loaded]
    sniffed = sniff(loaded.text, by_extension(path))
    chosen, warnings = _choose(path, sniffed, format)
    if chosen is None:
        reason = f"content matches no known format; pass one of {', '.join(FORMATS)} as the format (--format)"
        return None, warnings, [loaded.rejection(reason, loaded.text)]
    items = list(READERS[chosen](loaded))
    if not items:
        reason = f"holds no paper records (read as {chosen}); add papers or leave the file out"
        items = [loaded.rejection(reason, loaded.text)]
    if format is not None and sniffed is not None and not same_family(format, sniffed):
        for item in items:
            if isinstance(item, Rejection) and item.location == "file":
                item.reason += f" (the content looks like {sniffed}: try format {sniffed})"
    return chosen, warnings, items


def read_corpus(paths: Sequence[Path | str], format: str | None = None, strict: bool = False) -> ReadReport:
    """Read every file in ``paths`` into one merged list of papers.

    ``format`` (one of :data:`FORMATS`) forces the format of every file; otherwise each file's is
    chosen from its content, then its extension. The same paper read twice (same title, or same
    DOI/arXiv id) is kept once. With ``strict``, the first rejection raises :class:`InputError`
    with the rejection's message; otherwise rejections are collected in the report.
    """
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown corpus format {format!r}; use one of {', '.join(FORMATS)}")
    report = ReadReport()
    merger = Merger()
    for raw_path in paths:
        path = Path(raw_path)
        chosen, warnings, items = read_file(path, format)
        if chosen is not None:
            report.formats[str(path)] = chosen
        report.warnings.extend(warnings)
        for item in items:
            report.read += 1
            if isinstance(item, Rejection):
                if strict:
                    raise InputError(item.message())
                report.rejected.append(item)
            else:
                merger.add(item)
    report.papers, report.merged = merger.papers, merger.merged
    report.warnings.extend(merger.warnings)
    return report


def write_rejections(rejected: Sequence[Rejection], path: Path) -> None:
    """Write ``rejected`` to ``path`` as JSON Lines: one ``{source, location, reason, raw}`` per line."""
    lines = [json.dumps(item.to_dict(), ensure_ascii=False) for item in rejected]
    try:
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as err:
        raise InputError(
            f"cannot write rejections to {path} ({err.strerror or err}); check the directory exists and is writable"
        ) from err
