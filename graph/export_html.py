"""Interactive HTML export: one self-contained page, safe to open, at any corpus size.

pyvis's stock template loads Bootstrap from a CDN and shows node titles as HTML
(``popup.innerHTML = title``), and its ``Network.add_node`` scans a list per node (71 s at
100k nodes). We build the vis-network nodes, edges and options as plain dicts and render
our own template instead:

- vis-network is inlined from the pyvis package and our script and styles from
  ``graph/assets``, so the page makes no request at all (the CSP ``default-src
  'none'`` would block one anyway);
- all data reaches the page as one JSON block written with Jinja's ``tojson``
  (which escapes ``<``, ``>``, ``&`` and quotes, and ``json.dumps`` writes U+2028 as an
  escape), nodes get no vis ``title`` (vis would make it a tooltip element), and the
  script writes untrusted text with ``textContent`` only, so no title, abstract or
  evidence can become markup;
- the same graph always gives the same bytes: nodes and edges sorted, ids stable,
  positions from a seeded or rule-based layout (:mod:`graph.layout`).

Up to :data:`~graph.overview.OVERVIEW_NODE_LIMIT` nodes the page draws every node and
edge. Colour is the community, size the PageRank (or GitHub stars), edge style the kind; a
``mentions`` edge a citation backs (``confirmed``) is drawn solid, one that rests on the text
alone dashed and lighter, and the legend counts both.
Above :data:`PHYSICS_NODE_LIMIT` nodes the browser's physics starts off and the
positions are precomputed. Above the overview limit the page draws communities as circles
and the top papers by PageRank, and opens a community or a paper's neighbourhood on demand
from compact columns (:mod:`graph.overview`): 24 MB and well under a second to paint at
100k papers and 1.2M edges, where drawing everything took 858 MB. :func:`write_html`
returns an :class:`HtmlExport` that says what was drawn, for the CLI to print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import jinja2
import networkx as nx
import pyvis

from paperlineage.graph import kinds, overview
from paperlineage.graph import layout as layouts
from paperlineage.graph import kinds
from paperlineage.graph.overview import OVERVIEW_NODE_LIMIT
from paperlineage.graph.build import NEW, confirmed_counts, is_confirmed

_ASSETS = Path(__file__).parent / "assets"
_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
_TEMPLATE = "lineage.html.j2"

PHYSICS_NODE_LIMIT = 500
LAYOUTS = ("force", "timeline")
SIZE_BY = ("pagerank", "stars")
ABSTRACT_PREVIEW_CHARS = 600
MIN_SIZE, MAX_SIZE = 8.0, 34.0
FONT_SIZE = 13
CHAR_WIDTH = 0.56 * FONT_SIZE  # average advance of a label character in system-ui, for laying out rows of labels
COMMUNITY_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8",
]  # fmt: skip
SMALL_COMMUNITY_COLOUR = "#c4c4c4"
NEW_RING = "#d6008f"  # the border of a paper that is new since the previous build (`graph.build.NEW`)
METHOD_COLOUR = "#5f5f5f"


@dataclass(frozen=True)
class HtmlExport:
    """What :func:`write_html` drew, and how."""

    nodes: int
    edges: int
    layout: str
    """"force" or "timeline"."""
    size_by: str
    physics: bool
    """Whether the browser simulates physics when the page opens."""
    positions: str
    """Where the start positions come from, in words."""
    estimated: int = 0
    """Timeline only: undated papers placed from their lineage."""
    undated: int = 0
    """Timeline only: undated papers with no dated lineage (grid under the axis)."""
    physics_limit: int = PHYSICS_NODE_LIMIT
    """Above this many nodes physics starts off."""
    mode: str = "full"
    """"full" (every node and edge drawn) or "overview" (communities and top papers; the rest on demand)."""
    drawn: int = 0
    """Overview only: nodes drawn when the page opens."""

    @property
    def message(self) -> str:
        """One line for the CLI."""
        text = f"graph.html: {self.nodes} nodes, {self.edges} edges; {self.layout} layout, size by {self.size_by}; "
        if self.mode == "overview":
            return text + (f"more than {OVERVIEW_NODE_LIMIT} nodes, so an overview of communities and the top papers "
                           f"({self.drawn} drawn), every paper's neighbourhood opened on demand")
        if self.layout == "timeline":
            text += f"x by date ({self.estimated} undated placed from their lineage, {self.undated} undated in a grid below); "
        elif not self.physics:
            text += f"more than {self.physics_limit} nodes, so "
        text += "physics on" if self.physics else "physics off (toggle in the page)"
        return text + f", positions from {self.positions}"


def community_colour(community: int) -> str:
    """Colour of a community (0 = largest); the small tail shares one grey."""
    return COMMUNITY_COLOURS[community] if 0 <= community < len(COMMUNITY_COLOURS) else SMALL_COMMUNITY_COLOUR


def _darker(hex_colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _node_label(node: str, data: dict) -> str:
    return str(data.get("title", node)) if data.get("node_type") == "method" else _label(data)


def label_width(graph: nx.MultiDiGraph, node: str) -> float:
    """About how wide a node's label is drawn, in canvas pixels (an estimate, the same everywhere)."""
    return round(len(_node_label(node, graph.nodes[node])) * CHAR_WIDTH + 6, 1)


