"""The page in a real browser: headless Debian Chromium driven by Playwright.

Skipped, with the reason, when Playwright or /usr/bin/chromium is missing; ``.ci/run``
installs both. The page must load from a file with no request but itself and no
console error, draw every node and edge, search, light up a lineage, and stay inert
for hostile titles.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from cache import HttpConfig
from graph.export_html import write_html
from graph.pipeline import run_build
from tests.listings import LONG, block, listing

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
HOSTILE = '<img src=x onerror=alert(1)>: </script><script>alert(2)</script> & "quotes"'
GALORE = "galore-memory-efficient-llm-training-by-1807540d"
FIRA = "fira-can-we-achieve-full-rank-training-ce4ba51e"
FRUGAL = "frugal-memory-efficient-optimization-by-40f2beda"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() or shutil.which("chromium")), reason=f"{CHROMIUM} not found (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seeds(offline_seeds) -> tuple[Path, nx.MultiDiGraph]:
    return offline_seeds.written[0].parent / "graph.html", offline_seeds.graph.copy()


class Opened:
    """A page plus everything it asked the network for and said on its console."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        # a function, not a string: the page's CSP forbids eval, which string predicates use
        self.page.wait_for_function("() => window.lineage && window.lineage.ready", timeout=60_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def click_node(self, node: str) -> None:
        """A real mouse click on the node, after centring it."""
        self.js("id => window.lineage.network.focus(id, {scale: 1.5, animation: false})", node)
        self.page.wait_for_timeout(100)
        point = self.js("id => window.lineage.network.canvasToDOM(window.lineage.network.getPositions([id])[id])", node)
        box = self.page.locator("#mynetwork").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


@pytest.fixture
def opened(browser, seeds):
    view = Opened(browser, seeds[0])
    yield view
    view.page.close()


def test_browser__loads_offline_without_errors(opened: Opened, seeds):
    opened.page.wait_for_timeout(300)
    assert opened.errors == []
    assert opened.requests == [seeds[0].as_uri()]  # the file itself, nothing else
    assert opened.js("typeof vis") == "object"


def test_browser__draws_every_node_and_edge(opened: Opened, seeds):
    graph = seeds[1]
    assert opened.js("window.lineage.drawn()") == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert opened.page.locator("#counts").text_content().startswith(f"{graph.number_of_nodes()} papers, {graph.number_of_edges()} edges")


def test_browser__search_focuses_galore(opened: Opened):
    assert opened.js("window.lineage.search('GaLore')") == GALORE
    opened.js("window.lineage.search('')")
    opened.page.fill("#search", "galore")  # through the box, as a user would
    opened.page.press("#search", "Enter")
    assert opened.js("window.lineage.network.getSelectedNodes()") == [GALORE]
    assert opened.js(f"window.lineage.nodes.get('{GALORE}').borderWidth") == 4  # highlighted
    assert opened.page.locator("#details-body .card-title").first.text_content().startswith("GaLore: ")
    centre = opened.js(f"window.lineage.network.canvasToDOM(window.lineage.network.getPositions(['{GALORE}'])['{GALORE}'])")
    box = opened.page.locator("#mynetwork").bounding_box()
    # focused: in the centre (give or take what physics still settles)
    assert abs(centre["x"] - box["width"] / 2) < 30 and abs(centre["y"] - box["height"] / 2) < 30
    assert opened.js("window.lineage.search('no such paper at all')") is None


def test_browser__lineage_mode_on_galore_lights_frugal_and_fira(opened: Opened):
    opened.page.check("#lineage-mode")
    opened.click_node(GALORE)
    assert opened.js("window.lineage.network.getSelectedNodes()") == [GALORE]
    lit = opened.js("window.lineage.highlighted()")
    assert {GALORE, FRUGAL, FIRA} <= set(lit)
    colour = "id => window.lineage.nodes.get(id).color.background"
    assert opened.js(colour, FRUGAL) != "#eeeeee" and opened.js(colour, FIRA) != "#eeeeee"
    unrelated = opened.js("lit => window.lineage.nodes.getIds().filter(id => lit.indexOf(id) < 0)", lit)
    assert unrelated and all(opened.js(colour, node) == "#eeeeee" for node in unrelated[:20])  # the rest is dimmed
    assert "FRUGAL" in opened.page.locator("#details-body").text_content()
    opened.page.uncheck("#lineage-mode")
    assert opened.js("window.lineage.highlighted()") == []


def test_browser__edge_kind_and_year_filters(opened: Opened, seeds):
    graph = seeds[1]
    mentions = sum(1 for _, _, k in graph.edges(data="kind") if k == "mentions")
    opened.page.locator("#edge-legend label", has_text="shares a rare method").locator("input").uncheck()
    assert opened.js("window.lineage.drawn()")["edges"] == mentions
    opened.page.uncheck("#year-undated")
    dated = sum(1 for _, y in graph.nodes(data="year") if y)
    assert opened.js("window.lineage.drawn()")["nodes"] == dated
    opened.page.click("#reset")
    assert opened.js("window.lineage.drawn()") == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def test_browser__physics_toggle(opened: Opened):
    assert opened.js("window.lineage.network.physics.options.enabled") is True
    opened.page.uncheck("#physics")
    assert opened.js("window.lineage.network.physics.options.enabled") is False


def test_browser__timeline_page_and_arxiv_search(browser, seeds, tmp_path: Path):
    graph = seeds[1].copy()
    graph.nodes[GALORE]["arxiv_id"] = "2403.03507"  # offline builds have none; searching by ID needs one
    summary = write_html(graph, tmp_path / "timeline.html", layout="timeline")
    view = Opened(browser, tmp_path / "timeline.html")
    try:
        assert view.errors == [] and view.requests == [(tmp_path / "timeline.html").as_uri()]
        assert view.js("window.lineage.drawn()") == {"nodes": summary.nodes, "edges": summary.edges}
        assert view.js("window.lineage.network.physics.options.enabled") is False
        x = view.js(f"window.lineage.network.getPositions(['{GALORE}', '{FIRA}', '{FRUGAL}'])")
        assert x[GALORE]["x"] < x[FIRA]["x"] and x[GALORE]["x"] < x[FRUGAL]["x"]
        assert view.js("window.lineage.search('2403.03507')") == GALORE
        assert view.page.locator("#details-body a", has_text="arXiv:2403.03507").get_attribute("href") == "https://arxiv.org/abs/2403.03507"
        assert view.requests == [(tmp_path / "timeline.html").as_uri()]  # links are drawn, never fetched
    finally:
        view.page.close()


def test_browser__hostile_title_runs_no_script(browser, tmp_path: Path):
    (tmp_path / "evil.txt").write_bytes(
        listing(block(HOSTILE, "We propose <b>bold</b> things & <img src=y onerror=alert(3)>. " + LONG), block("Plain: Paper", LONG))
    )
    result = run_build([tmp_path / "evil.txt"], tmp_path / "out", HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite"))
    evil = next(n for n, d in result.graph.nodes(data=True) if d["title"] == HOSTILE)
    view = Opened(browser, tmp_path / "out" / "graph.html")
    try:
        view.page.fill("#search", "img src")
        view.page.press("#search", "Enter")  # shows the details: title and abstract
        view.click_node(evil)
        box = view.page.locator("#mynetwork").bounding_box()
        view.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # hover card too
        view.page.wait_for_timeout(400)
        assert view.dialogs == [] and view.errors == []
        assert view.js("document.querySelectorAll('img, b, script:not([type])').length") == 2  # our two inline scripts only
        assert view.page.locator("#details-body .card-title").first.text_content() == HOSTILE
        assert all(url.startswith("file://") for url in view.requests) and len(view.requests) == 1
    finally:
        view.page.close()
