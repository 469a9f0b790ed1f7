"""What every reader shares: the rejection record, the loaded file, and fields-to-Paper mapping.

A reader turns one :class:`SourceFile` into a stream of :class:`Paper` (good records) and
:class:`Rejection` (bad ones, each naming file, place and reason). Nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from phasegraph.extract.paper import Paper, clean_text, stable_id

RAW_LIMIT = 200
"""How many characters of an offending record a rejection keeps."""

_BAD_BYTE = re.compile("[\udc80-\udcff]")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_YEAR = re.compile(r"^\s*(\d{4})(?:\b|-)")
_AUTHOR_SPLIT = re.compile(r"\s+and\s+|\s*;\s*")
KNOWN_FIELDS = ("id", "title", "abstract", "year", "url", "doi", "authors")


def truncate(text: str | None, limit: int = RAW_LIMIT) -> str | None:
    """``text`` cut to ``limit`` characters (with an ellipsis), undecodable bytes shown as U+FFFD."""
    if text is None:
        return None
    text = _BAD_BYTE.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_bad_bytes(text: str) -> bool:
    """Whether ``text`` holds bytes that were not valid UTF-8 (decoded with ``surrogateescape``)."""
    return _BAD_BYTE.search(text) is not None


@dataclass
class Rejection:
    """One record (or whole file) that could not be read, and why.

    ``location`` is ``"line 12"``, ``"record 3"``, ``"entry smith2020 (line 4)"`` or ``"file"``;
    ``reason`` says what is wrong and how to fix it; ``raw`` is the offending text, truncated.
    """

    source: str
    location: str
    reason: str
    raw: str | None = None

    def message(self) -> str:
        """``FILE:LOCATION: REASON``, the one-line form the CLI prints."""
        return f"{self.source}:{self.location}: {self.reason}"

    def to_dict(self) -> dict[str, str | None]:
        """The rejection as one line of ``rejected.jsonl``."""
        return {"source": self.source, "location": self.location, "reason": self.reason, "raw": truncate(self.raw)}


@dataclass
class SourceFile:
    """One input file, loaded: its name as given, its bytes, and its text.

    ``text`` is the bytes decoded as UTF-8 (a BOM is dropped) with ``surrogateescape``, so invalid
    bytes survive as lone surrogates that :func:`has_bad_bytes` finds in the record that holds them.
    """

    name: str
    data: bytes
    text: str

    def rejection(self, reason: str, raw: str | None = None) -> Rejection:
        """A rejection of the whole file."""
        return Rejection(self.name, "file", reason, truncate(raw))


def load(path: Path) -> SourceFile | Rejection:
    """Read ``path`` into a :class:`SourceFile`, or a file-level :class:`Rejection` saying why not."""
    name = str(path)
    if path.is_dir():
        return Rejection(name, "file", "is a directory, not a corpus file; pass the files inside it (e.g. DIR/*.jsonl)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Rejection(name, "file", "no such file; check the path")
    except OSError as err:
        return Rejection(name, "file", f"cannot be read ({err.strerror or err}); check the path and its permissions")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return SourceFile(name, data, data.decode("utf-16"))
        except UnicodeDecodeError:
            return Rejection(
                name, "file", "starts with a UTF-16 byte-order mark but is not valid UTF-16; save it as UTF-8"
            )
    if b"\x00" in data:
        return Rejection(name, "file", "is binary (holds NUL bytes), not text; pass a UTF-8 text corpus file")
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if not text.strip():
        return Rejection(name, "file", "is empty; add papers or leave the file out")
    return SourceFile(name, data, text)


def lines_of(text: str) -> list[str]:
    """``text`` split at line ends (``\\n`` or ``\\r\\n``) only, not at the other characters
    :meth:`str.splitlines` breaks on (U+2028, form feed, ...), which may occur inside a field."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def split_authors(value: Any) -> list[str]:
    """Authors from a list, or from one string joined by `` and `` or ``;``."""
    if isinstance(value, (list, tuple)):
        names = [clean_text(str(item)) for item in value if item is not None]
    elif isinstance(value, str):
        names = [clean_text(part) for part in _AUTHOR_SPLIT.split(value)]
    else:
        names = [clean_text(str(value))]
    return [name for name in names if name]


