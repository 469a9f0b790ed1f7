"""Render a phasegraph graph as one self-contained, offline, injection-safe HTML concept map.

``render_html`` is a pure function: graph in, HTML string out, the caller's
graph untouched. The page is our own Jinja template (autoescape on), not
pyvis's: pyvis 0.3.2's templates insert titles as HTML when any contains
"href", write the heading and select-menu ids raw, and link Bootstrap from a
CDN. We use pyvis only for the vis-network 9.1.2 script it ships, inlined.

How untrusted text (titles, abstracts, names, evidence) stays text:

* the graph travels as JSON in ``<script type="application/json">`` with
  ``<``, ``>``, ``&`` (and, via ASCII escaping, U+2028/9) written as ``\\uXXXX``,
  so no value can close the block; the page reads it with ``JSON.parse``;
* the page script puts text into the DOM only with ``textContent`` and builds
  tooltips as elements (never vis-network's HTML path); links only for
  http(s) URLs;
* a Content-Security-Policy allows exactly the two inline scripts (by
  SHA-256), no other script, no event-handler attributes and no network
  requests, so even a hole elsewhere could neither run code nor phone home.

Scale: every map gets positions computed once in Python (``layout``). Up to
``physics_threshold`` nodes, vis-network's physics polishes them briefly and
then stops; above it physics is off and edges are drawn straight, so a
5,000-node map is interactive about as soon as it is drawn.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Collection
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from phasegraph.graph.schema import LABEL_ATTR, TYPE_ATTR, Label, RelType
from phasegraph.viz.filters import ENTITY_LABELS, FilterReport, apply_filters
from phasegraph.viz.layout import force_layout
from phasegraph.viz.phase_view import next_edges, ordered_phases, phase_positions

from phasegraph.errors import GraphError

DEFAULT_TITLE = "phasegraph concept map"
# Above this many nodes the browser's physics is off and the Python layout is final.
PHYSICS_THRESHOLD = 500
# Physics iterations run before the first frame on maps below the threshold (from a Python start).
STABILIZATION_ITERATIONS = 60
LABEL_CHARS = 48  # longest label drawn on a node; tooltips carry the full text
# Large maps (physics off) label only their best-connected nodes at first: vis-network measures every label
# before the first frame (about 0.3 ms each). The page labels the others in view once zoomed in to REVEAL_SCALE.
LABEL_BUDGET = 300
REVEAL_SCALE = 0.5
REVEAL_BATCH = 400

# Okabe–Ito colours (distinguishable with colour-blindness), one shape per label.
LABEL_STYLES: dict[str, dict[str, str]] = {
    Label.PAPER.value: {"color": "#56B4E9", "border": "#0072B2", "shape": "square", "symbol": "\u25a0"},
    Label.METHOD.value: {"color": "#E69F00", "border": "#9a6700", "shape": "dot", "symbol": "\u25cf"},
    Label.DATASET.value: {"color": "#009E73", "border": "#006b4e", "shape": "diamond", "symbol": "\u25c6"},
    Label.PHASE_STRUCTURE.value: {"color": "#CC79A7", "border": "#8f4f74", "shape": "triangle", "symbol": "\u25b2"},
    Label.PHASE.value: {"color": "#D55E00", "border": "#8f3f00", "shape": "star", "symbol": "\u2605"},
}
OTHER = "Other"  # the group of nodes whose label the schema does not know
OTHER_STYLE: dict[str, str] = {"color": "#BBBBBB", "border": "#777777", "shape": "dot", "symbol": "\u25cf"}
EDGE_STYLES: dict[str, dict[str, Any]] = {
    RelType.PROPOSES.value: {"color": "#0072B2", "highlight": "#003d66", "width": 2},
    RelType.USES.value: {"color": "#9aa5b1", "highlight": "#3d4650", "width": 1},
    RelType.CLAIMS.value: {"color": "#CC79A7", "highlight": "#8f4f74", "width": 1.5},
    RelType.HAS_PHASE.value: {"color": "#D55E00", "highlight": "#8f3f00", "width": 1.5},
    "NEXT": {"color": "#D55E00", "highlight": "#8f3f00", "width": 2, "dashes": True},
}

_HERE = Path(__file__).parent
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def render_html(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    min_papers: int = 1,
    max_nodes: int | None = None,
    title: str = DEFAULT_TITLE,
    physics_threshold: int = PHYSICS_THRESHOLD,
) -> str:
    """The concept map of ``graph`` as one HTML page (no external resources); ``graph`` is not changed.

    ``focus``/``depth``, ``types``, ``min_papers`` and ``max_nodes`` choose the
    nodes shown (see ``filters.apply_filters``; an unknown focus or type raises
    ``GraphError``). Maps with more than ``physics_threshold`` nodes are drawn
    at precomputed positions with physics off.
    """
    shown, report = apply_filters(graph, focus=focus, depth=depth, types=types, min_papers=min_papers,
                                  max_nodes=max_nodes)
    physics = shown.number_of_nodes() <= physics_threshold
    data = graph_data(shown, report, physics=physics)
    counts = Counter(n["group"] for n in data["nodes"])
    legend = [{"label": label, "count": f"{counts.get(label, 0):,}", **style} for label, style in data["labels"].items()]
    summary = (f"{shown.number_of_nodes():,} nodes and {shown.number_of_edges():,} edges"
               + (f" (of {graph.number_of_nodes():,} and {graph.number_of_edges():,})"
                  if shown.number_of_nodes() != graph.number_of_nodes() else "")
               + (". Layout settled by physics, then frozen: drag to rearrange." if physics
                  else f". Layout precomputed ({shown.number_of_nodes():,} > {physics_threshold:,} nodes), physics off."))
    vis_js, map_js, css = _vis_script(), _static("map.js"), _static("map.css")
    return _ENV.get_template("map.html.j2").render(
        title=_text(title),
        summary=summary,
        notes=[_text(n) for n in report.notes],
        legend=legend,
        has_phases=bool(data["next"]) or bool(data["phasePositions"]),
        csp=_csp(vis_js, map_js),
        css=css,
        vis_js=vis_js,
        map_js=map_js,
        data_json=script_json(data),
    )


def write_html(graph: nx.MultiDiGraph, path: Path, **options: Any) -> Path:
    """Write ``render_html(graph, **options)`` to ``path`` (UTF-8); returns the path."""
    html = render_html(graph, **options)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as err:
        raise GraphError(f"cannot write the concept map to {path}: {err.strerror}; "
                         "check the folder exists and is writable") from err
    return path


def graph_data(graph: nx.MultiDiGraph, report: FilterReport | None = None, *, physics: bool = False) -> dict[str, Any]:
    """The JSON-able data the page script draws: nodes, edges, phase view and styles (all text plain)."""
    report = report or FilterReport()
    positions = force_layout(graph)
    focus = set(report.focus)
    labelled = set(graph.nodes) if physics else _best_connected(graph, LABEL_BUDGET) | focus
    nodes = []
    for node, attrs in graph.nodes(data=True):
        label = str(attrs.get(LABEL_ATTR, OTHER))
        group = label if label in LABEL_STYLES else OTHER  # labels outside the schema share one style and toggle
        item: dict[str, Any] = {"id": str(node), "group": group, "label": _short(_display_name(node, attrs)),
                                "value": _size(label, attrs), "tip": node_tooltip(node, attrs),
                                "names": _search_names(attrs)}
        url = attrs.get("url")
        if label == Label.PAPER.value and isinstance(url, str) and url.lower().startswith(("http://", "https://")):
            item["url"] = url
        x, y = positions[node]
        item["x"], item["y"] = x, y
        if node in focus:
            item["focus"] = True
        if node not in labelled:
            item["quiet"] = True
        nodes.append(item)

    tails = _chain_tails(graph)
    edges = []
    for number, (u, v, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
        rel = str(attrs.get(TYPE_ATTR, ""))
        edge: dict[str, Any] = {"id": number, "from": str(u), "to": str(v), "type": rel,
                                "tip": edge_tooltip(rel, attrs)}
        if (u, v, key) in tails:
            edge["chainTail"] = True
        edges.append(edge)

    present = {str(n) for n in graph.nodes}
    labels = dict(LABEL_STYLES)
    if any(item["group"] == OTHER for item in nodes):
        labels[OTHER] = OTHER_STYLE
    return {
        "nodes": nodes,
        "edges": edges,
        "next": [{"from": a, "to": b, "count": n} for a, b, n in next_edges(graph)],
        "phasePositions": {str(k): [x, y] for k, (x, y) in phase_positions(graph).items() if str(k) in present},
        "labels": labels,
        "edgeStyles": EDGE_STYLES,
        "physics": physics,
        "stabilization": STABILIZATION_ITERATIONS,
        "large": not physics,
        "revealScale": REVEAL_SCALE,
        "revealBatch": REVEAL_BATCH,
        "focus": [str(f) for f in report.focus],
    }


def node_tooltip(node: object, attrs: dict[str, Any]) -> str:
    """A node's tooltip as plain text: a paper's title; an entity's name, aliases and paper count; ..."""
    label = str(attrs.get(LABEL_ATTR, OTHER))
    if label == Label.PAPER.value:
        lines = [_text(attrs.get("title") or attrs.get("id") or node)]
        meta = [str(v) for v in (attrs.get("year"), attrs.get("doi") and f"doi:{attrs['doi']}") if v]
        lines.append(" \u00b7 ".join([f"Paper {attrs.get('id', node)}", *meta]))
        return "\n".join(lines)
    if label == Label.PHASE_STRUCTURE.value:
        phases = attrs.get("phases") or []
        arrow = " \u2192 " if attrs.get("ordered", True) else ", "
        lines = [f"Phase structure of paper {attrs.get('paper', '?')}"]
        if attrs.get("subject"):
            lines.append(f"Subject: {attrs['subject']}")
        if phases:
            lines.append(f"Phases: {arrow.join(str(p) for p in phases)}")
        if attrs.get("evidence"):
            lines.append(f"\u201c{attrs['evidence']}\u201d")
        return _text("\n".join(lines))
    lines = [f"{label}: {attrs.get('name') or attrs.get('key') or node}"]
    aliases = attrs.get("aliases") or []
    if aliases:
        lines.append("Also: " + ", ".join(str(a) for a in aliases))
    if label in ENTITY_LABELS:
        papers = int(attrs.get("papers") or 0)
        lines.append(f"{papers} paper{'s' if papers != 1 else ''}")
    return _text("\n".join(lines))


