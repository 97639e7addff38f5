"""Analysis attributes on paper nodes: community, PageRank, degrees per kind, year.

Every result is deterministic: Louvain runs with a fixed seed over nodes in sorted
order, and communities are numbered by size, then by their smallest member.

Louvain is igraph's ``community_multilevel``, not networkx's ``louvain_communities``:
the networkx one (up to at least 3.6) can loop forever when float round-off makes moving
a node back and forth between two communities look like a gain both ways
(https://github.com/networkx/networkx/issues/8739); five nodes with weights 1.7346 and
2.0794 are enough, see tests/test_analysis.py.
"""

from __future__ import annotations

import random

import igraph
import networkx as nx

from paperlineage.graph.build import influence_graph
from paperlineage.graph.kinds import PAPER_KINDS

LOUVAIN_SEED = 42


def communities(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Community number per paper (0 = largest), from Louvain on the undirected weighted graph."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(n for n, t in graph.nodes(data="node_type") if t == "paper"))
    for u, v, weight in sorted(graph.edges(data="weight", default=1.0), key=lambda e: (e[0], e[1])):
        if u in simple and v in simple and u != v:
            previous = simple.get_edge_data(u, v, {}).get("weight", 0.0)
            simple.add_edge(u, v, weight=previous + float(weight))
    if simple.size(weight="weight") <= 0:  # Louvain divides by the total weight
        return {node: index for index, node in enumerate(simple.nodes)}
    found = _louvain(simple)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    return {node: index for index, members in enumerate(ordered) for node in members}


def _louvain(simple: nx.Graph) -> list[list[str]]:
    """Louvain communities of `simple` (node names), seeded so the result is the same every run."""
    names = list(simple.nodes)
    index = {name: i for i, name in enumerate(names)}
    edges = [(index[u], index[v]) for u, v in simple.edges]
    weights = [float(w) for _, _, w in simple.edges(data="weight")]
    ugraph = igraph.Graph(n=len(names), edges=edges, directed=False)
    # igraph shuffles the vertex order with its own RNG (Python's `random` by default), so
    # give it a seeded generator for this call only and put the default back afterwards.
    igraph.set_random_number_generator(random.Random(LOUVAIN_SEED))
    try:
        clustering = ugraph.community_multilevel(weights=weights)
    except igraph.InternalError:
        # The bounded fallback: connected components, one linear pass, always an answer.
        clustering = ugraph.connected_components()
    finally:
        igraph.set_random_number_generator(random)
    return [[names[i] for i in members] for members in clustering]


def influence_pagerank(graph: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank over influence edges, reversed so a paper that others build on ranks high."""
    view = influence_graph(graph).reverse(copy=True)
    if view.number_of_nodes() == 0:
        return {}
    return nx.pagerank(view, alpha=0.85)


def add_analysis(graph: nx.MultiDiGraph) -> None:
    """Set ``community``, ``pagerank``, ``in_<kind>``/``out_<kind>`` on every paper node."""
    community = communities(graph)
    rank = influence_pagerank(graph)
    for node, data in graph.nodes(data=True):
        if data.get("node_type") != "paper":
            continue
        data["community"] = community.get(node, -1)
        data["pagerank"] = round(rank.get(node, 0.0), 6)
        for kind in PAPER_KINDS:
            data[f"in_{kind}"] = sum(1 for _, _, k in graph.in_edges(node, keys=True) if k == kind)
            data[f"out_{kind}"] = sum(1 for _, _, k in graph.out_edges(node, keys=True) if k == kind)
