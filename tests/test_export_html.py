"""The HTML page as bytes: self-contained, inert for hostile text, deterministic, and its layouts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.cache import HttpConfig
from paperlineage.graph.export_html import PHYSICS_NODE_LIMIT, generate_html, label_width, node_sizes, write_html
from paperlineage.graph.layout import LABEL_GAP, MIN_YEAR_SPAN, community_layout, timeline_layout
from paperlineage.pipeline import BuildOptions, run_build
from tests.listings import LONG, block, listing

HOSTILE = '<img src=x onerror=alert(1)>: </script><script>alert(2)</script> & "quotes"'
GALORE = "galore-memory-efficient-llm-training-by-1807540d"
FIRA = "fira-can-we-achieve-full-rank-training-ce4ba51e"
FRUGAL = "frugal-memory-efficient-optimization-by-40f2beda"


@pytest.fixture(scope="module")
def seeds_graph(offline_seeds) -> nx.MultiDiGraph:
    return offline_seeds.graph.copy()


def page_data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="lineage-data">(.*?)</script>', html, re.S)
    assert block, "data block missing"
    return json.loads(block.group(1))


def synthetic(n: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(f"p{i:04d}", node_type="paper", title=f"Paper {i}", community=i % 7, pagerank=1.0 / (i + 1), year=0, date="")
    for i in range(1, n):
        graph.add_edge(f"p{i // 2:04d}", f"p{i:04d}", key="mentions", kind="mentions", evidence="e", weight=1.0)
    return graph


def test_export_html__deterministic_bytes(seeds_graph: nx.MultiDiGraph):
    for layout in ("force", "timeline"):
        assert generate_html(seeds_graph, layout=layout) == generate_html(seeds_graph.copy(), layout=layout), layout


def test_export_html__self_contained(seeds_graph: nx.MultiDiGraph):
    html = generate_html(seeds_graph)
    assert "<link" not in html and "<script src" not in html and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "bootstrap" not in html.lower() and "cdn." not in html.lower()
    assert "default-src 'none'" in html


def test_export_html__data_matches_graph(seeds_graph: nx.MultiDiGraph):
    data = page_data(generate_html(seeds_graph))
    assert len(data["nodes"]) == seeds_graph.number_of_nodes()
    assert len(data["edges"]) == seeds_graph.number_of_edges()
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])  # stable, unique edge ids
    assert all("title" not in n for n in data["nodes"])  # vis would turn a title into a tooltip element
    counts: dict[str, int] = {}
    for _, _, kind in seeds_graph.edges(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    assert {k["kind"]: k["count"] for k in data["config"]["kinds"]} == counts  # the method detection may change the numbers
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_export_html__shares_method_edges_are_marked_undirected(seeds_graph: nx.MultiDiGraph):
    edges = page_data(generate_html(seeds_graph))["edges"]
    kinds = {(e["kind"], e["undirected"]) for e in edges}
    assert ("shares_method", True) in kinds and ("mentions", False) in kinds
    assert all(e["undirected"] == (e["kind"] == "shares_method") for e in edges)


def test_export_html__confirmed_mentions_are_drawn_solid_text_only_dashed(seeds_graph: nx.MultiDiGraph):
    from tests.test_confirmed import corpus

    graph, ids = corpus()  # GaLore → FRUGAL named and cited; GaLore → Fira named only
    data = page_data(generate_html(graph))
    edges = {e["id"]: e for e in data["edges"]}
    confirmed, text_only = edges[f"{ids['GaLore']}|{ids['FRUGAL']}|mentions"], edges[f"{ids['GaLore']}|{ids['Fira']}|mentions"]
    assert (confirmed["confirmed"], text_only["confirmed"]) == (True, False)
    assert confirmed["dashes"] is False and text_only["dashes"] == [7, 5]
    assert confirmed["color"]["color"] != text_only["color"]["color"] and confirmed["width"] > text_only["width"]
    assert all("confirmed" not in e for e in data["edges"] if e["kind"] != "mentions")
    legend = {(r["kind"], r["confirmed"]): (r["count"], r["dashes"], r["label"]) for r in data["config"]["confirmation"]}
    assert legend == {("mentions", True): (1, False, "mentions: confirmed by a citation"),
                      ("mentions", False): (1, [7, 5], "mentions: text only")}
    offline = page_data(generate_html(seeds_graph))  # no citations: every mention is text only
    assert {e["dashes"] == [7, 5] for e in offline["edges"] if e["kind"] == "mentions"} == {True}
    assert [r["count"] for r in offline["config"]["confirmation"]][0] == 0


def test_export_html__hostile_text_is_inert_json(tmp_path: Path):
    (tmp_path / "evil.txt").write_bytes(listing(block(HOSTILE, "We propose <b>bold</b> things. " + LONG), block("Plain: Paper", LONG)))
    graph = run_build([tmp_path / "evil.txt"], BuildOptions(out=tmp_path / "out", http=HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite"))).graph
    html = generate_html(graph, heading="<script>alert(3)</script>")
    assert "<img src=x" not in html and "alert(2)</script>" not in html and "<b>bold</b>" not in html
    assert "<script>alert(3)" not in html and "&lt;script&gt;alert(3)" in html
    assert HOSTILE in {n["paper_title"] for n in page_data(html)["nodes"]}


def test_export_html__physics_off_above_node_limit(tmp_path: Path):
    graph = synthetic(PHYSICS_NODE_LIMIT + 1)
    summary = write_html(graph, tmp_path / "big.html")
    assert not summary.physics and summary.nodes == PHYSICS_NODE_LIMIT + 1
    assert "physics off" in summary.message and str(PHYSICS_NODE_LIMIT) in summary.message
    data = page_data((tmp_path / "big.html").read_text())
    assert data["options"]["physics"]["enabled"] is False
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == graph.number_of_nodes()  # no two nodes stacked
    small = write_html(synthetic(50), tmp_path / "small.html")
    assert small.physics and "physics on" in small.message


def test_export_html__community_layout_is_deterministic_and_spread():
    graph = synthetic(300)
    positions = community_layout(graph)
    assert positions == community_layout(graph.copy())
    assert len(set(positions.values())) == 300


def test_export_html__timeline_reads_left_to_right(seeds_graph: nx.MultiDiGraph):
    timeline = timeline_layout(seeds_graph)
    x = {n: p[0] for n, p in timeline.positions.items()}
    assert set(x) == set(seeds_graph.nodes)
    assert x[GALORE] < x[FIRA] and x[GALORE] < x[FRUGAL]  # GaLore and Fira are undated: placed by lineage
    assert {GALORE, FIRA} <= timeline.estimated
    dated = sorted((d["date"], n) for n, d in seeds_graph.nodes(data=True) if re.fullmatch(r"\d{4}-\d\d-\d\d", d["date"]))
    assert [x[n] for _, n in dated] == sorted(x[n] for _, n in dated)
    assert [label for _, label in timeline.ticks] == sorted({d[:4] for d, _ in dated})
    summary = write_html(seeds_graph, Path("/dev/null"), layout="timeline")
    assert not summary.physics and f"{len(timeline.estimated)} undated placed" in summary.message


def test_export_html__timeline_years_have_room_for_their_labels(seeds_graph: nx.MultiDiGraph):
    ticks = timeline_layout(seeds_graph).ticks
    assert len(ticks) >= 3
    assert all(b[0] - a[0] >= MIN_YEAR_SPAN for a, b in zip(ticks, ticks[1:]))  # a year with one paper too


def test_export_html__timeline_labels_do_not_overlap(seeds_graph: nx.MultiDiGraph):
    data = page_data(generate_html(seeds_graph, layout="timeline"))
    width = {n["id"]: max(label_width(seeds_graph, n["id"]), 2 * n["size"]) for n in data["nodes"]}
    rows: dict[float, list[tuple[float, str]]] = {}
    for n in data["nodes"]:
        rows.setdefault(n["y"], []).append((n["x"], n["id"]))
    assert len(rows) > 5
    for row in rows.values():
        row.sort()
        for (xa, a), (xb, b) in zip(row, row[1:]):
            assert xb - xa >= (width[a] + width[b]) / 2 + LABEL_GAP - 0.2, (a, b)  # labels at least LABEL_GAP apart
    assert any(n["y"] > data["config"]["undatedY"] for n in data["nodes"])  # the undated rows were checked too


def test_export_html__size_by_stars():
    graph = synthetic(3)
    graph.nodes["p0001"]["stars"] = 5000
    sizes = node_sizes(graph, "stars")
    assert sizes["p0001"] > sizes["p0000"] == sizes["p0002"]
    ranks = node_sizes(graph, "pagerank")
    assert ranks["p0000"] > ranks["p0001"] > ranks["p0002"]


def test_export_html__rejects_unknown_options():
    with pytest.raises(ValueError, match="layout"):
        generate_html(synthetic(2), layout="circle")
    with pytest.raises(ValueError, match="size_by"):
        generate_html(synthetic(2), size_by="citations")


# ---- the big graph's overview page --------------------------------------------------------------


def decoded_edges(data: dict) -> set[tuple[str, str, str, bool | None]]:
    """(u, v, kind, confirmed) of every edge in the page's compact columns."""
    import base64

    import numpy as np

    links, ids = data["links"], data["papers"]["id"]
    offsets = np.frombuffer(base64.b64decode(links["offsets"]), "<u4")
    targets = np.frombuffer(base64.b64decode(links["targets"]), "<u4")
    codes = np.frombuffer(base64.b64decode(links["codes"]), "u1")
    assert len(offsets) == len(ids) + 1 and offsets[-1] == len(targets) == len(codes) == links["count"]
    found = set()
    for u in range(len(ids)):
        for e in range(offsets[u], offsets[u + 1]):
            code = int(codes[e])
            found.add((ids[u], ids[targets[e]], links["kinds"][code & 15], bool(code & 32) if code & 16 else None))
    return found


