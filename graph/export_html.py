"""Interactive HTML export built with pyvis, self-contained and safe to open.

pyvis's stock template loads Bootstrap from a CDN and shows node titles as HTML
(``popup.innerHTML = title``). We keep pyvis for the network data and options but
render our own template: vis-network is inlined from the pyvis package (no request
to any CDN), all data reaches the page through Jinja's ``tojson`` (which escapes
``<``, ``>``, ``&`` and quotes inside ``<script>``), nodes get no vis ``title``
(vis would turn it into a tooltip element), and the page writes untrusted text
with ``textContent`` only, so no title or abstract can become markup.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

_ASSETS = Path(__file__).parent / "assets"
_PYVIS_TEMPLATES = Path(pyvis.__file__).parent / "templates"
_TEMPLATE = "lineage.html.j2"

EDGE_STYLES: dict[str, dict] = {
    "mentions": {"color": "#e07b39", "dashes": False},
    "cites": {"color": "#4a6fa5", "dashes": False},
    "shares_method": {"color": "#9a9a9a", "dashes": True},
}
_YEAR_COLOURS = ["#8c6bb1", "#6a9fd4", "#41ae76", "#f2c14e", "#e07b39", "#d1495b"]
_UNKNOWN_YEAR_COLOUR = "#b8b8b8"
ABSTRACT_PREVIEW_CHARS = 600


def _label(data: dict) -> str:
    methods = [m for m in str(data.get("methods", "")).split("; ") if m]
    if methods:
        return methods[0]
    title = str(data.get("title", ""))
    return title if len(title) <= 28 else title[:26] + "…"


def year_colour(year: int, years: list[int]) -> str:
    """A colour per publication year, oldest first; grey when the year is unknown."""
    if not year:
        return _UNKNOWN_YEAR_COLOUR
    return _YEAR_COLOURS[min(years.index(year), len(_YEAR_COLOURS) - 1)] if year in years else _UNKNOWN_YEAR_COLOUR


def build_network(graph: nx.MultiDiGraph) -> Network:
    """Nodes and edges as pyvis objects, in deterministic order (text stays raw; the page never parses it)."""
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    years = sorted({int(y) for _, y in graph.nodes(data="year") if y})
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        degree = graph.degree(node)
        net.add_node(
            node,
            label=_label(data),
            color=year_colour(int(data.get("year") or 0), years),
            size=10 + 4 * min(degree, 10),
            paper_title=str(data.get("title", "")),
            date=str(data.get("date", "")),
            arxiv_id=str(data.get("arxiv_id", "")),
            github=str(data.get("github", "")),
            methods=str(data.get("methods", "")),
            abstract=str(data.get("abstract", ""))[:ABSTRACT_PREVIEW_CHARS],
        )
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        style = EDGE_STYLES.get(str(data.get("kind")), {"color": "#666666", "dashes": False})
        net.add_edge(
            u,
            v,
            kind=str(data.get("kind", key)),
            evidence=str(data.get("evidence", "")),
            names=str(data.get("names", "")),
            color=style["color"],
            dashes=style["dashes"],
            arrows="to",
        )
    net.set_options(
        '{"physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300}},'
        ' "interaction": {"hover": true}, "edges": {"smooth": false}}'
    )
    return net


def render_html(graph: nx.MultiDiGraph, heading: str = "paperlineage") -> str:
    """The whole page as a string (the same graph always gives the same string)."""
    net = build_network(graph)
    net.heading = heading  # autoescaped by the template
    net.templateEnv = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(_ASSETS), jinja2.FileSystemLoader(_PYVIS_TEMPLATES)]),
        autoescape=True,
    )
    net.path = _TEMPLATE
    return net.generate_html()


def write_html(graph: nx.MultiDiGraph, path: Path, heading: str = "paperlineage") -> None:
    """Write the page to `path`."""
    path.write_text(render_html(graph, heading), encoding="utf-8")
