"""The concept map without a browser: filters, phase view, layout, and the page's offline and injection safety."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phasegraph.graph.build import build_graph
from phasegraph.graph.graphml import read_graph, write_graph
from phasegraph.viz.filters import apply_filters, best_connected, drop_rare, find_nodes, keep_types, neighbourhood
from phasegraph.viz.layout import force_layout
from phasegraph.viz.phase_view import next_edges, ordered_phases, phase_columns, phase_positions
from phasegraph.viz.render import graph_data, render_html, script_json, write_html

from phasegraph.errors import GraphError

FIXTURE = Path(__file__).parent / "data" / "viz" / "records.jsonl"
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    '"><svg onload="window.__pwned=3">',
    "see href=javascript:alert(1) \u2028 and \u2029 <!-- & &amp;",
]


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def graph(records: list[dict[str, Any]]) -> nx.MultiDiGraph:
    return build_graph(records)


class Tags(HTMLParser):
    """The start tags of a page with their attributes, as a browser's tokenizer sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def page_data(html: str) -> dict[str, Any]:
    """The JSON the page script reads."""
    found = re.search(r'<script type="application/json" id="phasegraph-data">(.*?)</script>', html, re.DOTALL)
    assert found, "no data block"
    return json.loads(found.group(1))


def snapshot(graph: nx.MultiDiGraph) -> tuple[Any, Any]:
    return copy.deepcopy(list(graph.nodes(data=True))), copy.deepcopy(list(graph.edges(keys=True, data=True)))


# ---- filters ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("transformer", ["Method:transformer"]),                       # key
    ("Method:transformer", ["Method:transformer"]),                # node id
    ("CIFAR-10", ["Dataset:cifar 10"]),                            # name
    ("a3c", ["Method:asynchronous advantage actor critic"]),       # alias, any case
    ("mlp", ["Method:multilayer perceptron"]),
    ("p4", ["Paper:p4"]),                                          # paper id
    ("omnigrok: grokking beyond algorithmic data", ["Paper:p3"]),  # paper title
    ("MEMORIZATION", ["Phase:memorization"]),
])
def test_find_nodes_matches_key_name_alias_id_and_title(graph: nx.MultiDiGraph, name: str, expected: list[str]) -> None:
    assert find_nodes(graph, name) == expected


