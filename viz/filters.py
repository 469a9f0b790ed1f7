"""Choose the part of a graph a concept map shows: focus and depth, labels, paper counts, a node budget.

Every function takes a graph and returns a new one (a copied subgraph); the
caller's graph is never changed. ``apply_filters`` runs them in the order the
CLI's options read (focus, types, min-papers, max-nodes) and says in a
``FilterReport`` what each step left out, so the page can tell the reader.
"""

from __future__ import annotations

import difflib
from collections import Counter, deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import networkx as nx
from phasegraph.graph.schema import LABEL_ATTR, Label

from phasegraph.errors import GraphError

# Labels whose nodes carry a ``papers`` count (the entities --min-papers applies to).
ENTITY_LABELS: frozenset[str] = frozenset({Label.METHOD.value, Label.DATASET.value, Label.PHASE.value})


@dataclass
class FilterReport:
    """What the filters kept and cut, in words the page shows."""

    focus: list[str] = field(default_factory=list)  # node ids the map is centred on
    notes: list[str] = field(default_factory=list)  # one sentence per step that removed nodes
    cut: Counter[str] = field(default_factory=Counter)  # label -> nodes removed by --max-nodes


def _fold(text: object) -> str:
    """``text`` as compared when matching names: case-folded, spaces collapsed."""
    return " ".join(str(text).casefold().split())


def _names(node: str, data: dict[str, object]) -> list[str]:
    """Every string a reader may use to name this node: id, key, name, aliases, paper id and title."""
    names = [node]
    for prop in ("key", "id", "name", "title"):
        value = data.get(prop)
        if isinstance(value, str) and value:
            names.append(value)
    aliases = data.get("aliases")
    if isinstance(aliases, (list, tuple)):
        names.extend(str(a) for a in aliases if a)
    return names


def find_nodes(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """The ids of the nodes ``name`` names (node id, key, name, alias, paper id or title; any case).

    Exact matches on id, key, name or paper id win over aliases, which win over
    titles, so "GPT" finds the method called GPT rather than every paper whose
    title is "GPT". Raises ``GraphError`` naming the value and suggesting close
    names when nothing matches.
    """
    wanted = _fold(name)
    if not wanted:
        raise GraphError("the focus name is empty; pass a method, dataset, phase or paper name (e.g. --focus grokking)")
    tiers: list[list[str]] = [[], [], []]
    for node, data in graph.nodes(data=True):
        if _fold(node) == wanted or any(_fold(data.get(p, "")) == wanted for p in ("key", "id", "name")):
            tiers[0].append(node)
        elif any(_fold(a) == wanted for a in data.get("aliases") or []):
            tiers[1].append(node)
        elif _fold(data.get("title", "")) == wanted:
            tiers[2].append(node)
    for tier in tiers:
        if tier:
            return sorted(tier)
    candidates: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        for text in _names(node, data):
            candidates.setdefault(_fold(text), text)
    close = difflib.get_close_matches(wanted, list(candidates), n=5, cutoff=0.6)
    if not close:  # a word of a long title or name, e.g. "grokking" for a paper about grokking
        close = [key for key in candidates if wanted in key][:5]
    hint = "; did you mean " + ", ".join(repr(candidates[c]) for c in close) + "?" if close else ""
    raise GraphError(f"no method, dataset, phase or paper in the graph is called {name!r}{hint} "
                     "(match is on name, alias, key, paper id or title)")


def neighbourhood(graph: nx.MultiDiGraph, centres: Iterable[str], depth: int = 1) -> nx.MultiDiGraph:
    """A copy of the part of ``graph`` within ``depth`` steps of ``centres``, edges followed either way."""
    if depth < 0:
        raise GraphError(f"depth must be 0 or more, not {depth}; use --depth 1 for direct neighbours")
    seen = {c: 0 for c in centres if c in graph}
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        if seen[node] == depth:
            continue
        for other in (*graph.successors(node), *graph.predecessors(node)):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return graph.subgraph(seen).copy()


def check_types(types: Collection[str]) -> set[str]:
    """The label values in ``types`` (matched case-insensitively); raises ``GraphError`` for unknown labels."""
    by_fold = {label.value.casefold(): label.value for label in Label}
    chosen: set[str] = set()
    for name in types:
        label = by_fold.get(name.strip().casefold())
        if label is None:
            raise GraphError(f"unknown node type {name!r} in --types; choose from "
                             + ", ".join(label.value for label in Label))
        chosen.add(label)
    return chosen


def keep_types(graph: nx.MultiDiGraph, types: Collection[str], keep: Collection[str] = ()) -> nx.MultiDiGraph:
    """A copy of ``graph`` with only nodes whose label is in ``types`` (plus the nodes in ``keep``)."""
    labels = check_types(types)
    kept = [n for n, d in graph.nodes(data=True) if d.get(LABEL_ATTR) in labels or n in keep]
    return graph.subgraph(kept).copy()


def drop_rare(graph: nx.MultiDiGraph, min_papers: int, keep: Collection[str] = ()) -> nx.MultiDiGraph:
    """A copy of ``graph`` without the entities (methods, datasets, phases) fewer than ``min_papers`` papers mention.

    An entity without a ``papers`` property counts as mentioned by one paper;
    the nodes in ``keep`` stay whatever their count.
    """
    if min_papers < 1:
        raise GraphError(f"--min-papers must be 1 or more, not {min_papers}")
    kept = [n for n, d in graph.nodes(data=True)
            if d.get(LABEL_ATTR) not in ENTITY_LABELS or n in keep or int(d.get("papers") or 1) >= min_papers]
    return graph.subgraph(kept).copy()


def best_connected(graph: nx.MultiDiGraph, max_nodes: int, keep: Collection[str] = ()) -> nx.MultiDiGraph:
    """A copy of ``graph`` with its ``max_nodes`` best-connected nodes (most edges; ties by id), ``keep`` first."""
    if max_nodes < 1:
        raise GraphError(f"--max-nodes must be 1 or more, not {max_nodes}")
    if graph.number_of_nodes() <= max_nodes:
        return graph.copy()
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda n: (n not in keep, -degree[n], str(n)))
    return graph.subgraph(ranked[:max_nodes]).copy()


