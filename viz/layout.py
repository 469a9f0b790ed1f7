"""Node positions computed once in Python, for maps too large for the browser's physics.

vis-network's physics simulation is unusable past one or two thousand nodes
(seconds per frame while it settles). Above the renderer's threshold the map
is drawn with physics off at the positions computed here.

Why not a networkx layout: ``spring_layout`` needs SciPy past 500 nodes (not
a phasegraph dependency) and ``forceatlas2_layout`` is all-pairs NumPy, about
8 s for 1,000 nodes and quadratic beyond. ``force_layout`` is the same
Fruchterman–Reingold model with the far-field repulsion taken from the
centres of mass of a coarse grid (a one-level Barnes–Hut), exact repulsion
inside each cell, and a weak pull to the centre so separate components stay
on screen: O(n · cells) per iteration, about a second for 5,000 nodes.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

# Pixels between neighbouring nodes in the drawn map (vis-network's node sizes are 10-40 px).
SPACING: float = 80.0
# Cells with at most this many nodes get their exact near-field repulsion in one vectorised block.
BLOCK: int = 64


def force_layout(graph: nx.Graph, *, iterations: int = 50, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Positions (pixels, centred on 0,0) for every node of ``graph``, edges read undirected; deterministic per seed."""
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v}
    edges = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # one node per unit square: the ideal distance k is 1
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    cells_per_side = max(1, min(16, int(math.sqrt(n) / 4)))
    temperature = side / 8
    cooling = (0.02 / temperature) ** (1 / max(1, iterations - 1)) if temperature > 0.02 else 1.0
    for _ in range(iterations):
        disp = _repulsion(pos, cells_per_side)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
            pull = delta * dist[:, None]  # FR attraction d^2/k along the edge, k = 1
            for dim in range(2):
                disp[:, dim] -= np.bincount(edges[:, 0], weights=pull[:, dim], minlength=n)
                disp[:, dim] += np.bincount(edges[:, 1], weights=pull[:, dim], minlength=n)
        disp -= pos * (0.5 / side)  # gravity: keeps isolated nodes and small components near the middle
        length = np.sqrt((disp**2).sum(axis=1)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    pos -= pos.mean(axis=0)
    pos *= SPACING
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}


def _repulsion(pos: np.ndarray, cells_per_side: int) -> np.ndarray:
    """FR repulsion (k^2/d, k = 1) on each node: exact within its grid cell, via cell centres of mass beyond."""
    n = len(pos)
    # Cell borders at quantiles, so a dense core is cut finer than the sparse rim (cells hold similar counts).
    inner = np.linspace(0, 1, cells_per_side + 1)[1:-1]
    cell_xy = [np.searchsorted(np.quantile(pos[:, d], inner), pos[:, d]) for d in range(2)]
    cell = cell_xy[0] * cells_per_side + cell_xy[1]
    count = np.bincount(cell, minlength=cells_per_side**2).astype(float)
    occupied = np.nonzero(count)[0]
    mass = count[occupied]
    centre = np.stack([np.bincount(cell, weights=pos[:, d], minlength=cells_per_side**2)[occupied] / mass
                       for d in range(2)], axis=1)
    # Far field: every occupied cell as one body of its mass, without the node's own cell. float32 and
    # einsum: the n x cells arrays dominate the run time (a BLAS product with inner size 2 is slower).
    p32, c32 = pos.astype(np.float32), centre.astype(np.float32)
    dx = p32[:, 0, None] - c32[None, :, 0]
    dy = p32[:, 1, None] - c32[None, :, 1]
    weight = mass.astype(np.float32)[None, :] / (dx * dx + dy * dy + np.float32(1e-2))
    weight[np.arange(n), np.searchsorted(occupied, cell)] = 0.0
    disp = np.stack([np.einsum("ij,ij->i", weight, dx), np.einsum("ij,ij->i", weight, dy)], axis=1).astype(float)
    # Near field: exact pairs inside each cell. Cells of up to BLOCK nodes (nearly all: quantile borders keep
    # counts even) are done at once in a (cells, BLOCK, BLOCK) array; larger ones one by one.
    counts = mass.astype(np.int64)
    order = np.argsort(cell, kind="stable")
    rank = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)  # place of order[i] inside its cell
    row = np.repeat(np.arange(len(occupied)), counts)
    small = counts[row] <= BLOCK
    width = int(min(BLOCK, counts.max()))
    members = np.full((len(occupied), width), -1, dtype=np.int64)
    members[row[small], rank[small]] = order[small]
    present = members >= 0
    local = np.where(present[:, :, None], pos[np.maximum(members, 0)], 0.0)
    d = local[:, :, None, :] - local[:, None, :, :]
    inv = (present[:, :, None] & present[:, None, :]) / ((d**2).sum(axis=3) + 1e-2)
    disp[members[present]] += (d * inv[:, :, :, None]).sum(axis=2)[present]
    for big in np.nonzero(counts > BLOCK)[0]:
        nodes = order[row == big]
        d = pos[nodes][:, None, :] - pos[nodes][None, :, :]
        disp[nodes] += (d / ((d**2).sum(axis=2) + 1e-2)[:, :, None]).sum(axis=1)
    return disp
