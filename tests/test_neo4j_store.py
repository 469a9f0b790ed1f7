"""The Neo4j store against a real server (scripts/neo4j-test-server): constraints, idempotent
batched loads, read-only queries, and one-line errors for a bad server, login or database.

Server tests need NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD, defaulting to the test server's
neo4j/phasegraph-test); they skip without it, and fail under CI. Each one starts from an empty
database: they DELETE everything in it, so they only touch a database that is empty, or is the
test server's, or NEO4J_TEST_ALLOW_WIPE=1 allows. The row-building tests need no server.
"""

from __future__ import annotations

import copy
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import neo4j
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phasegraph.errors import GraphError, Neo4jError, QueryError
from phasegraph.graph import cypher
from phasegraph.graph.neo4j_store import (
    load_graph,
    node_rows,
    open_driver,
    relationship_rows,
    run_query,
)
from phasegraph.graph.embedded import EmbeddedGraph
from phasegraph.graph.cypher import EXAMPLES, TOP_DATASETS, ExampleQuery
from phasegraph.graph.schema import LABEL_ATTR, TYPE_ATTR, Label, RelType, node_id

TEST_USER = "neo4j"
TEST_PASSWORD = "phasegraph-test"  # scripts/neo4j-test-server's default
TEST_SERVER_URI_FILE = Path(__file__).resolve().parents[1] / ".neo4j-test" / "uri"


# ---------------------------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------------------------

def add_paper(graph: nx.MultiDiGraph, pid: str, **props: Any) -> str:
    node = node_id(Label.PAPER, pid)
    graph.add_node(node, **{LABEL_ATTR: Label.PAPER.value, "id": pid, "title": f"Title {pid}", **props})
    return node


def add_entity(graph: nx.MultiDiGraph, label: Label, key: str, **props: Any) -> str:
    node = node_id(label, key)
    graph.add_node(node, **{LABEL_ATTR: label.value, "key": key, "name": key, "aliases": [key.upper()],
                            "papers": 1, **props})
    return node


def add_edge(graph: nx.MultiDiGraph, source: str, target: str, rel: RelType | str, **props: Any) -> None:
    graph.add_edge(source, target, **{TYPE_ATTR: getattr(rel, "value", rel), **props})


def add_structure(graph: nx.MultiDiGraph, paper: str, pid: str, phases: list[str]) -> None:
    skey = f"{pid}#1"
    snode = node_id(Label.PHASE_STRUCTURE, skey)
    graph.add_node(snode, **{LABEL_ATTR: Label.PHASE_STRUCTURE.value, "key": skey, "paper": pid,
                             "subject": "training", "count": len(phases), "ordered": True,
                             "evidence": "Training has phases.", "phases": phases})
    add_edge(graph, paper, snode, RelType.CLAIMS, evidence="Training has phases.", start=0, end=20)
    for order, phase in enumerate(phases, 1):
        pnode = node_id(Label.PHASE, phase)
        if pnode not in graph:
            graph.add_node(pnode, **{LABEL_ATTR: Label.PHASE.value, "key": phase, "name": phase,
                                     "aliases": [], "papers": 1})
        add_edge(graph, snode, pnode, RelType.HAS_PHASE, order=order, name=phase)


def corpus_graph(papers: list[str]) -> nx.MultiDiGraph:
    """Papers that share one method and one dataset; each claims warm-up, training, warm-up."""
    graph = nx.MultiDiGraph()
    method = add_entity(graph, Label.METHOD, "transformer")
    dataset = add_entity(graph, Label.DATASET, "cifar 100", doi=None)
    for pid in papers:
        paper = add_paper(graph, pid, year=2024, url=None)
        own = add_entity(graph, Label.METHOD, f"method of {pid}")
        add_edge(graph, paper, own, RelType.PROPOSES, evidence="We propose it.", start=0, end=14, mentions=1)
        add_edge(graph, paper, method, RelType.USES, evidence="We use it.", start=0, end=10, mentions=2)
        add_edge(graph, paper, dataset, RelType.USES, mentions=1)
        add_structure(graph, paper, pid, ["warm-up", "training", "warm-up"])
    return graph


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def credentials() -> tuple[str, str]:
    """NEO4J_USER and NEO4J_PASSWORD, defaulting to the test server's."""
    return os.environ.get("NEO4J_USER", TEST_USER), os.environ.get("NEO4J_PASSWORD", TEST_PASSWORD)


