"""Choosing a file's format: from its content first, then its extension.

:func:`sniff` looks at the text and answers only when the content is clear (JSON or JSON Lines,
a BibTeX ``@entry{``, an Atom ``<feed``, a CSV/TSV header naming title and abstract, the listing
page's header); :func:`by_extension` maps the file name. When both answer and disagree, the
content wins and the caller warns. Plain text with no clear content is read by its extension
(``.txt``: listing); with an unknown extension it matches no format and is rejected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .listing import HEADER
from .tabular import header_delimiter

FORMATS: tuple[str, ...] = ("listing", "jsonl", "json", "csv", "tsv", "bibtex", "atom")
"""The format names ``read_corpus(format=...)`` and the CLI's ``--format`` accept."""

EXTENSIONS: dict[str, str] = {
    ".txt": "listing",
    ".text": "listing",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".atom": "atom",
    ".xml": "atom",
}

_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_SNIFF_CHARS = 4096


def by_extension(path: Path) -> str | None:
    """The format a file's extension names, or None for an unknown extension."""
    return EXTENSIONS.get(path.suffix.lower())


def _parses(line: str) -> bool:
    """Whether ``line`` is a JSON document on its own."""
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _json_flavour(body: str, first_line: str, named: str | None) -> str:
    """``json`` or ``jsonl`` for text starting with ``{`` or ``[``.

    A document spanning lines whose first line is not JSON on its own is JSON; lines that each
    parse but not as a whole are JSON Lines. The ambiguous rest (a one-line document, or a broken
    first line) follows the extension, else the first character (``[`` JSON, ``{`` JSON Lines,
    where a broken line costs only itself).
    """
    whole, first = _parses(body), _parses(first_line)
    if whole != first:
        return "json" if whole else "jsonl"
    if named in ("json", "jsonl"):
        return named
    return "json" if body.startswith("[") else "jsonl"


def sniff(text: str, named: str | None = None) -> str | None:
    """The format the start of ``text`` clearly shows, or None when it shows none.

    ``named`` (the format the extension names) only settles JSON versus JSON Lines.
    """
    body = text.lstrip()
    head = body[:_SNIFF_CHARS]
    first_line = body.split("\n", 1)[0].rstrip("\r")
    if head.startswith("<"):
        return "atom" if "<feed" in head else None
    if head.startswith(("{", "[")):
        return _json_flavour(body, first_line, named)
    if head.startswith(("@", "%")) and _BIBTEX_ENTRY.search(head):
        return "bibtex"
    delimiter = header_delimiter(first_line)
    if delimiter is not None:
        return "tsv" if delimiter == "\t" else "csv"
    if HEADER.match(first_line):
        return "listing"
    return None


def same_family(first: str, second: str) -> bool:
    """Whether two format names differ only in flavour (json/jsonl, csv/tsv), not worth a warning."""
    families = ({"json", "jsonl"}, {"csv", "tsv"})
    return first == second or any({first, second} <= family for family in families)
