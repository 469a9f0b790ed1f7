"""Benchmark the concept map at scale: Python layout and render time, HTML size, and time to draw in chromium.

Synthetic corpora in the schema's shape (papers using methods and datasets drawn from skewed pools, a fifth
of them claiming phase structures) go through the real ``build_graph`` and ``render_html``; Debian's
chromium (headless, via Playwright) opens each page from disk. Prints, per size:

  nodes/edges, Python layout time, total render time, HTML size,
  time to the first drawn frame and to interactive (ms since navigation start, from the page's own marks),
  and the time one redraw takes once interactive (a zoom), i.e. how responsive the map is.

Usage: .venv/bin/python bench/viz_bench.py [--sizes 500,2000,5000] [--physics-check 2000]
Needs /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path
from typing import Any

import networkx as nx
from phasegraph.graph.build import build_graph
from phasegraph.viz.layout import force_layout
from phasegraph.viz.render import PHYSICS_THRESHOLD, render_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHASES = ["memorization", "generalization", "circuit formation", "cleanup", "warm up", "plateau", "fine tuning",
          "exploration", "exploitation", "compression", "fitting", "grokking"]


def synthetic_graph(target_nodes: int, seed: int = 0) -> nx.MultiDiGraph:
    """The graph of ``synthetic_records``, rescaled once so it has close to (at most about) ``target_nodes`` nodes."""
    graph = build_graph(synthetic_records(target_nodes, seed))
    scaled = round(target_nodes * target_nodes / max(1, graph.number_of_nodes()) * 0.99)
    return build_graph(synthetic_records(scaled, seed))


def synthetic_records(scale: int, seed: int = 0) -> list[dict[str, Any]]:
    """Extraction records of a corpus of about ``scale`` nodes (47% papers; methods and datasets from skewed pools)."""
    rng = random.Random(seed)
    papers = int(scale * 0.47)
    methods = [f"method {i}" for i in range(int(scale * 0.45))]
    datasets = [f"dataset {i}" for i in range(int(scale * 0.13))]

    def entity(name: str, proposed: bool) -> dict[str, Any]:
        evidence = f"We apply {name} to the benchmark."
        return {"name": name.title(), "key": name, "aliases": [name.upper().replace(" ", "")[:6]], "proposed": proposed,
                "mentions": [{"text": name, "start": 9, "end": 9 + len(name), "evidence": evidence,
                              "evidence_start": 0, "evidence_end": len(evidence)}]}

    weights = {id(pool): list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(pool))))
               for pool in (methods, datasets)}

    def pick(pool: list[str]) -> str:  # Zipf-like: a few popular entities, a long tail
        return rng.choices(pool, cum_weights=weights[id(pool)])[0]

    records = []
    for number in range(papers):
        structures = []
        if rng.random() < 0.2:
            start = rng.randrange(len(PHASES) - 3)
            chain = PHASES[start:start + rng.randint(2, 3)]
            structures.append({"subject": "training", "count": len(chain), "phases": chain, "phase_keys": chain,
                               "ordered": True, "evidence": "Training proceeds in " + " then ".join(chain) + ".",
                               "start": 0, "end": 10})
        used_m = {pick(methods) for _ in range(rng.randint(1, 4))}
        used_d = {pick(datasets) for _ in range(rng.randint(0, 2))}
        records.append({
            "id": f"s{number}",
            "paper": {"title": f"Synthetic paper {number} on {' and '.join(sorted(used_m))}", "source": "bench",
                      "abstract": "An abstract.", "url": f"https://example.org/{number}", "year": 2000 + number % 25},
            "methods": [entity(m, rng.random() < 0.2) for m in sorted(used_m)],
            "datasets": [entity(d, False) for d in sorted(used_d)],
            "phase_structures": structures,
        })
    return records


def measure_page(browser: Any, path: Path) -> dict[str, float]:
    """Open ``path`` and return the page's marks (ms since navigation start) and one redraw's duration."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.phasegraph && window.phasegraph.ready === true", timeout=300_000, polling=50)
    wall = (time.perf_counter() - start) * 1000
    marks = page.evaluate("window.phasegraph.timings")
    redraw = page.evaluate("""() => new Promise(resolve => {
        const net = window.phasegraph.network; const t0 = performance.now();
        net.once('afterDrawing', () => resolve(performance.now() - t0));
        net.moveTo({scale: net.getScale() * 1.5}); })""")
    page.close()
    return {"first_draw": marks["firstDraw"], "interactive": marks["interactive"], "wall": wall, "redraw": redraw}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000", help="target node counts, comma-separated")
    parser.add_argument("--physics-check", type=int, default=2000,
                        help="also time this size with physics forced on (0: skip), to show why the threshold exists")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    runs: list[tuple[int, int]] = [(int(s), PHYSICS_THRESHOLD) for s in args.sizes.split(",") if s.strip()]
    if args.physics_check:
        runs.append((args.physics_check, 10**9))
    print(f"{'nodes':>6} {'edges':>6} {'physics':>7} {'layout s':>8} {'render s':>8} {'HTML MB':>7} "
          f"{'1st frame ms':>12} {'interactive ms':>14} {'redraw ms':>9}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; browser figures are ms since navigation start)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, threshold in runs:
            graph = synthetic_graph(size)
            t0 = time.perf_counter()
            force_layout(nx.Graph(graph))
            layout = time.perf_counter() - t0
            t0 = time.perf_counter()
            html = render_html(graph, physics_threshold=threshold)
            render = time.perf_counter() - t0
            path = Path(tmp) / f"map-{size}-{threshold}.html"
            path.write_text(html, encoding="utf-8")
            marks = measure_page(browser, path)
            physics = "on" if graph.number_of_nodes() <= threshold else "off"
            print(f"{graph.number_of_nodes():>6} {graph.number_of_edges():>6} {physics:>7} {layout:>8.2f} {render:>8.2f} "
                  f"{len(html.encode()) / 1e6:>7.2f} {marks['first_draw']:>12.0f} {marks['interactive']:>14.0f} "
                  f"{marks['redraw']:>9.0f}", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
