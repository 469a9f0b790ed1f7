"""Export a phasegraph graph for other tools, and read the exports back.

Formats (``FORMATS``):

- ``graphml``: ``graphml.write_graph`` (lists as JSON strings; see that module).
- ``gexf`` (Gephi): GEXF 1.2 through ``networkx.write_gexf``, encoded like
  GraphML (lists as JSON strings, strings cleaned, a paper's ``id`` written as
  ``key``). GEXF gives some attribute names a meaning of its own, so: a node's
  ``label`` is its GEXF label; an edge's ``type`` is its GEXF label; the
  edges' ``start`` and ``end`` offsets are written ``start_offset`` and
  ``end_offset`` (GEXF's start/end are times). networkx's GEXF writer calls
  every ``key`` attribute ``networkx_key`` (so a node's key is the column
  ``networkx_key`` in Gephi) and stores the MultiDiGraph edge key there too.
- ``json``: node-link JSON (``networkx.node_link_data`` with ``edges="edges"``):
  ``{"directed": true, "multigraph": true, "graph": {}, "nodes": [{"id":
  "Paper:p1", "label": "Paper", "key": "p1", ...}], "edges": [{"source": ...,
  "target": ..., "key": "USES", "type": "USES", ...}]}``. Lists stay JSON
  lists and strings are not cleaned; a node's ``id`` is its phasegraph node
  id, so a paper's ``id`` property is written ``key`` as in GraphML.
- ``neo4j-csv``: a folder for ``neo4j-admin database import full`` (see
  ``export_neo4j_csv``).

``read_export`` reads each format back into a MultiDiGraph equal to the
exported one after the documented cleaning.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import ParseError

import networkx as nx

from phasegraph.errors import GraphError
from phasegraph.graph.graphml import clean_string, from_file_ready, read_graph, to_graphml_ready, write_graph
from phasegraph.graph.schema import (
    EDGE_PROPERTIES,
    ENDPOINTS,
    ID_PROPERTY,
    LABEL_ATTR,
    NODE_PROPERTIES,
    TYPE_ATTR,
    Label,
    RelType,
    node_id,
)

FORMATS: Final = ("graphml", "gexf", "json", "neo4j-csv")
# GEXF attribute names for edge properties whose names GEXF reserves (see the module docstring).
GEXF_EDGE_NAMES: Final[dict[str, str]] = {TYPE_ATTR: "label", "start": "start_offset", "end": "end_offset"}
# neo4j-admin's array delimiter: ";" unless a list item holds it, then the first of the others no item holds.
ARRAY_DELIMITERS: Final = (";", "|", "^", "~")
_NEO4J_TYPES: Final[dict[type, str]] = {str: "string", int: "long", bool: "boolean", list: "string[]"}


def export_graph(graph: nx.MultiDiGraph, path: Path, fmt: str) -> str:
    """Write ``graph`` (not changed) to ``path`` in format ``fmt`` (one of ``FORMATS``); returns what was written.

    For ``neo4j-csv`` ``path`` is a folder and the message ends with the
    neo4j-admin command that imports it. Raises ``GraphError`` for an unknown
    format or a path that cannot be written.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise GraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "neo4j-csv":
        exported = export_neo4j_csv(graph, path)
        files = len(exported.node_files) + len(exported.relationship_files)
        return (f"wrote {files} CSV files to {path}; import them into a stopped Neo4j 5 with:\n"
                f"{exported.command}")
    try:
        if fmt == "graphml":
            write_graph(graph, path)
        elif fmt == "gexf":
            nx.write_gexf(_gexf_ready(graph), path)
        else:
            text = json.dumps(nx.node_link_data(_json_ready(graph), edges="edges"), ensure_ascii=False, indent=1)
            path.write_text(text + "\n", encoding="utf-8")
    except OSError as err:
        raise GraphError(f"cannot write {path}: {err.strerror}; check the folder exists and is writable") from err
    return f"wrote {path}"


