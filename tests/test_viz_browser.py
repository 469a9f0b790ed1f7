"""The concept map in a real browser (Debian's chromium driven by Playwright): complete, searchable, inert, offline.

Marked ``browser``; skipped when /usr/bin/chromium is missing (failed under CI, which installs it).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from phasegraph.graph.build import build_graph
from phasegraph.viz.render import render_html

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "viz" / "records.jsonl"
SCREENSHOT_COPY = Path("/tmp/phasegraph-map.png")
HOSTILE = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "</script><script>window.__pwned=2;alert(2)</script>",
    '"><svg onload="window.__pwned=3;alert(3)">',
    "a href=javascript:alert(4) link",
]


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    with playwright_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Events:
    """What the page did besides drawing: requests, dialogs, errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_map(browser: Any, html: str, path: Path) -> tuple[Any, Events]:
    """Write ``html`` to ``path``, open it in a fresh context and wait until the map is interactive."""
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    events = Events()
    context.on("request", lambda request: events.requests.append(request.url))
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    page = context.new_page()
    page.on("dialog", lambda dialog: (events.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: events.errors.append(str(error)))
    page.on("console", lambda message: events.errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("window.phasegraph && window.phasegraph.ready === true", timeout=60_000)
    return page, events


def fixture_graph() -> nx.MultiDiGraph:
    return build_graph(json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def sample_graph(request: pytest.FixtureRequest) -> nx.MultiDiGraph:
    """The built-in sample corpus as a graph: from `phasegraph build`'s extractions when present, else extracted now."""
    extractions = REPO / "phasegraph-out" / "extractions.jsonl"
    if extractions.exists():
        lines = extractions.read_text(encoding="utf-8").splitlines()
        return build_graph(json.loads(line) for line in lines if line.strip())
    from phasegraph.extract.pipeline import extract_records
    from phasegraph.extract.readers import SAMPLE_CORPUS, read_corpus

    papers = read_corpus([SAMPLE_CORPUS]).papers
    return build_graph(extract_records(papers, request.getfixturevalue("nlp")))


def hover_tooltip(page: Any, node: str) -> str:
    """Move the mouse onto ``node`` and return the text of vis-network's tooltip."""
    x, y = page.evaluate(
        """id => { const net = window.phasegraph.network; net.moveTo({position: net.getPosition(id), scale: 1.5});
                   const p = net.canvasToDOM(net.getPosition(id)); const box = document.getElementById('pg-map')
                   .getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }""", node)
    page.mouse.move(0, 0)
    page.mouse.move(x, y, steps=4)
    page.wait_for_function("() => { const t = document.querySelector('div.vis-tooltip');"
                           " return t && t.style.visibility === 'visible'; }", timeout=5_000)
    return page.evaluate("document.querySelector('div.vis-tooltip').textContent")


def test_every_node_of_the_sample_corpus_is_in_the_network(browser: Any, sample_graph: nx.MultiDiGraph,
                                                          tmp_path: Path) -> None:
    page, events = open_map(browser, render_html(sample_graph), tmp_path / "sample.html")
    in_data = page.evaluate("window.phasegraph.nodes.getIds()")
    in_network = page.evaluate("Object.keys(window.phasegraph.network.body.nodes)")
    assert set(in_data) == set(in_network) == set(sample_graph.nodes)
    graph_edges = page.evaluate("window.phasegraph.edges.get().filter(e => e.kind !== 'NEXT').length")
    assert graph_edges == sample_graph.number_of_edges()
    assert not events.errors and not events.dialogs


def test_screenshot_of_the_sample_corpus_map(browser: Any, sample_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    page, events = open_map(browser, render_html(sample_graph, title="phasegraph: the 267-paper sample corpus"),
                            tmp_path / "sample.html")
    shot = tmp_path / "sample-map.png"
    page.screenshot(path=str(shot))
    shutil.copyfile(shot, SCREENSHOT_COPY)
    drawn = page.evaluate("""() => { const c = document.querySelector('#pg-map canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let ink = 0;
        for (let i = 0; i < px.length; i += 4) { if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] < 600) ink++; }
        return ink; }""")
    assert drawn > 1_000, "the canvas is (nearly) blank"
    assert shot.stat().st_size > 20_000
    assert not events.errors


def test_search_box_finds_a_node_by_alias(browser: Any, tmp_path: Path) -> None:
    page, events = open_map(browser, render_html(fixture_graph()), tmp_path / "map.html")
    page.fill("#pg-search-input", "A3C")
    page.press("#pg-search-input", "Enter")
    assert page.evaluate("window.phasegraph.network.getSelectedNodes()") == \
        ["Method:asynchronous advantage actor critic"]
    assert "asynchronous advantage actor-critic" in page.text_content("#pg-search-status")
    assert "Also: A3C" in page.text_content("#pg-details")
    page.fill("#pg-search-input", "no such thing")
    page.press("#pg-search-input", "Enter")
    assert "No node is called" in page.text_content("#pg-search-status")
    assert not events.errors


def test_hostile_titles_and_abstracts_run_no_script_and_show_literally(browser: Any, tmp_path: Path) -> None:
    records = []
    for number, text in enumerate(HOSTILE, 1):
        evidence = f"We use {text} here."
        records.append({
            "id": f"x{number}", "paper": {"title": f"T{number} {text}", "abstract": evidence, "source": "x",
                                         "url": f"https://example.org/{number}"},
            "methods": [{"name": f"M{number} {text}", "key": f"m{number}", "aliases": [text], "proposed": False,
                         "mentions": [{"text": text, "start": 0, "end": 1, "evidence": evidence,
                                       "evidence_start": 0, "evidence_end": 1}]}],
            "datasets": [], "phase_structures": []})
    graph = build_graph(records)
    page, events = open_map(browser, render_html(graph, title=HOSTILE[1]), tmp_path / "hostile.html")
    for number, text in enumerate(HOSTILE, 1):
        assert hover_tooltip(page, f"Paper:x{number}").startswith(f"T{number} {text}")
        page.click("#pg-fit")
        page.evaluate("id => window.phasegraph.network.selectNodes([id])", f"Method:m{number}")
        page.fill("#pg-search-input", f"M{number} {text}")
        page.press("#pg-search-input", "Enter")
        assert f"M{number} {text}" in page.text_content("#pg-details")
    assert page.title() == HOSTILE[1]
    assert page.text_content("#pg-title") == HOSTILE[1]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert not events.dialogs
    assert not events.errors
    assert events.requests == [(tmp_path / "hostile.html").as_uri()]


def test_the_page_makes_no_network_request(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "map.html"
    page, events = open_map(browser, render_html(fixture_graph()), path)
    hover_tooltip(page, "Paper:p1")
    page.click("#pg-phase-view")
    page.click("#pg-phase-view")
    page.fill("#pg-search-input", "grokking")
    page.press("#pg-search-input", "Enter")
    page.wait_for_timeout(500)
    assert events.requests == [path.as_uri()]
    assert not events.errors


def test_paper_links_are_http_only_and_built_as_elements(browser: Any, tmp_path: Path) -> None:
    page, _ = open_map(browser, render_html(fixture_graph()), tmp_path / "map.html")
    page.fill("#pg-search-input", "p1")
    page.press("#pg-search-input", "Enter")
    assert page.get_attribute("#pg-details a", "href") == "https://arxiv.org/abs/2205.10343"
    assert page.get_attribute("#pg-details a", "rel") == "noopener noreferrer"
    page.fill("#pg-search-input", "p7")  # its record's url is javascript:
    page.press("#pg-search-input", "Enter")
    assert page.query_selector("#pg-details a") is None


def test_phase_view_draws_ordered_chains_and_label_toggles_hide(browser: Any, tmp_path: Path) -> None:
    page, events = open_map(browser, render_html(fixture_graph()), tmp_path / "map.html")
    page.click("#pg-phase-view")
    state: dict[str, Any] = page.evaluate("""() => { const pg = window.phasegraph;
        const pos = pg.network.getPositions(['Phase:memorization', 'Phase:generalization', 'Phase:cleanup']);
        return { pos, next: pg.edges.get().filter(e => e.kind === 'NEXT' && !e.hidden).length,
                 methodsHidden: pg.nodes.get().filter(n => n.kind === 'Method').every(n => n.hidden) }; }""")
    assert state["next"] > 0 and state["methodsHidden"]
    pos = state["pos"]
    assert pos["Phase:memorization"]["x"] < pos["Phase:generalization"]["x"] < pos["Phase:cleanup"]["x"]
    page.screenshot(path=str(tmp_path / "phase-view.png"))
    page.click("#pg-phase-view")
    page.uncheck('.pg-label-toggle[data-label="Paper"]')
    hidden = page.evaluate("window.phasegraph.nodes.get().filter(n => n.kind === 'Paper').map(n => n.hidden)")
    assert hidden and all(hidden)
    assert page.evaluate("window.phasegraph.nodes.get().filter(n => n.kind === 'Method').some(n => n.hidden)") is False
    assert not events.errors


def test_large_maps_draw_at_python_positions_and_reveal_labels_on_zoom(browser: Any, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from phasegraph.viz import render

    monkeypatch.setattr(render, "LABEL_BUDGET", 2)
    graph = fixture_graph()
    page, events = open_map(browser, render.render_html(graph, physics_threshold=5), tmp_path / "large.html")
    expected = {n["id"]: (n["x"], n["y"]) for n in render.graph_data(graph)["nodes"]}
    drawn = page.evaluate("window.phasegraph.network.getPositions()")
    assert all(abs(drawn[i]["x"] - x) < 1 and abs(drawn[i]["y"] - y) < 1 for i, (x, y) in expected.items())  # vis truncates
    assert page.evaluate("window.phasegraph.network.physics.options.enabled") is False
    assert page.evaluate("window.phasegraph.nodes.get('Dataset:imdb').label") is None
    page.evaluate("""() => { const net = window.phasegraph.network;
        net.moveTo({position: net.getPosition('Dataset:imdb'), scale: 2}); window.phasegraph.revealLabels(); }""")
    assert page.evaluate("window.phasegraph.nodes.get('Dataset:imdb').label") == "IMDb"
    assert not events.errors
