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

from paperlineage.cache import HttpConfig
from paperlineage.graph.export_html import write_html
from paperlineage.pipeline import BuildOptions, run_build
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

    def point(self, canvas: dict) -> dict:
        """Page coordinates of a canvas point."""
        dom = self.js("p => window.lineage.network.canvasToDOM(p)", canvas)
        box = self.page.locator("#mynetwork").bounding_box()
        return {"x": box["x"] + dom["x"], "y": box["y"] + dom["y"]}

    def node_spot(self, node: str) -> dict:
        """A node's canvas position, centred at scale 1.5, with physics off."""
        self.js("window.lineage.setPhysics(false)")
        self.js("id => window.lineage.network.focus(id, {scale: 1.5, animation: false})", node)
        return self.js("id => window.lineage.network.getPositions([id])[id]", node)

    def hover(self, canvas: dict) -> str:
        """Move the mouse onto a canvas point (from off the graph) and return the hover card's text.

        Physics is switched off first, so that nothing moves under the pointer.
        """
        self.js("window.lineage.setPhysics(false)")
        self.page.mouse.move(5, 5)
        self.page.wait_for_timeout(100)
        at = self.point(canvas)
        self.page.mouse.move(at["x"] - 3, at["y"], steps=2)
        self.page.mouse.move(at["x"], at["y"])
        self.page.wait_for_selector("#hovercard:not([hidden])", timeout=5_000)
        return self.page.locator("#hovercard").inner_text()

    def edge_spot(self, edge: str) -> dict:
        """A canvas point on an edge, as far as possible from every other edge and node, centred at scale 2."""
        self.js("window.lineage.setPhysics(false)")
        spot = self.js(EDGE_SPOT, edge)
        self.js("p => window.lineage.network.moveTo({position: p, scale: 2, animation: false})", spot)
        self.page.wait_for_timeout(100)
        return spot

    def click_node(self, node: str) -> None:
        """A real mouse click on the node, after centring it."""
        self.js("id => window.lineage.network.focus(id, {scale: 1.5, animation: false})", node)
        self.page.wait_for_timeout(100)
        point = self.js("id => window.lineage.network.canvasToDOM(window.lineage.network.getPositions([id])[id])", node)
        box = self.page.locator("#mynetwork").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


EDGE_SPOT = """id => {
  const net = window.lineage.network, e = net.body.edges[id];
  const at = net.getPositions(), a = at[e.fromId], b = at[e.toId];
  function gap(p) {  // distance to the nearest other edge or node
    let best = Infinity;
    Object.values(net.body.edges).forEach(o => {
      if (o.id === id || !o.options || o.options.hidden) { return; }
      const u = at[o.fromId], v = at[o.toId], dx = v.x - u.x, dy = v.y - u.y;
      const t = Math.max(0, Math.min(1, ((p.x - u.x) * dx + (p.y - u.y) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(p.x - u.x - t * dx, p.y - u.y - t * dy));
    });
    Object.keys(at).forEach(n => { best = Math.min(best, Math.hypot(p.x - at[n].x, p.y - at[n].y) - net.body.nodes[n].options.size - 6); });
    return best;
  }
  let spot = null, room = -Infinity;
  for (let t = 0.15; t <= 0.85; t += 0.01) {
    const p = {x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)}, g = gap(p);
    if (g > room) { room = g; spot = p; }
  }
  return spot;
}"""


def hex_rgb(colour: str) -> str:
    """'#4e79a7' as the browser's computed style spells it."""
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


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


