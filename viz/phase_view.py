"""The phase view: claimed phase structures drawn as left-to-right chains of their phases.

The graph stores a phase structure as a star: ``(PhaseStructure)-[:HAS_PHASE
{order}]->(Phase)``, one edge per phase. Drawn as a star, "memorization then
generalization" and "generalization then memorization" look the same. The
phase view instead draws each ordered structure as a chain:

    Paper -> PhaseStructure -> phase 1 -> phase 2 -> ...

using display-only ``NEXT`` edges between consecutive phases (they are not
graph edges; the HAS_PHASE edges to later phases are hidden in this view).

Why a chain in fixed columns rather than vis-network's hierarchical layout:
phases are shared nodes (every paper claiming "memorization" points at the
same node), so a shared transition becomes one thicker NEXT edge that several
structures feed into — papers claiming the same phases line up on the same
path, which is the point of the view. A phase's column is one more than the
longest chain of claimed steps leading to it (a longest-path layering), so
every step points right and "memorization" sits left of "generalization"
however many papers name them. Rows follow the mean row of the nodes
pointing in (a barycentre pass), which keeps chains straight and edges short.
vis-network's hierarchical layout would re-run its own layering in the
browser (slow at scale, different after every filter) and knows nothing of
claimed order. Positions are computed here, once, so the view is instant and
tested.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import pairwise

import networkx as nx
from phasegraph.graph.schema import LABEL_ATTR, TYPE_ATTR, Label, RelType

COLUMN_WIDTH: float = 260.0  # at least; wider when many structures make the view tall (see phase_positions)
ROW_HEIGHT: float = 46.0
ASPECT: float = 1.6  # width / height the view aims at, so "fit" does not shrink it to a thin column


def ordered_phases(graph: nx.MultiDiGraph, structure: str) -> list[str]:
    """The phase node ids of ``structure`` in their claimed order (by the HAS_PHASE ``order``)."""
    steps = [(int(d.get("order") or 0), v) for _, v, d in graph.out_edges(structure, data=True)
             if d.get(TYPE_ATTR) == RelType.HAS_PHASE.value]
    return [v for _, v in sorted(steps)]


def next_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    """Display edges (phase, next phase, number of ordered structures claiming that step), for ordered structures."""
    steps: Counter[tuple[str, str]] = Counter()
    for node, data in graph.nodes(data=True):
        if data.get(LABEL_ATTR) != Label.PHASE_STRUCTURE.value or data.get("ordered") is False:
            continue
        chain = ordered_phases(graph, node)
        for a, b in pairwise(chain):
            if a != b:
                steps[(a, b)] += 1
    return [(a, b, n) for (a, b), n in sorted(steps.items())]


def phase_columns(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Each phase's column (1 = first): one more than the longest chain of claimed steps leading to it.

    So every NEXT step points right, and a phase shared by chains sits after
    everything any paper puts before it. Contradicting claims (A before B in
    one paper, B before A in another) form a cycle; its least-claimed step is
    set aside for the layering. Phases of unordered structures only: column 1.
    """
    steps = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        if data.get(LABEL_ATTR) == Label.PHASE_STRUCTURE.value:
            steps.add_nodes_from(ordered_phases(graph, node))
    for a, b, count in next_edges(graph):
        steps.add_edge(a, b, weight=count)
    while True:
        try:
            cycle = nx.find_cycle(steps)
        except nx.NetworkXNoCycle:
            break
        u, v = min(((u, v) for u, v, *_ in cycle), key=lambda e: (steps.edges[e]["weight"], e))
        steps.remove_edge(u, v)
    column: dict[str, int] = {}
    for node in nx.topological_sort(steps):
        column[node] = max((column[p] + 1 for p in steps.predecessors(node)), default=1)
    return column


def phase_positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions of the nodes the phase view shows: claiming papers, their structures and the phases.

    Columns: papers (0), structures (1), then each phase at 1 + its
    ``phase_columns`` column; one row per structure. Columns are COLUMN_WIDTH apart,
    or wider for many structures so the view keeps about ASPECT. Every other
    node is absent (the page hides it).
    """
    structures = sorted(n for n, d in graph.nodes(data=True) if d.get(LABEL_ATTR) == Label.PHASE_STRUCTURE.value)
    if not structures:
        return {}
    chains = {s: ordered_phases(graph, s) for s in structures}
    ordered = {s: graph.nodes[s].get("ordered") is not False for s in structures}
    column = {p: 1 + c for p, c in phase_columns(graph).items()}
    papers = {s: [u for u, _, d in graph.in_edges(s, data=True) if d.get(TYPE_ATTR) == RelType.CLAIMS.value]
              for s in structures}

    # Structures: grouped by the phases they claim (same chain, adjacent rows), one row each.
    structures.sort(key=lambda s: (tuple(sorted(column[p] for p in chains[s])), tuple(chains[s]), s))
    width = max(COLUMN_WIDTH, ASPECT * len(structures) * ROW_HEIGHT / (max(column.values(), default=1) + 1))
    pos: dict[str, tuple[float, float]] = {s: (width, i * ROW_HEIGHT) for i, s in enumerate(structures)}

    # Phases, column by column: each at the mean row of what points at it, then spread to avoid overlaps.
    incoming: dict[str, list[str]] = defaultdict(list)  # phase -> the nodes drawn pointing at it
    for s, chain in chains.items():
        for before, phase in zip([s, *chain] if ordered[s] else [s] * len(chain), chain):
            incoming[phase].append(before)
    for col in sorted(set(column.values())):
        wanted = {}
        for p in (p for p in column if column[p] == col):
            ys = [pos[q][1] for q in incoming[p] if q in pos]  # nodes in earlier columns are placed already
            wanted[p] = sum(ys) / len(ys) if ys else 0.0
        for p, y in _spread(wanted).items():
            pos[p] = (col * width, y)

    # Papers: left of their structures.
    claimed: dict[str, list[float]] = defaultdict(list)
    for s, owners in papers.items():
        for paper in owners:
            claimed[paper].append(pos[s][1])
    for paper, y in _spread({p: sum(ys) / len(ys) for p, ys in claimed.items()}).items():
        pos[paper] = (0.0, y)
    return pos


def _spread(wanted: dict[str, float]) -> dict[str, float]:
    """Rows near the wanted ones, at least ROW_HEIGHT apart, in the wanted order."""
    placed: dict[str, float] = {}
    last = float("-inf")
    for node in sorted(wanted, key=lambda n: (wanted[n], n)):
        y = max(wanted[node], last + ROW_HEIGHT)
        placed[node] = y
        last = y
    return placed
