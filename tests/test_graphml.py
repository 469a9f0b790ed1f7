"""GraphML round trips: networkx reads back what we wrote, python-igraph reads the same values, one type per key."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import igraph
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phasegraph.errors import GraphError
from phasegraph.graph.build import build_graph
from phasegraph.graph.graphml import GRAPH_FILE, clean_string, graph_path, read_graph, write_graph
from phasegraph.graph.schema import all_property_types

RECORDS = Path(__file__).parent / "data" / "graph" / "records.jsonl"
GRAPHML_TYPES = {str: "string", int: "long", bool: "boolean", list: "string"}

# Odd strings: quotes, <, &, control characters (\x0b, \r ...), any script; lone surrogates cannot be UTF-8.
odd_text = st.text(st.one_of(st.sampled_from(list("\"'<>&\x0b\x00\r\n\t ;|,[]{}\\\ufffe")),
                             st.characters(exclude_categories=("Cs",))), max_size=30)


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    """Small schema-shaped graphs whose text properties and keys are odd strings."""
    graph = nx.MultiDiGraph()
    ids = draw(st.lists(odd_text.filter(lambda s: clean_string(s) != ""), min_size=1, max_size=3, unique_by=clean_string))
    for pid in ids:
        props: dict[str, Any] = {"label": "Paper", "id": pid, "title": draw(odd_text), "abstract": draw(odd_text)}
        if draw(st.booleans()):
            props["year"] = draw(st.integers(-(2**40), 2**40))
        graph.add_node(f"Paper:{pid}", **props)
    first = f"Paper:{ids[0]}"
    keys = draw(st.lists(odd_text.filter(lambda s: clean_string(s) != ""), max_size=3, unique_by=clean_string))
    for key in keys:
        label = draw(st.sampled_from(["Method", "Dataset"]))
        graph.add_node(f"{label}:{key}", label=label, key=key, name=draw(odd_text),
                       aliases=draw(st.lists(odd_text, max_size=3)), papers=draw(st.integers(0, 9)))
        rel = draw(st.sampled_from(["USES", "PROPOSES"]))
        graph.add_edge(first, f"{label}:{key}", key=rel, type=rel, evidence=draw(odd_text),
                       start=draw(st.integers(0, 500)), end=draw(st.integers(0, 500)), mentions=1)
    if draw(st.booleans()):
        skey = f"{ids[0]}#1"
        phases = draw(st.lists(odd_text, min_size=1, max_size=3))
        graph.add_node(f"PhaseStructure:{skey}", label="PhaseStructure", key=skey, paper=ids[0], subject=draw(odd_text),
                       count=len(phases), ordered=draw(st.booleans()), evidence=draw(odd_text), phases=phases)
        graph.add_edge(first, f"PhaseStructure:{skey}", key="CLAIMS", type="CLAIMS", evidence=draw(odd_text), start=1, end=2)
        graph.add_node("Phase:memorization", label="Phase", key="memorization", name=draw(odd_text), aliases=[], papers=1)
        for order, _ in enumerate(phases, 1):
            graph.add_edge(f"PhaseStructure:{skey}", "Phase:memorization", key=f"HAS_PHASE:{order}", type="HAS_PHASE",
                           order=order, name=draw(odd_text))
    return graph


def cleaned(value: Any) -> Any:
    """A value after the documented cleaning (strings and list items through ``clean_string``)."""
    if isinstance(value, str):
        return clean_string(value)
    if isinstance(value, list):
        return [clean_string(item) for item in value]
    return value


def expected_after_cleaning(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(clean_string(node), **{k: cleaned(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(clean_string(u), clean_string(v), key=clean_string(key), **{k: cleaned(x) for k, x in data.items()})
    return out


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    nodes = lambda g: sorted((n, sorted(d.items())) for n, d in g.nodes(data=True))  # noqa: E731
    edges = lambda g: sorted((u, v, k, sorted(d.items())) for u, v, k, d in g.edges(keys=True, data=True))  # noqa: E731
    return nodes(a) == nodes(b) and edges(a) == edges(b)


def read_igraph(file: Path) -> igraph.Graph:
    """The file as python-igraph reads it; any igraph warning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return igraph.Graph.Read_GraphML(str(file))