def test_unknown_focus_names_the_value_and_suggests_close_matches(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(GraphError, match=r"'transfomer'.*did you mean 'transformer'"):
        find_nodes(graph, "transfomer")
    with pytest.raises(GraphError, match="'zzzz'"):
        render_html(graph, focus="zzzz")


@pytest.mark.parametrize(("depth", "expected"), [
    (0, {"Dataset:mnist"}),
    (1, {"Dataset:mnist", "Paper:p3"}),
    (2, {"Dataset:mnist", "Paper:p3", "Method:multilayer perceptron", "Method:weight decay", "Dataset:imdb",
         "PhaseStructure:p3#1"}),
])
def test_neighbourhood_follows_edges_both_ways(graph: nx.MultiDiGraph, depth: int, expected: set[str]) -> None:
    assert set(neighbourhood(graph, ["Dataset:mnist"], depth)) == expected


def test_keep_types_is_case_insensitive_and_rejects_unknown_labels(graph: nx.MultiDiGraph) -> None:
    kept = keep_types(graph, ["method", "Dataset"])
    assert {d["label"] for _, d in kept.nodes(data=True)} == {"Method", "Dataset"}
    with pytest.raises(GraphError, match="'Methods'.*choose from Paper, Method"):
        keep_types(graph, ["Methods"])


def test_drop_rare_hides_entities_only(graph: nx.MultiDiGraph) -> None:
    kept = drop_rare(graph, 2)
    assert "Method:transformer" in kept and "Method:resnet" not in kept
    assert all(f"Paper:p{i}" in kept for i in range(1, 8))
    assert all(d.get("papers", 2) >= 2 for _, d in kept.nodes(data=True) if d["label"] in {"Method", "Dataset", "Phase"})


def test_best_connected_keeps_the_highest_degrees_and_the_focus(graph: nx.MultiDiGraph) -> None:
    kept = best_connected(graph, 5, keep=["Dataset:imdb"])
    assert len(kept) == 5 and "Dataset:imdb" in kept and "Method:transformer" in kept


def test_apply_filters_reports_what_it_cut(graph: nx.MultiDiGraph) -> None:
    shown, report = apply_filters(graph, max_nodes=10)
    assert shown.number_of_nodes() == 10
    assert sum(report.cut.values()) == graph.number_of_nodes() - 10
    assert any("--max-nodes 10" in note and f"cut {graph.number_of_nodes() - 10}" in note for note in report.notes)
    html = render_html(graph, max_nodes=10)
    assert "--max-nodes 10: kept the 10 best-connected nodes" in html


def test_focus_survives_later_filters(graph: nx.MultiDiGraph) -> None:
    shown, report = apply_filters(graph, focus="IMDb", depth=2, types=["Method"], min_papers=2)
    assert report.focus == ["Dataset:imdb"]
    assert "Dataset:imdb" in shown and "Method:weight decay" in shown
    assert "Method:multilayer perceptron" not in shown  # one paper only


@pytest.mark.parametrize("options", [
    {}, {"focus": "transformer", "depth": 2}, {"types": ["Paper", "Method"]}, {"min_papers": 2}, {"max_nodes": 4},
    {"physics_threshold": 1},
])
def test_render_never_changes_the_callers_graph(graph: nx.MultiDiGraph, options: dict[str, Any]) -> None:
    before = snapshot(graph)
    render_html(graph, **options)
    assert snapshot(graph) == before


# ---- the page: offline, safe, complete -----------------------------------------------------------------------------

def test_page_has_no_external_resources(graph: nx.MultiDiGraph) -> None:
    html = render_html(graph)
    tags = Tags(html).tags
    names = [tag for tag, _ in tags]
    assert names.count("script") == 3 and "link" not in names
    assert not {"img", "iframe", "object", "embed", "svg", "base"} & set(names)
    assert not [attrs for _, attrs in tags if "src" in attrs or "href" in attrs]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert "default-src 'none'" in html


def test_csp_allows_exactly_the_inline_scripts(graph: nx.MultiDiGraph) -> None:
    html = render_html(graph)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 2
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    assert allowed == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}


def test_every_node_and_edge_is_in_the_page_data(graph: nx.MultiDiGraph) -> None:
    data = page_data(render_html(graph))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["edges"]) == graph.number_of_edges()
    assert {e["type"] for e in data["edges"]} == {"USES", "PROPOSES", "CLAIMS", "HAS_PHASE"}


def hostile_records() -> list[dict[str, Any]]:
    out = []
    for number, text in enumerate(HOSTILE, 1):
        evidence = f"We use {text} here."
        out.append({"id": f"x{number}", "paper": {"title": f"Title {text}", "abstract": evidence, "source": "x",
                                                  "url": f"https://example.org/{number}?q={text}"},
                    "methods": [{"name": text, "key": f"m{number}", "aliases": [text], "proposed": False,
                                 "mentions": [{"text": text, "start": 0, "end": 1, "evidence": evidence,
                                               "evidence_start": 0, "evidence_end": 1}]}],
                    "datasets": [], "phase_structures": [
                        {"subject": text, "count": 2, "phases": [text, "b"], "phase_keys": [f"k{number}", "b"],
                         "ordered": True, "evidence": evidence, "start": 0, "end": 1}]})
    return out


