"""Cypher without a server: a phasegraph graph in an embedded LadybugDB database.

LadybugDB (PyPI ``ladybug``, the maintained fork of the Kùzu embedded graph
database) keeps typed tables: one node table per schema label (primary key the
label's ``ID_PROPERTY``) and one relationship table per relationship type, with
every FROM/TO pair ``schema.ENDPOINTS`` allows (``USES`` runs from ``Paper``
to ``Method`` and from ``Paper`` to ``Dataset``). Property types come from
``schema.py``: ``str`` -> ``STRING``, ``int`` -> ``INT64``, ``bool`` ->
``BOOLEAN``, ``list`` -> ``STRING[]``. Properties the schema does not name are
not loaded; strings are cleaned as in GraphML (``graphml.clean_string``), so
a graph and its GraphML file give the same answers.

Loading is a bulk ``COPY`` per table from temporary CSV files (no pandas or
pyarrow needed). The CSV column of a list property holds its items, each
prefixed with ``_ITEM_MARK`` and joined with ``_ITEM_SEP`` (two control
characters ``clean_string`` removes from the data); the ``COPY`` statement
splits it back into a ``STRING[]``.

Queries are read-only. ``EmbeddedGraph.query`` refuses write clauses (CREATE,
MERGE, SET, DELETE, COPY, LOAD ...) with a ``QueryError``, and runs every
query in a read-only transaction as well. Two spellings that Neo4j accepts and
LadybugDB does not are translated before the query runs, so one query text
works on both: property names that LadybugDB reserves (``h.order``,
``r.end``, ``{order: 1}``) are back-quoted, and ``type(r)`` becomes
``label(r)``. Name every RETURN column with ``AS``: unnamed columns are called
differently by the two engines (``p.id`` here, the expression text in Neo4j),
and do not name one ``order`` or ``end`` (LadybugDB refuses those aliases).

An on-disk database is one file (``graph.lbug``; LadybugDB adds
``graph.lbug.wal`` while it is open for writing).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import decimal
import json
import math
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import ladybug
import networkx as nx

from phasegraph.errors import GraphError, QueryError
from phasegraph.graph.graphml import GRAPH_FILE, clean_string, read_graph
from phasegraph.graph.schema import (
    EDGE_PROPERTIES,
    ENDPOINTS,
    ID_PROPERTY,
    LABEL_ATTR,
    NODE_PROPERTIES,
    TYPE_ATTR,
    Label,
    RelType,
)

DATABASE_FILE: Final = "graph.lbug"
_LADYBUG_TYPES: Final[dict[type, str]] = {str: "STRING", int: "INT64", bool: "BOOLEAN", list: "STRING[]"}
_ITEM_SEP: Final = "\x1f"  # between list items in a CSV cell
_ITEM_MARK: Final = "\x1e"  # before every list item, so that no item is empty
_FROM, _TO = "from", "to"  # the CSV columns of a relationship's endpoints


def _quote_name(name: str) -> str:
    """A back-quoted Cypher name."""
    return "`" + name.replace("`", "``") + "`"


def _node_table_ddl(label: Label) -> str:
    """The CREATE NODE TABLE statement of one label."""
    columns = ", ".join(f"{_quote_name(name)} {_LADYBUG_TYPES[typ]}" for name, typ in NODE_PROPERTIES[label].items())
    return f"CREATE NODE TABLE {_quote_name(label.value)}({columns}, PRIMARY KEY({_quote_name(ID_PROPERTY[label])}))"


def _rel_table_ddl(rel: RelType) -> str:
    """The CREATE REL TABLE statement of one relationship type, with every FROM/TO pair of the schema."""
    sources, targets = ENDPOINTS[rel]
    pairs = ", ".join(f"FROM {_quote_name(s.value)} TO {_quote_name(t.value)}" for s in sources for t in targets)
    columns = "".join(f", {_quote_name(name)} {_LADYBUG_TYPES[typ]}" for name, typ in EDGE_PROPERTIES[rel].items())
    return f"CREATE REL TABLE {_quote_name(rel.value)}({pairs}{columns})"


def _copy_template(table: str, columns: Mapping[str, type], pair: tuple[Label, Label] | None = None) -> str:
    """A COPY statement reading one CSV file (``{file}``, a quoted literal) into ``table``.

    ``LOAD WITH HEADERS`` fixes every column's type (no sniffing: a paper id
    "007" stays a string); list columns are read as strings and split.
    """
    header = ", ".join(f"{_quote_name(name)} {'STRING' if typ is list else _LADYBUG_TYPES[typ]}"
                       for name, typ in columns.items())
    values = ", ".join(
        f"list_transform(list_filter(string_split({_quote_name(name)}, $item_sep), x -> x <> ''), "
        f"x -> substring(x, 2, size(x)))" if typ is list else _quote_name(name)
        for name, typ in columns.items())
    options = f" (from='{pair[0].value}', to='{pair[1].value}')" if pair else ""
    return (f"COPY {_quote_name(table)} FROM (LOAD WITH HEADERS ({header}) FROM {{file}} "
            f"(HEADER=true, PARALLEL=false) RETURN {values}){options}")


def _rel_columns(rel: RelType) -> dict[str, type]:
    """The CSV columns of a relationship type: both endpoints' keys, then its properties."""
    return {_FROM: str, _TO: str, **EDGE_PROPERTIES[rel]}