def _label(data: dict) -> str:
    methods = kinds.split_list(data.get("methods", ""))
    if methods:
        return methods[0]
    title = str(data.get("title", ""))
    return title if len(title) <= 28 else title[:26] + "…"


def node_sizes(graph: nx.MultiDiGraph, size_by: str = "pagerank") -> dict[str, float]:
    """Radius per node, square-root scaled between MIN_SIZE and MAX_SIZE.

    Raises:
        ValueError: `size_by` is not one of SIZE_BY.
    """
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}, got {size_by!r}")
    if size_by == "stars":
        raw = {n: math.log1p(max(int(d.get("stars", 0) or 0), 0)) for n, d in graph.nodes(data=True)}
    else:
        raw = {n: float(d.get("pagerank", 0.0) or 0.0) for n, d in graph.nodes(data=True)}
    low, high = min(raw.values(), default=0.0), max(raw.values(), default=0.0)
    span = high - low
    return {n: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((v - low) / span) if span > 0 else MIN_SIZE, 2) for n, v in raw.items()}


def _node_options(node: str, data: dict, size: float, estimated: bool) -> dict:
    is_method = data.get("node_type") == "method"
    community = int(data.get("community", -1))
    fill = METHOD_COLOUR if is_method else community_colour(community)
    border = _darker(fill)
    options = {
        "label": _node_label(node, data),
        "shape": "diamond" if is_method else "dot",
        "size": size if not is_method else 10.0,
        "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": "#111111"},
                  "hover": {"background": fill, "border": "#111111"}},
        "borderWidth": 2 if estimated else 1,
        "node_kind": "method" if is_method else "paper",
        "paper_title": str(data.get("title", "")),
        "date": str(data.get("date", "")),
        "date_estimated": estimated,
        "year": int(data.get("year", 0) or 0),
        "authors": int(data.get("authors", 0) or 0),
        "organization": str(data.get("organization", "")),
        "arxiv_id": str(data.get("arxiv_id", "")),
        "github": str(data.get("github", "")),
        "stars": int(data.get("stars", 0) or 0),
        "methods": str(data.get("methods", "")),
        "community": community,
        "pagerank": float(data.get("pagerank", 0.0) or 0.0),
        "abstract": str(data.get("abstract", ""))[:ABSTRACT_PREVIEW_CHARS],
    }
    if estimated:
        options["shapeProperties"] = {"borderDashes": [3, 3]}
    if data.get(NEW):  # new since the previous build: a thick ring, a legend row and a filter on the page
        options.update(new=True, borderWidth=4)
        options["color"] = {**options["color"], "border": NEW_RING}
    return options


def _edge_options(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: dict) -> dict:
    kind = str(data.get("kind", key))
    confirmed = is_confirmed(graph, u, v, key, data)
    style = kinds.style(kind, confirmed)
    options = {
        "id": f"{u}|{v}|{key}",
        "kind": kind,
        "undirected": bool(data.get("undirected", False)) or kind in kinds.UNDIRECTED_KINDS,
        "evidence": str(data.get("evidence", "")),
        "names": str(data.get("names", "")),
        "intents": str(data.get("intents", "")),
        "influential": bool(data.get("is_influential", False)),
        "color": {"color": style["color"], "highlight": style["color"], "hover": style["color"], "inherit": False},
        "width": style["width"] + (1 if data.get("is_influential") else 0),
        "dashes": style["dashes"],
        "arrows": style["arrows"],
    }
    if confirmed is not None:  # a mentions edge: solid when a citation backs it, dashed and lighter when text only
        options["confirmed"] = confirmed
    return options


def _confirmation(graph: nx.MultiDiGraph, counted: dict[str, tuple[int, int]] | None = None) -> list[dict]:
    """Legend rows under a confirmable kind: how many of its edges a citation backs, how many are text only."""
    rows = []
    for kind, (confirmed, text_only) in (confirmed_counts(graph) if counted is None else counted).items():
        for state, count in ((True, confirmed), (False, text_only)):
            style = kinds.style(kind, state)
            rows.append({
                "kind": kind, "confirmed": state, "count": count, "color": style["color"], "dashes": style["dashes"],
                "label": f"{kind}: " + ("confirmed by a citation" if state else "text only"),
            })
    return rows