def test_hostile_text_cannot_leave_the_data_block() -> None:
    graph = build_graph(hostile_records())
    html = render_html(graph, title=HOSTILE[1])
    tags = Tags(html).tags
    assert [tag for tag, _ in tags].count("script") == 3
    assert not {"img", "svg"} & {tag for tag, _ in tags}
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    for text in HOSTILE:
        assert text not in html  # every one holds <, > or & or U+2028, all escaped
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;" in html  # the title, escaped in <title> and <h1>
    data = page_data(html)
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    tips = "\n".join(n["tip"] for n in data["nodes"]) + "\n".join(e["tip"] for e in data["edges"])
    assert all(text in tips for text in HOSTILE)  # shown literally, as text


@pytest.mark.parametrize(("url", "kept"), [
    ("https://arxiv.org/abs/1", True), ("HTTP://x.org", True), ("javascript:alert(1)", False),
    ("data:text/html,<b>", False), ("//evil.example/x", False), ("  javascript:alert(1)", False),
])
def test_only_http_links_reach_the_page(url: str, kept: bool) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("Paper:p", label="Paper", id="p", title="T", url=url)
    node = graph_data(graph)["nodes"][0]
    assert ("url" in node) is kept


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12))
def test_script_json_round_trips_and_has_no_breakout_characters(value: Any) -> None:
    text = script_json(value)
    assert json.loads(text) == value
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}


def test_tooltips_are_plain_text(graph: nx.MultiDiGraph) -> None:
    data = graph_data(graph)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["Paper:p1"]["tip"].startswith("Towards Understanding Grokking")
    assert nodes["Paper:p1"]["url"] == "https://arxiv.org/abs/2205.10343"
    assert "url" not in nodes["Paper:p7"]  # javascript: URL dropped
    assert nodes["Method:asynchronous advantage actor critic"]["tip"] == \
        "Method: asynchronous advantage actor-critic\nAlso: A3C\n1 paper"
    uses = [e for e in data["edges"] if e["type"] == "USES" and e["from"] == "Paper:p1"]
    assert uses and all("We evaluate" in e["tip"] for e in uses)


