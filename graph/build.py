"""Assemble the lineage graph from enriched papers.

Edge convention, used everywhere: an edge u → v means v builds on, uses or cites u
(influence flows along the arrow), as in GaLore → FRUGAL. The graph is a
`networkx.MultiDiGraph` keyed by edge kind, so there is one edge per (u, v, kind).

All attribute values are scalars (str, int, float, bool) so GraphML stays
readable by Gephi, Cytoscape, igraph and networkx; nodes and edges are added in
sorted order so every export is byte-for-byte reproducible.
"""

from __future__ import annotations

import networkx as nx

from enrich.models import Paper
from graph.mentions import Mention

EVIDENCE_SEPARATOR = " | "


def node_attributes(paper: Paper) -> dict[str, str | int]:
    """The scalar attributes a paper node carries (empty string for unknown)."""
    return {
        "title": paper.title,
        "arxiv_id": paper.arxiv_id or "",
        "github": paper.github or "",
        "date": paper.date.isoformat() if paper.date else (paper.date_text or ""),
        "year": paper.date.year if paper.date else 0,
        "authors": paper.authors or 0,
        "upvotes": paper.upvotes or 0,
        "organization": paper.organization or "",
        "methods": "; ".join(paper.methods),
        "abstract": paper.abstract,
    }


def build_graph(papers: list[Paper], mentions: list[Mention]) -> nx.MultiDiGraph:
    """A graph with one node per paper (id = paper id) and the given influence edges.

    Raises:
        KeyError: a mention refers to a paper id that is not in `papers`.
    """
    graph = nx.MultiDiGraph()
    for paper in sorted(papers, key=lambda p: p.id):
        graph.add_node(paper.id, **node_attributes(paper))
    for mention in sorted(mentions, key=lambda m: (m.source, m.target)):
        if mention.source not in graph or mention.target not in graph:
            raise KeyError(f"mention between unknown papers {mention.source} -> {mention.target}")
        graph.add_edge(
            mention.source,
            mention.target,
            key="mentions",
            kind="mentions",
            names="; ".join(mention.names),
            evidence=EVIDENCE_SEPARATOR.join(mention.evidence[:3]),
        )
    return graph


def edge_counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Number of edges per kind, sorted by kind."""
    counts: dict[str, int] = {}
    for _, _, kind in graph.edges(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))