@pytest.fixture(scope="module")
def driver(neo4j_uri: str, credentials: tuple[str, str]) -> Iterator[neo4j.Driver]:
    """One driver for the module, created and closed here."""
    drv = open_driver(neo4j_uri, *credentials)
    yield drv
    drv.close()


@pytest.fixture(scope="module")
def wipeable(driver: neo4j.Driver, neo4j_uri: str) -> neo4j.Driver:
    """The driver, once it is clear that its database may be emptied.

    That is: the database is empty, or NEO4J_URI is the server scripts/neo4j-test-server started
    from this checkout, or NEO4J_TEST_ALLOW_WIPE=1. Anything else may be someone's real data.
    """
    ours = TEST_SERVER_URI_FILE.exists() and TEST_SERVER_URI_FILE.read_text().strip() == neo4j_uri
    if not (ours or os.environ.get("NEO4J_TEST_ALLOW_WIPE") == "1"):
        held = run_query(driver, "MATCH (n) RETURN count(n) AS count")[0]["count"]
        if held:
            reason = (f"{neo4j_uri} holds {held} nodes and these tests delete everything; point NEO4J_URI at "
                      f"scripts/neo4j-test-server, or set NEO4J_TEST_ALLOW_WIPE=1")
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(reason)
            pytest.skip(reason)
    return driver


@pytest.fixture
def empty(wipeable: neo4j.Driver) -> neo4j.Driver:
    """The driver, after deleting every node and relationship of the default database."""
    driver = wipeable
    with driver.session() as session:
        session.run(cypher.WRITE_DELETE_ALL, {"batch": 10_000}).consume()
    return driver


def counts(driver: neo4j.Driver) -> dict[str, int]:
    """Nodes per label and relationships per type in the database (via the shared READ_ queries)."""
    result = {label.value: run_query(driver, query)[0]["count"] for label, query in cypher.READ_COUNT_NODES.items()}
    result |= {rel.value: run_query(driver, query)[0]["count"]
               for rel, query in cypher.READ_COUNT_RELATIONSHIPS.items()}
    return result


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------------------------------
# Rows (no server)
# ---------------------------------------------------------------------------------------------

def test_rows_follow_the_schema_and_drop_none() -> None:
    graph = corpus_graph(["p1"])
    nodes = node_rows(graph)
    paper = nodes[Label.PAPER][0]
    assert paper == {"key": "p1", "props": {"title": "Title p1", "year": 2024}}
    dataset = next(row for row in nodes[Label.DATASET])
    assert "doi" not in dataset["props"] and dataset["props"]["aliases"] == ["CIFAR 100"]
    rels = relationship_rows(graph)
    has_phase = rels[(RelType.HAS_PHASE, Label.PHASE_STRUCTURE, Label.PHASE)]
    assert sorted((row["order"], row["dst"]) for row in has_phase) == [(1, "warm-up"), (2, "training"), (3, "warm-up")]


def test_rows_do_not_touch_the_callers_graph() -> None:
    graph = corpus_graph(["p1", "p2"])
    before = copy.deepcopy(graph)
    node_rows(graph)
    relationship_rows(graph)
    assert nx.utils.graphs_equal(graph, before)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: g.nodes["Paper:p1"].update(label="Author"), "label 'Author'"),
        (lambda g: add_edge(g, "Paper:p1", "Paper:p1", RelType.USES), r"Paper-\[USES\]->Paper"),
        (lambda g: add_edge(g, "Paper:p1", "Method:transformer", "CITES"), "type 'CITES'"),
        (lambda g: add_edge(g, "PhaseStructure:p1#1", "Phase:training", RelType.HAS_PHASE), "no 'order'"),
        (lambda g: g.nodes["Paper:p1"].update(year={"a": 1}), "makes it int"),
        (lambda g: g.nodes["Paper:p1"].update(year="2024"), "makes it int"),
        (lambda g: g.nodes["Method:transformer"].update(aliases=["a", 1]), "a list of strings"),
        (lambda g: g.nodes["PhaseStructure:p1#1"].update(ordered="yes"), "makes it bool"),
    ],
)
def test_graphs_off_the_schema_are_refused(change: Any, message: str) -> None:
    graph = corpus_graph(["p1"])
    change(graph)
    with pytest.raises(GraphError, match=message):
        node_rows(graph)
        relationship_rows(graph)