# The statements that create the schema, in order (node tables first).
SCHEMA_DDL: Final[tuple[str, ...]] = (*(_node_table_ddl(label) for label in Label),
                                      *(_rel_table_ddl(rel) for rel in RelType))
# The COPY statements that load a label / a relationship type between two labels; ``{file}`` is the CSV file.
COPY_NODES: Final[dict[Label, str]] = {label: _copy_template(label.value, NODE_PROPERTIES[label]) for label in Label}
COPY_RELS: Final[dict[tuple[RelType, Label, Label], str]] = {
    (rel, s, t): _copy_template(rel.value, _rel_columns(rel), (s, t))
    for rel in RelType for s in ENDPOINTS[rel][0] for t in ENDPOINTS[rel][1]}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: column names in RETURN order and one dict per row, values plain JSON-able Python.

    A node is a dict of its properties plus ``"label"``; a relationship a dict
    of its properties plus ``"type"``; a path the list of its nodes and
    relationships in order (as ``neo4j_store.plain`` gives them); dates and
    times ISO 8601 strings. Absent properties are left out.
    """

    columns: list[str]
    rows: list[dict[str, Any]]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> QueryResult:
        """A result from row mappings (e.g. Neo4j records' ``data()``), values made plain; columns default to the first row's keys."""
        plain_rows = [{str(k): to_plain(v) for k, v in row.items()} for row in rows]
        names = list(columns) if columns is not None else (list(plain_rows[0]) if plain_rows else [])
        return cls(names, plain_rows)


def to_plain(value: Any) -> Any:
    """``value`` as plain JSON-able Python (see ``QueryResult``); works on LadybugDB and Neo4j driver values."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Mapping):
        if "_NODES" in value and "_RELS" in value:  # a LadybugDB path
            return _path(value["_NODES"], value["_RELS"])
        if "_LABEL" in value and "_ID" in value:  # a LadybugDB node or relationship
            kind = "type" if "_SRC" in value else "label"
            return {kind: value["_LABEL"], **{str(k): to_plain(v) for k, v in value.items()
                                              if not str(k).startswith("_") and v is not None}}
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [to_plain(v) for v in items]
    if hasattr(value, "nodes") and hasattr(value, "relationships"):  # a Neo4j path
        return _path(value.nodes, value.relationships)
    if hasattr(value, "labels") and hasattr(value, "items"):  # a Neo4j node
        return {"label": ":".join(sorted(value.labels)), **{k: to_plain(v) for k, v in value.items() if v is not None}}
    if hasattr(value, "type") and hasattr(value, "start_node") and hasattr(value, "items"):  # a Neo4j relationship
        return {"type": value.type, **{k: to_plain(v) for k, v in value.items() if v is not None}}
    if hasattr(value, "iso_format"):  # Neo4j temporal values
        return str(value.iso_format())
    if isinstance(value, (_dt.date, _dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _path(nodes: Sequence[Any], rels: Sequence[Any]) -> list[Any]:
    """A path as the list node, relationship, node, ..., each made plain."""
    items: list[Any] = [to_plain(nodes[0])] if nodes else []
    for index, rel in enumerate(rels):
        items.append(to_plain(rel))
        if index + 1 < len(nodes):
            items.append(to_plain(nodes[index + 1]))
    return items


def format_json(result: QueryResult) -> str:
    """The rows as a JSON array of objects keyed by the RETURN names (indented, UTF-8 text)."""
    return json.dumps(result.rows, ensure_ascii=False, indent=2)


_CELL_WIDTH: Final = 60


def _cell(value: Any) -> str:
    """One value as table text: null, true/false, strings as they are (line breaks shown as ⏎), the rest as JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " ")
    elif isinstance(value, (int, float)):
        text = repr(value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if _width(text) <= _CELL_WIDTH else _cut(text, _CELL_WIDTH - 1) + "…"


def _char_width(char: str) -> int:
    """Terminal columns of one character (wide East Asian characters take two, combining marks none)."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    """Terminal columns of ``text``."""
    return sum(_char_width(c) for c in text)


def _cut(text: str, width: int) -> str:
    """The longest prefix of ``text`` that fits ``width`` columns."""
    used = 0
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[:index]
    return text


def format_table(result: QueryResult) -> str:
    """The result as a plain-text table: header, rule, one line per row, then the row count.

    Numbers are right-aligned; cells longer than 60 columns are cut with "…"
    (use ``format_json`` for full values).
    """
    count = f"({len(result.rows)} row{'' if len(result.rows) == 1 else 's'})"
    if not result.columns:
        return count
    cells = [[_cell(row.get(col)) for col in result.columns] for row in result.rows]
    numeric = [all(isinstance(row.get(col), (int, float)) and not isinstance(row.get(col), bool)
                   for row in result.rows if row.get(col) is not None) for col in result.columns]
    widths = [max([_width(col), *(_width(line[i]) for line in cells)]) for i, col in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        padded = [(" " * (w - _width(v)) + v) if right else (v + " " * (w - _width(v)))
                  for v, w, right in zip(values, widths, numeric)]
        return " | ".join(padded).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(list(result.columns)), rule, *(line(values) for values in cells), count])


# --------------------------------------------------------------------------- parameters

_PARAM_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INT: Final = re.compile(r"[+-]?(0|[1-9][0-9]*)\Z")
_FLOAT: Final = re.compile(r"[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")


def parse_param(text: str) -> tuple[str, Any]:
    """One ``--param name=value`` as (name, value).

    The value is parsed: ``null``, ``true``/``false``, integers (``42``; with a
    leading zero, ``007`` stays a string), floats (``0.5``, ``1e3``), a JSON
    list (``["a", "b"]``) or a JSON string in double quotes (``"2020"``, to
    pass digits as a string); anything else is the string as written.
    Raises ``QueryError`` for a missing ``=``, a bad name or a bad JSON list.
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not _PARAM_NAME.match(name):
        raise QueryError(f"--param {text!r} is not name=value with a name of letters, digits and _; "
                         "write e.g. --param dataset=imagenet")
    if raw in ("null", "true", "false"):
        return name, json.loads(raw)
    if _INT.match(raw):
        return name, int(raw)
    if _FLOAT.match(raw) and any(c in raw for c in ".eE"):
        return name, float(raw)
    if raw.startswith(("[", '"')):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as err:
            raise QueryError(f"--param {name}={raw!r} is not valid JSON ({err.msg}); "
                             'write a list as ["a", "b"] or a string without the leading bracket or quote') from err
        if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
            raise QueryError(f"--param {name}={raw!r} nests lists or objects; pass a flat list of strings or numbers")
        return name, value
    return name, raw


# --------------------------------------------------------------------------- query text


@dataclass(frozen=True)
class _Token:
    """One lexical token of a query: kind is ident, quoted (a back-quoted name), string, number, param or punct."""

    kind: str
    text: str
    start: int
    end: int


def _tokens(query: str) -> list[_Token]:
    """The tokens of ``query``, without spaces and comments. Raises ``QueryError`` on an unclosed string or comment."""
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise QueryError(f"the comment opened at character {i + 1} is never closed with */")
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and query[j] != c:
                j += 2 if query[j] == "\\" else 1
            if j >= n:
                raise QueryError(f"the string opened with {c} at character {i + 1} is never closed")
            tokens.append(_Token("string", query[i:j + 1], i, j + 1))
            i = j + 1
        elif c == "`":
            j = i + 1
            while True:
                j = query.find("`", j)
                if j < 0:
                    raise QueryError(f"the name opened with ` at character {i + 1} is never closed")
                if query.startswith("``", j):
                    j += 2
                    continue
                break
            tokens.append(_Token("quoted", query[i:j + 1], i, j + 1))
            i = j + 1
        elif c.isalpha() or c == "_":
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            tokens.append(_Token("ident", query[i:j], i, j))
            i = j
        elif c.isdigit():
            match = re.compile(r"0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?").match(query, i)
            j = match.end() if match else i + 1
            tokens.append(_Token("number", query[i:j], i, j))
            i = j
        elif c == "$":
            match = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*|[0-9]+|`[^`]+`)").match(query, i)
            j = match.end() if match else i + 1
            tokens.append(_Token("param", query[i + 1:j].strip("`"), i, j))
            i = j
        else:
            tokens.append(_Token("punct", c, i, i + 1))
            i += 1
    return tokens


# Clause keywords that change the database, its files or the session. CALL is allowed only for READ_PROCEDURES.
WRITE_KEYWORDS: Final = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "COPY", "LOAD", "INSTALL", "UNINSTALL",
    "ATTACH", "USE", "IMPORT", "EXPORT", "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "COMMENT", "ANALYZE",
    "UPDATE", "FOREACH",
})
# Table functions ``CALL`` may run: they describe the schema and change nothing.
READ_PROCEDURES: Final = frozenset({"show_tables", "table_info", "show_connection", "db_version", "show_functions"})