def test_graphml_round_trip_renders_the_same_nodes(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    reread = read_graph(write_graph(graph, tmp_path / "g.graphml"))
    path = write_html(reread, tmp_path / "map.html", title="round trip")
    assert {n["id"] for n in page_data(path.read_text(encoding="utf-8"))["nodes"]} == set(graph.nodes)


def test_write_html_reports_unwritable_paths(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="cannot write the concept map"):
        write_html(graph, tmp_path / "missing" / "map.html")


# ---- phase view -------------------------------------------------------------------------------------------------

def test_next_edges_count_shared_steps_and_skip_unordered_structures(graph: nx.MultiDiGraph) -> None:
    steps = {(a, b): n for a, b, n in next_edges(graph)}
    assert steps[("Phase:memorization", "Phase:generalization")] == 3
    assert steps[("Phase:memorization", "Phase:circuit formation")] == 1
    assert ("Phase:exploration", "Phase:exploitation") not in steps


def test_phase_positions_put_phases_in_claimed_order(graph: nx.MultiDiGraph) -> None:
    pos = phase_positions(graph)
    x = {node: xy[0] for node, xy in pos.items()}
    assert x["Paper:p1"] < x["PhaseStructure:p1#1"] < x["Phase:memorization"] < x["Phase:generalization"]
    assert x["Phase:circuit formation"] < x["Phase:cleanup"]
    assert x["Phase:exploration"] == x["Phase:exploitation"]  # unordered: one column
    assert "Method:transformer" not in pos
    assert len({xy for xy in pos.values()}) == len(pos)  # no two nodes on one spot


def test_phase_view_hides_star_edges_of_ordered_structures(graph: nx.MultiDiGraph) -> None:
    data = graph_data(graph)
    tails = {(e["from"], e["to"]) for e in data["edges"] if e.get("chainTail")}
    assert ("PhaseStructure:p2#1", "Phase:cleanup") in tails
    assert ("PhaseStructure:p2#1", "Phase:memorization") not in tails
    assert not any(f == "PhaseStructure:p6#2" for f, _ in tails)
    assert ordered_phases(graph, "PhaseStructure:p2#1") == ["Phase:memorization", "Phase:circuit formation",
                                                            "Phase:cleanup"]


# ---- scale -------------------------------------------------------------------------------------------------------

def test_large_maps_turn_physics_off_with_positions(graph: nx.MultiDiGraph) -> None:
    small, large = page_data(render_html(graph)), page_data(render_html(graph, physics_threshold=5))
    assert small["physics"] is True and large["physics"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in large["nodes"])
    assert "physics off" in render_html(graph, physics_threshold=5)


def test_force_layout_is_deterministic_finite_and_spread() -> None:
    grid = nx.grid_2d_graph(12, 12)
    first, second = force_layout(grid, seed=3), force_layout(grid, seed=3)
    assert first == second and len(first) == 144
    assert len(set(first.values())) == 144
    # neighbours end up closer than the average pair
    def dist(a: Any, b: Any) -> float:
        return ((first[a][0] - first[b][0]) ** 2 + (first[a][1] - first[b][1]) ** 2) ** 0.5
    edge_mean = sum(dist(u, v) for u, v in grid.edges) / grid.number_of_edges()
    nodes = list(grid)
    pair_mean = sum(dist(nodes[i], nodes[-1 - i]) for i in range(72)) / 72
    assert edge_mean < pair_mean / 3


@pytest.mark.parametrize("graph_size", [0, 1, 2])
def test_tiny_graphs_render(graph_size: int) -> None:
    graph = nx.MultiDiGraph()
    for i in range(graph_size):
        graph.add_node(f"Method:m{i}", label="Method", key=f"m{i}", name=f"m{i}", aliases=[], papers=1)
    assert len(page_data(render_html(graph))["nodes"]) == graph_size


def test_large_maps_label_only_the_best_connected_at_first(graph: nx.MultiDiGraph,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from phasegraph.viz import render

    monkeypatch.setattr(render, "LABEL_BUDGET", 3)
    large = render.graph_data(graph, physics=False)
    labelled = [n["id"] for n in large["nodes"] if not n.get("quiet")]
    assert len(labelled) == 3 and "Method:transformer" in labelled
    assert all(n["label"] for n in large["nodes"])  # the page reveals quiet labels when zoomed in
    assert not any(n.get("quiet") for n in render.graph_data(graph, physics=True)["nodes"])


def test_labels_outside_the_schema_share_one_style() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("x", label="__proto__", name="x")
    graph.add_node("y", name="no label")
    data = graph_data(graph)
    assert {n["group"] for n in data["nodes"]} == {"Other"}
    assert "Other" in data["labels"] and "__proto__" not in data["labels"]


def test_phase_columns_put_every_claimed_step_to_the_right() -> None:
    def structure(pid: str, phases: list[str]) -> dict[str, Any]:
        return {"id": pid, "paper": {"title": pid, "abstract": "", "source": "t"}, "methods": [], "datasets": [],
                "phase_structures": [{"subject": "training", "count": len(phases), "phases": phases,
                                      "phase_keys": phases, "ordered": True, "evidence": "", "start": 0, "end": 0}]}

    graph = build_graph([structure("a", ["memorization", "generalization"]),
                         structure("b", ["warm up", "early learning", "memorization"]),
                         structure("c", ["x", "y"]), structure("d", ["y", "x"]), structure("e", ["y", "x"])])
    columns = phase_columns(graph)
    assert columns["Phase:warm up"] < columns["Phase:early learning"] < columns["Phase:memorization"] \
        < columns["Phase:generalization"]
    assert columns["Phase:y"] < columns["Phase:x"]  # the contradiction claimed more often wins
    pos = phase_positions(graph)
    assert all(pos[a][0] < pos[b][0] for a, b, _ in next_edges(graph) if {a, b} != {"Phase:x", "Phase:y"})
