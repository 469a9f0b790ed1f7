"""The corpus readers on fixture files: good input, bad input, format choice, merging, the sample."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from phasegraph.extract.paper import Paper
from phasegraph.extract.readers import (
    FORMATS,
    SAMPLE_CORPUS,
    ReadReport,
    Rejection,
    choose_format,
    listing_id,
    read_corpus,
    write_rejections,
)

from phasegraph.errors import InputError

DATA = Path(__file__).parent / "data" / "readers"


def read_one(name: str, format: str | None = None) -> ReadReport:
    """The report for one fixture file, with the count invariant checked."""
    report = read_corpus([DATA / name], format=format)
    assert report.read == report.used + report.merged + len(report.rejected)
    return report


def by_id(report: ReadReport) -> dict[str, Paper]:
    """The report's papers keyed by id."""
    return {paper.id: paper for paper in report.papers}


# --- good input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format", "ids"),
    [
        ("listing.txt", "listing", ["p001", "p002"]),
        ("good.jsonl", "jsonl", ["x1", "doi:10.1000/xyz", "arxiv:2201.02177"]),
        ("bom.jsonl", "jsonl", ["t:80bfc77e0836"]),
        ("good.json", "json", ["j1", "t:e4b8b4a05936"]),
        ("good.csv", "csv", ["c1", "c2"]),
        ("good.tsv", "tsv", ["doi:10.1/tsv"]),
        ("good.bib", "bibtex", ["arxiv:2201.02177", "doi:10.1234/abc.5", "keyonly"]),
        ("good.atom", "atom", ["arxiv:2201.02177", "doi:10.5555/doi.1"]),
    ],
)
def test_good_files_are_read_in_their_format(name: str, format: str, ids: list[str]) -> None:
    report = read_one(name)
    assert report.formats[str(DATA / name)] == format
    assert [paper.id for paper in report.papers] == ids
    for paper in report.papers:
        assert paper.title and paper.abstract
        assert "\n" not in paper.title and "\n" not in paper.abstract
        assert paper.source.startswith(str(DATA / name))


def test_jsonl_fields_are_matched_case_insensitively_and_extras_kept() -> None:
    papers = by_id(read_one("good.jsonl"))
    first = papers["x1"]
    assert first.title == "Grokking in two phases"
    assert first.abstract == "Training proceeds in two stages."
    assert (first.year, first.authors, first.extra) == (2022, ["Ada Lovelace", "Alan Turing"], {"venue": "ICLR"})
    second = papers["doi:10.1000/xyz"]
    assert (second.doi, second.year, second.authors) == ("10.1000/XYZ", 2021, ["A. One", "B. Two"])
    assert papers["arxiv:2201.02177"].authors == ["C", "D"]


def test_csv_quoted_cells_and_empty_optional_cells() -> None:
    papers = by_id(read_one("good.csv"))
    assert papers["c1"].title == "Title with, a comma"
    assert papers["c1"].abstract == 'Abstract with "quotes" and a newline'
    assert papers["c1"].source.endswith("good.csv:2")
    assert papers["c1"].extra == {"Venue": "NeurIPS"}
    assert papers["c2"].source.endswith("good.csv:4")  # the row after a two-line quoted cell
    assert (papers["c2"].year, papers["c2"].authors, papers["c2"].extra) == (None, [], {})


def test_bibtex_latex_is_decoded_and_ids_prefer_global_identifiers() -> None:
    papers = by_id(read_one("good.bib"))
    grokking = papers["arxiv:2201.02177"]
    assert grokking.title == "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"
    assert "100% of them" in grokking.abstract  # a bare % is text, not a LaTeX comment
    assert grokking.authors == ["Alethea Power", "Yuri Burda"]
    assert grokking.url == "https://arxiv.org/abs/2201.02177"
    assert grokking.extra["bibtex_key"] == "power2022grokking"
    assert grokking.extra["booktitle"] == "ICLR"  # @string reference resolved
    smith = papers["doi:10.1234/abc.5"]
    assert smith.title == "Über phases in deep learning"
    assert smith.abstract == "Training has two stages: fitting & compression."
    assert papers["keyonly"].extra == {"bibtex_key": "keyonly", "bibtex_type": "misc"}


