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

from enrich.citations import Citation
from enrich.models import Paper
from graph.mentions import Mention
from graph.shared_methods import SharedMethod

EVIDENCE_SEPARATOR = " | "
LIST_SEPARATOR = "; "
INFLUENCE_KINDS = ("cites", "mentions")  # edges that mean "v builds on u"; shares_method does not


def node_attributes(paper: Paper, uses: list[str]) -> dict[str, str | int]:
    """The scalar attributes a paper node carries (empty string or 0 for unknown)."""
    return {
        "node_type": "paper",
        "title": paper.title,
        "arxiv_id": paper.arxiv_id or "",
        "github": paper.github or "",
        "date": paper.date.isoformat() if paper.date else (paper.date_text or ""),
        "year": paper.date.year if paper.date else 0,
        "authors": paper.authors or 0,
        "upvotes": paper.upvotes or 0,
        "stars": (paper.repo.stars or 0) if paper.repo else 0,
        "organization": paper.organization or "",
        "methods": LIST_SEPARATOR.join(paper.methods),
        "uses": LIST_SEPARATOR.join(uses),
        "abstract": paper.abstract,
    }


def build_graph(papers: list[Paper], uses: dict[str, list[str]] | None = None) -> nx.MultiDiGraph:
    """A graph with one node per paper (id = paper id), no edges yet."""
    graph = nx.MultiDiGraph()
    for paper in sorted(papers, key=lambda p: p.id):
        graph.add_node(paper.id, **node_attributes(paper, (uses or {}).get(paper.id, [])))
    return graph


def _require(graph: nx.MultiDiGraph, *nodes: str) -> None:
    for node in nodes:
        if node not in graph:
            raise KeyError(f"edge refers to unknown paper {node}")


def add_mentions(graph: nx.MultiDiGraph, mentions: list[Mention]) -> None:
    """Add `mentions` edges (introducer → mentioner).

    Raises:
        KeyError: a mention refers to a paper id that is not in the graph.
    """
    for mention in sorted(mentions, key=lambda m: (m.source, m.target)):
        _require(graph, mention.source, mention.target)
        graph.add_edge(
            mention.source,
            mention.target,
            key="mentions",
            kind="mentions",
            names=LIST_SEPARATOR.join(mention.names),
            evidence=EVIDENCE_SEPARATOR.join(mention.evidence[:3]),
            weight=1.0,
        )


def add_citations(graph: nx.MultiDiGraph, citations: list[Citation]) -> None:
    """Add `cites` edges (cited → citing), with intents, influence and context sentences.

    Raises:
        KeyError: a citation refers to a paper id that is not in the graph.
    """
    for citation in sorted(citations, key=lambda c: (c.cited, c.citing)):
        _require(graph, citation.cited, citation.citing)
        graph.add_edge(
            citation.cited,
            citation.citing,
            key="cites",
            kind="cites",
            intents=LIST_SEPARATOR.join(citation.intents),
            is_influential=bool(citation.is_influential),
            evidence=EVIDENCE_SEPARATOR.join(citation.contexts) or f"reference list ({citation.source})",
            source=citation.source,
            weight=2.0 if citation.is_influential else 1.0,
        )


def add_shared_methods(graph: nx.MultiDiGraph, shared: list[SharedMethod]) -> None:
    """Add `shares_method` edges (older → newer, undirected in meaning), weighted by rarity.

    Raises:
        KeyError: an edge refers to a paper id that is not in the graph.
    """
    for edge in sorted(shared, key=lambda e: (e.source, e.target)):
        _require(graph, edge.source, edge.target)
        graph.add_edge(
            edge.source,
            edge.target,
            key="shares_method",
            kind="shares_method",
            names=LIST_SEPARATOR.join(edge.names),
            evidence="both use " + ", ".join(edge.names),
            weight=round(edge.weight, 4),
            undirected=True,
        )


def edge_counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Number of edges per kind, sorted by kind."""
    counts: dict[str, int] = {}
    for _, _, kind in graph.edges(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


def influence_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Paper nodes with only the edges that mean "builds on" (cites, mentions), collapsed."""
    view = nx.DiGraph()
    view.add_nodes_from(n for n, t in graph.nodes(data="node_type") if t == "paper")
    view.add_edges_from((u, v) for u, v, k in graph.edges(data="kind") if k in INFLUENCE_KINDS)
    return view