def test_browser__community_filter_hides_its_nodes(opened: Opened, seeds):
    graph = seeds[1]
    community = graph.nodes[GALORE]["community"]
    members = sorted(n for n, c in graph.nodes(data="community") if c == community)
    row = opened.page.locator(f"#community-legend label[data-key='{community}']")
    assert row.locator(".count").text_content() == str(len(members))
    row.locator("input").uncheck()  # a real click on the legend
    hidden = opened.js("() => window.lineage.nodes.get().filter(n => n.hidden).map(n => n.id).sort()")
    assert hidden == members
    assert opened.js("window.lineage.drawn()")["nodes"] == graph.number_of_nodes() - len(members)
    linked = sum(1 for u, v in graph.edges() if community not in (graph.nodes[u]["community"], graph.nodes[v]["community"]))
    assert opened.js("window.lineage.drawn()")["edges"] == linked  # an edge goes with either end
    row.locator("input").check()
    assert opened.js("window.lineage.drawn()") == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def test_browser__legend_counts_and_colours(opened: Opened, seeds):
    graph = seeds[1]
    counts: dict[str, int] = {}
    for _, _, kind in graph.edges(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    rows = opened.page.locator("#edge-legend label")
    legend = {rows.nth(i).get_attribute("data-key"): int(rows.nth(i).locator(".count").text_content()) for i in range(rows.count())}
    assert legend == counts  # one row per edge kind, with its count
    node_colours = opened.js("() => { const c = {}; window.lineage.nodes.forEach(n => { c[n.id] = n.color.background; }); return c; }")
    swatches = opened.page.locator("#community-legend label")
    keys = [swatches.nth(i).get_attribute("data-key") for i in range(swatches.count())]
    assert len(keys) >= 3 and keys[-1] == "small"
    seen = set()
    for i, key in enumerate(keys):
        swatch = swatches.nth(i).locator(".swatch").evaluate("el => getComputedStyle(el).backgroundColor")
        shown = [n for n, c in graph.nodes(data="community") if str(c) == key] if key != "small" else \
            [n for n in graph.nodes if n not in seen]
        assert shown and all(hex_rgb(node_colours[n]) == swatch for n in shown), key
        assert int(swatches.nth(i).locator(".count").text_content()) == len(shown)
        seen.update(shown)
    assert seen == set(graph.nodes)


def test_browser__hover_paper_shows_title_and_date(browser, seeds, tmp_path: Path):
    graph = seeds[1].copy()
    graph.nodes[GALORE]["date"] = "2024-03-06"  # offline seeds give GaLore no date
    write_html(graph, tmp_path / "dated.html")
    view = Opened(browser, tmp_path / "dated.html")
    try:
        text = view.hover(view.node_spot(GALORE))
        assert text.splitlines()[0] == graph.nodes[GALORE]["title"]
        assert "2024-03-06" in text and "introduces GaLore" in text
    finally:
        view.page.close()


def test_browser__hover_undated_paper_says_so(opened: Opened, seeds):
    text = opened.hover(opened.node_spot(GALORE))
    assert text.splitlines()[0] == seeds[1].nodes[GALORE]["title"] and "undated" in text


def test_browser__hover_edge_shows_kind_and_evidence(opened: Opened, seeds):
    graph = seeds[1]
    evidence = graph.edges[GALORE, FIRA, "mentions"]["evidence"]
    text = opened.hover(opened.edge_spot(f"{GALORE}|{FIRA}|mentions"))
    lines = text.splitlines()
    assert lines[0] == "GaLore → Fira" and lines[1].split(" · ")[0] == "mentions"
    assert lines[2:] == evidence.split(" | ")


def test_browser__shares_method_card_has_no_arrow(opened: Opened, seeds):
    graph = seeds[1]
    # A pair linked by this edge alone: where two edges join the same pair (GaLore and FRUGAL also
    # have a mentions edge) the pointer may land on either curve.
    u, v, key = next(
        (u, v, k) for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (GALORE not in e[:2], e[:3]))
        if d["kind"] == "shares_method" and graph.number_of_edges(u, v) + graph.number_of_edges(v, u) == 1
    )
    labels = opened.js("ids => ids.map(id => window.lineage.nodes.get(id).label)", [u, v])
    text = opened.hover(opened.edge_spot(f"{u}|{v}|{key}"))
    assert text.splitlines()[0] == f"{labels[0]} — {labels[1]}" and "→" not in text.splitlines()[0]
    assert text.splitlines()[1].startswith("shares_method")


