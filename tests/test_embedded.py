"""The embedded Cypher engine: answers checked against NetworkX on a small handwritten graph."""

from __future__ import annotations

import copy
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phasegraph.errors import GraphError, QueryError
from phasegraph.graph.build import build_graph
from phasegraph.graph.embedded import (
    COPY_NODES,
    DATABASE_FILE,
    SCHEMA_DDL,
    EmbeddedGraph,
    QueryResult,
    format_json,
    format_table,
    open_graph,
    parse_param,
)
from phasegraph.graph.graphml import GRAPH_FILE, clean_string, write_graph
from phasegraph.graph.cypher import EXAMPLES, MANY_PHASES, MEMORIZATION_PAPERS, METHODS_WITH_DATASET, PAPER_COUNT, TOP_DATASETS
from phasegraph.graph.schema import Label, node_id

RECORDS = Path(__file__).parent / "data" / "graph" / "records.jsonl"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    """The fixture graph, built from handwritten extraction records."""
    records = [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return build_graph(records)


@pytest.fixture(scope="module")
def engine(graph: nx.MultiDiGraph) -> EmbeddedGraph:
    """The fixture graph in an in-memory database."""
    with EmbeddedGraph.from_graph(graph) as loaded:
        yield loaded


# ---------------------------------------------------------------- NetworkX answers


def nodes(graph: nx.MultiDiGraph, label: Label) -> list[tuple[str, dict[str, Any]]]:
    return [(n, d) for n, d in graph.nodes(data=True) if d["label"] == label.value]


def out_edges(graph: nx.MultiDiGraph, node: str, *types: str) -> list[tuple[str, dict[str, Any]]]:
    return [(v, d) for _, v, d in graph.out_edges(node, data=True) if d["type"] in types]


def nx_memorization(graph: nx.MultiDiGraph) -> set[str]:
    return {data["id"] for paper, data in nodes(graph, Label.PAPER)
            for s, _ in out_edges(graph, paper, "CLAIMS") for f, _ in out_edges(graph, s, "HAS_PHASE")
            if graph.nodes[f]["key"] == "memorization"}


def nx_top_datasets(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    counts = Counter(graph.nodes[d]["name"] for paper, _ in nodes(graph, Label.PAPER)
                     for d, _ in out_edges(graph, paper, "USES", "PROPOSES") if graph.nodes[d]["label"] == "Dataset")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
    return [{"name": name, "papers": n} for name, n in ranked]


def nx_many_phases(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    counted = [(data["subject"], len(out_edges(graph, s, "HAS_PHASE"))) for s, data in nodes(graph, Label.PHASE_STRUCTURE)]
    return [{"subject": s, "n": n} for s, n in sorted(counted, key=lambda item: (-item[1], item[0])) if n >= 3]


def nx_methods_with_dataset(graph: nx.MultiDiGraph, dataset: str) -> list[str]:
    target = node_id(Label.DATASET, dataset)
    found = {graph.nodes[m]["name"] for paper, _ in nodes(graph, Label.PAPER)
             if any(d == target for d, _ in out_edges(graph, paper, "USES", "PROPOSES"))
             and out_edges(graph, paper, "CLAIMS")
             for m, _ in out_edges(graph, paper, "USES", "PROPOSES") if graph.nodes[m]["label"] == "Method"}
    return sorted(found)


# ---------------------------------------------------------------- the README queries


def test_paper_count(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    result = engine.query(PAPER_COUNT.cypher)
    assert result.columns == ["n"]
    assert result.rows == [{"n": len(nodes(graph, Label.PAPER))}]


def test_memorization_papers(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    rows = engine.query(MEMORIZATION_PAPERS.cypher).rows
    assert len(rows) == len({r["id"] for r in rows}), "DISTINCT must remove p1's second structure"
    assert {r["id"] for r in rows} == nx_memorization(graph) == {"p1", "p2"}


def test_top_datasets(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    assert engine.query(TOP_DATASETS.cypher).rows == nx_top_datasets(graph)
    assert nx_top_datasets(graph)[0] == {"name": "ImageNet", "papers": 3}


def test_many_phases(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    result = engine.query(MANY_PHASES.cypher)
    assert result.columns == ["subject", "n"]
    assert result.rows == nx_many_phases(graph)
    assert [r["subject"] for r in result.rows] == ["fine-tuning", "pre-training", "training"]


@pytest.mark.parametrize("dataset", ["imagenet", "glue", "atari", "no such dataset"])
def test_methods_with_dataset(engine: EmbeddedGraph, graph: nx.MultiDiGraph, dataset: str) -> None:
    rows = engine.query(METHODS_WITH_DATASET.cypher, {"dataset": dataset}).rows
    assert [r["method"] for r in rows] == nx_methods_with_dataset(graph, dataset)


def test_example_params_are_used(engine: EmbeddedGraph) -> None:
    assert engine.query(METHODS_WITH_DATASET.cypher, METHODS_WITH_DATASET.params).rows
    for example in EXAMPLES:
        engine.query(example.cypher, example.params)


# ---------------------------------------------------------------- other Cypher features


def test_optional_match_keeps_papers_without_structures(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    rows = engine.query("MATCH (p:Paper) OPTIONAL MATCH (p)-[:CLAIMS]->(s:PhaseStructure) "
                        "RETURN p.id AS id, count(s) AS structures ORDER BY id").rows
    expected = sorted((d["id"], len(out_edges(graph, n, "CLAIMS"))) for n, d in nodes(graph, Label.PAPER))
    assert [(r["id"], r["structures"]) for r in rows] == expected
    assert ("p3", 0) in expected


def test_is_not_null(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    rows = engine.query("MATCH (p:Paper) WHERE p.year IS NOT NULL RETURN DISTINCT p.id AS id").rows
    assert {r["id"] for r in rows} == {d["id"] for _, d in nodes(graph, Label.PAPER) if "year" in d}
    rows = engine.query("MATCH (p:Paper) WHERE p.year IS NULL RETURN p.id AS id ORDER BY id").rows
    assert [r["id"] for r in rows] == ["p3", "p6"]


def test_case_of_keywords_and_functions(engine: EmbeddedGraph) -> None:
    lower = engine.query("match (m:Method) return count(m) as n").rows
    upper = engine.query("MATCH (m:Method) RETURN COUNT(m) AS n").rows
    assert lower == upper and lower[0]["n"] > 0


def test_single_quoted_strings_and_params_agree(engine: EmbeddedGraph) -> None:
    literal = engine.query("MATCH (d:Dataset) WHERE d.name = 'CIFAR-10' RETURN d.key AS key").rows
    param = engine.query("MATCH (d:Dataset) WHERE d.name = $name RETURN d.key AS key", {"name": "CIFAR-10"}).rows
    assert literal == param == [{"key": "cifar 10"}]


def test_undirected_pattern(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    rows = engine.query("MATCH (d:Dataset {key: 'imagenet'})-[:USES|PROPOSES]-(p) RETURN DISTINCT p.id AS id").rows
    expected = {graph.nodes[u]["id"] for u, _ in graph.in_edges(node_id(Label.DATASET, "imagenet"))}
    assert {r["id"] for r in rows} == expected == {"p1", "p2", "p3"}


def test_reserved_property_names_and_type_function(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    """``h.order``, ``r.end`` and ``type(r)`` are Neo4j spellings that LadybugDB runs after translation."""
    rows = engine.query("MATCH (s:PhaseStructure {key: 'p2#1'})-[h:HAS_PHASE]->(f:Phase) "
                        "RETURN h.order AS position, type(h) AS t, f.key AS phase ORDER BY h.order").rows
    assert [r["position"] for r in rows] == [1, 2, 3, 4]
    assert {r["t"] for r in rows} == {"HAS_PHASE"}
    ends = engine.query("MATCH (:Paper {id: 'p1'})-[r:CLAIMS]->() RETURN r.end AS stop, r.start AS start").rows
    assert all(r["stop"] > r["start"] for r in ends)
    assert engine.query("MATCH ()-[h:HAS_PHASE {order: 4}]->(f) RETURN f.key AS key").rows == [{"key": "forgetting"}]


def test_values_are_plain(engine: EmbeddedGraph) -> None:
    rows = engine.query("MATCH (p:Paper {id: '007'})-[r:CLAIMS]->(s) RETURN p, r, s, s.phases AS phases").rows
    assert len(rows) == 1
    row = rows[0]
    assert row["p"]["label"] == "Paper" and row["p"]["id"] == "007" and "url" not in row["p"]
    assert row["r"]["type"] == "CLAIMS"
    assert row["s"]["ordered"] is True and row["phases"] == ["warm-up", "stable", "decay"]
    json.dumps(rows)


def test_ids_that_look_numeric_stay_strings(engine: EmbeddedGraph) -> None:
    assert engine.query("MATCH (p:Paper {id: '007'}) RETURN p.id AS id").rows == [{"id": "007"}]


# ---------------------------------------------------------------- read-only and errors


@pytest.mark.parametrize("cypher", [
    "CREATE (p:Paper {id: 'x'})",
    "MATCH (p:Paper) SET p.title = 'x'",
    "MATCH (p:Paper) DETACH DELETE p",
    "MERGE (m:Method {key: 'x'})",
    "MATCH (p:Paper) REMOVE p.title",
    "DROP TABLE Paper",
    "COPY Paper FROM 'x.csv'",
    "LOAD FROM 'x.csv' RETURN *",
    "INSTALL json",
    "ATTACH 'x.lbug' AS other",
    "CALL threads=1",
    "ALTER TABLE Paper ADD x STRING",
    "match (p:Paper) set p.title = 'x'",
    "MATCH (p:Paper) RETURN p.id AS id; CREATE (q:Paper {id: 'y'})",
])
def test_writes_are_refused(engine: EmbeddedGraph, graph: nx.MultiDiGraph, cypher: str) -> None:
    with pytest.raises(QueryError) as error:
        engine.query(cypher)
    assert "\n" not in str(error.value)
    assert engine.query(PAPER_COUNT.cypher).rows == [{"n": len(nodes(graph, Label.PAPER))}]
    assert engine.query("MATCH (p:Paper) WHERE p.title = 'x' RETURN count(p) AS n").rows == [{"n": 0}]


def test_property_named_like_a_keyword_is_not_a_write(engine: EmbeddedGraph) -> None:
    assert engine.query("MATCH (p:Paper) WHERE p.id = 'set' RETURN count(p) AS n").rows == [{"n": 0}]
    assert engine.query("RETURN 'CREATE' AS word").rows == [{"word": "CREATE"}]


def test_schema_procedure_is_allowed(engine: EmbeddedGraph) -> None:
    names = {r["name"] for r in engine.query("CALL show_tables() RETURN *").rows}
    assert {label.value for label in Label} <= names


@pytest.mark.parametrize(("cypher", "fragment"), [
    ("MATC (p) RETURN p", "line 1, column 1"),
    ("MATCH (p:Paper)\nRETURN p.id,\n  p.id ]", "line 3, column 8"),
    ("MATCH (p:Paper) RETURN p.nope", "nope"),
    ("MATCH (p:Nope) RETURN p", "Nope"),
    ("MATCH (p:Paper) RETURN 'open", "never closed"),
    ("", "empty"),
])
def test_errors_are_one_line(engine: EmbeddedGraph, cypher: str, fragment: str) -> None:
    with pytest.raises(QueryError) as error:
        engine.query(cypher)
    assert "\n" not in str(error.value) and fragment in str(error.value)


def test_missing_param_is_named(engine: EmbeddedGraph) -> None:
    with pytest.raises(QueryError, match=r"\$dataset.*--param dataset="):
        engine.query(METHODS_WITH_DATASET.cypher)


# ---------------------------------------------------------------- parameters and output


@pytest.mark.parametrize(("text", "expected"), [
    ("n=42", ("n", 42)),
    ("n=-3", ("n", -3)),
    ("x=0.5", ("x", 0.5)),
    ("x=1e3", ("x", 1000.0)),
    ("flag=true", ("flag", True)),
    ("flag=false", ("flag", False)),
    ("v=null", ("v", None)),
    ('keys=["a", "b"]', ("keys", ["a", "b"])),
    ("ids=[1, 2]", ("ids", [1, 2])),
    ('year="2020"', ("year", "2020")),
    ("id=007", ("id", "007")),
    ("dataset=imagenet", ("dataset", "imagenet")),
    ("q=a=b", ("q", "a=b")),
    ("s=", ("s", "")),
    ("name=CIFAR-10", ("name", "CIFAR-10")),
])
def test_parse_param(text: str, expected: tuple[str, Any]) -> None:
    assert parse_param(text) == expected


@pytest.mark.parametrize("text", ["novalue", "=x", "1a=2", "a b=1", "xs=[1, 2", 'xs=[["nested"]]'])
def test_parse_param_rejects(text: str) -> None:
    with pytest.raises(QueryError):
        parse_param(text)


def test_format_table_and_json() -> None:
    result = QueryResult(["name", "papers", "aliases"], [
        {"name": "ImageNet", "papers": 3, "aliases": ["IN"]},
        {"name": "two\nlines", "papers": 12, "aliases": []},
        {"name": None, "papers": None, "aliases": None},
    ])
    table = format_table(result).splitlines()
    assert table[0].split(" | ")[0].strip() == "name"
    assert table[2].startswith("ImageNet") and table[2].split(" | ")[1] == "     3"
    assert "two⏎lines" in table[3]
    assert table[-1] == "(3 rows)"
    assert json.loads(format_json(result)) == result.rows
    assert format_table(QueryResult(["n"], [])).splitlines()[-1] == "(0 rows)"


def test_from_rows_takes_columns_from_the_first_row() -> None:
    result = QueryResult.from_rows([{"a": 1, "b": [1, 2]}, {"a": 2, "b": []}])
    assert result.columns == ["a", "b"] and result.rows[1] == {"a": 2, "b": []}
    assert QueryResult.from_rows([], columns=["a"]).columns == ["a"]


# ---------------------------------------------------------------- loading and files


def test_caller_graph_is_not_changed(graph: nx.MultiDiGraph) -> None:
    before = copy.deepcopy(graph)
    EmbeddedGraph.from_graph(graph).close()
    assert nx.utils.graphs_equal(before, graph)
    assert list(before.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))


def test_every_node_and_edge_is_loaded(engine: EmbeddedGraph, graph: nx.MultiDiGraph) -> None:
    assert engine.query("MATCH (n) RETURN count(n) AS n").rows == [{"n": graph.number_of_nodes()}]
    assert engine.query("MATCH ()-[r]->() RETURN count(r) AS n").rows == [{"n": graph.number_of_edges()}]


def test_schema_statements_cover_every_label() -> None:
    assert len(SCHEMA_DDL) == len(Label) + 4 and set(COPY_NODES) == set(Label)
    assert "FROM `Paper` TO `Method`, FROM `Paper` TO `Dataset`" in SCHEMA_DDL[len(Label)]


def test_file_database_opens_read_only(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    file = tmp_path / DATABASE_FILE
    EmbeddedGraph.from_graph(graph, file).close()
    EmbeddedGraph.from_graph(graph, file).close()  # replacing it works
    with EmbeddedGraph.open(tmp_path) as opened:
        assert opened.query(PAPER_COUNT.cypher).rows == [{"n": 6}]
        with pytest.raises(QueryError):
            opened.query("CREATE (p:Paper {id: 'x'})")


def test_open_graph_prefers_a_fresh_database(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_graph(graph, tmp_path / GRAPH_FILE)
    with open_graph(tmp_path) as from_graphml:
        assert from_graphml.path is None
        expected = from_graphml.query(TOP_DATASETS.cypher).rows
    EmbeddedGraph.from_graph(graph, tmp_path / DATABASE_FILE).close()
    with open_graph(tmp_path) as from_database:
        assert from_database.path == tmp_path / DATABASE_FILE
        assert from_database.query(TOP_DATASETS.cypher).rows == expected
    later = time.time() + 10
    os.utime(tmp_path / GRAPH_FILE, (later, later))  # the GraphML is newer: the database is stale
    with open_graph(tmp_path) as stale:
        assert stale.path is None
    with open_graph(tmp_path / GRAPH_FILE) as direct:
        assert direct.query(TOP_DATASETS.cypher).rows == expected


def test_missing_database_is_a_graph_error(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="phasegraph build"):
        EmbeddedGraph.open(tmp_path / DATABASE_FILE)


def test_graph_outside_the_schema_is_refused() -> None:
    bad = nx.MultiDiGraph()
    bad.add_node("Author:x", label="Author", key="x")
    with pytest.raises(GraphError, match="Author"):
        EmbeddedGraph.from_graph(bad)
    wrong = nx.MultiDiGraph()
    wrong.add_node("Paper:a", label="Paper", id="a", year="soon")
    with pytest.raises(GraphError, match="year"):
        EmbeddedGraph.from_graph(wrong)


# ---------------------------------------------------------------- odd strings survive loading

odd_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=odd_text, aliases=st.lists(odd_text, max_size=4), key=odd_text.filter(lambda s: clean_string(s) != ""))
def test_strings_and_lists_survive_loading(title: str, aliases: list[str], key: str) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("Paper:p", label="Paper", id="p", title=title)
    graph.add_node("Method:m", label="Method", key=key, name=title, aliases=aliases, papers=1)
    graph.add_edge("Paper:p", "Method:m", key="USES", type="USES", evidence=title, start=0, end=1)
    with EmbeddedGraph.from_graph(graph) as engine:
        rows = engine.query("MATCH (p:Paper)-[r:USES]->(m:Method) "
                            "RETURN p.title AS title, m.key AS key, m.aliases AS aliases, r.evidence AS evidence").rows
    assert rows == [{"title": clean_string(title), "key": clean_string(key),
                     "aliases": [clean_string(a) for a in aliases], "evidence": clean_string(title)}]