def test_export_html__big_graph_gets_an_overview_and_every_edge_compact():
    from tests.big_graph import big_graph

    graph = big_graph(3000)
    graph.nodes["p00007"]["new"] = True  # a boolean mark travels in the flags column
    html = generate_html(graph)
    data = page_data(html)
    assert data["mode"] == "overview"
    flags = dict(zip(data["papers"]["id"], data["papers"]["flags"]))
    assert data["config"]["flagNames"][1] == "new" and flags["p00007"] == 2 and set(flags.values()) == {0, 2}
    clusters = [n for n in data["nodes"] if n["node_kind"] == "community"]
    papers = [n for n in data["nodes"] if n["node_kind"] == "paper"]
    assert 0 < len(clusters) <= 25 and len(papers) == 120  # MAX_CLUSTERS + the tail; TOP_PAPERS
    assert {n["id"] for n in papers} == {f"p{i:05d}" for i in range(120)}  # the highest PageRank
    assert sum(c["count"] for c in clusters) == 3000
    assert data["papers"]["id"] == sorted(graph.nodes) and len(data["papers"]["title"]) == 3000
    assert decoded_edges(data) == {(u, v, d["kind"], d.get("confirmed")) for u, v, d in graph.edges(data=True)}
    drawn = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in drawn and e["to"] in drawn for e in data["edges"])
    assert len(html) < 3000 * 1000  # the small page of this graph would be ~ 30 MB
    assert generate_html(graph.copy()) == html  # deterministic


