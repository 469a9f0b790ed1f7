"""Exports: every format reads back to the exported graph (after the documented cleaning)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from phasegraph.errors import GraphError
from phasegraph.graph.build import build_graph
from phasegraph.graph.export import (
    FORMATS,
    export_graph,
    export_neo4j_csv,
    read_export,
    read_neo4j_csv,
)
from phasegraph.graph.graphml import clean_string
from phasegraph.graph.schema import Label, RelType

RECORDS = Path(__file__).parent / "data" / "graph" / "records.jsonl"
FILE_NAMES = {"graphml": "graph.graphml", "gexf": "graph.gexf", "json": "graph.json", "neo4j-csv": "neo4j-csv"}

odd_text = st.text(st.one_of(st.sampled_from(list("\"'<>&\x0b\r\n\t ;|^~,")), st.characters(exclude_categories=("Cs",))),
                   max_size=20)


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph([json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines() if line.strip()])


def canonical(graph: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    return (sorted((n, sorted(d.items())) for n, d in graph.nodes(data=True)),
            sorted((u, v, k, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True)))


def cleaned(graph: nx.MultiDiGraph, empty_list_of_empty: bool = False) -> nx.MultiDiGraph:
    """The graph after the cleaning of XML and CSV exports; ``[""]`` becomes ``[]`` where the format cannot tell."""
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return clean_string(value)
        if isinstance(value, list):
            items = [clean_string(item) for item in value]
            return [] if empty_list_of_empty and items == [""] else items
        return value
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(clean_string(node), **{k: clean(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(clean_string(u), clean_string(v), key=clean_string(key), **{k: clean(x) for k, x in data.items()})
    return out


def expected(graph: nx.MultiDiGraph, fmt: str) -> nx.MultiDiGraph:
    if fmt == "json":
        return graph  # JSON carries every string as it is
    return cleaned(graph, empty_list_of_empty=fmt == "neo4j-csv")


def round_trip(graph: nx.MultiDiGraph, fmt: str, folder: Path) -> nx.MultiDiGraph:
    target = folder / FILE_NAMES[fmt]
    if fmt == "neo4j-csv":
        try:
            exported = export_neo4j_csv(graph, target)
        except GraphError as error:  # list items hold every delimiter neo4j-admin could use: documented refusal
            assume("array delimiter" not in str(error))
            raise
        return read_neo4j_csv(target, exported.array_delimiter)
    export_graph(graph, target, fmt)
    return read_export(target, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixture_round_trip(graph: nx.MultiDiGraph, fmt: str, tmp_path: Path) -> None:
    assert canonical(round_trip(graph, fmt, tmp_path)) == canonical(expected(graph, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_message_names_the_output(graph: nx.MultiDiGraph, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / FILE_NAMES[fmt]
    message = export_graph(graph, target, fmt)
    assert str(target) in message and target.exists()


def test_json_is_node_link_with_lists(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(graph, tmp_path / "graph.json", "json")
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert data["directed"] and data["multigraph"] and "edges" in data and "links" not in data
    lora = next(n for n in data["nodes"] if n["id"] == "Method:lora")
    assert lora["aliases"] == ["low-rank adaptation"]
    paper = next(n for n in data["nodes"] if n["id"] == "Paper:007")
    assert paper["key"] == "007" and paper["label"] == "Paper"


def test_gexf_uses_gexf_labels(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(graph, tmp_path / "graph.gexf", "gexf")
    text = (tmp_path / "graph.gexf").read_text(encoding="utf-8")
    assert 'label="HAS_PHASE"' in text and 'title="start_offset"' in text and 'mode="static"' in text


def test_neo4j_csv_headers_and_command(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    exported = export_neo4j_csv(graph, tmp_path / "csv")
    assert len(exported.node_files) == len(Label)
    assert len(exported.relationship_files) == 6  # PROPOSES and USES to Method and Dataset, CLAIMS, HAS_PHASE
    with (tmp_path / "csv" / "nodes-Method.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["key:ID(Method)", "name", "aliases:string[]", "papers:long", ":LABEL"]
    with (tmp_path / "csv" / "nodes-Paper.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle))[0] == "id:ID(Paper)"
    with (tmp_path / "csv" / "relationships-USES-Paper-Method.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == [":START_ID(Paper)", ":END_ID(Method)", ":TYPE", "evidence", "start:long",
                                            "end:long", "mentions:long"]
    with (tmp_path / "csv" / "nodes-PhaseStructure.csv").open(encoding="utf-8") as handle:
        assert "ordered:boolean" in next(csv.reader(handle))
    assert exported.command.startswith("neo4j-admin database import full neo4j ")
    assert "--array-delimiter=';'" in exported.command and "--multiline-fields=true" in exported.command
    assert all(str(file) in exported.command for file in exported.node_files + exported.relationship_files)


def test_neo4j_csv_changes_delimiter_when_an_item_holds_it(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("Method:a", label="Method", key="a", name="A", aliases=["x;y"], papers=1)
    exported = export_neo4j_csv(g, tmp_path)
    assert exported.array_delimiter == "|" and "--array-delimiter='|'" in exported.command
    assert read_neo4j_csv(tmp_path, "|").nodes["Method:a"]["aliases"] == ["x;y"]


def test_neo4j_csv_absent_and_empty_differ(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("Paper:a", label="Paper", id="a", title="")
    export_neo4j_csv(g, tmp_path)
    assert (tmp_path / "nodes-Paper.csv").read_text(encoding="utf-8").splitlines()[1] == '"a","",,,,,,"Paper"'
    assert read_neo4j_csv(tmp_path).nodes["Paper:a"] == {"label": "Paper", "id": "a", "title": ""}


def test_unknown_format_and_missing_files(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="graphml, gexf, json, neo4j-csv"):
        export_graph(graph, tmp_path / "x", "dot")
    with pytest.raises(GraphError):
        read_export(tmp_path / "missing.gexf", "gexf")
    with pytest.raises(GraphError, match="neo4j-csv"):
        read_neo4j_csv(tmp_path)


def test_caller_graph_is_not_changed(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    before = canonical(graph)
    for fmt in FORMATS:
        export_graph(graph, tmp_path / FILE_NAMES[fmt], fmt)
    assert canonical(graph) == before


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    """Schema-shaped graphs with odd strings in titles, names, aliases, phases and evidence."""
    g = nx.MultiDiGraph()
    pid = draw(odd_text.filter(lambda s: clean_string(s) != ""))
    paper = f"Paper:{pid}"
    props: dict[str, Any] = {"label": "Paper", "id": pid, "title": draw(odd_text)}
    if draw(st.booleans()):
        props["year"] = draw(st.integers(0, 3000))
    g.add_node(paper, **props)
    for index in range(draw(st.integers(0, 3))):
        label = draw(st.sampled_from(["Method", "Dataset"]))
        node = f"{label}:k{index}"
        g.add_node(node, label=label, key=f"k{index}", name=draw(odd_text), aliases=draw(st.lists(odd_text, max_size=3)),
                   papers=1)
        rel = draw(st.sampled_from([RelType.USES.value, RelType.PROPOSES.value]))
        g.add_edge(paper, node, key=rel, type=rel, evidence=draw(odd_text), start=0, end=draw(st.integers(0, 99)),
                   mentions=draw(st.integers(0, 5)))
    if draw(st.booleans()):
        phases = draw(st.lists(odd_text, min_size=1, max_size=3))
        s = "PhaseStructure:s1"
        g.add_node(s, label="PhaseStructure", key="s1", paper=pid, subject=draw(odd_text), count=len(phases),
                   ordered=draw(st.booleans()), evidence=draw(odd_text), phases=phases)
        g.add_edge(paper, s, key="CLAIMS", type="CLAIMS", evidence=draw(odd_text), start=1, end=2)
        for order, _ in enumerate(phases, 1):
            g.add_node(f"Phase:f{order}", label="Phase", key=f"f{order}", name=draw(odd_text), aliases=[], papers=1)
            g.add_edge(s, f"Phase:f{order}", key=f"HAS_PHASE:{order}", type="HAS_PHASE", order=order, name=draw(odd_text))
    return g


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(g=graphs())
def test_odd_strings_round_trip(fmt: str, g: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp(fmt)
    assert canonical(round_trip(g, fmt, folder)) == canonical(expected(g, fmt))
