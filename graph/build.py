"""Assemble the lineage graph from enriched papers.

Edge convention, used everywhere: an edge u → v means v builds on, uses or cites u
(influence flows along the arrow), as in GaLore → FRUGAL. The graph is a
`networkx.MultiDiGraph` keyed by edge kind, so there is one edge per (u, v, kind).

All attribute values are scalars (str, int, float, bool) so GraphML stays
readable by Gephi, Cytoscape, igraph and networkx; nodes and edges are added in
sorted order so every export is byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from paperlineage.enrich.citations import Citation
from paperlineage.enrich.listing import yearless_month_day
from paperlineage.enrich.models import Paper
from paperlineage.enrich.ids import arxiv_month
from paperlineage.graph.kinds import (
    CITES, CONFIRMABLE_KINDS, CONFIRMED, EVIDENCE_SEPARATOR, INFLUENCE_KINDS, MENTIONS, SHARES_METHOD, join_list, kind,
)
from paperlineage.graph.mentions import Mention
from paperlineage.graph.shared_methods import SharedMethod


def paper_date(paper: Paper) -> tuple[str, int]:
    """The date and year a node shows: the listing's date, else what the arXiv ID tells.

    Listings often omit the year (``Jun 16``). Once the arXiv ID is known its v1 date
    stands in, and a yearless listing date in the ID's month gets the ID's year
    (``Jun 16`` + ``2406.01234`` -> 2024-06-16). Unknown stays ``("Jun 16", 0)`` or ``("", 0)``.

    >>> paper_date(Paper(id="p", title="t", abstract="a", date_text="Jun 16", arxiv_id="2406.01234"))
    ('2024-06-16', 2024)
    """
    if paper.date:
        return paper.date.isoformat(), paper.date.year
    issued = arxiv_month(paper.arxiv_id) if paper.arxiv_id else None
    if issued and paper.date_text and (month_day := yearless_month_day(paper.date_text)):
        month, day = month_day
        if month == issued.month:
            try:
                return dt.date(issued.year, month, day).isoformat(), issued.year
            except ValueError:  # 'Feb 30' stays as written
                pass
    if paper.published:
        return paper.published.isoformat(), paper.published.year
    return paper.date_text or "", 0


def node_attributes(paper: Paper, uses: list[str]) -> dict[str, str | int]:
    """The scalar attributes a paper node carries (empty string or 0 for unknown)."""
    date, year = paper_date(paper)
    # An ID-only paper shows its identifier as its title and carries `id_only`; other nodes
    # carry no such attribute, so graphs of titled papers are what they always were.
    marker: dict[str, str | int] = {"id_only": True} if paper.id_only else {}
    if paper.doi:  # the same for a DOI, which only some inputs give (the BibTeX export writes it)
        marker["doi"] = paper.doi
    return {
        **marker,
        "node_type": "paper",
        "title": paper.label,
        "arxiv_id": paper.arxiv_id or "",
        "github": paper.github or "",
        "date": date,
        "year": year,
        "authors": paper.authors or 0,
        "upvotes": paper.upvotes or 0,
        "stars": (paper.repo.stars or 0) if paper.repo else 0,
        "organization": paper.organization or "",
        "methods": join_list(paper.methods),
        "uses": join_list(uses),
        "abstract": paper.abstract,
    }


def build_graph(papers: list[Paper], uses: dict[str, list[str]] | None = None) -> nx.MultiDiGraph:
    """A graph with one node per paper (id = paper id), no edges yet."""
    graph = nx.MultiDiGraph()
    for paper in sorted(papers, key=lambda p: p.id):
        graph.add_node(paper.id, **node_attributes(paper, (uses or {}).get(paper.id, [])))
    return graph


def _add_edges(graph: nx.MultiDiGraph, kind: str, edges: list[tuple[str, str, dict]]) -> None:
    """Add one `kind` edge per (u, v, attributes), in sorted order so exports are reproducible.

    Raises:
        KeyError: an edge refers to a paper id that is not in the graph.
    """
    for u, v, attributes in sorted(edges, key=lambda e: (e[0], e[1])):
        for node in (u, v):
            if node not in graph:
                raise KeyError(f"{kind} edge refers to unknown paper {node}")
        graph.add_edge(u, v, key=kind, kind=kind, **attributes)


def add_mentions(graph: nx.MultiDiGraph, mentions: list[Mention]) -> None:
    """Add `mentions` edges (introducer → mentioner), the first three sentences as evidence."""
    _add_edges(graph, MENTIONS, [
        (m.source, m.target, {
            "names": join_list(m.names),
            "evidence": EVIDENCE_SEPARATOR.join(m.evidence[:3]),
            "weight": 1.0,
        })
        for m in mentions
    ])


def add_citations(graph: nx.MultiDiGraph, citations: list[Citation]) -> None:
    """Add `cites` edges (cited → citing), with intents, influence and context sentences.

    Whether a citation is influential is not always known (OpenAlex does not say; the
    Semantic Scholar context request may have failed). GraphML takes no ``None``, so the
    edge carries ``influence_known``: when it is False, ``is_influential`` is False only
    as a placeholder and means "unknown", not "not influential".
    """
    _add_edges(graph, CITES, [
        (c.cited, c.citing, {
            "intents": join_list(c.intents),
            "is_influential": c.is_influential is True,
            "influence_known": c.is_influential is not None,
            "evidence": EVIDENCE_SEPARATOR.join(c.contexts) or f"reference list ({c.source})",
            "source": c.source,
            "weight": 2.0 if c.is_influential else 1.0,
        })
        for c in citations
    ])


def add_shared_methods(graph: nx.MultiDiGraph, shared: list[SharedMethod]) -> None:
    """Add `shares_method` edges (older → newer, undirected in meaning), weighted by rarity."""
    _add_edges(graph, SHARES_METHOD, [
        (e.source, e.target, {
            "names": join_list(e.names),
            "evidence": "both use " + ", ".join(e.names),
            "weight": round(e.weight, 4),
            "undirected": True,
        })
        for e in shared
    ])


def _backed(graph: nx.MultiDiGraph, u: str, v: str, name: str) -> bool:
    backing = kind(name).confirmed_by
    return any(str(d.get("kind", k)) == backing for k, d in (graph.get_edge_data(u, v) or {}).items())


def mark_confirmed(graph: nx.MultiDiGraph) -> int:
    """Give every edge of a confirmable kind its boolean ``confirmed`` attribute; return how many are True.

    A ``mentions`` edge u → v is confirmed when a ``cites`` edge u → v (v cites u) joins the
    same pair in the same direction: the text says v names u's method and v's reference list
    agrees. Without one (an offline build has no ``cites`` at all) it is ``False``, "text only".
    Run it after every edge is added; running it again gives the same flags.
    """
    confirmed = 0
    for u, v, key, data in graph.edges(keys=True, data=True):
        name = str(data.get("kind", key))
        if name in CONFIRMABLE_KINDS:
            data[CONFIRMED] = _backed(graph, u, v, name)
            confirmed += data[CONFIRMED]
    return confirmed


def is_confirmed(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: dict) -> bool | None:
    """Whether the edge (u, v, key) with attributes `data` is confirmed; None for a kind that is not confirmable.

    The build stores the answer as the ``confirmed`` attribute (`mark_confirmed`); a graph
    written before that attribute existed gets the same answer from its edges.
    """
    name = str(data.get("kind", key))
    if name not in CONFIRMABLE_KINDS:
        return None
    return bool(data[CONFIRMED]) if CONFIRMED in data else _backed(graph, u, v, name)


def confirmed_counts(graph: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """Per confirmable kind present in `graph`: (confirmed, text only) edge counts, sorted by kind."""
    counts: dict[str, list[int]] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        flag = is_confirmed(graph, u, v, key, data)
        if flag is not None:
            counts.setdefault(str(data.get("kind", key)), [0, 0])[0 if flag else 1] += 1
    return {name: (n[0], n[1]) for name, n in sorted(counts.items())}


#: The boolean node attribute of a paper that is new since the previous build in the output folder
#: (``paperlineage update``); only new papers carry it, so a build with nothing new writes what it always did.
NEW = "new"


def mark_new(graph: nx.MultiDiGraph, new: set[str]) -> None:
    """Give each paper node in `new` the attribute ``new = True`` (GraphML, JSON and the page all carry it)."""
    for node in sorted(new):
        if node in graph:
            graph.nodes[node][NEW] = True


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