def test_export_html__big_page_grows_linearly():
    from tests.big_graph import big_graph

    small, large = (len(generate_html(big_graph(n)).encode()) for n in (2500, 5000))
    per_paper = (large - small) / 2500
    assert per_paper < 320, per_paper  # ~12 edges and a ~40-character title each; 100k papers stay under 30 MB
    assert large < 2.2 * small


def test_export_html__big_page_hostile_text_is_inert():
    from tests.big_graph import big_graph

    evil = HOSTILE + " \u2028line\u2029 <!--"
    graph = big_graph(2100, titles={0: evil, 2099: evil})
    html = generate_html(graph, heading="<script>alert(3)</script>")
    assert "<img src=x" not in html and "alert(2)</script>" not in html and "<!--" not in html.split("<script type")[1]
    assert "\u2028" not in html and "&lt;script&gt;alert(3)" in html
    data = page_data(html)
    assert data["papers"]["title"][0] == evil and data["papers"]["title"][-1] == evil
    assert evil in {n.get("paper_title") for n in data["nodes"]}  # p00000 is a top paper


def test_export_html__overview_summary_and_limit(tmp_path: Path):
    from tests.big_graph import big_graph

    graph = big_graph(600)
    summary = write_html(graph, tmp_path / "g.html", overview_limit=500)
    assert summary.mode == "overview" and "overview of communities" in summary.message
    assert write_html(graph, tmp_path / "g.html").mode == "full"
