"""Precision and recall of the offline graph on seeds/ against the hand-checked lists.

Recall is over the expected edges; precision is over edges the graph produces: every
mentions edge must be hand-checked (unchecked ones count as wrong), and shares_method
precision comes from the fixed, seeded sample judged in tests/expected_edges.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.ingest import ingest
from paperlineage.pipeline import link_papers
from tests.expected_edges import (
    MENTIONS,
    MUST_NOT_LINK,
    SAMPLE_PER_MILLE,
    SAMPLE_SEED,
    SHARES_METHOD,
    SHARES_METHOD_JUDGED,
)

PRECISION_FLOOR = 0.8

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


def _in_sample(title_a: str, title_b: str) -> bool:
    a, b = sorted((title_a, title_b))
    return int(hashlib.sha256(f"{SAMPLE_SEED}|{a}|{b}".encode()).hexdigest()[:8], 16) % 1000 < SAMPLE_PER_MILLE


def _verdict(title_a: str, title_b: str) -> tuple[bool, str] | None:
    for a, b, correct, reason in SHARES_METHOD_JUDGED:
        if (title_a.startswith(a) and title_b.startswith(b)) or (title_a.startswith(b) and title_b.startswith(a)):
            return correct, reason
    return None


def test_expected_edges__precision_and_recall(seeds_graph: nx.MultiDiGraph):
    expected = [("mentions", a, b, True) for a, b in MENTIONS] + [("shares_method", a, b, False) for a, b in SHARES_METHOD]
    assert len(expected) >= 25 and len(MUST_NOT_LINK) >= 10
    found = [e for e in expected if _has(seeds_graph, *e)]
    recall = len(found) / len(expected)
    title = dict(seeds_graph.nodes(data="title"))
    checked = {(_node(seeds_graph, a), _node(seeds_graph, b)) for a, b in MENTIONS}
    mentions = [(u, v) for u, v, k in seeds_graph.edges(keys=True) if k == "mentions"]
    mentions_right = [edge for edge in mentions if edge in checked]
    shares = [(title[u], title[v]) for u, v, k in seeds_graph.edges(keys=True) if k == "shares_method"]
    sample = sorted((a, b) for a, b in shares if _in_sample(a, b))
    unjudged = [pair for pair in sample if _verdict(*pair) is None]
    assert not unjudged, f"judge these sampled shares_method edges in tests/expected_edges.py: {unjudged}"
    shares_right = [pair for pair in sample if _verdict(*pair)[0]]  # type: ignore[index]
    mentions_precision = len(mentions_right) / max(len(mentions), 1)
    shares_precision = len(shares_right) / max(len(sample), 1)
    print(
        f"\nseeds lineage vs hand-checked lists: recall {recall:.2f} ({len(found)}/{len(expected)}); "
        f"precision over produced edges: mentions {mentions_precision:.2f} ({len(mentions_right)}/{len(mentions)} hand-checked right), "
        f"shares_method {shares_precision:.2f} ({len(shares_right)}/{len(sample)} right in a seeded sample of {len(shares)})"
    )
    assert len(sample) >= 25, "the sample is too small to estimate precision; raise SAMPLE_PER_MILLE and judge the new edges"
    assert mentions_precision >= PRECISION_FLOOR, [(title[u], title[v]) for u, v in mentions if (u, v) not in checked]
    assert shares_precision >= PRECISION_FLOOR, [(pair, _verdict(*pair)) for pair in sample if pair not in shares_right]
    assert recall >= 0.85, [e for e in expected if e not in found]


@pytest.mark.parametrize("pair", MUST_NOT_LINK, ids=lambda p: f"{p[0]}|{p[1]}")
def test_expected_edges__must_not_link(seeds_graph: nx.MultiDiGraph, pair: tuple):
    assert not _linked(seeds_graph, *pair)