def edge_tooltip(rel: str, attrs: dict[str, Any]) -> str:
    """An edge's tooltip as plain text: its type, and the evidence sentence (USES, PROPOSES, CLAIMS) or order."""
    lines = [rel or "edge"]
    if rel == RelType.HAS_PHASE.value and attrs.get("order") is not None:
        lines[0] += f" #{attrs['order']}" + (f" ({attrs['name']})" if attrs.get("name") else "")
    if attrs.get("evidence"):
        lines.append(f"\u201c{attrs['evidence']}\u201d")
    if attrs.get("mentions"):
        lines.append(f"{attrs['mentions']} mention(s)")
    return _text("\n".join(lines))


def script_json(data: Any) -> str:
    """``data`` as JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or U+2028/9 left raw."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _display_name(node: object, attrs: dict[str, Any]) -> str:
    """The text drawn on a node."""
    label = attrs.get(LABEL_ATTR)
    if label == Label.PAPER.value:
        return str(attrs.get("title") or attrs.get("id") or node)
    if label == Label.PHASE_STRUCTURE.value:
        phases = [str(p) for p in attrs.get("phases") or []]
        return " \u2192 ".join(phases) if phases else str(attrs.get("subject") or node)
    return str(attrs.get("name") or attrs.get("key") or node)


def _search_names(attrs: dict[str, Any]) -> list[str]:
    """The strings the page's search box matches: name (or title), aliases, key and paper id."""
    names = [attrs.get(p) for p in ("name", "title", "key", "id")] + list(attrs.get("aliases") or [])
    out: list[str] = []
    for name in names:
        if isinstance(name, str) and name and name not in out:
            out.append(_text(name))
    return out


