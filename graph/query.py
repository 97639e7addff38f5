"""Questions to a built lineage graph, as plain functions with the graph first.

The edge convention is the build's: u → v means *v builds on, uses or cites u*.
So "what builds on GaLore?" is ``neighbors(G, galore, direction="out")`` or the
descendants in `lineage`, and "what does FRUGAL build on?" looks ``"in"``.
Lineage and influence paths follow only the influence kinds (``cites``,
``mentions``); ``shares_method`` means two papers use the same rare method,
which is a connection but not lineage, so it has no direction here.

Every function takes node ids; `find_paper` turns a name into one::

    G = load_graph("outputs/graph.graphml")
    galore = find_paper(G, "GaLore")
    rows = neighbors(G, galore, direction="out", kinds=INFLUENCE_KINDS)
    [row.paper.title for row in rows]        # FRUGAL, Fira, Natural GaLore, ...

A ``mentions`` edge that a ``cites`` edge on the same pair backs is *confirmed* (the
build's ``confirmed`` attribute, `graph.build.mark_confirmed`); rows and hops say so in
``confirmed`` (None for edges of other kinds), and ``confirmed_only=True`` on `neighbors`
and `lineage` keeps to cites edges and confirmed mentions, leaving out what rests on the
text alone::

    lineage(G, galore, confirmed_only=True)  # only what a citation backs

Results are the pydantic records of `graph.records`. Paths are unweighted
shortest paths (https://networkx.org/documentation/stable/reference/algorithms/generated/networkx.algorithms.shortest_paths.generic.shortest_path.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import networkx as nx

from paperlineage.graph.build import influence_graph, is_confirmed
from paperlineage.graph.kinds import CITES, EDGE_KINDS, INFLUENCE_KINDS, UNDIRECTED_KINDS, join_list
from paperlineage.graph.errors import NotFound
from paperlineage.graph.lookup import find_paper, load_graph, match_paper, paper_ref
from paperlineage.graph.records import Direction, Hop, Lineage, NeighborRow, PathResult, RankRow

__all__ = [
    "EDGE_KINDS", "INFLUENCE_KINDS", "RANKINGS", "ego_subgraph", "is_confirmed", "find_paper", "influence_path", "lineage",
    "lineage_subgraph",
    "load_graph", "match_paper", "neighbors", "paper_ref", "top_papers",
]

RANKINGS = ("pagerank", "citations", "stars", "upvotes")
_KIND_PREFERENCE = {kind: index for index, kind in enumerate(EDGE_KINDS)}


def _require(G: nx.MultiDiGraph, node: str) -> None:
    if node not in G:
        raise NotFound(node, f"no node {node!r} in the graph (use find_paper to turn a name into an id)")


def _kind(key: str, data: dict) -> str:
    return str(data.get("kind", key))


def _undirected(key: str, data: dict) -> bool:
    return bool(data.get("undirected", False)) or _kind(key, data) in UNDIRECTED_KINDS


def _steps(
    G: nx.MultiDiGraph, node: str, direction: str, kinds: frozenset[str] | None, confirmed_only: bool = False
) -> Iterator[tuple[str, str, Direction, str, bool | None]]:
    """(neighbour, kind, direction, evidence, confirmed) for each edge at `node` the walk may follow."""
    for _, other, key, data in G.out_edges(node, keys=True, data=True):
        undirected = _undirected(key, data)
        if (kinds is None or _kind(key, data) in kinds) and (direction != "in" or undirected) and other != node:
            flag = is_confirmed(G, node, other, key, data)
            if not (confirmed_only and flag is False):
                yield other, _kind(key, data), "undirected" if undirected else "out", str(data.get("evidence", "")), flag
    for other, _, key, data in G.in_edges(node, keys=True, data=True):
        undirected = _undirected(key, data)
        if (kinds is None or _kind(key, data) in kinds) and (direction != "out" or undirected) and other != node:
            flag = is_confirmed(G, other, node, key, data)
            if not (confirmed_only and flag is False):
                yield other, _kind(key, data), "undirected" if undirected else "in", str(data.get("evidence", "")), flag


def neighbors(
    G: nx.MultiDiGraph,
    node: str,
    direction: Literal["out", "in", "both"] = "both",
    kinds: Iterable[str] | None = None,
    depth: int | None = 1,
    *,
    confirmed_only: bool = False,
) -> list[NeighborRow]:
    """The nodes within `depth` edges of `node`, walking only `kinds` in `direction`.

    ``"out"`` finds what builds on `node`, ``"in"`` what `node` builds on, ``"both"``
    either. Edges whose relation has no direction (``shares_method``) are followed
    whatever the direction. Each node appears once, at its smallest depth, reached
    from the first node (by id) one step closer; rows are sorted by depth, then title.
    `depth` None walks as far as the edges go. `confirmed_only` leaves out the
    ``mentions`` edges no ``cites`` edge backs (text only); other kinds are walked as usual.
    A row's ``confirmed`` is that of its first followed ``mentions`` edge (None without one).

    Raises:
        NotFound: `node` is not in `G`.
        ValueError: `direction` is not out, in or both, or `depth` is below 1.
    """
    _require(G, node)
    if direction not in ("out", "in", "both"):
        raise ValueError(f"direction must be 'out', 'in' or 'both', not {direction!r}")
    if depth is not None and depth < 1:
        raise ValueError(f"depth must be at least 1, not {depth}")
    allowed = frozenset(kinds) if kinds is not None else None
    seen = {node}
    rows: list[NeighborRow] = []
    frontier = [node]
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        reached: dict[str, list[tuple[str, str, Direction, str, bool | None]]] = {}
        for current in sorted(frontier):
            for other, kind, way, evidence, flag in _steps(G, current, direction, allowed, confirmed_only):
                if other in seen:
                    continue
                edges = reached.setdefault(other, [])
                if not edges or edges[0][0] == current:
                    edges.append((current, kind, way, evidence, flag))
        for other, edges in reached.items():
            edges.sort(key=lambda e: (_KIND_PREFERENCE.get(e[1], len(EDGE_KINDS)), e[1]))
            ways = {e[2] for e in edges}
            way: Direction = "out" if "out" in ways else "in" if "in" in ways else "undirected"
            kinds_text = join_list(dict.fromkeys(e[1] for e in edges))
            flag = next((e[4] for e in edges if e[4] is not None), None)
            rows.append(NeighborRow(paper=paper_ref(G, other), depth=level, via=edges[0][0], via_kind=kinds_text, direction=way,
                                    evidence=edges[0][3], confirmed=flag))
        seen.update(reached)
        frontier = list(reached)
    return sorted(rows, key=lambda r: (r.depth, r.paper.title.casefold(), r.paper.id))


def lineage(G: nx.MultiDiGraph, node: str, depth: int | None = None, *, confirmed_only: bool = False) -> Lineage:
    """What `node` builds on (ancestors) and what builds on it (descendants), along cites and mentions.

    With `confirmed_only`, only along confirmed edges: ``cites`` edges and the ``mentions``
    edges a ``cites`` edge on the same pair backs; a mention that rests on the text alone is
    not followed (an offline build, which has no ``cites``, then has no lineage at all).

    Raises:
        NotFound: `node` is not in `G`.
        ValueError: `depth` is below 1.
    """
    return Lineage(
        paper=paper_ref(G, node),
        ancestors=neighbors(G, node, "in", INFLUENCE_KINDS, depth, confirmed_only=confirmed_only),
        descendants=neighbors(G, node, "out", INFLUENCE_KINDS, depth, confirmed_only=confirmed_only),
        confirmed_only=confirmed_only,
    )


def _best_edge(G: nx.MultiDiGraph, u: str, v: str, kinds: Iterable[str] | None) -> tuple[str, str, dict]:
    edges = [(_kind(k, d), k, d) for k, d in (G.get_edge_data(u, v) or {}).items()]
    edges = [e for e in edges if kinds is None or e[0] in kinds]
    return min(edges, key=lambda e: (_KIND_PREFERENCE.get(e[0], len(EDGE_KINDS)), e[0]))


def _hops(G: nx.MultiDiGraph, walk: list[str], kinds: Iterable[str] | None) -> list[Hop]:
    hops = []
    for a, b in zip(walk, walk[1:]):
        along = G.has_edge(a, b) and any(kinds is None or _kind(k, d) in kinds for k, d in G.get_edge_data(a, b).items())
        u, v = (a, b) if along else (b, a)
        kind, key, data = _best_edge(G, u, v, kinds)
        hops.append(Hop(source=paper_ref(G, a), target=paper_ref(G, b), kind=kind, evidence=str(data.get("evidence", "")), along=along,
                        confirmed=is_confirmed(G, u, v, key, data)))
    return hops


def influence_path(G: nx.MultiDiGraph, source: str, target: str, any_edge: bool = False) -> PathResult:
    """The shortest chain of cites/mentions edges between two papers, with each hop's evidence.

    A path source → target (``direction="forward"``: `target` builds on `source`) is
    tried first, then target → source (``"backward"``). Without either, `any_edge`
    allows the shortest connection over every kind with direction ignored
    (``mode="any-edge"``): a relation, not a lineage. Where two papers share several
    edges, a hop shows the strongest kind (cites, mentions, shares_method, ...).

    Raises:
        NotFound: either node is not in `G`, or no path connects them.
        ValueError: `source` and `target` are the same node (a paper is not its own lineage).
    """
    _require(G, source)
    _require(G, target)
    if source == target:
        raise ValueError(f"source and target are the same node {source!r}; a path needs two different papers")
    ends = (paper_ref(G, source), paper_ref(G, target))
    view = influence_graph(G)
    for start, end, direction in ((source, target, "forward"), (target, source, "backward")):
        if start in view and end in view and nx.has_path(view, start, end):
            walk = nx.shortest_path(view, start, end)
            return PathResult(source=ends[0], target=ends[1], mode="influence", direction=direction, hops=_hops(G, walk, INFLUENCE_KINDS))
    names = f"{ends[0].title!r} and {ends[1].title!r}"
    if not any_edge:
        raise NotFound(f"{source} {target}", f"no influence path (cites, mentions) between {names} in either direction")
    loose = nx.Graph()
    loose.add_nodes_from(G.nodes)
    loose.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    if not nx.has_path(loose, source, target):
        raise NotFound(f"{source} {target}", f"{names} are not connected by any edge")
    walk = nx.shortest_path(loose, source, target)
    return PathResult(source=ends[0], target=ends[1], mode="any-edge", direction="undirected", hops=_hops(G, walk, None))


def _value(G: nx.MultiDiGraph, node: str, by: str) -> float:
    data = G.nodes[node]
    if by == "citations":  # cited → citing, so a paper's citations in the corpus are its outgoing cites
        return float(sum(1 for _, v, k, d in G.out_edges(node, keys=True, data=True) if _kind(k, d) == CITES and v != node))
    return float(data.get(by, 0) or 0)


def top_papers(G: nx.MultiDiGraph, by: str = "pagerank", n: int = 10) -> list[RankRow]:
    """The `n` papers with the highest `by`, ties broken by title; papers scoring 0 are left out.

    ``pagerank`` is the influence PageRank of the build, ``citations`` the number of
    papers in this corpus that cite it (its outgoing ``cites`` edges), ``stars`` the
    GitHub stars and ``upvotes`` the Hugging Face upvotes (0 when unknown).

    Raises:
        ValueError: `by` is not one of `RANKINGS`, or `n` is below 1.
    """
    if by not in RANKINGS:
        raise ValueError(f"by must be one of {', '.join(RANKINGS)}, not {by!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    scored = [(node, _value(G, node, by)) for node, t in G.nodes(data="node_type") if t == "paper"]
    refs = {node: paper_ref(G, node) for node, value in scored if value > 0}
    ranked = sorted(refs, key=lambda node: (-_value(G, node, by), refs[node].title.casefold(), node))[:n]
    return [RankRow(rank=i, paper=refs[node], by=by, value=_value(G, node, by)) for i, node in enumerate(ranked, 1)]


def ego_subgraph(G: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within `depth` edges of `node` (any kind, either direction) and every edge among them.

    A new graph, not a view: nodes and edges keep `G`'s order and attributes, so
    its exports are as deterministic as the full graph's. Analysis attributes
    (community, pagerank, degrees) are the full graph's, not recomputed.

    Raises:
        NotFound: `node` is not in `G`.
        ValueError: `depth` is below 0.
    """
    _require(G, node)
    if depth < 0:
        raise ValueError(f"depth must be at least 0, not {depth}")
    keep = {node} | ({row.paper.id for row in neighbors(G, node, "both", None, depth)} if depth else set())
    return _subgraph(G, keep)


def lineage_subgraph(G: nx.MultiDiGraph, node: str, depth: int | None = None) -> nx.MultiDiGraph:
    """`node`, what it builds on and what builds on it (`lineage`), and every edge among them.

    A new graph like `ego_subgraph`'s, in `G`'s order with `G`'s attributes.

    Raises:
        NotFound: `node` is not in `G`.
        ValueError: `depth` is below 1.
    """
    found = lineage(G, node, depth)
    return _subgraph(G, {node} | {row.paper.id for row in [*found.ancestors, *found.descendants]})


def _subgraph(G: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    sub = nx.MultiDiGraph()
    sub.graph.update(G.graph)
    sub.add_nodes_from((n, dict(d)) for n, d in G.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep)
    return sub