def _communities(graph: nx.MultiDiGraph) -> list[dict]:
    """Legend rows: each community with its colour, size and best-known paper."""
    members: dict[int, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("node_type") != "method":
            members.setdefault(int(data.get("community", -1)), []).append(node)
    rows = []
    for community, nodes in sorted(members.items()):
        top = max(sorted(nodes), key=lambda n: float(graph.nodes[n].get("pagerank", 0.0) or 0.0))
        rows.append({"id": community, "colour": community_colour(community), "count": len(nodes), "name": _label(graph.nodes[top])})
    return rows


def _positions(
    graph: nx.MultiDiGraph, layout: str, physics_limit: int, sizes: dict[str, float]
) -> tuple[dict, bool, str, layouts.Timeline | None]:
    if layout == "timeline":
        timeline = layouts.timeline_layout(graph, lambda node: max(label_width(graph, node), 2 * sizes[node]), sizes.__getitem__)
        return timeline.positions, False, "publication dates (timeline)", timeline
    if graph.number_of_nodes() > physics_limit:
        return layouts.community_layout(graph), False, "communities packed as sunflowers (precomputed)", None
    return layouts.force_layout(graph), True, f"a spring layout (seed {layouts.SEED})", None


def _options(large: bool, physics: bool) -> dict:
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -45, "springLength": 90, "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 250, "fit": True},
        },
        "layout": {"randomSeed": layouts.SEED, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "multiselect": False},
        "edges": {"smooth": False, "arrowStrikethrough": False, "arrows": {"to": {"scaleFactor": 0.6}}},
        "nodes": {"font": {"size": FONT_SIZE, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
    }


def _config(
    graph: nx.MultiDiGraph, layout: str, size_by: str, physics: bool, large: bool, timeline: layouts.Timeline | None,
    scan: overview.EdgeScan | None = None,
) -> dict:
    """The page's settings; `scan` (the big page's one pass over the edges) saves counting them again."""
    counts: dict[str, int] = dict(scan.counts) if scan else {}
    for _, _, kind in graph.edges(data="kind") if scan is None else ():
        counts[str(kind)] = counts.get(str(kind), 0) + 1
    years = sorted({int(y) for _, y in graph.nodes(data="year") if y})
    return {
        "layout": layout,
        "sizeBy": size_by,
        "physics": physics,
        "large": large,
        "influenceKinds": list(kinds.INFLUENCE_KINDS),
        "listSeparator": kinds.LIST_SEPARATOR,
        "kinds": [{"kind": k, "count": n, **kinds.style(k)} for k, n in sorted(counts.items())],
        "confirmation": _confirmation(graph, scan.confirmation if scan else None),
        "communities": _communities(graph),
        "smallCommunityColour": SMALL_COMMUNITY_COLOUR,
        "newCount": sum(1 for _, new in graph.nodes(data=NEW) if new),
        "newRing": NEW_RING,
        "years": [years[0], years[-1]] if years else [],
        "ticks": [[x, label] for x, label in timeline.ticks] if timeline else [],
        "undatedY": timeline.undated_y if timeline and timeline.undated else None,
    }


def build_network(
    graph: nx.MultiDiGraph, layout: str = "force", size_by: str = "pagerank", physics_limit: int = PHYSICS_NODE_LIMIT,
    overview_limit: int = OVERVIEW_NODE_LIMIT,
) -> tuple[dict, HtmlExport]:
    """The page's data (vis nodes, edges, options and the page's settings) and the export summary, all deterministic.

    Up to `overview_limit` nodes the data holds every node and edge as vis-network objects.
    Above it (``mode`` "overview") it holds the overview to draw first and every paper and
    edge in compact columns (:mod:`graph.overview`), and no layout runs over all the nodes.
    The vis objects are plain dicts: pyvis's ``Network.add_node`` scans a list per node,
    which is quadratic (71 s at 100k nodes).

    Raises:
        ValueError: `layout` is not one of LAYOUTS or `size_by` not one of SIZE_BY.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    sizes = node_sizes(graph, size_by)
    if graph.number_of_nodes() > overview_limit:
        return _overview_data(graph, layout, size_by, sizes)
    positions, physics, source, timeline = _positions(graph, layout, physics_limit, sizes)
    estimated = timeline.estimated if timeline else set()
    nodes = []
    for node in sorted(graph.nodes):
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append({"id": node, "x": x, "y": y, **_node_options(node, graph.nodes[node], sizes[node], node in estimated)})
    edges = [
        {"from": u, "to": v, **_edge_options(graph, u, v, key, data)}
        for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    ]
    large = graph.number_of_nodes() > physics_limit
    data = {"nodes": nodes, "edges": edges, "options": _options(large, physics),
            "config": _config(graph, layout, size_by, physics, large, timeline)}
    summary = HtmlExport(
        nodes=graph.number_of_nodes(), edges=graph.number_of_edges(), layout=layout, size_by=size_by, physics=physics,
        positions=source, estimated=len(estimated), undated=len(timeline.undated) if timeline else 0,
        physics_limit=physics_limit,
    )
    return data, summary


def _overview_data(graph: nx.MultiDiGraph, layout: str, size_by: str, sizes: dict[str, float]) -> tuple[dict, HtmlExport]:
    order = sorted(graph.nodes)
    index = {node: i for i, node in enumerate(order)}
    top = overview.top_papers(graph)
    scan = overview.scan_edges(graph, index, set(top))
    config = _config(graph, layout, size_by, False, True, None, scan)
    config["overview"] = {"topPapers": len(top), "maxClusters": overview.MAX_CLUSTERS, "tail": overview.TAIL,
                          "evidenceChars": overview.EVIDENCE_CHARS}
    config["flagNames"] = list(overview.FLAG_NAMES)
    config["bits"] = {"confirmable": overview.CONFIRMABLE_BIT, "confirmed": overview.CONFIRMED_BIT,
                      "influential": overview.INFLUENTIAL_BIT}
    config["styles"] = {k: {"normal": kinds.style(k), "textOnly": kinds.style(k, False)} for k in scan.kinds}
    config["undirectedKinds"] = list(kinds.UNDIRECTED_KINDS)
    config["colours"] = COMMUNITY_COLOURS
    config["methodColour"] = METHOD_COLOUR
    view = overview.overview(
        graph, order, scan, config["communities"], SMALL_COMMUNITY_COLOUR, top,
        lambda node: {"id": node, **_node_options(node, graph.nodes[node], sizes[node], False)}, _edge_options,
    )
    data = {
        "mode": "overview",
        "nodes": view["nodes"],
        "edges": view["edges"],
        "options": _options(True, False),
        "config": config,
        "papers": overview.paper_columns(graph, order, sizes, set(top)),
        "links": overview.edge_columns(scan, len(order)),
    }
    summary = HtmlExport(
        nodes=graph.number_of_nodes(), edges=len(scan.table), layout=layout, size_by=size_by, physics=False,
        positions="communities packed as circles (overview)", mode="overview", drawn=len(view["nodes"]),
    )
    return data, summary


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(_ASSETS), autoescape=True, keep_trailing_newline=True)


def _page(graph: nx.MultiDiGraph, heading: str, layout: str, size_by: str, physics_limit: int, overview_limit: int) -> tuple[str, HtmlExport]:
    data, summary = build_network(graph, layout, size_by, physics_limit, overview_limit)
    html = _environment().get_template(_TEMPLATE).render(
        heading=heading,  # autoescaped
        data=data,  # tojson: <, >, &, ' escaped, so it cannot close the <script> block
        vis_css=(_VIS / "vis-network.css").read_text(encoding="utf-8"),
        vis_js=(_VIS / "vis-network.min.js").read_text(encoding="utf-8"),
        page_css=(_ASSETS / "lineage.css").read_text(encoding="utf-8"),
        page_js=(_ASSETS / "lineage.js").read_text(encoding="utf-8"),
        compact_js=(_ASSETS / "lineage_compact.js").read_text(encoding="utf-8") if summary.mode == "overview" else "",
    )
    return html, summary


def generate_html(
    graph: nx.MultiDiGraph,
    heading: str = "paperlineage",
    layout: str = "force",
    size_by: str = "pagerank",
    physics_limit: int = PHYSICS_NODE_LIMIT,
    overview_limit: int = OVERVIEW_NODE_LIMIT,
) -> str:
    """The whole page as a string (the same graph always gives the same string).

    Raises:
        ValueError: unknown `layout` or `size_by`.
    """
    return _page(graph, heading, layout, size_by, physics_limit, overview_limit)[0]


def write_html(
    graph: nx.MultiDiGraph,
    path: Path,
    heading: str = "paperlineage",
    layout: str = "force",
    size_by: str = "pagerank",
    physics_limit: int = PHYSICS_NODE_LIMIT,
    overview_limit: int = OVERVIEW_NODE_LIMIT,
) -> HtmlExport:
    """Write the page to `path` and say what was drawn (``.message`` is one line for the CLI).

    Raises:
        ValueError: unknown `layout` or `size_by`.
    """
    html, summary = _page(graph, heading, layout, size_by, physics_limit, overview_limit)
    path.write_text(html, encoding="utf-8")
    return summary