def _size(label: str, attrs: dict[str, Any]) -> int:
    """vis-network ``value`` (scaled to the node size): the number of papers for entities, 1 otherwise."""
    if label in ENTITY_LABELS:
        return max(1, int(attrs.get("papers") or 1))
    return 1


def _best_connected(graph: nx.MultiDiGraph, count: int) -> set[Any]:
    """The ``count`` nodes with the most edges (ties by id)."""
    degree = dict(graph.degree())
    return set(sorted(graph.nodes, key=lambda n: (-degree[n], str(n)))[:count])


def _chain_tails(graph: nx.MultiDiGraph) -> set[tuple[Any, Any, Any]]:
    """HAS_PHASE edges to the second and later phases of ordered structures (the phase view hides them)."""
    tails: set[tuple[Any, Any, Any]] = set()
    for node, attrs in graph.nodes(data=True):
        if attrs.get(LABEL_ATTR) != Label.PHASE_STRUCTURE.value or attrs.get("ordered") is False:
            continue
        first = ordered_phases(graph, node)[:1]
        for _, v, key, edge in graph.out_edges(node, keys=True, data=True):
            if edge.get(TYPE_ATTR) == RelType.HAS_PHASE.value and [v] != first:
                tails.add((node, v, key))
    return tails


def _short(text: str) -> str:
    """``text`` cut to LABEL_CHARS characters with an ellipsis."""
    text = " ".join(_text(text).split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "\u2026"


def _text(value: object) -> str:
    """``value`` as a string that can be written as UTF-8 (lone surrogates replaced)."""
    return str(value).encode("utf-8", "replace").decode("utf-8")


@cache
def _vis_script() -> str:
    """vis-network 9.1.2 from the pyvis package; raises ``GraphError`` when pyvis is missing or changed."""
    try:
        text = (resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as err:
        raise GraphError("cannot find vis-network 9.1.2 inside the pyvis package; install it with "
                         "pip install pyvis==0.3.2") from err
    return _inline_safe(text, "pyvis/lib/vis-9.1.2/vis-network.min.js")


@cache
def _static(name: str) -> str:
    """A file from viz/static, checked safe to inline."""
    return _inline_safe((_HERE / "static" / name).read_text(encoding="utf-8"), f"viz/static/{name}")


def _inline_safe(text: str, where: str) -> str:
    """``text`` unchanged; raises ``GraphError`` if it could end its inline <script>/<style> element early."""
    lowered = text.lower()
    for bad in ("</script", "</style", "<!--"):
        if bad in lowered:
            raise GraphError(f"{where} contains {bad!r} and cannot be inlined; reinstall phasegraph and pyvis==0.3.2")
    return text


def _csp(*scripts: str) -> str:
    """A Content-Security-Policy that runs exactly ``scripts`` (by hash) and allows no network access."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'"
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")