def _check_read_only(tokens: list[_Token]) -> None:
    """Raise ``QueryError`` when the query has a write clause, a CALL of another procedure, or several statements."""
    for index, token in enumerate(tokens):
        before = tokens[index - 1].text if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind == "punct" and token.text == ";" and after is not None:
            raise QueryError("the query holds several statements separated by ';'; run one query at a time")
        if token.kind != "ident" or before in (".", ":") or (after is not None and after.text == ":"):
            continue
        word = token.text.upper()
        if word in WRITE_KEYWORDS:
            raise QueryError(f"{word} (at character {token.start + 1}) would change the graph, and queries are "
                             "read-only; rebuild the graph with `phasegraph build` to change it")
        if word == "CALL":
            name = after.text if after is not None and after.kind == "ident" else ""
            if name.lower() not in READ_PROCEDURES:
                raise QueryError(f"CALL {name or '...'} (at character {token.start + 1}) is not allowed; queries "
                                 f"may CALL only {', '.join(sorted(READ_PROCEDURES))}")


def _translate(query: str, tokens: list[_Token]) -> tuple[str, list[tuple[int, int]]]:
    """The query as LadybugDB runs it, and the insertions made (original position, characters inserted).

    Property names after ``.`` and map keys before ``:`` are back-quoted
    (LadybugDB reserves ``order`` and ``end``; Neo4j does not), and the
    function ``type(`` becomes ``label(``.
    """
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original text
    brackets: list[str] = []
    for index, token in enumerate(tokens):
        prev = tokens[index - 1] if index else None
        prev2 = tokens[index - 2] if index > 1 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind == "punct":
            if token.text in "([{":
                brackets.append(token.text)
            elif token.text in ")]}" and brackets:
                brackets.pop()
            continue
        if token.kind != "ident":
            continue
        calls = after is not None and after.text == "("
        is_property = (prev is not None and prev.text == "." and prev.start + 1 == token.start
                       and not (prev2 is not None and prev2.text == ".") and not calls)
        is_map_key = (prev is not None and prev.text in ("{", ",") and after is not None and after.text == ":"
                      and brackets and brackets[-1] == "{")
        if is_property or is_map_key:
            edits.append((token.start, token.end, _quote_name(token.text)))
        elif calls and token.text.lower() == "type" and not (prev is not None and prev.text == "."):
            edits.append((token.start, token.end, "label"))
    pieces, shifts, last = [], [], 0
    for start, end, replacement in edits:
        pieces += [query[last:start], replacement]
        shifts.append((start, len(replacement) - (end - start)))
        last = end
    pieces.append(query[last:])
    return "".join(pieces), shifts