def _gexf_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph as ``write_gexf`` takes it: GraphML's encoding, and GEXF's reserved edge names avoided."""
    out = to_graphml_ready(graph)
    for _, _, data in out.edges(data=True):
        for name, gexf_name in GEXF_EDGE_NAMES.items():
            if name in data:
                data[gexf_name] = data.pop(name)
    return out


def _json_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with lists kept and each paper's ``id`` property renamed ``key`` (node-link's ``id`` is the node id)."""
    out = nx.MultiDiGraph()
    paper_id = ID_PROPERTY[Label.PAPER]
    for node, data in graph.nodes(data=True):
        attrs = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in data.items() if v is not None}
        if attrs.get(LABEL_ATTR) == Label.PAPER.value and paper_id in attrs:
            attrs[ID_PROPERTY[Label.METHOD]] = attrs.pop(paper_id)
        out.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, **{k: val for k, val in data.items() if val is not None})
    return out


# --------------------------------------------------------------------------- neo4j-admin CSV


@dataclass(frozen=True)
class Neo4jImport:
    """What ``export_neo4j_csv`` wrote, and the command that imports it."""

    folder: Path
    node_files: list[Path]
    relationship_files: list[Path]
    array_delimiter: str
    command: str


def _node_file(folder: Path, label: Label) -> Path:
    return folder / f"nodes-{label.value}.csv"


def _relationship_file(folder: Path, rel: RelType, source: Label, target: Label) -> Path:
    return folder / f"relationships-{rel.value}-{source.value}-{target.value}.csv"


def _array_delimiter(graph: nx.MultiDiGraph) -> str:
    """The first of ``ARRAY_DELIMITERS`` that no list item of the graph contains."""
    lists = {name for props in NODE_PROPERTIES.values() for name, typ in props.items() if typ is list}
    items = {clean_string(str(item)) for _, data in graph.nodes(data=True) for name in lists & data.keys()
             for item in (data[name] or [])}
    for delimiter in ARRAY_DELIMITERS:
        if not any(delimiter in item for item in items):
            return delimiter
    raise GraphError(f"list items contain every array delimiter neo4j-admin could use ({' '.join(ARRAY_DELIMITERS)}); "
                     "load the graph with `phasegraph load` instead")


def _neo4j_cell(value: Any, typ: type, delimiter: str) -> str | None:
    """One property as neo4j-admin reads it; None for an absent property (an unquoted empty field)."""
    if value is None:
        return None
    if typ is list:
        return delimiter.join(clean_string(str(item)) for item in value)
    if typ is bool:
        return "true" if value else "false"
    if typ is int:
        return str(int(value))
    return clean_string(str(value))