def test_atom_entries_give_arxiv_ids_years_links_and_categories() -> None:
    papers = by_id(read_one("good.atom"))
    grokking = papers["arxiv:2201.02177"]
    assert grokking.title == "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"
    assert grokking.abstract.startswith("In this paper we propose")
    assert (grokking.year, grokking.authors) == (2022, ["Alethea Power", "Yuri Burda"])
    assert grokking.url == "http://arxiv.org/abs/2201.02177v1"
    assert grokking.extra == {
        "pdf_url": "http://arxiv.org/pdf/2201.02177v1",
        "categories": ["cs.LG", "cs.AI"],
        "primary_category": "cs.LG",
    }
    assert papers["doi:10.5555/doi.1"].doi == "10.5555/DOI.1"


def test_listing_strips_the_subscribe_prefix_of_the_first_title_only() -> None:
    papers = read_one("listing.txt").papers
    assert [paper.title for paper in papers] == ["First Paper Title", "Second Paper Title"]


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format", "used", "expected"),
    [
        (
            "bad.jsonl",
            None,
            1,
            [
                ("line 2", "the abstract is missing"),
                ("line 3", "not valid JSON"),
                ("line 4", "expected a JSON object per line, got an array"),
                ("line 5", "the title is empty"),
            ],
        ),
        ("badbytes.jsonl", None, 1, [("line 1", "not valid UTF-8")]),
        ("bad.json", None, 1, [("record 2", "got a string"), ("record 3", "the title is missing")]),
        ("broken.json", None, 0, [("file", "not valid JSON")]),
        (
            "bad.csv",
            None,
            1,
            [
                ("line 3", "has 3 cells but the header has 2"),
                ("line 4", "the title is empty"),
                ("line 5", "the abstract is empty"),
            ],
        ),
        ("noheader.csv", None, 0, [("file", "the header has no title or abstract column")]),
        (
            "bad.bib",
            None,
            1,
            [
                ("entry noabstract2021 (line 1)", "has no abstract"),
                ("line 8", "a second entry with key 'good2021'"),
                ("line 12", "cannot be parsed as BibTeX"),
            ],
        ),
        ("dupfield.bib", None, 0, [("line 1", "Duplicate field keys")]),
        ("good.atom", None, 2, [("entry 3", "has no summary")]),
        ("error.atom", None, 0, [("entry 1", "the arXiv API returned an error: incorrect id format")]),
        ("entity.atom", None, 0, [("file", "declares a DOCTYPE")]),
        ("broken.atom", None, 0, [("file", "not well-formed XML")]),
        ("page.xml", None, 0, [("file", "not an Atom feed")]),
        ("bad_listing.txt", None, 2, [("line 5", "blank line inside the listing"), ("line 8", "odd number of lines")]),
        ("empty.jsonl", None, 0, [("file", "is empty")]),
        ("blank.csv", None, 0, [("file", "is empty")]),
        ("binary.jsonl", None, 0, [("file", "is binary")]),
        ("unknown.dat", None, 0, [("file", "content matches no known format")]),
        ("good.json", "csv", 0, [("file", "the content looks like json: try format json")]),
        ("good.jsonl", "bibtex", 0, [("file", "holds no BibTeX entries")]),
        ("good.csv", "atom", 0, [("file", "not well-formed XML")]),
    ],
)
def test_bad_input_is_rejected_with_place_and_reason(
    name: str, format: str | None, used: int, expected: list[tuple[str, str]]
) -> None:
    report = read_one(name, format)
    assert report.used == used
    assert [(item.location, item.source) for item in report.rejected] == [
        (where, str(DATA / name)) for where, _ in expected
    ]
    for item, (where, reason) in zip(report.rejected, expected, strict=True):
        assert reason in item.reason
        assert item.message().startswith(f"{DATA / name}:{where}: ")


@pytest.mark.parametrize("path", [DATA / "no-such-file.jsonl", DATA])
def test_missing_files_and_directories_are_rejected(path: Path) -> None:
    report = read_corpus([path])
    assert (report.read, report.used, len(report.rejected)) == (1, 0, 1)
    assert report.rejected[0].location == "file"
    assert ("no such file" if path.suffix else "is a directory") in report.rejected[0].reason


def test_bad_files_do_not_stop_good_ones() -> None:
    report = read_corpus([DATA / "broken.json", DATA / "good.jsonl", DATA / "no-such-file.csv"])
    assert (report.read, report.used, len(report.rejected)) == (5, 3, 2)


def test_strict_raises_the_first_rejection_as_input_error() -> None:
    with pytest.raises(InputError, match=r"bad\.jsonl:line 2: the abstract is missing"):
        read_corpus([DATA / "bad.jsonl"], strict=True)
    assert read_corpus([DATA / "good.jsonl"], strict=True).used == 3


