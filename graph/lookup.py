"""Load a built graph and find a paper in it by id, arXiv ID, method name or title.

Look-up runs in a fixed order and stops at the first step that matches anything:

1. the exact node id (``galore-memory-efficient-llm-training-by-1807540d``, ``method:GaLore``);
2. the arXiv ID, with or without version or ``arXiv:`` prefix (``arXiv:2403.03507v2``);
3. a method name the paper introduces, case-insensitive (``galore``);
4. the exact title, normalised as `enrich.titles.normalise_title` does;
5. a title prefix of three words or more, on word boundaries (``Lion Secretly Solves``);
6. a fuzzy title (rapidfuzz), picked only when the best is clearly ahead.

A step that matches several papers never picks one: `find_paper` raises
`LookupAmbiguous` with the candidates, as the enrichment does for ambiguous fields.
Fuzzy scores are rapidfuzz's ``token_set_ratio`` and ``WRatio``, averaged
(https://rapidfuzz.github.io/RapidFuzz/Usage/fuzz.html).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
from rapidfuzz import fuzz, process

from paperlineage.enrich.ids import normalise_arxiv
from paperlineage.enrich.titles import normalise_title
from paperlineage.graph.errors import GraphFileError, LookupAmbiguous, NotFound
from paperlineage.graph.export_graphml import read_graphml
from paperlineage.graph.export_json import read_graph_json
from paperlineage.graph.kinds import split_list
from paperlineage.graph.records import Match, PaperRef

FUZZY_FLOOR = 75.0  # a fuzzy title below this is never picked
FUZZY_MARGIN = 5.0  # ...and the best must lead the second by this much
CANDIDATE_FLOOR = 60.0  # below this a title is not even offered as a candidate
MAX_CANDIDATES = 10
PREFIX_MIN_WORDS = 3  # "LoRA" must not pick "LoRA-GGPO: ..." by prefix


def load_graph(path: Path | str) -> nx.MultiDiGraph:
    """Read a graph written by a build, as GraphML (``.graphml``) or node-link JSON (``.json``).

    The empty ``node_default``/``edge_default`` that the GraphML reader adds are
    dropped, so a graph loaded from either file is the same graph. (Attributes
    loaded from JSON come in alphabetical order, as ``graph.json`` sorts its keys.)

    Raises:
        GraphFileError: the file is missing, unreadable, of an unknown format, or not a graph.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".graphml", ".json"):
        raise GraphFileError(str(path), "unknown graph format (expected .graphml or .json)")
    if not path.is_file():
        raise GraphFileError(str(path), "no such file (run 'paperlineage build' first, or pass --graph)")
    try:
        graph = read_graphml(path) if suffix == ".graphml" else read_graph_json(path)
    except OSError as exc:
        raise GraphFileError(str(path), exc.strerror or str(exc)) from None
    except (ET.ParseError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GraphFileError(str(path), f"not a {suffix[1:]} graph file ({exc})") from None
    except (nx.NetworkXError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise GraphFileError(str(path), f"not a paperlineage graph ({type(exc).__name__}: {exc})") from None
    for name in ("node_default", "edge_default"):
        if graph.graph.get(name) == {}:
            del graph.graph[name]
    if graph.number_of_nodes() and not any("node_type" in d for _, d in graph.nodes(data=True)):
        raise GraphFileError(str(path), "not a paperlineage graph (no node has a node_type)")
    _check_values(graph, str(path))
    return graph


#: Attributes that queries compute with (ranks, scores, records), so they must be numbers.
NUMERIC_ATTRIBUTES = ("authors", "community", "pagerank", "stars", "upvotes", "weight", "year")


def _check_values(graph: nx.MultiDiGraph, path: str) -> None:
    """Every attribute a scalar, and the numeric ones numbers (a hand-edited or foreign
    ``graph.json`` can hold anything; say which node, instead of failing deep in a query).

    Raises:
        GraphFileError: naming the first node or edge at fault.
    """
    items = [(f"node {n!r}", d) for n, d in graph.nodes(data=True)]
    items += [(f"edge {u!r} -> {v!r}", d) for u, v, d in graph.edges(data=True)]
    for where, data in items:
        for name, value in data.items():
            if not isinstance(value, (str, int, float, bool)):
                raise GraphFileError(path, f"{where}: attribute {name!r} is a {type(value).__name__}, not a scalar")
            if name in NUMERIC_ATTRIBUTES and (isinstance(value, (str, bool)) or value != value):
                raise GraphFileError(path, f"{where}: attribute {name!r} is {value!r}, not a number")


def paper_ref(G: nx.MultiDiGraph, node: str) -> PaperRef:
    """The `PaperRef` of a node (paper or method).

    Raises:
        NotFound: `node` is not in `G`.
    """
    if node not in G:
        raise NotFound(node, f"no node {node!r} in the graph")
    data = G.nodes[node]
    return PaperRef(
        id=node,
        title=str(data.get("title", node)),
        node_type=str(data.get("node_type", "paper")),
        arxiv_id=str(data.get("arxiv_id", "")),
        github=str(data.get("github", "")),
        date=str(data.get("date", "")),
        community=int(data.get("community", -1)),
        pagerank=float(data.get("pagerank", 0.0)),
    )


def normalise_arxiv_id(text: str) -> str:
    """An arXiv ID without prefix or version, for comparison.

    >>> normalise_arxiv_id("arXiv:2403.03507v2")
    '2403.03507'
    >>> normalise_arxiv_id("https://arxiv.org/abs/2305.14342")
    '2305.14342'
    """
    return normalise_arxiv(text) or text.strip()


def _papers(G: nx.MultiDiGraph) -> list[str]:
    return [n for n, t in G.nodes(data="node_type") if t == "paper"]


def _matches(G: nx.MultiDiGraph, nodes: list[str], how: str, scores: list[float] | None = None) -> list[Match]:
    found = [Match(paper=paper_ref(G, n), how=how, score=s) for n, s in zip(nodes, scores or [100.0] * len(nodes))]
    return sorted(found, key=lambda m: (-m.score, -m.paper.pagerank, m.paper.title.casefold(), m.paper.id))


def match_paper(G: nx.MultiDiGraph, query: str) -> list[Match]:
    """Every match of the first look-up step that finds anything, best first.

    An empty list means nothing matched. A fuzzy title comes back alone only when
    it scores at least `FUZZY_FLOOR` and leads the next by `FUZZY_MARGIN`; use
    `find_paper` for the decision (a lone weak fuzzy match is only a suggestion).
    """
    return _lookup(G, query)[0]


def _lookup(G: nx.MultiDiGraph, query: str) -> tuple[list[Match], bool]:
    """The matches and whether they settle the question (one match, confidently)."""
    found = _steps(G, query.strip())
    if len(found) != 1:
        return found, False
    match = found[0]
    return found, match.how != "fuzzy title" or match.score >= FUZZY_FLOOR


def _steps(G: nx.MultiDiGraph, query: str) -> list[Match]:
    if not query:
        return []
    if query in G:
        return _matches(G, [query], "id")
    papers = _papers(G)
    arxiv = normalise_arxiv_id(query)
    found = [n for n in papers if G.nodes[n].get("arxiv_id") and normalise_arxiv_id(str(G.nodes[n]["arxiv_id"])) == arxiv]
    if found:
        return _matches(G, found, "arxiv_id")
    name = query.casefold()
    found = [n for n in papers if name in (m.casefold() for m in split_list(G.nodes[n].get("methods", "")))]
    if found:
        return _matches(G, found, "method")
    key = normalise_title(query)
    if not key:
        return []
    titles = {n: normalise_title(str(G.nodes[n].get("title", ""))) for n in papers}
    found = [n for n, t in titles.items() if t == key]
    if found:
        return _matches(G, found, "title")
    found = [n for n, t in titles.items() if t.startswith(key + " ")]
    if found and len(key.split()) >= PREFIX_MIN_WORDS:
        return _matches(G, found, "title prefix")
    return _fuzzy(G, key, titles)


def _score(query: str, title: str, **_: object) -> float:
    # token_set_ratio rewards a query whose words all occur in the title; WRatio
    # breaks its ties in favour of the title that is closest as a whole.
    return (fuzz.token_set_ratio(query, title) + fuzz.WRatio(query, title)) / 2


def _fuzzy(G: nx.MultiDiGraph, key: str, titles: dict[str, str]) -> list[Match]:
    scored = process.extract(key, titles, scorer=_score, limit=None, score_cutoff=CANDIDATE_FLOOR)
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[1], item[2]))
    best = scored[0][1]
    second = scored[1][1] if len(scored) > 1 else 0.0
    if best >= FUZZY_FLOOR and best - second >= FUZZY_MARGIN:
        scored = scored[:1]
    else:
        scored = [s for s in scored if s[1] >= best - 2 * FUZZY_MARGIN]
    nodes = [node for _, _, node in scored]
    return _matches(G, nodes, "fuzzy title", [round(s, 1) for _, s, _ in scored])


def find_paper(G: nx.MultiDiGraph, query: str) -> str:
    """The node id `query` names, by id, arXiv ID, method name or title.

    Raises:
        NotFound: nothing in the graph matches `query`.
        LookupAmbiguous: several papers match equally well; ``.candidates`` lists them.
    """
    found, decided = _lookup(G, query)
    if not found:
        raise NotFound(query, f"no paper matches {query!r} (tried id, arXiv ID, method name and title)")
    if not decided:
        raise LookupAmbiguous(query, found[:MAX_CANDIDATES], len(found))
    return found[0].paper.id
