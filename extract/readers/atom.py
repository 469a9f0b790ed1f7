"""arXiv Atom feeds (the export API's ``<feed>`` of ``<entry>`` elements).

Per entry: ``title``, ``summary`` (the abstract), ``id`` (the abs-page URL, giving the arXiv id),
``published`` (the year), ``author/name``, the ``alternate`` link (the URL) and ``arxiv:doi``.
The paper id follows :func:`stable_id`: the DOI if present, else ``arxiv:<id>`` (version dropped).
The PDF link, categories, comment and journal reference are kept in ``extra``.

The file is parsed with the standard library's expat parser, which never fetches external
entities; a feed with a ``<!DOCTYPE`` (where entity declarations live) is refused outright.

Rejected: a file that is not well-formed XML or not an Atom feed, an entry without title or
summary, and the API's error entries (id ``.../api/errors#...``), whose summary is the error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from phasegraph.extract.paper import Paper, clean_text, stable_id

from .records import ItemStream, Rejection, SourceFile, parse_year, truncate

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def _text(element: ET.Element, path: str) -> str:
    """The whitespace-collapsed text of the first ``path`` under ``element``, or ``""``."""
    found = element.find(path)
    return clean_text("".join(found.itertext())) if found is not None else ""


def _entry_paper(file: SourceFile, entry: ET.Element, number: int) -> Paper | Rejection:
    """A :class:`Paper` from one ``<entry>``, or why not."""
    location = f"entry {number}"
    raw = ET.tostring(entry, encoding="unicode")
    title, abstract = _text(entry, f"{ATOM}title"), _text(entry, f"{ATOM}summary")
    entry_id = _text(entry, f"{ATOM}id")
    if "/api/errors" in entry_id:
        return Rejection(
            file.name, location, f"the arXiv API returned an error: {abstract or title}; fix the query", truncate(raw)
        )
    for name, value in (("title", title), ("summary", abstract)):
        if not value:
            return Rejection(
                file.name, location, f"has no {name}; add a <{name}> element or remove the entry", truncate(raw)
            )
    links: dict[str, str] = {}  # by title ("pdf") or rel ("alternate", "related")
    for link in entry.findall(f"{ATOM}link"):
        links.setdefault(link.get("title") or link.get("rel") or "alternate", link.get("href") or "")
    doi = _text(entry, f"{ARXIV}doi") or None
    extra: dict[str, object] = {}
    if links.get("pdf"):
        extra["pdf_url"] = links["pdf"]
    categories = [term for term in (c.get("term") for c in entry.findall(f"{ATOM}category")) if term]
    if categories:
        extra["categories"] = categories
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        extra["primary_category"] = primary.get("term")
    for name in ("comment", "journal_ref"):
        if note := _text(entry, f"{ARXIV}{name}"):
            extra[name] = note
    return Paper(
        id=stable_id(title, doi=doi, url=entry_id),
        title=title,
        abstract=abstract,
        source=f"{file.name}#{number}",
        year=parse_year(_text(entry, f"{ATOM}published")),
        url=links.get("alternate") or entry_id or None,
        doi=doi,
        authors=[name for name in (_text(a, f"{ATOM}name") for a in entry.findall(f"{ATOM}author")) if name],
        extra=extra,
    )


def read_atom(file: SourceFile) -> ItemStream:
    """Papers from an Atom feed, one per ``<entry>`` (entries numbered from 1)."""
    if b"<!DOCTYPE" in file.data or b"<!ENTITY" in file.data:
        yield file.rejection(
            "declares a DOCTYPE or entities, which a feed never needs and which are refused for safety; remove it"
        )
        return
    try:
        root = ET.fromstring(file.data)
    except ET.ParseError as err:
        yield file.rejection(
            f"is not well-formed XML ({err}); fix the XML, or save it as UTF-8 if the bytes are the problem"
        )
        return
    if root.tag != f"{ATOM}feed":
        yield file.rejection(
            f'is XML but not an Atom feed (root element {root.tag!r}, expected <feed xmlns="http://www.w3.org/2005/Atom">)'
        )
        return
    entries = root.findall(f"{ATOM}entry")
    if not entries:
        yield file.rejection("is an Atom feed with no <entry> elements; check the query that produced it")
        return
    for number, entry in enumerate(entries, start=1):
        yield _entry_paper(file, entry, number)