def test_cypher_uses_only_schema_names() -> None:
    assert set(cypher.SCHEMA_CONSTRAINTS) == set(Label)
    assert set(cypher.WRITE_NODES) == set(Label)
    assert "MERGE (a)-[r:HAS_PHASE {order: row.order}]->(b)" in cypher.WRITE_RELATIONSHIPS[
        (RelType.HAS_PHASE, Label.PHASE_STRUCTURE, Label.PHASE)]


# ---------------------------------------------------------------------------------------------
# Loading (server)
# ---------------------------------------------------------------------------------------------

@pytest.mark.neo4j
def test_load_creates_the_constraints(empty: neo4j.Driver) -> None:
    load_graph(empty, corpus_graph(["p1"]))
    names = {row["name"] for row in run_query(empty, cypher.SCHEMA_SHOW_CONSTRAINTS)}
    assert {cypher.constraint_name(label) for label in Label} <= names


@pytest.mark.neo4j
@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_loading_twice_changes_nothing(empty: neo4j.Driver, batch_size: int) -> None:
    graph = corpus_graph(["p1", "p2", "p3"])
    first = load_graph(empty, graph, batch_size=batch_size)
    after_first = counts(empty)
    second = load_graph(empty, graph, batch_size=batch_size)

    assert after_first == counts(empty) == {
        "Paper": 3, "Method": 4, "Dataset": 1, "PhaseStructure": 3, "Phase": 2,
        "PROPOSES": 3, "USES": 6, "CLAIMS": 3, "HAS_PHASE": 9,
    }
    assert first.nodes == second.nodes == {"Paper": 3, "Method": 4, "Dataset": 1, "PhaseStructure": 3, "Phase": 2}
    assert first.relationships == second.relationships
    assert str(second).startswith("merged 13 nodes (Paper 3, ") and "created 0 nodes, 0 relationships" in str(second)
    assert (first.nodes_created, first.relationships_created) == (13, 21)
    assert (second.nodes_created, second.relationships_created) == (0, 0)


@pytest.mark.neo4j
def test_overlapping_graphs_leave_no_duplicates(empty: neo4j.Driver) -> None:
    load_graph(empty, corpus_graph(["p1", "p2"]))
    load_graph(empty, corpus_graph(["p2", "p3"]))
    assert counts(empty) == {
        "Paper": 3, "Method": 4, "Dataset": 1, "PhaseStructure": 3, "Phase": 2,
        "PROPOSES": 3, "USES": 6, "CLAIMS": 3, "HAS_PHASE": 9,
    }
    rows = run_query(empty, cypher.READ_PAPERS_FOR_METHOD, {"key": "transformer"})
    assert [row["id"] for row in rows] == ["p1", "p2", "p3"]


@pytest.mark.neo4j
def test_properties_arrive_typed_with_lists_kept_and_none_dropped(empty: neo4j.Driver) -> None:
    load_graph(empty, corpus_graph(["p1"]))
    [row] = run_query(empty, "MATCH (s:PhaseStructure {key: $key}) RETURN s", {"key": "p1#1"})
    assert row["s"] == {"label": "PhaseStructure", "key": "p1#1", "paper": "p1", "subject": "training",
                        "count": 3, "ordered": True, "evidence": "Training has phases.",
                        "phases": ["warm-up", "training", "warm-up"]}
    [paper] = run_query(empty, "MATCH (p:Paper) RETURN p.url AS url, p.year AS year, keys(p) AS keys")
    assert paper["url"] is None and paper["year"] == 2024 and "url" not in paper["keys"]
    [values] = run_query(empty, "RETURN date('2024-02-29') AS d, duration('P1DT2H') AS t, [1, 2.5] AS l")
    assert values == {"d": "2024-02-29", "t": "P1DT2H", "l": [1, 2.5]}
    phases = run_query(empty, cypher.READ_PHASE_STRUCTURES)
    assert [(row["order"], row["phase"]) for row in phases] == [(1, "warm-up"), (2, "training"), (3, "warm-up")]


