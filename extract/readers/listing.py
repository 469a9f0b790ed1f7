"""The papers-listing text format of the built-in sample corpus.

A saved listing page as plain text: optional header lines from the page ("Get trending papers
..."; at most two, skipped), then one line with a paper's title and the next with its abstract.
The page glues a "Subscribe" button label onto the first title ("SubscribeTowards ..."); it is
stripped. Papers get ids ``p`` + their 3-digit position (``p001``, ``p002``, ...; ``p1000`` after
999), the same ids as the sample's ``papers.jsonl``, so the two agree.

Rejected: a blank line between papers (it breaks the title/abstract pairing; the line after it
is read as the next title), a title line with no abstract line after it (odd line count), and a
title/abstract pair holding bytes that are not valid UTF-8.
"""

from __future__ import annotations

import re

from phasegraph.extract.paper import Paper, clean_text, stable_id

from .records import ItemStream, Rejection, SourceFile, has_bad_bytes, lines_of, truncate

HEADER = re.compile(r"^\s*get trending papers\b", re.I)
_SUBSCRIBE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")
MAX_HEADER_LINES = 2


def listing_id(position: int) -> str:
    """The id of the paper at 1-based ``position`` in a listing: ``p001``, ``p002``, ..."""
    return f"p{position:03d}"


def read_listing(file: SourceFile) -> ItemStream:
    """Papers from a listing file, one per title line + abstract line."""
    lines = lines_of(file.text)
    start = 0
    while start < min(MAX_HEADER_LINES, len(lines)) and HEADER.match(lines[start]):
        start += 1
    while lines and not lines[-1].strip():
        lines.pop()
    pending: tuple[int, str] | None = None  # (line number, text) of a title awaiting its abstract
    position = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            yield Rejection(
                file.name,
                f"line {number}",
                "blank line inside the listing; each paper is exactly one title line followed by one abstract line: "
                "remove the blank line",
            )
            continue
        if pending is None:
            pending = (number, line)
            continue
        position += 1
        (title_line, title), abstract = pending, line
        pending = None
        if has_bad_bytes(title) or has_bad_bytes(abstract):
            yield Rejection(
                file.name,
                f"line {title_line}",
                "the title or abstract holds bytes that are not valid UTF-8; save the file as UTF-8",
                truncate(title),
            )
            continue
        title = clean_text(title)
        if position == 1:
            title = _SUBSCRIBE.sub("", title)
        yield Paper(
            id=stable_id(title, given=listing_id(position)),
            title=title,
            abstract=clean_text(abstract),
            source=f"{file.name}:{title_line}",
        )
    if pending is not None:
        yield Rejection(
            file.name,
            f"line {pending[0]}",
            "title line with no abstract line after it (the listing has an odd number of lines); "
            "add the abstract or remove the title",
            truncate(pending[1]),
        )
