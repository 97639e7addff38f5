"""Analysis attributes on paper nodes: community, PageRank, degrees per kind, year.

Every result is deterministic: Louvain runs with a fixed seed over nodes in sorted
order, and communities are numbered by size, then by their smallest member.

Louvain is igraph's ``community_multilevel``, not networkx's ``louvain_communities``:
the networkx one (up to at least 3.6) can loop forever when float round-off makes moving
a node back and forth between two communities look like a gain both ways
(https://github.com/networkx/networkx/issues/8739); five nodes with weights 1.7346 and
2.0794 are enough, see tests/test_analysis.py.

PageRank is igraph's too (PRPACK, an exact solve, where ``nx.pagerank`` iterates to a 1e-6
tolerance in Python: 10x faster at 100k papers, ``bench/graph_scale.py --compare``). The
networkx graph is converted once (`paper_igraph`) and both algorithms read that conversion;
the networkx graph stays the object users query, with the results set on its nodes. Degrees
per kind are counted in one pass over the edges, not one ``in_edges`` scan per node and kind.
"""

from __future__ import annotations

import random

import igraph
import networkx as nx

from dataclasses import dataclass

from paperlineage.graph.kinds import INFLUENCE_KINDS, PAPER_KINDS

LOUVAIN_SEED = 42


@dataclass(frozen=True)
class PaperIgraph:
    """The paper nodes of a lineage graph as igraph graphs, converted once for every algorithm."""

    names: list[str]
    """Paper ids, sorted; vertex i is ``names[i]``."""
    undirected: igraph.Graph
    """Every paper–paper edge collapsed to one undirected edge (no self-loops), for Louvain."""
    weights: list[float]
    """Per edge of `undirected`, the summed ``weight`` of the edges it stands for."""
    influence: igraph.Graph
    """The influence edges (cites, mentions) collapsed and reversed (v → u), for PageRank."""


def paper_igraph(graph: nx.MultiDiGraph) -> PaperIgraph:
    """Convert `graph`'s paper nodes and edges to igraph once (see `PaperIgraph`).

    The undirected graph lists edges and sums weights in the order the networkx ``Graph``
    the old code built did (edges by (u, v), adjacency in first-seen order), so Louvain
    sees the same input and finds the same communities.
    """
    papers = {n for n, t in graph.nodes(data="node_type") if t == "paper"}
    names = sorted(papers)
    index = {name: i for i, name in enumerate(names)}
    pair_weight: dict[tuple[str, str], float] = {}
    neighbours: dict[str, list[str]] = {name: [] for name in names}
    influence: set[tuple[int, int]] = set()
    adjacency = graph.succ
    for u in sorted(adjacency, key=str):
        if u not in papers:
            continue
        targets = adjacency[u]
        for v in sorted(targets, key=str):
            if v not in papers:
                continue
            for key, data in targets[v].items():
                if data.get("kind") in INFLUENCE_KINDS:
                    influence.add((index[v], index[u]))
                if u == v:
                    continue
                pair = (u, v) if u < v else (v, u)
                previous = pair_weight.get(pair)
                if previous is None:
                    neighbours[u].append(v)
                    neighbours[v].append(u)
                    previous = 0.0
                pair_weight[pair] = previous + float(data.get("weight", 1.0))
    edges, weights, seen = [], [], set()
    for name in names:
        for other in neighbours[name]:
            if other not in seen:
                edges.append((index[name], index[other]))
                weights.append(pair_weight[(name, other) if name < other else (other, name)])
        seen.add(name)
    return PaperIgraph(
        names,
        igraph.Graph(n=len(names), edges=edges, directed=False),
        weights,
        igraph.Graph(n=len(names), edges=sorted(influence), directed=True),
    )


def communities(graph: nx.MultiDiGraph, converted: PaperIgraph | None = None) -> dict[str, int]:
    """Community number per paper (0 = largest), from Louvain on the undirected weighted graph.

    `converted` is `paper_igraph(graph)` when the caller already has it.
    """
    converted = converted or paper_igraph(graph)
    if sum(converted.weights) <= 0:  # Louvain divides by the total weight
        return {node: index for index, node in enumerate(converted.names)}
    found = _louvain(converted)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    return {node: index for index, members in enumerate(ordered) for node in members}


def _louvain(converted: PaperIgraph) -> list[list[str]]:
    """Louvain communities (node names), seeded so the result is the same every run."""
    names, ugraph = converted.names, converted.undirected
    # igraph shuffles the vertex order with its own RNG (Python's `random` by default), so
    # give it a seeded generator for this call only and put the default back afterwards.
    igraph.set_random_number_generator(random.Random(LOUVAIN_SEED))
    try:
        clustering = ugraph.community_multilevel(weights=converted.weights)
    except igraph.InternalError:
        # The bounded fallback: connected components, one linear pass, always an answer.
        clustering = ugraph.connected_components()
    finally:
        igraph.set_random_number_generator(random)
    return [[names[i] for i in members] for members in clustering]


def influence_pagerank(graph: nx.MultiDiGraph, converted: PaperIgraph | None = None) -> dict[str, float]:
    """PageRank over influence edges, reversed so a paper that others build on ranks high.

    Damping 0.85; a paper no influence edge leaves spreads its rank over all papers, as
    ``nx.pagerank`` does. `converted` is `paper_igraph(graph)` when the caller already has it.
    """
    converted = converted or paper_igraph(graph)
    if not converted.names:
        return {}
    ranks = converted.influence.pagerank(directed=True, damping=0.85, implementation="prpack")
    return dict(zip(converted.names, ranks))


def degree_counts(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Per paper node, ``in_<kind>``/``out_<kind>`` for every paper kind, in one pass over the edges."""
    names = [f"{side}_{kind}" for kind in PAPER_KINDS for side in ("in", "out")]
    counts = {n: dict.fromkeys(names, 0) for n, t in graph.nodes(data="node_type") if t == "paper"}
    incoming = {kind: f"in_{kind}" for kind in PAPER_KINDS}
    outgoing = {kind: f"out_{kind}" for kind in PAPER_KINDS}
    for u, v, key in graph.edges(keys=True):
        if key in incoming:
            if v in counts:
                counts[v][incoming[key]] += 1
            if u in counts:
                counts[u][outgoing[key]] += 1
    return counts


def set_analysis(graph: nx.MultiDiGraph, community: dict[str, int], rank: dict[str, float]) -> None:
    """Set ``community``, ``pagerank`` and the degree counts on every paper node."""
    degrees = degree_counts(graph)
    for node, data in graph.nodes(data=True):
        if data.get("node_type") != "paper":
            continue
        data["community"] = community.get(node, -1)
        data["pagerank"] = round(rank.get(node, 0.0), 6)
        data.update(degrees[node])


def add_analysis(graph: nx.MultiDiGraph) -> None:
    """Set ``community``, ``pagerank``, ``in_<kind>``/``out_<kind>`` on every paper node."""
    converted = paper_igraph(graph)
    set_analysis(graph, communities(graph, converted), influence_pagerank(graph, converted))
