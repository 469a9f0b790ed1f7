"""JSON Lines (one object per line) and JSON (an array of objects) corpus files.

Each object needs ``title`` and ``abstract``; ``id``, ``year``, ``url``, ``doi`` and ``authors``
(a list, or one string joined by " and " or ";") are optional; other fields are kept in
``Paper.extra``. Field names are matched case-insensitively. A JSON file may also hold a single
paper object, or an object with one list of paper objects (``{"papers": [...]}``).

Rejected: a line that is not valid JSON or not an object, a line with invalid UTF-8 bytes, a
record without title or abstract; for a JSON file, a file that is not valid JSON as a whole.
Blank lines in JSON Lines are skipped.
"""

from __future__ import annotations

import json
from typing import Any

from .records import ItemStream, Rejection, SourceFile, has_bad_bytes, lines_of, paper_from_fields, truncate

HINT = "add the '{field}' field"


def _kind(value: Any) -> str:
    """The JSON name of ``value``'s type, for messages."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def read_jsonl(file: SourceFile) -> ItemStream:
    """Papers from a JSON Lines file, one object per non-blank line."""
    for number, line in enumerate(lines_of(file.text), start=1):
        if not line.strip():
            continue
        location = f"line {number}"
        if has_bad_bytes(line):
            yield Rejection(
                file.name, location, "holds bytes that are not valid UTF-8; save the file as UTF-8", truncate(line)
            )
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejection(
                file.name,
                location,
                f"not valid JSON ({err.msg} at column {err.colno}); fix the line or remove it",
                truncate(line),
            )
            continue
        if not isinstance(value, dict):
            yield Rejection(file.name, location, f"expected a JSON object per line, got {_kind(value)}", truncate(line))
            continue
        yield paper_from_fields(value, file.name, location, f"{file.name}:{number}", line, HINT)


def _records(value: Any) -> list[Any] | None:
    """The list of paper records in a parsed JSON document, or None when it holds none."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        lists = [item for item in value.values() if isinstance(item, list)]
        if any(str(key).lower() == "title" for key in value):
            return [value]
        if len(lists) == 1:
            return lists[0]
    return None


def read_json(file: SourceFile) -> ItemStream:
    """Papers from a JSON file holding an array of objects (records numbered from 1)."""
    try:
        value = json.loads(file.text)
    except json.JSONDecodeError as err:
        yield file.rejection(
            f"not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}); "
            "fix it, or use format 'jsonl' for one object per line",
            file.text,
        )
        return
    records = _records(value)
    if records is None:
        yield file.rejection(f"expected a JSON array of paper objects, got {_kind(value)} without one", file.text)
        return
    for number, record in enumerate(records, start=1):
        location = f"record {number}"
        raw = json.dumps(record, ensure_ascii=False)
        if not isinstance(record, dict):
            yield Rejection(file.name, location, f"expected a paper object, got {_kind(record)}", truncate(raw))
            continue
        yield paper_from_fields(record, file.name, location, f"{file.name}#{number}", raw, HINT)
