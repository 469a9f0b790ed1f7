"""Bad input never crashes and never vanishes: arbitrary bytes in every format, checked with Hypothesis."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phasegraph.extract.readers import FORMATS, read_corpus

from phasegraph.errors import InputError

# Pieces of every format, so that generated files get past the first checks of each reader.
TOKENS = [
    "{",
    "}",
    "[",
    "]",
    '"title"',
    '"abstract"',
    '"id"',
    '"authors"',
    ":",
    ",",
    '"x y"',
    "null",
    "1",
    "title,abstract\n",
    "title\tabstract\n",
    "@article{k,",
    "title = {",
    "abstract = {",
    "}",
    '@string{s = "v"}',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    "<entry>",
    "</entry>",
    "<title>T</title>",
    "<summary>S</summary>",
    "</feed>",
    "<!DOCTYPE x>",
    "Get trending papers\n",
    "Subscribe",
    "A title\n",
    "An abstract.\n",
    "\n",
    "\r\n",
    "\t",
    " ",
    '"',
    "\\",
    "%",
    "&amp;",
    "\u2028",
    "é",
    "\ufeff",
]
CONTENT = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=30).map(lambda parts: "".join(parts).encode("utf-8")),
    st.binary(max_size=200),
    # the same pieces with invalid UTF-8 bytes and NULs mixed in
    st.lists(
        st.sampled_from([token.encode("utf-8") for token in TOKENS] + [b"\xff", b"\xc3", b"\x00"]), max_size=30
    ).map(b"".join),
)
SUFFIXES = ["", ".txt", ".jsonl", ".json", ".csv", ".tsv", ".bib", ".atom", ".xml", ".dat"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONTENT, st.sampled_from(SUFFIXES), st.sampled_from([None, *FORMATS]))
def test_any_bytes_in_any_format_give_papers_or_rejections(content: bytes, suffix: str, format: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(content)
        report = read_corpus([path], format=format)
        if report.rejected:
            with pytest.raises(InputError, match=f"^{path}:"):
                read_corpus([path], format=format, strict=True)
    assert report.read >= 1
    assert report.read == report.used + report.merged + len(report.rejected)
    for paper in report.papers:
        assert paper.title.strip() and paper.abstract.strip() and "\n" not in paper.title
    for rejection in report.rejected:
        assert rejection.source == str(path) and rejection.location and rejection.reason
