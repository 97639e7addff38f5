"""Precision and recall of the offline graph on seeds/ against the hand-checked list."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from enrich.from_text import enrich_from_text
from enrich.ingest import ingest
from graph.pipeline import link_papers
from tests.expected_edges import MENTIONS, MUST_NOT_LINK, SHARES_METHOD

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds_graph() -> nx.MultiDiGraph:
    """The graph an offline build of seeds/ draws (text only: mentions and shared methods)."""
    papers = [enrich_from_text(p) for p in ingest([SEEDS])[0]]
    return link_papers(papers)[0]


def _node(graph: nx.MultiDiGraph, prefix: str) -> str:
    found = [n for n, title in graph.nodes(data="title") if title.startswith(prefix)]
    assert len(found) == 1, f"{prefix!r} names {len(found)} papers"
    return found[0]


def _has(graph: nx.MultiDiGraph, kind: str, a: str, b: str, directed: bool) -> bool:
    u, v = _node(graph, a), _node(graph, b)
    if graph.has_edge(u, v, key=kind):
        return True
    return not directed and graph.has_edge(v, u, key=kind)


def _linked(graph: nx.MultiDiGraph, a: str, b: str, kinds: tuple[str, ...] | None = None) -> bool:
    u, v = _node(graph, a), _node(graph, b)
    keys = [k for s, t in ((u, v), (v, u)) for k in graph.get_edge_data(s, t, default={})]
    return any(kinds is None or k in kinds for k in keys)


def test_expected_edges__precision_and_recall(seeds_graph: nx.MultiDiGraph):
    expected = [("mentions", a, b, True) for a, b in MENTIONS] + [("shares_method", a, b, False) for a, b in SHARES_METHOD]
    assert len(expected) >= 25 and len(MUST_NOT_LINK) >= 10
    found = [e for e in expected if _has(seeds_graph, *e)]
    wrong = [pair for pair in MUST_NOT_LINK if _linked(seeds_graph, *pair)]
    recall = len(found) / len(expected)
    precision = len(found) / (len(found) + len(wrong))  # over the pairs we judged
    mentions_total = sum(1 for *_, k in seeds_graph.edges(keys=True) if k == "mentions")
    judged_mentions = sum(1 for e in found if e[0] == "mentions")
    print(
        f"\nseeds lineage vs hand-checked list: recall {recall:.2f} ({len(found)}/{len(expected)}), "
        f"precision on judged pairs {precision:.2f} ({len(wrong)} must-not pairs linked); "
        f"{judged_mentions}/{mentions_total} mentions edges are hand-checked"
    )
    assert wrong == []
    assert recall >= 0.85, [e for e in expected if e not in found]


@pytest.mark.parametrize("pair", MUST_NOT_LINK, ids=lambda p: f"{p[0]}|{p[1]}")
def test_expected_edges__must_not_link(seeds_graph: nx.MultiDiGraph, pair: tuple):
    assert not _linked(seeds_graph, *pair)