def _describe(counts: Counter[str]) -> str:
    """'3 Paper, 2 Method' in schema order."""
    order = [label.value for label in Label]
    names = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return ", ".join(f"{counts[k]:,} {k}" for k in names)


def apply_filters(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    min_papers: int = 1,
    max_nodes: int | None = None,
) -> tuple[nx.MultiDiGraph, FilterReport]:
    """The subgraph a map shows, and a report of what was cut; ``graph`` is not changed.

    Order: the ``focus`` neighbourhood (``depth`` steps, either direction) of the
    full graph, then ``types``, then ``min_papers``, then ``max_nodes``. The
    focus nodes survive every later step.
    """
    report = FilterReport()
    shown = graph.copy()
    if focus is not None:
        report.focus = find_nodes(shown, focus)
        shown = neighbourhood(shown, report.focus, depth)
        report.notes.append(f"showing the {shown.number_of_nodes():,} nodes within {depth} step(s) of "
                            f"{focus!r} (of {graph.number_of_nodes():,})")
    if types is not None:
        kept = keep_types(shown, types, report.focus)
        removed = _removed(shown, kept)
        if removed:
            report.notes.append(f"--types {','.join(sorted(check_types(types)))}: hid {removed.total():,} nodes "
                                f"({_describe(removed)})")
        shown = kept
    if min_papers != 1:
        kept = drop_rare(shown, min_papers, report.focus)
        removed = _removed(shown, kept)
        if removed:
            report.notes.append(f"--min-papers {min_papers}: hid {removed.total():,} entities mentioned by fewer "
                                f"papers ({_describe(removed)})")
        shown = kept
    if max_nodes is not None:
        kept = best_connected(shown, max_nodes, report.focus)
        report.cut = _removed(shown, kept)
        if report.cut:
            report.notes.append(f"--max-nodes {max_nodes}: kept the {kept.number_of_nodes():,} best-connected "
                                f"nodes, cut {report.cut.total():,} ({_describe(report.cut)})")
        shown = kept
    return shown, report


def _removed(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> Counter[str]:
    """Nodes per label in ``before`` but not in ``after``."""
    return Counter(str(data.get(LABEL_ATTR, "?")) for node, data in before.nodes(data=True) if node not in after)