@pytest.mark.neo4j
def test_a_built_graph_loads(empty: neo4j.Driver) -> None:
    from phasegraph.graph.build import build_graph, count_by_label, count_by_type

    mention = {"text": "x", "start": 0, "end": 1, "evidence": "We use x.", "evidence_start": 0, "evidence_end": 9}
    records = [
        {"id": pid, "paper": {"title": f"T {pid}", "year": 2020},
         "methods": [{"name": "BERT", "key": "bert", "aliases": [], "proposed": False, "mentions": [mention]}],
         "datasets": [{"name": "SQuAD", "key": "squad", "aliases": ["SQuAD 1.1"], "mentions": [mention]}],
         "phase_structures": [{"subject": "training", "count": 2, "phases": ["pre-training", "fine-tuning"],
                               "ordered": True, "evidence": "Two stages.", "start": 0, "end": 11}]}
        for pid in ("a", "b")
    ]
    graph = build_graph(records)
    summary = load_graph(empty, graph)
    assert summary.nodes == {k: v for k, v in count_by_label(graph).items() if v}
    assert counts(empty) == count_by_label(graph) | count_by_type(graph)


@st.composite
def small_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
    graph = nx.MultiDiGraph()
    methods = [add_entity(graph, Label.METHOD, key, aliases=draw(st.lists(text, max_size=3)),
                          papers=draw(st.integers(0, 2**40)))
               for key in draw(st.lists(text, min_size=1, max_size=4, unique=True))]
    for pid in draw(st.lists(text, min_size=1, max_size=4, unique=True)):
        paper = add_paper(graph, pid, year=draw(st.none() | st.integers(1900, 2100)))
        for method in draw(st.lists(st.sampled_from(methods), max_size=3, unique=True)):
            add_edge(graph, paper, method, RelType.USES, evidence=draw(st.none() | text), mentions=1)
    return graph


@pytest.mark.neo4j
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=small_graphs())
def test_what_is_loaded_reads_back_the_same(empty: neo4j.Driver, graph: nx.MultiDiGraph) -> None:
    with empty.session() as session:
        session.run(cypher.WRITE_DELETE_ALL, {"batch": 10_000}).consume()
    load_graph(empty, graph, batch_size=3)
    back = run_query(empty, "MATCH (m:Method) RETURN m ORDER BY m.key")
    expected = sorted((data for _, data in graph.nodes(data=True) if data["label"] == "Method"),
                      key=lambda data: data["key"])
    assert [row["m"] for row in back] == expected
    edges = run_query(empty, "MATCH (p:Paper)-[r:USES]->(m:Method) RETURN p.id AS p, m.key AS m, r.evidence AS e")
    assert sorted((row["p"], row["m"], row["e"]) for row in edges) == sorted(
        (graph.nodes[u]["id"], graph.nodes[v]["key"], data.get("evidence")) for u, v, data in graph.edges(data=True))


# ---------------------------------------------------------------------------------------------
# Queries and errors (server)
# ---------------------------------------------------------------------------------------------

@pytest.mark.neo4j
def test_run_query_is_read_only(empty: neo4j.Driver) -> None:
    with pytest.raises(QueryError, match="read-only"):
        run_query(empty, "CREATE (n:Paper {id: 'x'})")
    assert counts(empty)["Paper"] == 0


@pytest.mark.neo4j
def test_bad_cypher_is_a_query_error(driver: neo4j.Driver) -> None:
    with pytest.raises(QueryError, match="SyntaxError"):
        run_query(driver, "MATCH (n RETURN n")


