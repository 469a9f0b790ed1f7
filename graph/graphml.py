r"""GraphML that other tools open: write and read phasegraph graphs.

GraphML has no list or null type and XML 1.0 forbids most control
characters, so on writing:

- list properties are JSON-encoded strings (``["a", "b"]``), their items
  cleaned like every other string;
- None values are dropped (an absent property is never stored as None);
- strings are cleaned with ``clean_string``: control characters other than
  tab and newline are removed, and a carriage return (``\r\n`` or a lone
  ``\r``) becomes ``\n``, as an XML parser would turn it anyway;
- every attribute key has the one type the schema gives it;
- a paper's ``id`` property is written as ``key``, the name every other
  label's identifying property has. Readers such as python-igraph and Gephi
  keep the GraphML node id (``"Paper:<id>"``) in an attribute called ``id``;
  a property of that name made igraph drop every node id (warning "Could not
  add vertex ids, there is already an 'id' vertex attribute") and mislabel the
  edge ids. So with igraph, ``g.vs["id"]`` is the phasegraph node id,
  ``g.vs["label"]`` the label and ``g.vs["key"]`` the key or paper id. Two
  igraph 1.0 quirks remain: it returns an ``&`` in a node id as ``&#38;``
  (attribute values keep that character reference; ``key`` is exact), and it
  fills ``g.es["id"]`` with vertex ids, so tell edges by ``g.es["type"]``
  (and ``order``).

``read_graph`` undoes the list encoding and the ``key`` -> ``id`` renaming of
papers, so ``read_graph(write_graph(g))`` equals ``g`` up to that cleaning.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import networkx as nx

from phasegraph.errors import GraphError
from phasegraph.graph.schema import ID_PROPERTY, LABEL_ATTR, Label, all_property_types

GRAPH_FILE = "graph.graphml"
# XML 1.0 allows tab, newline and carriage return; other C0 controls, and the non-characters, are removed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CARRIAGE_RETURN = re.compile("\r\n?")
# The name a paper's identifying property has in files (see the module docstring).
_PAPER_ID = ID_PROPERTY[Label.PAPER]
FILE_ID_PROPERTY = ID_PROPERTY[Label.METHOD]


def clean_string(value: str) -> str:
    r"""``value`` as XML 1.0 text carries it: without the control characters XML forbids, ``\r\n`` and ``\r`` as ``\n``."""
    return _CARRIAGE_RETURN.sub("\n", _CONTROL.sub("", value))


def _encode(value: Any, typ: type | None) -> Any:
    """One property value as GraphML can hold it, of the schema's type when the schema knows the name."""
    if typ is list or isinstance(value, (list, tuple, set)):
        if isinstance(value, str):  # already JSON-encoded
            return clean_string(value)
        items = sorted(value) if isinstance(value, set) else value
        return json.dumps([clean_string(str(item)) for item in items], ensure_ascii=False)
    if isinstance(value, dict):
        return clean_string(json.dumps(value, ensure_ascii=False))
    if typ is bool:
        return value.strip().lower() == "true" if isinstance(value, str) else bool(value)
    if typ is int and isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]+\s*", value):
        return int(value)
    if typ is int and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if typ is str or isinstance(value, str):
        return clean_string(str(value))
    return value


def to_graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` as phasegraph writes it to files (see the module docstring).

    Its attributes ``networkx.write_graphml`` (and ``write_gexf``) write and read
    back unchanged: lists JSON-encoded, strings cleaned, None dropped, a
    paper's ``id`` renamed ``key``. ``from_file_ready`` undoes it.
    """
    types = all_property_types()
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {k: _encode(v, types.get(k)) for k, v in data.items() if v is not None}
        if attrs.get(LABEL_ATTR) == Label.PAPER.value and _PAPER_ID in attrs:
            attrs[FILE_ID_PROPERTY] = attrs.pop(_PAPER_ID)
        out.add_node(clean_string(str(node)), **attrs)
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
    graph = nx.MultiDiGraph(raw) if not raw.is_directed() else raw
    return from_file_ready(graph, file)


def from_file_ready(graph: nx.MultiDiGraph, source: Path | str) -> nx.MultiDiGraph:
    """Undo ``to_graphml_ready`` in place and return ``graph``: lists decoded, papers' ``key`` renamed ``id``.

    ``source`` names the file in error messages. Raises ``GraphError`` when a
    list property does not hold a JSON list.
    """
    lists = {name for name, typ in all_property_types().items() if typ is list}
    for _, data in graph.nodes(data=True):
        _decode_lists(data, lists, source)
        if data.get(LABEL_ATTR) == Label.PAPER.value and FILE_ID_PROPERTY in data and _PAPER_ID not in data:
            data[_PAPER_ID] = data.pop(FILE_ID_PROPERTY)
    for _, _, data in graph.edges(data=True):
        _decode_lists(data, lists, source)
    return graph


def _decode_lists(data: dict[str, Any], lists: set[str], source: Path | str) -> None:
    """Turn JSON-encoded list properties back into lists, in place."""
    for name in lists & data.keys():
        value = data[name]
        if isinstance(value, str):
            try:
                decoded = json.loads(value)
            except json.JSONDecodeError as err:
                raise GraphError(f"{source}: property {name!r} holds {value[:60]!r}, not a JSON list; "
                                 "re-create the file with `phasegraph build` or `phasegraph export`") from err
            if not isinstance(decoded, list):
                raise GraphError(f"{source}: property {name!r} holds {value[:60]!r}, not a JSON list; "
                                 "re-create the file with `phasegraph build` or `phasegraph export`")
            data[name] = decoded