def test_unknown_format_name_raises() -> None:
    with pytest.raises(InputError, match="unknown corpus format 'yaml'"):
        read_corpus([DATA / "good.jsonl"], format="yaml")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.txt", '{"title": "t", "abstract": "a"}\n', "jsonl"),  # content beats extension
        ("a.json", '{"title": "t", "abstract": "a"}\n{"title": "u", "abstract": "b"}\n', "jsonl"),
        ("a.jsonl", '{\n  "title": "t",\n  "abstract": "a"\n}\n', "json"),
        ("a", "[]", "json"),
        ("a.dat", "Title;Abstract\nt;a\n", "csv"),
        ("a.dat", "title\tabstract\nt\ta\n", "tsv"),
        ("a.dat", "% refs\n@Article{k, title={t}}\n", "bibtex"),
        ("a.dat", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "atom"),
        ("a.dat", "Get trending papers in your email inbox!\nT\nA\n", "listing"),
        ("a.txt", "Some title\nSome abstract\n", "listing"),  # no clear content: the extension decides
        ("a.bib", "Some title\nSome abstract\n", "bibtex"),
        ("a.dat", "Some title\nSome abstract\n", None),
    ],
)
def test_format_is_chosen_by_content_then_extension(name: str, text: str, expected: str | None) -> None:
    assert choose_format(Path(name), text)[0] == expected


def test_forced_format_wins_with_a_warning() -> None:
    assert choose_format(Path("a.txt"), "[1]", "csv") == (
        "csv",
        ["a.txt: read as csv as asked, but the content looks like json"],
    )
    assert set(FORMATS) == {"listing", "jsonl", "json", "csv", "tsv", "bibtex", "atom"}


def test_semicolon_csv_is_read_with_its_own_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text('title;abstract\n"A; title";An abstract, with comma\n', encoding="utf-8")
    report = read_corpus([path])
    assert [(paper.title, paper.abstract) for paper in report.papers] == [("A; title", "An abstract, with comma")]


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes('{"title": "Wide", "abstract": "Ünïcode"}\n'.encode("utf-16"))
    assert [paper.abstract for paper in read_corpus([path]).papers] == ["Ünïcode"]


# --- merging --------------------------------------------------------------------------------------


def test_same_paper_across_files_is_merged_once_and_metadata_filled() -> None:
    report = read_corpus([DATA / "good.atom", DATA / "good.bib", DATA / "good.jsonl"])
    assert report.read == report.used + report.merged + len(report.rejected)
    ids = [paper.id for paper in report.papers]
    assert len(ids) == len(set(ids))
    grokking = by_id(report)["arxiv:2201.02177"]
    assert grokking.source.endswith("good.atom#1")  # the first one is kept
    assert grokking.extra["bibtex_key"] == "power2022grokking"  # filled from the BibTeX entry
    # good.bib's Grokking (same title) and good.jsonl's arXiv paper (same id) both fold in
    assert report.merged == 2
    merged = [warning for warning in report.warnings if "duplicate of" in warning]
    assert any("good.bib:3: duplicate of" in w and "good.atom#1" in w and "same title" in w for w in merged)
    assert any("good.jsonl:4: duplicate of" in w and "same id arxiv:2201.02177" in w for w in merged)


def test_duplicate_title_within_a_file_fills_missing_year() -> None:
    report = read_one("bad.jsonl")
    assert report.merged == 1
    assert report.papers[0].year == 2020
    assert "filled year" in report.warnings[0]