@pytest.mark.neo4j
def test_wrong_password_names_the_uri_and_the_fix(neo4j_uri: str, credentials: tuple[str, str]) -> None:
    with pytest.raises(Neo4jError, match="rejected the user name or password") as caught:
        open_driver(neo4j_uri, credentials[0], credentials[1] + "-wrong")
    assert neo4j_uri in str(caught.value) and "NEO4J_PASSWORD" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.neo4j
def test_no_password_says_so(neo4j_uri: str, credentials: tuple[str, str]) -> None:
    with pytest.raises(Neo4jError, match="wants a password and none was given"):
        open_driver(neo4j_uri, credentials[0], None)


def test_unreachable_server_names_the_uri_and_the_fix() -> None:
    uri = f"bolt://127.0.0.1:{closed_port()}"
    with pytest.raises(Neo4jError, match="cannot reach Neo4j") as caught:
        open_driver(uri, TEST_USER, TEST_PASSWORD)
    assert uri in str(caught.value) and "neo4j-test-server start" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", "bolt://127.0.0.1:notaport"])
def test_a_malformed_uri_is_refused(uri: str) -> None:
    with pytest.raises(Neo4jError, match="not a Neo4j (Bolt )?URI"):
        open_driver(uri, TEST_USER, TEST_PASSWORD)


@pytest.mark.neo4j
@pytest.mark.parametrize("call", ["load", "query"])
def test_missing_database_names_it(driver: neo4j.Driver, call: str) -> None:
    with pytest.raises(Neo4jError, match="has no database 'nope'") as caught:
        if call == "load":
            load_graph(driver, corpus_graph(["p1"]), database="nope")
        else:
            run_query(driver, "RETURN 1 AS one", database="nope")
    assert "--database" in str(caught.value) and "\n" not in str(caught.value)


# ---------------------------------------------------------------------------------------------
# The README's queries: the same rows on the embedded engine and on Neo4j
# ---------------------------------------------------------------------------------------------

FIXTURE_RECORDS = Path(__file__).parent / "data" / "graph" / "records.jsonl"


@pytest.fixture(scope="module", params=["fixture", "sample corpus"])
def parity_graph(request: pytest.FixtureRequest) -> nx.MultiDiGraph:
    """A small handwritten graph, and the sample corpus' real graph."""
    import json

    from phasegraph.graph.build import build_graph

    if request.param == "fixture":
        return build_graph(json.loads(line) for line in FIXTURE_RECORDS.read_text().splitlines() if line.strip())
    from phasegraph.extract.pipeline import extract_records
    from phasegraph.extract.readers import SAMPLE_CORPUS, read_corpus

    nlp = request.getfixturevalue("nlp")
    return build_graph(extract_records(read_corpus([SAMPLE_CORPUS]).papers, nlp))


def _rows_in_order(query: str, rows: list[dict[str, Any]]) -> list[Any]:
    """Rows as compared: in their order when the query orders them, else sorted."""
    import json

    as_text = [json.dumps(row, sort_keys=True) for row in rows]
    return as_text if "ORDER BY" in query else sorted(as_text)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_readme_queries_give_the_same_rows_on_both_engines(
    empty: neo4j.Driver, parity_graph: nx.MultiDiGraph, example: ExampleQuery
) -> None:
    load_graph(empty, parity_graph)
    params = dict(example.params)
    if "dataset" in params:  # ask about the dataset most papers use, so that the answer is not empty
        top = run_query(empty, TOP_DATASETS.cypher)[0]["name"]
        params["dataset"] = next(d["key"] for _, d in parity_graph.nodes(data=True) if d.get("name") == top)
    server = run_query(empty, example.cypher, params)
    with EmbeddedGraph.from_graph(parity_graph) as engine:
        embedded = engine.query(example.cypher, params).rows
    assert server, "the query should return rows on this graph"
    assert _rows_in_order(example.cypher, embedded) == _rows_in_order(example.cypher, server)
