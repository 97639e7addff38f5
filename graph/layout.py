"""Deterministic node positions for the HTML page.

Three layouts, all plain functions of the graph (no randomness without a seed,
coordinates rounded), so the same graph always gives the same page:

- :func:`force_layout`: networkx ``spring_layout`` with a fixed seed; the start
  positions for the browser's physics on graphs small enough to simulate.
- :func:`community_layout`: for large graphs, where ``spring_layout`` is too slow
  (seconds per thousand nodes) and live physics would freeze the tab: each
  community is a sunflower (golden-angle spiral, highest PageRank in the centre)
  and the communities are packed in rows, largest first. Linear time.
- :func:`pack_circles`: the big page's overview, one circle per community, packed in
  rows the same way.
- :func:`timeline_layout`: x by publication date, so lineage reads left to right;
  y by community band. A paper without a date is placed just after the dated
  papers it builds on (or else just before the first dated paper that builds on
  it) and marked as estimated; the rest sit in rows under the timeline, each
  given the width of its label so no two labels overlap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from paperlineage.graph.kinds import TIME_ORDERING_KINDS

SEED = 42
NODE_GAP = 80.0  # horizontal distance between two nodes in one row
ROW_GAP = 46.0
BAND_GAP = 40.0
YEAR_GAP = NODE_GAP  # empty space where a year starts
MIN_YEAR_SPAN = 5 * NODE_GAP  # from one year's tick to the next at least, so a sparse year still has room for its label
LABEL_GAP = 18.0  # between two labels in a row
LABEL_HEIGHT = 22.0  # a label under its dot, and a little air
MAX_COLUMNS = 400  # distinct date columns on a timeline before dates are grouped by week or month

Position = tuple[float, float]


@dataclass
class Timeline:
    """Positions of a timeline layout and what the page needs to label it."""

    positions: dict[str, Position]
    estimated: set[str] = field(default_factory=set)
    """Undated nodes placed from the dates of their lineage."""
    undated: set[str] = field(default_factory=set)
    """Undated nodes with no dated lineage, in the grid under the timeline."""
    ticks: list[tuple[float, str]] = field(default_factory=list)
    """(x, year) where each year starts on the axis."""
    undated_y: float = 0.0
    """Top of the grid of undated nodes (for its caption)."""


def _rounded(positions: dict[str, Position]) -> dict[str, Position]:
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in sorted(positions.items())}


def _simple(graph: nx.MultiDiGraph) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for u, v, weight in sorted(graph.edges(data="weight", default=1.0), key=lambda e: (e[0], e[1])):
        if u != v:
            simple.add_edge(u, v, weight=simple.get_edge_data(u, v, {}).get("weight", 0.0) + float(weight or 1.0))
    return simple


def force_layout(graph: nx.MultiDiGraph, seed: int = SEED) -> dict[str, Position]:
    """Spring-layout positions (seeded), scaled to the number of nodes."""
    if graph.number_of_nodes() == 0:
        return {}
    scale = 60.0 * math.sqrt(graph.number_of_nodes())
    found = nx.spring_layout(_simple(graph), seed=seed, weight="weight", scale=scale)
    return _rounded({str(n): (float(p[0]), float(p[1])) for n, p in found.items()})


def _groups(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Nodes per community, largest community first, most central node first."""
    members: dict[int, list[str]] = {}
    for node, data in graph.nodes(data=True):
        members.setdefault(int(data.get("community", -1)), []).append(node)
    rank = {n: float(graph.nodes[n].get("pagerank", 0.0)) for n in graph.nodes}
    groups = [sorted(nodes, key=lambda n: (-rank[n], n)) for _, nodes in sorted(members.items())]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def community_layout(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Sunflower per community, communities packed in rows; O(n), no randomness."""
    golden = math.pi * (3 - math.sqrt(5))
    spacing = 0.6 * NODE_GAP
    groups = _groups(graph)
    total_area = sum((spacing * math.sqrt(len(g)) + spacing) ** 2 * 4 for g in groups)
    row_width = max(math.sqrt(total_area) * 1.3, 4 * spacing)
    positions: dict[str, Position] = {}
    x = y = row_height = 0.0
    for group in groups:
        radius = spacing * math.sqrt(len(group)) + spacing
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y + row_height + spacing, 0.0
        cx, cy = x + radius, y + radius
        for i, node in enumerate(group):
            r = spacing * math.sqrt(i)
            positions[node] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
        x += 2 * radius + spacing
        row_height = max(row_height, 2 * radius)
    return _rounded(positions)


def pack_circles(radii: list[float], gap: float = NODE_GAP) -> list[Position]:
    """Centres for circles of the given radii (largest first reads best), packed in rows; O(n), no randomness.

    The rows are about as wide as the circles' total area is square, so the picture is
    roughly as wide as it is tall; two circles are at least `gap` apart.
    """
    area = sum((2 * r + gap) ** 2 for r in radii)
    row_width = max(math.sqrt(area) * 1.25, 2 * max(radii, default=0.0) + gap)
    centres: list[Position] = []
    x = y = row_height = 0.0
    for radius in radii:
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        centres.append((round(x + radius, 1), round(y + radius, 1)))
        x += 2 * radius + gap
        row_height = max(row_height, 2 * radius)
    return centres


def publication_day(data: dict) -> int | None:
    """Day number of a node's date: ISO date, else 1 July of its year, else None."""
    text = str(data.get("date", ""))[:10]
    try:
        return dt.date.fromisoformat(text).toordinal()
    except ValueError:
        year = int(data.get("year") or 0)
        return dt.date(year, 7, 1).toordinal() if 0 < year <= 9999 else None


def _date_x(days: dict[str, int]) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """x per dated node: the rank of its date among distinct dates (equal dates share x).

    Ranks rather than raw days keep a busy month from being crushed next to an empty
    year; the axis ticks mark where each year starts, in an empty gap (YEAR_GAP),
    and a year takes at least MIN_YEAR_SPAN, so sparse years do not crowd their
    labels together. With more than
    MAX_COLUMNS distinct dates, dates are grouped by week, then by month, so the page
    stays a sensible width.
    """

    def bucket(day: int, size: str) -> int:
        date = dt.date.fromordinal(day)
        if size == "week":
            return day - date.weekday()
        return date.replace(day=1).toordinal() if size == "month" else day

    for size in ("day", "week", "month"):
        columns = sorted({bucket(day, size) for day in days.values()})
        if len(columns) <= MAX_COLUMNS:
            break
    column: dict[int, float] = {}
    ticks: list[tuple[float, str]] = []
    x = 0.0
    for start in columns:
        year = str(dt.date.fromordinal(start).year)
        if not ticks:
            ticks.append((x - NODE_GAP / 2, year))
        elif ticks[-1][1] != year:  # x is one step after the last column of the year before
            tick = max(x + (YEAR_GAP - NODE_GAP) / 2, ticks[-1][0] + MIN_YEAR_SPAN)
            ticks.append((tick, year))
            x = tick + (NODE_GAP + YEAR_GAP) / 2
        column[start] = x
        x += NODE_GAP
    return {node: column[bucket(day, size)] for node, day in days.items()}, ticks


def _estimate(graph: nx.MultiDiGraph, known: dict[str, float]) -> dict[str, float]:
    """x for undated nodes from their lineage: after what they build on, before what builds on them."""
    lineage = nx.DiGraph()
    lineage.add_nodes_from(sorted(graph.nodes))
    lineage.add_edges_from(sorted((u, v) for u, v, k in graph.edges(data="kind") if k in TIME_ORDERING_KINDS and u != v))
    condensed = nx.condensation(lineage)  # cycles (rare: mutual mentions) collapse to one step
    order = list(nx.lexicographical_topological_sort(condensed, key=lambda c: min(condensed.nodes[c]["members"])))
    members = {c: sorted(condensed.nodes[c]["members"]) for c in order}

    def bound(group: list[str], pick, values: list[float | None]) -> float | None:
        dated = [known[n] for n in group if n in known]
        found = [v for v in values if v is not None]
        return pick(dated) if dated else (pick(found) if found else None)

    after: dict[int, float | None] = {}
    for c in order:
        after[c] = bound(members[c], max, [after[p] + NODE_GAP if after[p] is not None else None for p in condensed.predecessors(c)])
    before: dict[int, float | None] = {}
    for c in reversed(order):
        before[c] = bound(members[c], min, [before[s] - NODE_GAP if before[s] is not None else None for s in condensed.successors(c)])
    placed: dict[str, float] = {}
    for c in order:
        lo, hi = after[c], before[c]
        if lo is None and hi is None:
            continue
        x = lo if lo is not None else hi  # just after what it builds on keeps chains in order
        for node in members[c]:
            if node not in known:
                placed[node] = x
    return placed


def _pack_rows(nodes: list[str], xs: dict[str, float], widths: dict[str, float]) -> dict[str, int]:
    """Row per node so that two labels in a row are LABEL_GAP apart or more (greedy, by x).

    With every width NODE_GAP - LABEL_GAP, two nodes in a row are at least NODE_GAP apart.
    """
    row_ends: list[float] = []  # right end of the last label in each row
    rows: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: (xs[n], n)):
        start, end = xs[node] - widths[node] / 2, xs[node] + widths[node] / 2
        for i, last in enumerate(row_ends):
            if start - last >= LABEL_GAP - 0.01:
                rows[node], row_ends[i] = i, end
                break
        else:
            rows[node] = len(row_ends)
            row_ends.append(end)
    return rows