def _write_neo4j_csv(path: Path, header: list[str], rows: Iterable[list[str | None]]) -> None:
    """Write one CSV file: strings quoted (so "" is an empty string), absent values as unquoted empty fields."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for row in rows:
            handle.write(",".join("" if cell is None else '"' + cell.replace('"', '""') + '"' for cell in row) + "\n")


def export_neo4j_csv(graph: nx.MultiDiGraph, folder: Path, database: str = "neo4j") -> Neo4jImport:
    """Write ``graph`` as CSV files for ``neo4j-admin database import full`` into ``folder`` (created if needed).

    One node file per label (``nodes-Method.csv``: ``key:ID(Method)``,
    ``name``, ``aliases:string[]``, ``papers:long``, ``:LABEL``) and one
    relationship file per type and endpoint labels
    (``relationships-USES-Paper-Method.csv``: ``:START_ID(Paper)``,
    ``:END_ID(Method)``, ``:TYPE``, ``evidence``, ``start:long``, ...), every
    file of the schema even when empty, so a later export replaces an earlier
    one. Each label's identifying property is its own ID space. Integers are
    ``long`` (as the Neo4j driver writes Python ints), booleans ``boolean``,
    lists ``string[]`` joined with the array delimiter (``;`` unless an item
    contains it, see ``ARRAY_DELIMITERS``; the command names it). Strings are
    quoted and cleaned as in GraphML; a quoted empty field is an empty string,
    an unquoted one an absent property. Text may span lines, hence
    ``--multiline-fields=true`` in the command. neo4j-admin imports an empty
    list as an absent property (it has no empty array), where ``phasegraph
    load`` stores ``[]``.

    Checked with neo4j-admin 5.26: the README queries give the same rows on
    the imported database as on the embedded engine.
    """
    folder = Path(folder)
    delimiter = _array_delimiter(graph)
    keys: dict[Any, tuple[Label, str]] = {}
    node_rows: dict[Label, list[list[str | None]]] = {label: [] for label in Label}
    labels = {label.value: label for label in Label}
    for node, data in graph.nodes(data=True):
        label = labels.get(data.get(LABEL_ATTR))  # type: ignore[arg-type]
        if label is None or data.get(ID_PROPERTY[label]) is None:
            raise GraphError(f"node {node!r} has no schema label or no {ID_PROPERTY.get(label, 'key')!r}; rebuild the graph")
        keys[node] = (label, clean_string(str(data[ID_PROPERTY[label]])))
        props = NODE_PROPERTIES[label]
        node_rows[label].append([_neo4j_cell(data.get(name), typ, delimiter) for name, typ in props.items()]
                                + [label.value])
    pairs = [(rel, s, t) for rel in RelType for s in ENDPOINTS[rel][0] for t in ENDPOINTS[rel][1]]
    rel_rows: dict[tuple[RelType, Label, Label], list[list[str | None]]] = {pair: [] for pair in pairs}
    for u, v, data in graph.edges(data=True):
        rel = RelType(data.get(TYPE_ATTR)) if data.get(TYPE_ATTR) in {r.value for r in RelType} else None
        (source, from_key), (target, to_key) = keys[u], keys[v]
        if rel is None or (rel, source, target) not in rel_rows:
            raise GraphError(f"edge {u!r} -> {v!r} of type {data.get(TYPE_ATTR)!r} is not in graph/schema.py; rebuild the graph")
        rel_rows[(rel, source, target)].append(
            [from_key, to_key, rel.value]
            + [_neo4j_cell(data.get(name), typ, delimiter) for name, typ in EDGE_PROPERTIES[rel].items()])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        node_files = []
        for label, rows in node_rows.items():
            header = [(f"{name}:ID({label.value})" if name == ID_PROPERTY[label]
                       else name if typ is str else f"{name}:{_NEO4J_TYPES[typ]}")
                      for name, typ in NODE_PROPERTIES[label].items()] + [":LABEL"]
            node_files.append(_node_file(folder, label))
            _write_neo4j_csv(node_files[-1], header, rows)
        relationship_files = []
        for (rel, source, target), rows in rel_rows.items():
            header = [f":START_ID({source.value})", f":END_ID({target.value})", ":TYPE"] + [
                name if typ is str else f"{name}:{_NEO4J_TYPES[typ]}" for name, typ in EDGE_PROPERTIES[rel].items()]
            relationship_files.append(_relationship_file(folder, rel, source, target))
            _write_neo4j_csv(relationship_files[-1], header, rows)
    except OSError as err:
        raise GraphError(f"cannot write CSV files to {folder}: {err.strerror}; check the folder is writable") from err
    # The database name comes first: --nodes and --relationships take several files and would swallow it.
    command = " ".join([
        "neo4j-admin database import full", shlex.quote(database), "--overwrite-destination",
        f"--array-delimiter={shlex.quote(delimiter)}", "--multiline-fields=true",
        *(f"--nodes={shlex.quote(str(file))}" for file in node_files),
        *(f"--relationships={shlex.quote(str(file))}" for file in relationship_files)])
    return Neo4jImport(folder, node_files, relationship_files, delimiter, command)


# --------------------------------------------------------------------------- reading exports back


def edge_key(data: Mapping[str, Any]) -> str:
    """The MultiDiGraph key ``build_graph`` gives an edge: its type, and ``HAS_PHASE:<order>`` for phases."""
    rel = str(data.get(TYPE_ATTR))
    return f"{rel}:{data['order']}" if rel == RelType.HAS_PHASE.value and "order" in data else rel


def read_export(path: Path, fmt: str, array_delimiter: str = ";") -> nx.MultiDiGraph:
    """Read a file (a folder for ``neo4j-csv``) that ``export_graph`` wrote back into a phasegraph MultiDiGraph."""
    path = Path(path)
    if fmt not in FORMATS:
        raise GraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        return read_graph(path)
    if fmt == "neo4j-csv":
        return read_neo4j_csv(path, array_delimiter)
    if not path.is_file():
        raise GraphError(f"no {fmt} file at {path}; export one with `phasegraph export --format {fmt}`")
    if fmt == "gexf":
        try:
            raw = nx.read_gexf(path)
        except (ParseError, nx.NetworkXError, ValueError, KeyError) as err:
            raise GraphError(f"{path} is not a readable GEXF file: {err}; export it again") from err
        graph = nx.MultiDiGraph()
        for node, data in raw.nodes(data=True):
            if "networkx_key" in data:
                data[ID_PROPERTY[Label.METHOD]] = data.pop("networkx_key")
            graph.add_node(node, **data)
        # networkx reads a file without parallel edges into a DiGraph, dropping the edge keys.
        triples = raw.edges(keys=True, data=True) if raw.is_multigraph() else ((u, v, None, d) for u, v, d in raw.edges(data=True))
        for u, v, key, data in triples:
            data.pop("id", None)  # GEXF's own edge id
            for name, gexf_name in GEXF_EDGE_NAMES.items():
                if gexf_name in data:
                    data[name] = data.pop(gexf_name)
            graph.add_edge(u, v, key=key if key is not None else edge_key(data), **data)
        return from_file_ready(graph, path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (OSError, json.JSONDecodeError, KeyError, TypeError, nx.NetworkXError) as err:
        raise GraphError(f"{path} is not a readable node-link JSON file: {err}; export it again") from err
    return from_file_ready(nx.MultiDiGraph(graph), path)


def _typed(value: str, typ: str, delimiter: str) -> Any:
    """One neo4j-admin CSV field of header type ``typ`` as Python."""
    if typ == "long":
        return int(value)
    if typ == "boolean":
        return value == "true"
    if typ == "string[]":
        return value.split(delimiter) if value else []
    return value


def _csv_rows(file: Path) -> Iterable[tuple[list[tuple[str, str]], list[str], list[bool]]]:
    """Per data line of a CSV file ``export_neo4j_csv`` wrote: the header as (name, type) pairs, the fields,
    and for each field whether it was empty and unquoted (an absent property)."""
    with file.open(encoding="utf-8", newline="") as handle:
        records = list(_records(handle.read()))
    header = [(h.split(":", 1)[0], h.split(":", 1)[1] if ":" in h else "string") for h, _ in records[0]]
    for fields in records[1:]:
        yield header, [value for value, _ in fields], [absent for _, absent in fields]


def _records(text: str) -> Iterable[list[tuple[str, bool]]]:
    """The CSV records of ``text`` as (value, absent) fields: ``csv`` cannot tell ``""`` from an empty field."""
    i, n = 0, len(text)
    while i < n:
        fields: list[tuple[str, bool]] = []
        while True:
            if text.startswith('"', i):
                parts, j = [], i + 1
                while True:
                    k = text.index('"', j)
                    parts.append(text[j:k])
                    if not text.startswith('""', k):
                        break
                    parts.append('"')
                    j = k + 2
                fields.append(("".join(parts), False))
                i = k + 1
            else:
                j = i
                while j < n and text[j] not in ",\n":
                    j += 1
                fields.append((text[i:j], i == j))
                i = j
            if text.startswith(",", i):
                i += 1
                continue
            i += 1  # past the line end
            break
        yield fields


def read_neo4j_csv(folder: Path, array_delimiter: str = ";") -> nx.MultiDiGraph:
    """Read a folder ``export_neo4j_csv`` wrote back into a MultiDiGraph (edge keys as ``build_graph`` makes them).

    An empty list and a list of one empty string are written alike; both read back as ``[]``.
    """
    folder = Path(folder)
    if not all(_node_file(folder, label).is_file() for label in Label):
        raise GraphError(f"{folder} holds no neo4j-admin CSV export; export one with `phasegraph export --format neo4j-csv`")
    graph = nx.MultiDiGraph()
    for label in Label:
        for header, values, absent in _csv_rows(_node_file(folder, label)):
            props = {name: _typed(value, "string" if typ.startswith("ID(") else typ, array_delimiter)
                     for (name, typ), value, gone in zip(header, values, absent) if name and not gone}
            graph.add_node(node_id(label, props[ID_PROPERTY[label]]), **{LABEL_ATTR: label.value, **props})
    for rel in RelType:
        for source in ENDPOINTS[rel][0]:
            for target in ENDPOINTS[rel][1]:
                for header, values, absent in _csv_rows(_relationship_file(folder, rel, source, target)):
                    props = {name: _typed(value, typ, array_delimiter)
                             for (name, typ), value, gone in zip(header[3:], values[3:], absent[3:]) if not gone}
                    props = {TYPE_ATTR: rel.value, **props}
                    graph.add_edge(node_id(source, values[0]), node_id(target, values[1]), key=edge_key(props), **props)
    return graph