def test_browser__isolated_papers_labels_do_not_overlap(opened: Opened, seeds):
    graph = seeds[1]
    alone = sorted(n for n in graph.nodes if graph.degree(n) == 0)
    assert len(alone) > 20
    boxes = opened.js(
        """ids => { const net = window.lineage.network, at = net.getPositions(ids);
                    net.redraw();
                    return ids.map(id => [at[id].x, at[id].y, net.body.nodes[id].labelModule.size.width, id]); }""",
        alone,
    )
    rows: dict[float, list] = {}
    for x, y, width, node in boxes:
        rows.setdefault(round(y), []).append((x - width / 2, x + width / 2, node))
    assert 1 < len(rows) < len(alone)
    for row in rows.values():
        row.sort()
        assert all(a[1] <= b[0] for a, b in zip(row, row[1:])), row
    ys = sorted(rows)
    assert all(b - a >= 40 for a, b in zip(ys, ys[1:]))


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
    result = run_build([tmp_path / "evil.txt"], BuildOptions(out=tmp_path / "out", http=HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite")))
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


def test_browser__confirmed_and_text_only_mentions_look_and_read_differently(browser, tmp_path: Path):
    from tests.test_confirmed import corpus

    graph, ids = corpus()  # GaLore → FRUGAL named and cited; GaLore → Fira named only
    write_html(graph, tmp_path / "confirmed.html")
    view = Opened(browser, tmp_path / "confirmed.html")
    confirmed, text_only = f"{ids['GaLore']}|{ids['FRUGAL']}|mentions", f"{ids['GaLore']}|{ids['Fira']}|mentions"
    try:
        assert view.errors == [] and view.requests == [(tmp_path / "confirmed.html").as_uri()]
        drawn = view.js("ids => ids.map(id => window.lineage.network.body.edges[id].options.dashes)", [confirmed, text_only])
        assert drawn[0] is False and drawn[1] == [7, 5]  # what vis draws: solid, dashed
        widths = view.js("ids => ids.map(id => window.lineage.network.body.edges[id].options.width)", [confirmed, text_only])
        assert widths[0] > widths[1]
        rows = view.page.locator("#confirmation-legend label")
        legend = {rows.nth(i).locator("span").nth(1).text_content(): (
            rows.nth(i).locator(".count").text_content(),
            rows.nth(i).locator(".line").evaluate("el => getComputedStyle(el).borderTopStyle"),
        ) for i in range(rows.count())}
        assert legend == {"mentions: confirmed by a citation": ("1", "solid"), "mentions: text only": ("1", "dashed")}
        assert view.page.locator("#edge-legend label").count() == 3  # one row per kind, as before
        text = view.hover(view.edge_spot(text_only))
        assert text.splitlines()[0] == "GaLore → Fira" and text.splitlines()[1].split(" · ")[:2] == ["mentions", "text only"]
        view.js("window.lineage.setEdgeKind('cites', false)")  # the cites edge of the same pair lies under the mention
        text = view.hover(view.edge_spot(confirmed))
        assert text.splitlines()[0] == "GaLore → FRUGAL" and text.splitlines()[1].split(" · ")[:2] == ["mentions", "confirmed by a citation"]
        view.page.click("#reset")
        before = view.js("window.lineage.drawn()")["edges"]
        rows.filter(has_text="text only").locator("input").uncheck()  # the legend filters them too
        assert view.js("window.lineage.drawn()")["edges"] == before - 1
        assert view.js("id => window.lineage.edges.get(id).hidden", text_only) is True
        assert view.js("id => !!window.lineage.edges.get(id).hidden", confirmed) is False
    finally:
        view.page.close()


# ---- the big graph's overview page --------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, nx.MultiDiGraph]:
    from tests.big_graph import big_graph

    graph = big_graph(3000, titles={2500: HOSTILE})
    path = tmp_path_factory.mktemp("big") / "graph.html"
    assert write_html(graph, path).mode == "overview"
    return path, graph


def test_browser__big_overview_renders_without_errors(browser, big):
    view = Opened(browser, big[0])
    try:
        view.page.wait_for_timeout(300)
        assert view.errors == [] and view.requests == [big[0].as_uri()]
        assert view.js("window.lineage.big") is True and view.js("window.lineage.view()") == "overview"
        drawn = view.js("window.lineage.drawn()")
        kinds_drawn = view.js("() => window.lineage.nodes.get().map(n => n.node_kind)")
        assert drawn["nodes"] == len(kinds_drawn) and kinds_drawn.count("paper") == 120 and kinds_drawn.count("community") >= 10
        assert view.page.locator("#counts").text_content().startswith(f"3000 papers, {big[1].number_of_edges()} edges")
        largest = view.js("() => window.lineage.nodes.get().find(n => n.node_kind === 'community')")  # largest first
        view.click_node(largest["id"])  # a real click on a community's circle opens its papers
        assert view.js("window.lineage.view()") == "community"
        members = view.js("() => window.lineage.nodes.get().map(n => n.community)")
        assert len(members) == min(120, largest["count"]) and set(members) == {largest["community"]}
        view.page.click("#overview")
        assert view.js("window.lineage.view()") == "overview" and view.errors == []
    finally:
        view.page.close()


def test_browser__big_search_opens_the_neighbourhood_with_its_edges(browser, big):
    path, graph = big
    paper = "p02000"
    incident = {f"{u}|{v}|{k}" for u, v, k in graph.in_edges(paper, keys=True)} | {f"{u}|{v}|{k}" for u, v, k in graph.out_edges(paper, keys=True)}
    assert 0 < len(incident) < 150  # every neighbour fits in the view
    view = Opened(browser, path)
    try:
        view.page.fill("#search", "Net2000:")
        view.page.press("#search", "Enter")
        assert view.js("window.lineage.view()") == "neighbourhood"
        assert view.js("window.lineage.network.getSelectedNodes()") == [paper]
        drawn_edges = set(view.js("() => window.lineage.edges.getIds()"))
        assert incident <= drawn_edges
        neighbours = {u for u, _ in graph.in_edges(paper)} | {v for _, v in graph.out_edges(paper)} | {paper}
        assert set(view.js("() => window.lineage.nodes.getIds()")) == neighbours
        among = {f"{u}|{v}|{k}" for u, v, k in graph.edges(keys=True) if u in neighbours and v in neighbours}
        assert drawn_edges == among  # and the edges between the neighbours
        assert view.page.locator("#details-body .card-title").first.text_content() == graph.nodes[paper]["title"]
        lineage = view.js("id => window.lineage.lineageOf(id)", paper)
        assert set(lineage["ancestors"]) == nx.ancestors(nx.DiGraph([(u, v) for u, v, k in graph.edges(data="kind") if k == "mentions"]), paper)
        text = view.hover(view.node_spot(paper))
        assert text.splitlines()[0] == graph.nodes[paper]["title"]
        assert view.errors == [] and view.dialogs == []
    finally:
        view.page.close()


def test_browser__big_hostile_title_runs_no_script(browser, big):
    view = Opened(browser, big[0])
    try:
        view.page.fill("#search", "img src")
        view.page.press("#search", "Enter")
        view.page.wait_for_timeout(300)
        assert view.js("window.lineage.network.getSelectedNodes()") == ["p02500"]
        assert view.page.locator("#details-body .card-title").first.text_content() == HOSTILE
        assert view.dialogs == [] and view.errors == []
        assert view.js("document.querySelectorAll('img').length") == 0
        assert view.js("document.querySelectorAll('script:not([type])').length") == 3  # vis, compact data, page
    finally:
        view.page.close()


def test_browser__papers_new_since_the_previous_build_are_marked_and_filtered(browser, tmp_path: Path):
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").iterdir())
    http = HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite")
    out = tmp_path / "out"
    before = run_build(seeds[:1], BuildOptions(out=out, http=http))
    after = run_build(seeds[1:2], BuildOptions(out=out, http=http, update=True))
    new = sorted(after.whats_new.new_ids)
    old = sorted({p.id for p in before.papers})
    assert new and old
    view = Opened(browser, out / "graph.html")
    try:
        assert view.errors == [] and len(view.requests) == 1
        drawn = view.js("ids => ids.map(id => [window.lineage.network.body.nodes[id].options.borderWidth, "
                        "window.lineage.network.body.nodes[id].options.color.border])", [new[0], old[0]])
        assert drawn[0][0] > drawn[1][0] and drawn[0][1] != drawn[1][1]  # a thicker ring of another colour
        legend = view.page.locator("#new-legend label")
        assert legend.locator("span").nth(1).text_content() == "show only new papers"
        assert legend.locator(".count").text_content() == str(len(new))
        legend.locator("input").check()  # the filter
        assert view.js("window.lineage.drawn()")["nodes"] == len(new)
        view.js("window.lineage.setOnlyNew(false)")
        assert view.js("window.lineage.drawn()")["nodes"] == after.graph.number_of_nodes()
        text = view.hover(view.node_spot(new[0]))
        assert "new since the last build" in text
    finally:
        view.page.close()
    write_html(before.graph, tmp_path / "first.html")
    plain = Opened(browser, tmp_path / "first.html")
    try:
        assert plain.page.locator("#new-legend").count() == 0  # nothing new: no legend row, no ring
    finally:
        plain.page.close()