_POSITION: Final = re.compile(r"\s*\(line: (\d+), offset: (\d+)\)")
_EXPECTING: Final = re.compile(r"\s*expecting \{[^}]*\}")
_INVALID_INPUT: Final = re.compile(r"Invalid input <(.*?)>: expected rule \w+", re.S)


def _error_line(message: str, original: str, translated: str, shifts: list[tuple[int, int]]) -> str:
    """LadybugDB's error message as one line, with positions in the query as the user wrote it."""
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    where = ""
    position = _POSITION.search(first)
    if position:
        line, offset = int(position.group(1)), int(position.group(2))
        absolute = sum(len(text) + 1 for text in translated.split("\n")[:line - 1]) + offset
        absolute -= sum(delta for start, delta in shifts if start < absolute)
        line_start = original.rfind("\n", 0, absolute) + 1
        where = f" at line {original.count(chr(10), 0, absolute) + 1}, column {absolute - line_start + 1}"
        first = _POSITION.sub("", first)
    first = _EXPECTING.sub("", first).split(". Supported inputs are")[0]
    invalid = _INVALID_INPUT.search(first)
    if invalid:
        fragment = invalid.group(1).replace("`", "")
        first = first.replace(invalid.group(0), f"syntax error near {fragment[-30:]!r}")
    return f"cannot run the query: {first.strip().rstrip('.')}{where}; fix the Cypher and try again"


