"""The code the issue-16 speed-ups replaced, kept verbatim (from commit fb6e715) so
``bench/graph_scale.py --compare`` can time old and new side by side in one run.

Nothing in the package imports this module; it exists for the benchmark only.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import igraph
import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from paperlineage.enrich.ids import PaperIds, normalise_arxiv
from paperlineage.enrich.idlist import _BULLET, _SEPARATORS
from paperlineage.enrich.text.links import _GITHUB, Found, normalise_repo, sentence_around
from paperlineage.enrich.text.scan import _URL
from paperlineage.graph.analysis import LOUVAIN_SEED
from paperlineage.graph.build import influence_graph
from paperlineage.graph.export_graphml import _SCOPES, canonical_graph
from paperlineage.graph.export_json import papers_document
from paperlineage.graph.kinds import PAPER_KINDS


# --- graph/analysis.py -------------------------------------------------------------------------

def communities(graph: nx.MultiDiGraph) -> dict[str, int]:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(n for n, t in graph.nodes(data="node_type") if t == "paper"))
    for u, v, weight in sorted(graph.edges(data="weight", default=1.0), key=lambda e: (e[0], e[1])):
        if u in simple and v in simple and u != v:
            previous = simple.get_edge_data(u, v, {}).get("weight", 0.0)
            simple.add_edge(u, v, weight=previous + float(weight))
    if simple.size(weight="weight") <= 0:
        return {node: index for index, node in enumerate(simple.nodes)}
    found = _louvain(simple)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    return {node: index for index, members in enumerate(ordered) for node in members}


def _louvain(simple: nx.Graph) -> list[list[str]]:
    names = list(simple.nodes)
    index = {name: i for i, name in enumerate(names)}
    edges = [(index[u], index[v]) for u, v in simple.edges]
    weights = [float(w) for _, _, w in simple.edges(data="weight")]
    ugraph = igraph.Graph(n=len(names), edges=edges, directed=False)
    igraph.set_random_number_generator(random.Random(LOUVAIN_SEED))
    try:
        clustering = ugraph.community_multilevel(weights=weights)
    except igraph.InternalError:
        clustering = ugraph.connected_components()
    finally:
        igraph.set_random_number_generator(random)
    return [[names[i] for i in members] for members in clustering]


def influence_pagerank(graph: nx.MultiDiGraph) -> dict[str, float]:
    view = influence_graph(graph).reverse(copy=True)
    if view.number_of_nodes() == 0:
        return {}
    return nx.pagerank(view, alpha=0.85)


def degrees(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """The degree loops of the old ``add_analysis`` (two ``in_edges``/``out_edges`` scans per node and kind)."""
    result = {}
    for node, data in graph.nodes(data=True):
        if data.get("node_type") != "paper":
            continue
        counts = {}
        for kind in PAPER_KINDS:
            counts[f"in_{kind}"] = sum(1 for _, _, k in graph.in_edges(node, keys=True) if k == kind)
            counts[f"out_{kind}"] = sum(1 for _, _, k in graph.out_edges(node, keys=True) if k == kind)
        result[node] = counts
    return result


# --- graph/export_graphml.py ---------------------------------------------------------------------

def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(canonical_graph(graph))
    keys = [element for element in writer.xml if element.tag == "key"]
    for element in keys:
        writer.xml.remove(element)
    keys.sort(key=lambda e: (_SCOPES.get(e.get("for", ""), 3), e.get("attr.name", ""), e.get("attr.type", "")))
    for index, element in enumerate(keys):
        writer.xml.insert(index, element)
    with Path(path).open("wb") as handle:
        writer.dump(handle)


# --- graph/export_json.py ------------------------------------------------------------------------

def write_papers_json(papers, path: Path) -> None:
    text = json.dumps(papers_document(papers), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def write_graph_json(graph: nx.MultiDiGraph, path: Path) -> None:
    data = nx.node_link_data(graph, edges="edges")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# --- enrich: the per-paper text helpers ----------------------------------------------------------

def mask_urls(text: str) -> str:
    return _URL.sub(lambda m: " " * len(m.group()), text)


def github_repos(text: str) -> list[Found]:
    seen: set[str] = set()
    found: list[Found] = []
    for match in _GITHUB.finditer(text):
        repo = normalise_repo(match.group(1), match.group(2))
        if repo is None or repo.lower() in seen:
            continue
        seen.add(repo.lower())
        found.append(Found(repo, sentence_around(text, match.start(), match.end())))
    return found


def bare_ids(line: str) -> list[PaperIds]:
    body = _BULLET.sub("", line.split(" #", 1)[0]).strip()
    tokens = [t for t in _SEPARATORS.split(body) if t]
    found = [normalise_arxiv(t) for t in tokens]
    if not tokens or any(f is None for f in found):
        return []
    return [PaperIds(arxiv=f) for f in found]


def control_count(text: str) -> int:
    """The control-character count of the old ``decode_listing``."""
    return sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")


def copy_paper(paper):
    """The old copy at the start of ``enrich_from_text``."""
    return paper.model_copy(deep=True)


def symbols(title: str) -> str:
    import unicodedata

    from paperlineage.enrich.titles import _LATEX_ACCENT, _LATEX_COMMAND

    text = _LATEX_COMMAND.sub("", _LATEX_ACCENT.sub(r"\1", title))
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("S") and ch not in "$^_{}`")


def normalise_title(title: str) -> str:
    import unicodedata

    from paperlineage.enrich.titles import _LATEX_ACCENT, _LATEX_COMMAND, _NON_WORD

    text = _LATEX_ACCENT.sub(r"\1", title)
    text = _LATEX_COMMAND.sub("", text)
    text = text.replace("$", "").replace("^", "").replace("_", "").replace("{", "").replace("}", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.casefold())
    return " ".join(text.split())
