"""BibTeX corpus files (parsed with bibtexparser 2).

Every entry with an ``abstract`` field is a paper. Field names are matched case-insensitively;
``title``, ``abstract`` and ``author`` are turned from LaTeX into text (braces dropped, accents and
``\\&``-style escapes decoded; a bare ``%`` is kept as a percent sign). The id is the DOI
(``doi:...``) when there is one, else the arXiv id from ``eprint`` / ``url`` (``arxiv:...``), else the
entry key: a global identifier lets the same paper read from another file merge with this one,
while citation keys are local to a file. The entry key and type are kept in ``extra``
(``bibtex_key``, ``bibtex_type``), as are the other fields.

Rejected: an entry without abstract or title, an entry holding invalid UTF-8 bytes, a block
bibtexparser cannot parse, a second entry with the same key, and a file with no entries at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from phasegraph.extract.paper import Paper, arxiv_id, clean_text, stable_id
from pylatexenc.latex2text import LatexNodes2Text

from .records import ItemStream, Rejection, SourceFile, clean_doi, has_bad_bytes, parse_year, split_authors, truncate

_BARE_PERCENT = re.compile(r"(?<!\\)%")
_LATEX_MARKUP = re.compile(r"[\\{}$~]|--|``|''")  # anything pylatexenc would change
_LATEX = LatexNodes2Text(math_mode="text")
_AUTHOR_AND = re.compile(r"\s+and\s+", re.I)


@contextmanager
def _quiet_parser() -> Iterator[None]:
    """Silence bibtexparser's own log lines while parsing: its problems come back as rejections."""
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] == "bibtexparser"]
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, was in zip(loggers, previous, strict=True):
            logger.disabled = was


def person_name(name: str) -> str:
    """``"Last, First"`` (or ``"Last, Jr, First"``) as ``"First Last"`` (``"First Last Jr"``); other names unchanged."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name


def latex_to_text(value: str) -> str:
    """``value`` with LaTeX markup decoded to plain text and whitespace collapsed.

    Text without markup skips the (slow) LaTeX parser; a bare ``%`` is a percent sign, not a comment.
    """
    if not _LATEX_MARKUP.search(value):
        return clean_text(value)
    try:
        text = str(_LATEX.latex_to_text(_BARE_PERCENT.sub(r"\\%", value)))
    except Exception:  # pylatexenc is lenient; on any failure fall back to dropping braces.
        text = value.replace("{", "").replace("}", "")
    return clean_text(text)


def _arxiv(fields: dict[str, str]) -> str | None:
    """The entry's arXiv id, from ``eprint``, ``url`` or an ``arXiv:...`` journal field."""
    eprint = fields.get("eprint", "")
    return arxiv_id(f"arXiv:{eprint}" if eprint else None, fields.get("url"), fields.get("journal"))


def _paper_id(title: str, key: str, fields: dict[str, str]) -> str:
    """The DOI, else the arXiv id, else the entry key, as a stable id."""
    doi, found = clean_doi(fields.get("doi")), _arxiv(fields)
    given = None if doi or found else key
    return stable_id(title, given=given, doi=doi, url=f"arXiv:{found}" if found else None)


def _url(fields: dict[str, str]) -> str | None:
    """The entry's ``url``, else its arXiv abs page when it has an arXiv id."""
    if fields.get("url"):
        return clean_text(fields["url"])
    found = _arxiv(fields)
    return f"https://arxiv.org/abs/{found}" if found else None


def _entry_paper(file: SourceFile, entry: Entry) -> Paper | Rejection:
    """A :class:`Paper` from one entry, or why not."""
    line = (entry.start_line or 0) + 1  # bibtexparser counts lines from 0
    location = f"entry {entry.key} (line {line})"
    raw = entry.raw or None
    fields: dict[str, str] = {}
    for item in entry.fields:
        fields.setdefault(item.key.strip().lower(), str(item.value))
    if any(has_bad_bytes(value) for value in fields.values()):
        return Rejection(
            file.name, location, "holds bytes that are not valid UTF-8; save the file as UTF-8", truncate(raw)
        )
    title = latex_to_text(fields.pop("title", ""))
    abstract = latex_to_text(fields.pop("abstract", ""))
    for name, value in (("title", title), ("abstract", abstract)):
        if not value:
            return Rejection(
                file.name, location, f"has no {name}; add {name} = {{...}} to the entry or remove it", truncate(raw)
            )
    year = parse_year(fields.get("year"))
    extra: dict[str, object] = {"bibtex_key": entry.key, "bibtex_type": entry.entry_type}
    extra.update(
        {name: value for name, value in fields.items() if name not in {"year", "url", "doi", "author"} and value}
    )
    if fields.get("year") and year is None:
        extra["year"] = fields["year"]
    return Paper(
        id=_paper_id(title, entry.key, fields),
        title=title,
        abstract=abstract,
        source=f"{file.name}:{line}",
        year=year,
        url=_url(fields),
        doi=clean_doi(fields.get("doi")),
        authors=[
            person_name(latex_to_text(name))
            for name in split_authors(_AUTHOR_AND.sub(" and ", fields.get("author", "")))
        ],
        extra=extra,
    )


def read_bibtex(file: SourceFile) -> ItemStream:
    """Papers from a BibTeX file, one per entry."""
    try:
        with _quiet_parser():
            library = bibtexparser.parse_string(file.text)
    except Exception as err:  # bibtexparser raises on its own internal errors; never crash on input.
        yield file.rejection(
            f"cannot be parsed as BibTeX ({type(err).__name__}: {err}); check the file's syntax", file.text
        )
        return
    items: list[tuple[int, Paper | Rejection]] = [
        (entry.start_line or 0, _entry_paper(file, entry)) for entry in library.entries
    ]
    for block in library.failed_blocks:
        start = block.start_line or 0
        line = start + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            reason = (
                f"a second entry with key {block.key!r} (the first wins in BibTeX); give it its own key or remove it"
            )
        else:
            why = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
            reason = f"cannot be parsed as BibTeX ({clean_text(why.split('. Note:')[0])}); fix the entry"
        items.append((start, Rejection(file.name, f"line {line}", reason, truncate(block.raw))))
    if not items:
        yield file.rejection(
            "holds no BibTeX entries (@article{key, title = {...}, abstract = {...}}); check the format", file.text
        )
        return
    for _, item in sorted(items, key=lambda pair: pair[0]):
        yield item