def _flow(nodes: list[str], widths: dict[str, float], left: float, row_width: float, top: float) -> dict[str, Position]:
    """Nodes left to right in rows of at most `row_width`, each as wide as its label."""
    positions: dict[str, Position] = {}
    x, y = left, top
    for node in nodes:
        if x > left and x + widths[node] > left + row_width:
            x, y = left, y + ROW_GAP
        positions[node] = (x + widths[node] / 2, y)
        x += widths[node] + LABEL_GAP
    return positions


def timeline_layout(
    graph: nx.MultiDiGraph, label_width: Callable[[str], float] | None = None, radius: Callable[[str], float] | None = None
) -> Timeline:
    """x by publication date (estimated from lineage when missing), y by community band.

    `label_width` gives the drawn width of a node's label (or its dot, if wider):
    two papers share a row only when their labels do not overlap, and the undated
    papers get that much room each. Without it every node counts NODE_GAP wide.
    `radius` gives the drawn radius of a node's dot: a row of big dots is taller
    than ROW_GAP, so that they do not cover the labels of the row above.
    """
    narrow = NODE_GAP - LABEL_GAP
    widths = {n: max(label_width(n), narrow) if label_width else narrow for n in graph.nodes}
    days = {n: d for n, data in graph.nodes(data=True) if (d := publication_day(data)) is not None}
    xs, ticks = _date_x(days)
    estimated: dict[str, float] = {}
    while found := _estimate(graph, xs):  # an estimate can anchor the next (GaLore, then Fira after it)
        estimated.update(found)
        xs.update(found)
    sizes: dict[int, int] = {}
    for node in xs:
        community = int(graph.nodes[node].get("community", -1))
        sizes[community] = sizes.get(community, 0) + 1
    bands: dict[int, list[str]] = {}
    for node in sorted(xs):
        community = int(graph.nodes[node].get("community", -1))
        bands.setdefault(community if sizes[community] > 1 else -1, []).append(node)  # singletons share a band
    positions: dict[str, Position] = {}
    y = 0.0
    for _, band in sorted(bands.items(), key=lambda kv: (kv[0] < 0, kv[0])):
        rows = _pack_rows(band, xs, widths)
        tall = [0.0] * (max(rows.values()) + 1)  # the largest radius in each row
        for node in band:
            tall[rows[node]] = max(tall[rows[node]], radius(node) if radius else 0.0)
        tops = [y]
        for above, below in zip(tall, tall[1:]):  # a dot plus its label, and the next dot, fit between two rows
            tops.append(tops[-1] + max(ROW_GAP, above + LABEL_HEIGHT + below))
        for node in band:
            positions[node] = (xs[node], tops[rows[node]])
        y = tops[-1] + ROW_GAP + BAND_GAP
    undated = [n for n in sorted(graph.nodes, key=lambda n: (int(graph.nodes[n].get("community", -1)), n)) if n not in xs]
    width = max([x for x, _ in positions.values()] + [NODE_GAP * 12])
    left = min([x for x, _ in positions.values()] + [0.0])
    undated_y = y + BAND_GAP
    positions.update(_flow(undated, widths, left - NODE_GAP / 2, width - left + NODE_GAP, undated_y + 2 * BAND_GAP))
    return Timeline(_rounded(positions), set(estimated), set(undated), ticks, round(undated_y, 1))