def test_same_local_id_with_another_title_keeps_both(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another Title\nAnother abstract.\n", encoding="utf-8")
    report = read_corpus([DATA / "listing.txt", other])
    assert [paper.id for paper in report.papers] == ["p001", "p002", "p001-2"]
    assert report.merged == 0
    assert "already used by" in report.warnings[0]


# --- output and the sample ------------------------------------------------------------------------


def test_write_rejections_writes_one_json_object_per_line(tmp_path: Path) -> None:
    report = read_one("bad.jsonl")
    out = tmp_path / "rejected.jsonl"
    write_rejections(report.rejected, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["location"] for row in rows] == ["line 2", "line 3", "line 4", "line 5"]
    assert set(rows[0]) == {"source", "location", "reason", "raw"}
    assert rows[0]["raw"] == '{"title": "No abstract here"}'


def test_write_rejections_to_a_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write rejections"):
        write_rejections([Rejection("f", "line 1", "bad")], tmp_path / "nope" / "rejected.jsonl")


def test_rejection_raw_is_truncated() -> None:
    item = Rejection("f", "line 1", "bad", "x" * 1000)
    assert len(item.to_dict()["raw"] or "") == 200


def test_sample_corpus_reads_all_267_papers_with_the_jsonl_ids() -> None:
    report = read_corpus([SAMPLE_CORPUS])
    assert (report.read, report.used, report.merged, report.rejected, report.warnings) == (267, 267, 0, [], [])
    expected = [
        line.split("\t")
        for line in (DATA / "sample_expected.tsv").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    got = [
        [paper.id, paper.title, hashlib.sha1(paper.abstract.encode("utf-8")).hexdigest()[:12]]
        for paper in report.papers
    ]
    assert got == expected
    assert report.papers[0].title.startswith("Towards Understanding Grokking")


def test_listing_ids_are_p_and_three_digits() -> None:
    assert [listing_id(n) for n in (1, 42, 267, 1000)] == ["p001", "p042", "p267", "p1000"]


@pytest.mark.parametrize(
    ("name", "content", "used", "expected"),
    [
        ("stray.csv", 'title,abstract\n"a"b,c\nd,e\n', 1, [("line 2", "CSV syntax error (',' expected after '\"')")]),
        (
            "open.csv",
            'title,abstract\nok,fine\n"never closed,abc\nmore,rows\n',
            1,
            [("line 3", "unexpected end of data")],
        ),
        ("twice.csv", "title,Title,abstract\na,b,c\n", 0, [("file", "names column 'title' more than once")]),
        ("header.csv", "title,abstract\n", 0, [("file", "holds no paper records (read as csv)")]),
        ("none.json", "[]", 0, [("file", "holds no paper records (read as json)")]),
        ("obj.json", '{"meta": 1}', 0, [("file", "expected a JSON array of paper objects")]),
        (
            "head.txt",
            "Get trending papers in your email inbox!\n",
            0,
            [("file", "holds no paper records (read as listing)")],
        ),
        ("year.jsonl", '{"title": "t", "abstract": "a", "year": "soon", "authors": 7}\n', 1, []),
        ("nul.tsv", "title\tabstract\na\x00\tb\n", 0, [("file", "is binary")]),
        ("latin1.csv", "title,abstract\ncaf\xe9,ok\nfine,row\n", 1, [("line 2", "not valid UTF-8")]),
        ("latin1.txt", "Caf\xe9 title\nabstract\nGood title\nGood abstract\n", 1, [("line 1", "not valid UTF-8")]),
        (
            "latin1.bib",
            "@misc{k, title={caf\xe9}, abstract={a}}\n@misc{j, title={t}, abstract={a}}\n",
            1,
            [("entry k (line 1)", "not valid UTF-8")],
        ),
        (
            "latin1.atom",
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>caf\xe9</title></entry></feed>',
            0,
            [("file", "not well-formed XML")],
        ),
    ],
)
def test_bad_content_is_rejected(
    tmp_path: Path, name: str, content: str, used: int, expected: list[tuple[str, str]]
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1" if "latin1" in name else "utf-8"))
    report = read_corpus([path])
    assert report.read == report.used + report.merged + len(report.rejected)
    assert report.used == used
    assert [item.location for item in report.rejected] == [where for where, _ in expected]
    for item, (_, reason) in zip(report.rejected, expected, strict=True):
        assert reason in item.reason


def test_a_year_that_is_not_a_year_is_kept_in_extra(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    path.write_text('{"title": "t", "abstract": "a", "year": "soon", "authors": 7}\n', encoding="utf-8")
    paper = read_corpus([path]).papers[0]
    assert (paper.year, paper.extra, paper.authors) == (None, {"year": "soon"}, ["7"])


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("plain 50% text", "plain 50% text"),
        (r"The {BERT} Model: {\"U}ber {P}hases", "The BERT Model: Über Phases"),
        (r"\textit{Grokking} in $O(n)$ steps, 100% done \& more", "Grokking in O(n) steps, 100% done & more"),
        ("$\\alpha$-stable {{nested}}", "\N{GREEK SMALL LETTER ALPHA}-stable nested"),
        ("two\n   lines", "two lines"),
    ],
)
def test_bibtex_latex_to_text(latex: str, text: str) -> None:
    from phasegraph.extract.readers.bibtex import latex_to_text

    assert latex_to_text(latex) == text


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Power, Alethea", "Alethea Power"), ("Doe, Jr, John", "John Doe Jr"), ("Yuri Burda", "Yuri Burda"), (",x", ",x")],
)
def test_bibtex_person_names_become_first_last(name: str, expected: str) -> None:
    from phasegraph.extract.readers.bibtex import person_name

    assert person_name(name) == expected