# --------------------------------------------------------------------------- loading


def _csv_encoder(typ: type, name: str) -> Callable[[Any, str], str]:
    """The function writing one property of the schema's type ``typ`` as a CSV cell ("" for None).

    Raises ``GraphError`` (naming ``where`` and the property) for a value not of that type.
    """
    def fail(value: Any, where: str, expected: str) -> GraphError:
        return GraphError(f"{where}: property {name!r} is {value!r}, not {expected}; rebuild the graph")

    def text(value: Any, where: str) -> str:
        if value is None:
            return ""
        return '"' + clean_string(value if isinstance(value, str) else str(value)).replace('"', '""') + '"'

    def items(value: Any, where: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                pass
        if not isinstance(value, (list, tuple)):
            raise fail(value, where, "a list of strings")
        joined = _ITEM_SEP.join(_ITEM_MARK + clean_string(str(item)) for item in value)  # not cleaned again
        return '"' + joined.replace('"', '""') + '"'

    def boolean(value: Any, where: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        if not isinstance(value, bool):
            raise fail(value, where, "true or false")
        return "true" if value else "false"

    def integer(value: Any, where: str) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str) and _INT.match(value.strip()):
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            raise fail(value, where, "an integer")
        return str(value)

    return {list: items, bool: boolean, int: integer}.get(typ, text)


def _write_csv(path: Path, columns: Mapping[str, type], rows: list[tuple[str, Mapping[str, Any]]]) -> None:
    """Write one CSV file: a header of ``columns``, then one line per (description, properties) row."""
    encoders = [(name, _csv_encoder(typ, name)) for name, typ in columns.items()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(columns) + "\n")
        handle.writelines(",".join([encode(props.get(name), where) for name, encode in encoders]) + "\n"
                          for where, props in rows)


def _string_literal(text: str) -> str:
    """A single-quoted Cypher string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _split_graph(graph: nx.MultiDiGraph) -> tuple[dict[Label, list[tuple[str, dict[str, Any]]]],
                                                    dict[tuple[RelType, Label, Label], list[tuple[str, dict[str, Any]]]]]:
    """The graph's nodes per label and edges per (type, source label, target label), checked against the schema."""
    labels = {label.value: label for label in Label}
    types = {rel.value: rel for rel in RelType}
    nodes: dict[Label, list[tuple[str, dict[str, Any]]]] = {label: [] for label in Label}
    keys: dict[Any, tuple[Label, str]] = {}
    seen: set[tuple[Label, str]] = set()
    for node, data in graph.nodes(data=True):
        label = labels.get(data.get(LABEL_ATTR))  # type: ignore[arg-type]
        if label is None:
            raise GraphError(f"node {node!r} has label {data.get(LABEL_ATTR)!r}, not one of "
                             f"{', '.join(labels)}; the graph must follow graph/schema.py (rebuild it)")
        key = data.get(ID_PROPERTY[label])
        if key is None:
            raise GraphError(f"node {node!r} has no {ID_PROPERTY[label]!r} property; rebuild the graph")
        key = clean_string(str(key))
        if (label, key) in seen:
            raise GraphError(f"two {label.value} nodes have {ID_PROPERTY[label]} {key!r}; rebuild the graph")
        seen.add((label, key))
        keys[node] = (label, key)
        nodes[label].append((f"node {node!r}", data))
    edges: dict[tuple[RelType, Label, Label], list[tuple[str, dict[str, Any]]]] = {pair: [] for pair in COPY_RELS}
    for u, v, data in graph.edges(data=True):
        rel = types.get(data.get(TYPE_ATTR))  # type: ignore[arg-type]
        where = f"edge {u!r} -> {v!r}"
        if rel is None:
            raise GraphError(f"{where} has type {data.get(TYPE_ATTR)!r}, not one of {', '.join(types)}; rebuild the graph")
        (source, from_key), (target, to_key) = keys[u], keys[v]
        if (rel, source, target) not in edges:
            raise GraphError(f"{where}: {rel.value} does not connect {source.value} to {target.value} "
                             "in graph/schema.py; rebuild the graph")
        edges[(rel, source, target)].append((where, {**data, _FROM: from_key, _TO: to_key}))
    return nodes, edges


def _load(connection: ladybug.Connection, graph: nx.MultiDiGraph) -> None:
    """Create the schema's tables and bulk-load ``graph`` into them through temporary CSV files."""
    nodes, edges = _split_graph(graph)
    for statement in SCHEMA_DDL:
        connection.execute(statement)
    with tempfile.TemporaryDirectory(prefix="phasegraph-ladybug-") as folder:
        jobs: list[tuple[str, Path, Mapping[str, type], list[tuple[str, dict[str, Any]]]]] = []
        for label, rows in nodes.items():
            jobs.append((COPY_NODES[label], Path(folder) / f"{label.value}.csv", NODE_PROPERTIES[label], rows))
        for (rel, s, t), rows in edges.items():
            jobs.append((COPY_RELS[(rel, s, t)], Path(folder) / f"{rel.value}-{s.value}-{t.value}.csv",
                         _rel_columns(rel), rows))
        for template, file, columns, rows in jobs:
            if not rows:
                continue
            _write_csv(file, columns, rows)
            try:
                connection.execute(template.format(file=_string_literal(str(file))), {"item_sep": _ITEM_SEP})
            except RuntimeError as err:
                raise GraphError(f"cannot load {file.stem} into the embedded database: "
                                 f"{str(err).strip().splitlines()[0]}; rebuild the graph") from err


def _remove_database(path: Path) -> None:
    """Delete a database file and its write-ahead log, if there."""
    if path.is_dir():
        raise GraphError(f"{path} is a folder, not a LadybugDB file; pass a file path such as DIR/{DATABASE_FILE}")
    for file in (path, path.with_name(path.name + ".wal")):
        file.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the engine


class EmbeddedGraph:
    """A phasegraph graph in LadybugDB, answering read-only Cypher. Use as a context manager, or call ``close``."""

    def __init__(self, database: ladybug.Database, path: Path | None = None) -> None:
        """Wrap an open database; use ``from_graph`` or ``open`` instead."""
        self._database = database
        self._connection = ladybug.Connection(database)
        self.path = path

    @classmethod
    def from_graph(cls, graph: nx.MultiDiGraph, path: Path | None = None) -> EmbeddedGraph:
        """Load ``graph`` (not changed) into a new database: in memory, or in the file ``path`` (replaced if there).

        A file database is closed after loading and reopened read-only, so
        ``EmbeddedGraph.open(path)`` finds it complete. Raises ``GraphError``
        when the graph does not follow the schema or the file cannot be written.
        """
        if path is None:
            engine = cls(ladybug.Database(":memory:"))
            try:
                _load(engine._connection, graph)
            except BaseException:
                engine.close()
                raise
            return engine
        path = Path(path)
        _remove_database(path)
        try:
            database = ladybug.Database(str(path))
        except RuntimeError as err:
            raise GraphError(f"cannot create the database {path}: {str(err).strip().splitlines()[0]}; "
                             "check the folder exists and is writable") from err
        try:
            connection = ladybug.Connection(database)
            _load(connection, graph)
            connection.close()
        except BaseException:
            database.close()
            _remove_database(path)  # never leave a half-loaded database behind
            raise
        database.close()
        return cls.open(path)

    @classmethod
    def open(cls, path: Path) -> EmbeddedGraph:
        """Open, read-only, a database ``from_graph`` wrote: the file itself or ``graph.lbug`` inside a folder."""
        path = Path(path)
        file = path / DATABASE_FILE if path.is_dir() else path
        if not file.is_file():
            raise GraphError(f"no embedded database at {file}; run `phasegraph build` or query the GraphML file")
        try:
            return cls(ladybug.Database(str(file), read_only=True), file)
        except RuntimeError as err:
            raise GraphError(f"cannot open {file} as a LadybugDB {ladybug.__version__} database: "
                             f"{str(err).strip().splitlines()[0]}; rebuild it with `phasegraph build`") from err

    def query(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one read-only Cypher query with ``$name`` parameters; raises ``QueryError`` with one line on failure."""
        if not cypher or not cypher.strip():
            raise QueryError("the query is empty; pass a Cypher query such as 'MATCH (p:Paper) RETURN count(p) AS n'")
        tokens = _tokens(cypher)
        _check_read_only(tokens)
        while tokens and tokens[-1].text == ";":
            tokens.pop()
        used = {t.text for t in tokens if t.kind == "param"}
        given = dict(params or {})
        missing = sorted(used - given.keys())
        if missing:
            raise QueryError(f"the query uses ${missing[0]} but no value was given; pass --param {missing[0]}=VALUE")
        text, shifts = _translate(cypher, tokens)
        text = text[:tokens[-1].end + sum(d for s, d in shifts)] if tokens else text
        arguments = {name: given[name] for name in used}
        connection = self._connection
        connection.execute("BEGIN TRANSACTION READ ONLY")
        try:
            result = connection.execute(text, arguments)
            if isinstance(result, list):
                raise QueryError("the query holds several statements; run one query at a time")
            columns = list(result.get_column_names())
            rows = [dict(zip(columns, (to_plain(v) for v in row))) for row in result.get_all()]
        except (RuntimeError, ValueError, TypeError) as err:
            raise QueryError(_error_line(str(err), cypher, text, shifts)) from err
        finally:
            with contextlib.suppress(RuntimeError):  # nothing to commit; the transaction may be gone after an error
                connection.execute("COMMIT")
        return QueryResult(columns, rows)

    def close(self) -> None:
        """Close the connection and the database (an in-memory database is gone)."""
        self._connection.close()
        self._database.close()

    def __enter__(self) -> EmbeddedGraph:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def open_graph(path: Path) -> EmbeddedGraph:
    """The embedded graph for a ``build`` folder, a ``.lbug`` file or a GraphML file.

    A folder's ``graph.lbug`` is opened when it is at least as new as its
    ``graph.graphml``; otherwise the GraphML file is read and loaded into memory.
    """
    path = Path(path)
    if path.is_dir():
        database, graphml = path / DATABASE_FILE, path / GRAPH_FILE
        if database.is_file() and (not graphml.exists() or database.stat().st_mtime >= graphml.stat().st_mtime):
            return EmbeddedGraph.open(database)
        return EmbeddedGraph.from_graph(read_graph(path))
    if path.suffix == Path(DATABASE_FILE).suffix:
        return EmbeddedGraph.open(path)
    return EmbeddedGraph.from_graph(read_graph(path))
