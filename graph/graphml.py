"""GraphML that other tools open: write and read phasegraph graphs.

GraphML has no list or null type and XML 1.0 forbids most control
characters, so on writing: list properties are JSON-encoded strings, None
values are dropped, control characters are stripped, and every attribute key
has the one type the schema gives it. ``read_graph`` undoes the list encoding.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import networkx as nx

from phasegraph.errors import GraphError
from phasegraph.graph.schema import all_property_types

GRAPH_FILE = "graph.graphml"
# XML 1.0 allows tab, newline and carriage return; other C0 controls, and the non-characters, are removed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_string(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry."""
    return _CONTROL.sub("", value)


def _encode(value: Any, typ: type | None) -> Any:
    """One property value as GraphML can hold it, of the schema's type when the schema knows the name."""
    if typ is list or isinstance(value, (list, tuple, set, dict)):
        items = sorted(value) if isinstance(value, set) else value
        return clean_string(json.dumps(items, ensure_ascii=False))
    if typ is bool:
        return bool(value)
    if typ is int and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if typ in (None, str) or isinstance(value, str):
        return clean_string(str(value))
    return value


def to_graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes ``networkx.write_graphml`` writes and reads back unchanged."""
    types = all_property_types()
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(clean_string(str(node)),
                     **{k: _encode(v, types.get(k)) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(clean_string(str(u)), clean_string(str(v)), key=clean_string(str(key)),
                     **{k: _encode(val, types.get(k)) for k, val in data.items() if val is not None})
    return out


def write_graph(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write ``graph`` as GraphML to ``path`` (the caller's graph is not changed); returns the path."""
    try:
        nx.write_graphml(to_graphml_ready(graph), path)
    except OSError as err:
        raise GraphError(f"cannot write GraphML to {path}: {err.strerror}; check the folder exists and is writable") from err
    return path


def graph_path(path: Path) -> Path:
    """The GraphML file meant by ``path``: the file itself, or ``graph.graphml`` inside a folder."""
    return path / GRAPH_FILE if path.is_dir() else path


def read_graph(path: Path) -> nx.MultiDiGraph:
    """Read a phasegraph GraphML file (or a ``build`` output folder) back into a MultiDiGraph with lists restored."""
    file = graph_path(path)
    if not file.exists():
        raise GraphError(f"no graph at {file}; run `phasegraph build` first or pass a .graphml file")
    try:
        raw = nx.read_graphml(file, force_multigraph=True)
    except (ParseError, nx.NetworkXError, ValueError) as err:
        raise GraphError(f"{file} is not a readable GraphML file: {err}; re-create it with `phasegraph build`") from err
    lists = {name for name, typ in all_property_types().items() if typ is list}
    graph = nx.MultiDiGraph(raw) if not raw.is_directed() else raw
    for _, data in graph.nodes(data=True):
        _decode_lists(data, lists, file)
    for _, _, data in graph.edges(data=True):
        _decode_lists(data, lists, file)
    return graph


def _decode_lists(data: dict[str, Any], lists: set[str], file: Path) -> None:
    """Turn JSON-encoded list properties back into lists, in place."""
    for name in lists & data.keys():
        value = data[name]
        if isinstance(value, str):
            try:
                data[name] = json.loads(value)
            except json.JSONDecodeError as err:
                raise GraphError(f"{file}: property {name!r} holds {value[:60]!r}, not a JSON list") from err
