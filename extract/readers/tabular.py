"""CSV and TSV corpus files with a header row.

The header names the columns, matched case-insensitively: ``title`` and ``abstract`` are
required, ``id``, ``year``, ``url``, ``doi``, ``authors`` optional, other non-empty cells are kept
in ``Paper.extra``. The delimiter is the one (of comma, tab, semicolon, bar) that splits the header
into a ``title`` and an ``abstract`` column, else the format's own (comma for csv, tab for tsv).
Quoted fields may hold delimiters, quotes and newlines.

Rejected: a file whose header lacks a title or abstract column or repeats a column name, a row with more or fewer cells
than the header, a row with invalid UTF-8 bytes, a row without title or abstract, a row with a
CSV syntax error (a stray quote; an unclosed quote takes the rest of the file with it). Blank rows
are skipped.
"""

from __future__ import annotations

import csv
import io

from .records import ItemStream, Rejection, SourceFile, has_bad_bytes, paper_from_fields, truncate

DELIMITERS = (",", "\t", ";", "|")
DEFAULT_DELIMITER = {"csv": ",", "tsv": "\t"}
_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar"}


def header_delimiter(first_line: str) -> str | None:
    """The delimiter that splits ``first_line`` into both a ``title`` and an ``abstract`` column, if any."""
    lines = first_line.splitlines()
    for delimiter in DELIMITERS:
        try:
            row = next(csv.reader(lines[:1], delimiter=delimiter), [])
        except csv.Error:
            return None
        names = {cell.strip().lower() for cell in row}
        if {"title", "abstract"} <= names:
            return delimiter
    return None


def read_table(file: SourceFile, format: str = "csv") -> ItemStream:
    """Papers from a CSV (``format="csv"``) or TSV (``format="tsv"``) file, one per row."""
    first_line = file.text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = header_delimiter(first_line) or DEFAULT_DELIMITER[format]
    reader = csv.reader(io.StringIO(file.text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(row for row in reader if row)
    except (StopIteration, csv.Error):
        yield file.rejection(
            "has no readable header row; the first line must name the columns (title, abstract, ...)", first_line
        )
        return
    names = [cell.strip().lower() for cell in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        yield file.rejection(
            f"the header names column {', '.join(map(repr, repeated))} more than once; rename one", first_line
        )
        return
    missing = [name for name in ("title", "abstract") if name not in names]
    if missing:
        yield file.rejection(
            f"the header has no {' or '.join(missing)} column (columns split on {_NAMES[delimiter]}: "
            f"{', '.join(header) or 'none'}); name the columns title and abstract",
            first_line,
        )
        return
    end_line = reader.line_num
    while True:
        start_line = end_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            end_line = reader.line_num
            yield Rejection(
                file.name,
                f"line {start_line}",
                f"CSV syntax error ({err}); fix the quoting (a quote inside a quoted cell is written twice)",
            )
            continue
        end_line = reader.line_num
        if not row:
            continue
        location = f"line {start_line}"
        raw = delimiter.join(row)
        if any(has_bad_bytes(cell) for cell in row):
            yield Rejection(
                file.name, location, "holds bytes that are not valid UTF-8; save the file as UTF-8", truncate(raw)
            )
            continue
        if len(row) != len(header):
            yield Rejection(
                file.name,
                location,
                f"has {len(row)} cells but the header has {len(header)}; quote cells that hold a {_NAMES[delimiter]}",
                truncate(raw),
            )
            continue
        fields = dict(zip(header, row, strict=True))
        origin = f"{file.name}:{start_line}"
        yield paper_from_fields(fields, file.name, location, origin, raw, "fill the '{field}' column")
