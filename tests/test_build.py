"""The NetworkX builder: one node per thing, the schema's labels and types, evidence on edges."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from phasegraph.errors import GraphError
from phasegraph.graph.build import build_graph, count_by_label, count_by_type
from phasegraph.graph.schema import EDGE_PROPERTIES, NODE_PROPERTIES, Label, RelType


def entity(name: str, key: str, aliases: list[str] | None = None, proposed: bool = False) -> dict[str, Any]:
    return {"name": name, "key": key, "aliases": aliases or [], "proposed": proposed,
            "mentions": [{"text": name, "start": 0, "end": len(name), "evidence": f"We use {name}.",
                          "evidence_start": 0, "evidence_end": 10}]}


def record(pid: str, methods: list[dict[str, Any]] = (), datasets: list[dict[str, Any]] = (),
           structures: list[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"id": pid, "paper": {"title": f"Title {pid}", "abstract": "An abstract.", "source": "t.jsonl:1"},
            "methods": list(methods), "datasets": list(datasets), "phase_structures": list(structures)}


STRUCTURE = {"subject": "training", "count": 2, "phases": ["memorization phase", "generalization"],
             "phase_keys": ["memorization", "generalization"], "ordered": True,
             "evidence": "Training has two phases.", "start": 5, "end": 29}


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return [
        record("p1", methods=[entity("asynchronous advantage actor-critic", "asynchronous advantage actor critic", ["A3C"], proposed=True),
                              entity("Transformers", "transformer")],
               datasets=[entity("CIFAR-100", "cifar 100")], structures=[STRUCTURE]),
        record("p2", methods=[entity("A3C", "a3c"), entity("transformer", "transformer")],
               datasets=[entity("CIFAR-100", "cifar 100")],
               structures=[{**STRUCTURE, "count": None, "phases": ["memorization"], "phase_keys": ["memorization"]}]),
    ]


def test_same_entity_in_two_papers_is_one_node(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    assert graph.nodes["Method:transformer"]["papers"] == 2
    assert graph.nodes["Dataset:cifar 100"]["papers"] == 2


def test_acronym_joins_the_long_form_node_across_papers(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    node = graph.nodes["Method:asynchronous advantage actor critic"]
    assert "Method:a3c" not in graph
    assert node["name"] == "asynchronous advantage actor-critic"
    assert "A3C" in node["aliases"]
    assert graph.has_edge("Paper:p2", "Method:asynchronous advantage actor critic", key="USES")


def test_proposed_entities_get_proposes(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    assert graph.has_edge("Paper:p1", "Method:asynchronous advantage actor critic", key="PROPOSES")


def test_labels_types_and_properties_follow_the_schema(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    for _, data in graph.nodes(data=True):
        label = Label(data["label"])
        assert set(data) - {"label"} <= set(NODE_PROPERTIES[label])
        assert None not in data.values()
    for _, _, data in graph.edges(data=True):
        rel = RelType(data["type"])
        assert set(data) - {"type"} <= set(EDGE_PROPERTIES[rel])


def test_edges_from_papers_carry_evidence_and_offsets(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    for u, _, data in graph.edges(data=True):
        if u.startswith("Paper:"):
            assert data["evidence"] and data["end"] > data["start"] >= 0


def test_phase_structures_link_phases_in_order(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    edges = sorted((d["order"], v) for _, v, d in graph.out_edges("PhaseStructure:p1#1", data=True))
    assert edges == [(1, "Phase:memorization"), (2, "Phase:generalization")]
    assert graph.nodes["Phase:memorization"]["papers"] == 2
    assert "count" not in graph.nodes["PhaseStructure:p2#1"]  # None is never stored


def test_counts(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    assert count_by_label(graph) == {"Paper": 2, "Method": 2, "Dataset": 1, "PhaseStructure": 2, "Phase": 2}
    assert count_by_type(graph) == {"PROPOSES": 1, "USES": 5, "CLAIMS": 2, "HAS_PHASE": 3}


def test_callers_records_are_not_changed(records: list[dict[str, Any]]) -> None:
    before = copy.deepcopy(records)
    build_graph(records)
    assert records == before


@pytest.mark.parametrize("bad", [{}, {"id": ""}, "not a record"])
def test_a_record_without_id_is_an_error(bad: Any) -> None:
    with pytest.raises(GraphError, match="record 1 has no 'id'"):
        build_graph([bad])
