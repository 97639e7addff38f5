"""The method view: method nodes with ``introduces`` and ``uses`` edges.

Same convention as the rest of the graph (u → v: v builds on u): a paper points
to the method it introduces, and a method points to the papers that use it. The
result is the bipartite picture of a field, on top of the paper graph.
"""

from __future__ import annotations

import networkx as nx

from paperlineage.enrich.text.vocabulary import MethodEntry
from paperlineage.graph.kinds import INTRODUCES, USES, join_list

METHOD_PREFIX = "method:"


def add_method_view(graph: nx.MultiDiGraph, vocabulary: list[MethodEntry], used: dict[str, list[str]]) -> None:
    """Add a node per method that some paper introduces or uses, and its edges."""
    users: dict[str, list[str]] = {}
    for paper_id, methods in sorted(used.items()):
        for method in methods:
            users.setdefault(method, []).append(paper_id)
    for entry in vocabulary:
        introducers = [p for p in entry.introduced_by if p in graph]
        if not introducers and not users.get(entry.name):
            continue
        node = METHOD_PREFIX + entry.name
        graph.add_node(
            node, node_type="method", title=entry.name, aliases=join_list(entry.aliases), curated=not entry.introduced_by
        )
        for paper_id in introducers:
            graph.add_edge(paper_id, node, key=INTRODUCES, kind=INTRODUCES, evidence=f"introduces {entry.name}", weight=1.0)
        for paper_id in users.get(entry.name, []):
            graph.add_edge(node, paper_id, key=USES, kind=USES, evidence=f"uses {entry.name}", weight=1.0)
