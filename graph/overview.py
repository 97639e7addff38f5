"""The big graph's page data: an overview to draw first, and every paper and edge in compact form.

A page that draws every node and edge of a 100k-paper graph is hundreds of megabytes and
never paints. Above :data:`OVERVIEW_NODE_LIMIT` nodes the page instead gets

- ``overview``: vis-network nodes and edges ready to draw: one cluster node per community
  (its size the number of papers, edges between communities aggregated into one per pair
  and counted) and the :data:`TOP_PAPERS` papers with the highest PageRank inside their
  community's circle, with their own edges (evidence trimmed);
- ``papers``: one column per field (``id``, ``title``, ``date`` …), row i is the i-th node
  in sorted order; ``flags`` packs the boolean marks named in ``config.flagNames`` (bit i
  for name i), so a new mark is one more name in :data:`FLAG_NAMES`;
- ``edges``: every edge as CSR over the sources: ``offsets`` (n + 1 uint32), ``targets``
  (uint32) and ``codes`` (uint8: kind index in ``edges.kinds`` in bits 0–3, bit 4 set when
  the kind is confirmable, bit 5 when confirmed, bit 6 when influential), each the
  base64 of its little-endian bytes: about 5 bytes an edge, decoded in milliseconds.

The browser opens a community or a paper's neighbourhood from ``papers`` and ``edges`` on
demand (``graph/assets/lineage_compact.js``). Evidence of an edge outside the overview
stays in ``graph.json``; the page says so. Everything is sorted, so the same graph gives
the same bytes.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from paperlineage.graph import kinds
from paperlineage.graph.build import is_confirmed
from paperlineage.graph.layout import pack_circles

OVERVIEW_NODE_LIMIT = 2000
TOP_PAPERS = 120
MAX_CLUSTERS = 24
"""Communities drawn as clusters; the smaller tail is one grey cluster."""
CLUSTER_EDGES_PER_CLUSTER = 3
"""Aggregated edges kept per cluster on average (the pairs with the most edges)."""
CLUSTER_GAP = 160.0
"""Between two circles, room for the name written above the lower one."""
EVIDENCE_CHARS = 300
FLAG_NAMES = ("method", "new")
"""Boolean marks packed in ``papers.flags``: "method" is a method-view node, the rest are node attributes."""
CONFIRMABLE_BIT, CONFIRMED_BIT, INFLUENTIAL_BIT = 16, 32, 64
TAIL = -2
"""Community key of the cluster that stands for every community past MAX_CLUSTERS."""


def _b64(array: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def _flags(data: dict) -> int:
    flags = 1 if data.get("node_type") == "method" else 0
    for bit, name in enumerate(FLAG_NAMES[1:], start=1):
        if data.get(name):
            flags |= 1 << bit
    return flags


def paper_columns(graph: nx.MultiDiGraph, order: list[str], sizes: dict[str, float], top: set[str]) -> dict:
    """One list per field, row i for node order[i]; abstracts only for the `top` papers (by row)."""
    nodes = graph.nodes
    column = lambda name, kind=str: [kind(nodes[n].get(name, "") or kind()) for n in order]  # noqa: E731
    return {
        "id": list(order),
        "title": [str(nodes[n].get("title", n)) for n in order],
        "date": column("date"),
        "year": column("year", int),
        "community": [int(nodes[n].get("community", -1)) for n in order],
        "pagerank": [float(f"{float(nodes[n].get('pagerank', 0.0) or 0.0):.4g}") for n in order],
        "size": [sizes[n] for n in order],
        "methods": column("methods"),
        "arxiv_id": column("arxiv_id"),
        "github": column("github"),
        "stars": column("stars", int),
        "authors": column("authors", int),
        "organization": column("organization"),
        "flags": [_flags(nodes[n]) for n in order],
        "abstracts": {str(i): str(nodes[n].get("abstract", ""))[:600] for i, n in enumerate(order) if n in top},
    }


@dataclass
class EdgeScan:
    """What one pass over every edge found (networkx's edge views cost microseconds an edge: one pass at 1M edges)."""

    table: np.ndarray
    """(source row, target row, code) per edge, sorted by rows then kind."""
    kinds: list[str]
    """Kind names in code order (sorted)."""
    counts: dict[str, int]
    """Edges per kind."""
    confirmation: dict[str, tuple[int, int]]
    """Per confirmable kind: (confirmed, text only)."""
    top_edges: list[tuple[str, str, str, dict]]
    """Lineage edges between two `top` papers."""


def scan_edges(graph: nx.MultiDiGraph, index: dict[str, int], top: set[str]) -> EdgeScan:
    """One pass over every edge: codes for the compact columns, counts for the legend, the top papers' edges."""
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    confirmation: dict[str, list[int]] = {}
    rows: list[tuple[int, int, int, int]] = []
    top_edges = []
    for u, around in graph.adj.items():
        row_u, u_top = index[u], u in top
        for v, keyed in around.items():
            row_v, both_top = index[v], u_top and v in top
            for key, data in keyed.items():
                name = str(data.get("kind", key))
                code = seen.setdefault(name, len(seen))
                counts[name] = counts.get(name, 0) + 1
                flags = 0
                if name in kinds.CONFIRMABLE_KINDS:
                    confirmed = is_confirmed(graph, u, v, key, data)
                    flags = CONFIRMABLE_BIT | (CONFIRMED_BIT if confirmed else 0)
                    confirmation.setdefault(name, [0, 0])[0 if confirmed else 1] += 1
                if data.get("is_influential"):
                    flags |= INFLUENTIAL_BIT
                rows.append((row_u, row_v, code, flags))
                if both_top and name in kinds.INFLUENCE_KINDS:  # lineage only: shared methods would be a hairball
                    top_edges.append((u, v, key, data))
    names = sorted(seen)
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    remap = np.zeros(max(len(seen), 1), dtype=np.int64)
    for name, code in seen.items():
        remap[code] = names.index(name)
    table[:, 2] = remap[table[:, 2]]
    table = table[np.lexsort((table[:, 2], table[:, 1], table[:, 0]))]
    table[:, 2] |= table[:, 3]
    return EdgeScan(table[:, :3], names, dict(sorted(counts.items())),
                    {k: (n[0], n[1]) for k, n in sorted(confirmation.items())}, sorted(top_edges, key=lambda e: e[:3]))


def edge_columns(scan: EdgeScan, nodes: int) -> dict:
    """Every edge as base64 CSR over the source rows (see the module docstring)."""
    table = scan.table
    offsets = np.zeros(nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(table[:, 0], minlength=nodes), out=offsets[1:])
    return {
        "kinds": scan.kinds,
        "count": int(len(table)),
        "offsets": _b64(offsets, "<u4"),
        "targets": _b64(table[:, 1], "<u4"),
        "codes": _b64(table[:, 2], "u1"),
    }


def top_papers(graph: nx.MultiDiGraph, count: int = TOP_PAPERS) -> list[str]:
    """The `count` papers with the highest PageRank (ties by id)."""
    papers = [n for n, t in graph.nodes(data="node_type") if t != "method"]
    return sorted(papers, key=lambda n: (-float(graph.nodes[n].get("pagerank", 0.0) or 0.0), n))[:count]


def cluster_of(communities: list[dict]) -> dict[int, int]:
    """Cluster key per community: itself for the MAX_CLUSTERS largest, TAIL for the rest."""
    ranked = sorted(communities, key=lambda c: (-c["count"], c["id"]))
    return {c["id"]: (c["id"] if i < MAX_CLUSTERS else TAIL) for i, c in enumerate(ranked)}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def cluster_radius(count: int) -> float:
    """Drawn radius of a community's circle: its area grows with its papers."""
    return round(60.0 + 7.0 * math.sqrt(count), 1)


def overview(
    graph: nx.MultiDiGraph, order: list[str], scan: EdgeScan, communities: list[dict], tail_colour: str, top: list[str],
    paper_node, edge_options,
) -> dict:
    """The vis nodes and edges drawn first: community clusters, the top papers inside them, their edges.

    `paper_node(node)` and `edge_options(graph, u, v, key, data)` give the vis options of a paper
    and an edge, as on the small page.
    """
    cluster = cluster_of(communities)
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for c in sorted(communities, key=lambda c: (-c["count"], c["id"])):
        key = cluster[c["id"]]
        counts[key] = counts.get(key, 0) + c["count"]
        names.setdefault(key, c["name"])
    colours = {c["id"]: c["colour"] for c in communities}
    tail = sum(1 for c in communities if cluster[c["id"]] == TAIL)
    keys = sorted(counts, key=lambda k: (k == TAIL, -counts[k], k))  # the tail is "the rest": last
    radii = [cluster_radius(counts[k]) for k in keys]
    centres = dict(zip(keys, pack_circles(radii, gap=CLUSTER_GAP)))
    nodes = []
    for key, radius in zip(keys, radii):
        colour = colours[key] if key != TAIL else tail_colour
        label = (names[key] if key != TAIL else f"the other {tail} communities") + f" · {counts[key]:,} papers"
        x, y = centres[key]
        nodes.append({
            "id": f"community:{key}", "x": x, "y": y, "name": label, "shape": "dot", "size": radius,
            "node_kind": "community", "community": key, "count": counts[key],
            "color": {"background": _rgba(colour, 0.16), "border": _rgba(colour, 0.7),
                      "highlight": {"background": _rgba(colour, 0.28), "border": colour},
                      "hover": {"background": _rgba(colour, 0.24), "border": colour}},
            "borderWidth": 2,
        })  # fmt: skip  (no vis label: the page writes the name above the circle, readable at any zoom)
    placed = _inside(graph, top, cluster, centres, dict(zip(keys, radii)))
    for node in top:
        x, y = placed[node]
        nodes.append({**paper_node(node), "x": x, "y": y})
    edges = []
    for u, v, key, data in scan.top_edges:
        options = {"from": u, "to": v, **edge_options(graph, u, v, key, data)}
        options["evidence"] = options["evidence"][:EVIDENCE_CHARS]
        edges.append(options)
    edges.extend(_between(graph, order, scan, cluster, len(keys)))
    return {"nodes": nodes, "edges": edges}


def _between(graph: nx.MultiDiGraph, order: list[str], scan: EdgeScan, cluster: dict[int, int], clusters: int) -> list[dict]:
    """One edge per pair of clusters with the most edges between them, its width by the count."""
    of_row = np.array([cluster.get(int(graph.nodes[n].get("community", -1)), TAIL) for n in order], dtype=np.int64)
    a, b = of_row[scan.table[:, 0]], of_row[scan.table[:, 1]]
    apart = a != b
    pairs = np.stack([np.minimum(a, b)[apart], np.maximum(a, b)[apart]], axis=1)
    found, counts = np.unique(pairs, axis=0, return_counts=True) if len(pairs) else (np.zeros((0, 2), dtype=np.int64), np.zeros(0))
    ranked = sorted(((int(n), int(p[0]), int(p[1])) for p, n in zip(found, counts)), key=lambda t: (-t[0], t[1], t[2]))
    kept = sorted(ranked[: CLUSTER_EDGES_PER_CLUSTER * clusters], key=lambda t: (t[1], t[2]))
    most = max((n for n, _, _ in kept), default=1)
    return [{
        "id": f"community:{x}|community:{y}", "from": f"community:{x}", "to": f"community:{y}", "kind": "between",
        "count": n, "width": round(1 + 7 * math.sqrt(n / most), 2), "arrows": "", "dashes": False, "undirected": True,
        "color": {"color": "rgba(120,120,120,0.25)", "highlight": "rgba(60,60,60,0.7)", "hover": "rgba(60,60,60,0.6)", "inherit": False},
    } for n, x, y in kept]  # fmt: skip


def _inside(graph, top: list[str], cluster: dict[int, int], centres: dict, radii: dict) -> dict[str, tuple[float, float]]:
    """Each top paper on a sunflower inside its cluster's circle, highest PageRank in the centre."""
    golden = math.pi * (3 - math.sqrt(5))
    members: dict[int, list[str]] = {}
    for node in top:  # already by PageRank
        members.setdefault(cluster.get(int(graph.nodes[node].get("community", -1)), TAIL), []).append(node)
    placed = {}
    for key, group in members.items():
        (cx, cy), radius = centres[key], radii[key]
        step = min(80.0, 0.75 * radius / math.sqrt(len(group)))
        for i, node in enumerate(group):
            r = step * math.sqrt(i + 0.5) if len(group) > 1 else 0.0
            placed[node] = (round(cx + r * math.cos(i * golden), 1), round(cy + r * math.sin(i * golden), 1))
    return placed