def igraph_value(value: Any) -> Any:
    """igraph's value for a present attribute, as networkx would give it (numbers come back as floats)."""
    if isinstance(value, float) and not math.isnan(value) and value.is_integer():
        return int(value)
    return value


def assert_igraph_agrees(file: Path) -> None:
    """Every attribute networkx reads from ``file`` igraph reads with the same value; igraph's ``id`` is the node id."""
    raw = nx.read_graphml(file, force_multigraph=True)
    ig = read_igraph(file)
    assert ig.vcount() == raw.number_of_nodes() and ig.ecount() == raw.number_of_edges()
    by_id = {v["id"].replace("&#38;", "&"): v for v in ig.vs}  # igraph leaves & in ids as &#38; (documented)
    assert set(by_id) == set(raw.nodes)
    for node, data in raw.nodes(data=True):
        attributes = by_id[node].attributes()
        for name, value in data.items():
            assert igraph_value(attributes[name]) == value, (node, name)
    for edge in ig.es:
        u, v = (ig.vs[end]["id"].replace("&#38;", "&") for end in (edge.source, edge.target))
        attributes = edge.attributes()
        assert any(all(igraph_value(attributes[name]) == value for name, value in data.items())
                   for data in raw.get_edge_data(u, v).values()), (u, v, attributes)


def key_types(file: Path) -> list[tuple[str, str, str]]:
    """(for, attr.name, attr.type) of every <key> in a GraphML file."""
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    root = ElementTree.parse(file).getroot()
    return [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{ns}key")]


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph([json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines() if line.strip()])


def test_fixture_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    file = write_graph(graph, tmp_path / GRAPH_FILE)
    assert same_graph(read_graph(tmp_path), graph)
    assert_igraph_agrees(file)


def test_one_type_per_key_as_the_schema_says(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    file = write_graph(graph, tmp_path / GRAPH_FILE)
    keys = key_types(file)
    seen = [(kind, name) for kind, name, _ in keys]
    assert len(seen) == len(set(seen))
    schema = all_property_types()
    for _, name, typ in keys:
        assert typ == GRAPHML_TYPES[schema[name]], name


def test_igraph_gets_node_ids_without_warning(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    ig = read_igraph(write_graph(graph, tmp_path / GRAPH_FILE))
    papers = [v for v in ig.vs if v["label"] == "Paper"]
    assert {v["id"] for v in papers} == {f"Paper:{v['key']}" for v in papers}
    assert all(v["id"] == f"{v['label']}:{v['key']}" for v in ig.vs)


def test_paper_id_is_key_in_the_file_and_id_after_reading(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    file = write_graph(graph, tmp_path / GRAPH_FILE)
    raw = nx.read_graphml(file)
    assert raw.nodes["Paper:007"]["key"] == "007" and "id" not in raw.nodes["Paper:007"]
    assert read_graph(file).nodes["Paper:007"]["id"] == "007"


def test_caller_graph_is_not_changed(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    before = [(n, dict(d)) for n, d in graph.nodes(data=True)]
    write_graph(graph, tmp_path / GRAPH_FILE)
    assert [(n, dict(d)) for n, d in graph.nodes(data=True)] == before


@pytest.mark.parametrize(("raw", "clean"), [
    ("a\x0bb", "ab"), ("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("tab\tok", "tab\tok"), ("\x00\ufffe", ""), ("日本 — é", "日本 — é"),
])
def test_clean_string(raw: str, clean: str) -> None:
    assert clean_string(raw) == clean


def test_graph_path_and_missing_file(tmp_path: Path) -> None:
    assert graph_path(tmp_path) == tmp_path / GRAPH_FILE
    with pytest.raises(GraphError, match="phasegraph build"):
        read_graph(tmp_path)
    (tmp_path / GRAPH_FILE).write_text("<graphml><oops", encoding="utf-8")
    with pytest.raises(GraphError, match="not a readable GraphML"):
        read_graph(tmp_path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(graph=graphs())
def test_odd_strings_round_trip(graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> None:
    file = tmp_path_factory.mktemp("graphml") / GRAPH_FILE
    write_graph(graph, file)
    assert same_graph(read_graph(file), expected_after_cleaning(graph))
    assert_igraph_agrees(file)