def parse_year(value: Any) -> int | None:
    """A year from an int or a string starting with four digits (``"2021"``, ``"2021-05-03"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 9999 else None
    if isinstance(value, float) and value.is_integer():
        return parse_year(int(value))
    if isinstance(value, str):
        found = _YEAR.match(value)
        return int(found.group(1)) if found else None
    return None


def clean_doi(value: str | None) -> str | None:
    """A bare DOI (``10.x/...``) from a DOI, ``doi:`` reference or doi.org URL; None when empty."""
    if not value:
        return None
    bare = _DOI_PREFIX.sub("", value.strip())
    return bare or None


def _is_blank(value: Any) -> bool:
    """Whether ``value`` is null or whitespace-only text."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    """A field value as text (numbers converted), or None when missing or blank."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = clean_text(str(value))
    return text or None


def paper_from_fields(
    fields: Mapping[str, Any], source: str, location: str, origin: str, raw: str | None, hint: str
) -> Paper | Rejection:
    """A :class:`Paper` from one record's fields (names matched case-insensitively), or a rejection.

    ``title`` and ``abstract`` are required text; ``id``, ``year``, ``url``, ``doi`` and ``authors``
    are optional; any other non-empty field is kept in ``Paper.extra`` under its original name. A
    ``year`` that is not a year is kept in ``extra`` too. ``hint`` tells the user how to add a field in
    this format (e.g. ``"add the '{field}' field"``); ``{field}`` in it is replaced by the field name.
    ``origin`` becomes ``Paper.source`` (``file:line`` or ``file#record``).
    """
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in fields.items():
        lowered = str(key).strip().lower()
        if lowered in KNOWN_FIELDS and lowered not in known:
            known[lowered] = value
        elif value not in (None, "", [], {}):
            extra[str(key)] = value
    for required in ("title", "abstract"):
        value = known.get(required)
        if isinstance(value, str) and has_bad_bytes(value):
            return Rejection(
                source,
                location,
                f"the {required} holds bytes that are not valid UTF-8; save the file as UTF-8",
                truncate(raw),
            )
        if _text(value) is None:
            if required in known and not _is_blank(value):
                problem = f"the {required} is not text ({type(value).__name__}); make it text"
            else:
                problem = (
                    f"the {required} is {'empty' if required in known else 'missing'}; {hint.format(field=required)}"
                )
            return Rejection(source, location, f"{problem} or remove the record", truncate(raw))
    year = parse_year(known.get("year"))
    if known.get("year") not in (None, "") and year is None:
        extra["year"] = known["year"]
    title = _text(known["title"]) or ""
    doi = clean_doi(_text(known.get("doi")))
    url = _text(known.get("url"))
    authors = split_authors(known["authors"]) if known.get("authors") not in (None, "") else []
    return Paper(
        id=stable_id(title, given=_text(known.get("id")), doi=doi, url=url),
        title=title,
        abstract=_text(known["abstract"]) or "",
        source=origin,
        year=year,
        url=url,
        doi=doi,
        authors=authors,
        extra=extra,
    )


Item: TypeAlias = Paper | Rejection
"""What a reader yields: a good record or a bad one."""
ItemStream: TypeAlias = Iterator[Item]


@dataclass
class ReadReport:
    """The outcome of reading a corpus: the papers kept and everything else that happened.

    ``read`` counts records seen (good and bad; an unreadable file counts as one), so
    ``read == used + merged + len(rejected)`` always holds.
    """

    papers: list[Paper] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    read: int = 0
    merged: int = 0
    warnings: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)

    @property
    def used(self) -> int:
        """How many papers were kept."""
        return len(self.papers)
