"""`cites` edges end to end: Semantic Scholar reference lists and contexts, OpenAlex fallback.

The server speaks the recorded formats (tests/fake_apis.py); the citation data is synthetic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from cache import SOURCES, HttpConfig
from enrich.citations import arxiv_key
from graph.pipeline import run_build
from tests.fake_apis import World, WorldPaper, serve
from tests.listings import LONG, block, listing

GALORE = "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection"
FRUGAL = "FRUGAL: Memory-Efficient Optimization by Reducing State Overhead for Scalable Training"
APOLLO = "APOLLO: SGD-like Memory, AdamW-level Performance"
FIRA = "Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint"
LION = "Lion Secretly Solves Constrained Optimization: As Lyapunov Predicts"


def world() -> World:
    return World(
        papers=[
            WorldPaper(GALORE, "2403.03507", dt.date(2024, 3, 6), 6),
            WorldPaper(FRUGAL, "2411.07837", dt.date(2024, 11, 12), 4, references=["2403.03507"], filler_references=140),
            WorldPaper(APOLLO, "2412.05270", dt.date(2024, 12, 6), 10, references=["doi:10.48550/arXiv.2403.03507v1", "2410.01623"]),
            WorldPaper(FIRA, "2410.01623", dt.date(2024, 10, 2), 5, on_s2=False, references=["2403.03507"]),
            WorldPaper(LION, "2310.05898", dt.date(2023, 10, 9), 4, references=[]),
        ]
    )


@pytest.fixture
def built(tmp_path: Path, monkeypatch):
    server = HTTPServer()
    server.start()
    fake = world()
    for name, value in serve(server, fake).items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_TOKEN", "S2_API_KEY", "HF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENALEX_API_KEY", "oa-test-key")
    (tmp_path / "l.txt").write_bytes(listing(*[block(p.title, LONG) for p in fake.papers]))
    http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
    result = run_build([tmp_path / "l.txt"], tmp_path / "out", http)
    yield result, fake, server
    server.clear()
    server.stop()


def _cites(result) -> dict[tuple[str, str], dict]:
    title = {n: d["title"].split(":")[0] for n, d in result.graph.nodes(data=True)}
    return {(title[u], title[v]): d for u, v, k, d in result.graph.edges(keys=True, data=True) if k == "cites"}


def test_citations__galore_lineage_in_full(built):
    result, _, _ = built
    cites = _cites(result)
    assert {("GaLore", "FRUGAL"), ("GaLore", "APOLLO"), ("GaLore", "Fira")} <= set(cites)
    assert ("Fira", "APOLLO") in cites
    assert not any(child == "GaLore" for _, child in cites)  # direction: cited → citing


def test_citations__intents_influence_and_contexts_for_corpus_pairs(built):
    result, _, _ = built
    edge = _cites(result)[("GaLore", "FRUGAL")]
    assert edge["intents"] == "methodology" and edge["is_influential"] is True
    assert edge["evidence"] == "As shown by prior work, the method saves memory." and edge["source"] == "semanticscholar"


def test_citations__reference_list_spanning_pages(built):
    result, _, server = built
    pages = [r for r, _ in server.log if r.path.endswith("/references") and "2411.07837" in r.path]
    assert [r.args.get("offset") for r in pages] == ["0", "100"]  # 141 references, limit 100
    assert ("GaLore", "FRUGAL") in _cites(result)  # the corpus paper sits on the second page's boundary


def test_citations__old_arxiv_version_still_matches(built):
    result, _, _ = built
    assert ("GaLore", "APOLLO") in _cites(result)
    assert arxiv_key(doi="10.48550/arXiv.2403.03507v1") == "2403.03507"


def test_citations__paper_missing_from_semantic_scholar_uses_openalex(built):
    result, _, server = built
    edge = _cites(result)[("GaLore", "Fira")]
    assert edge["source"] == "openalex" and edge["intents"] == ""
    assert any(r.path.endswith("/works") and "api_key" in r.args for r, _ in server.log)


def test_citations__no_key_no_openalex_but_said(tmp_path: Path, monkeypatch):
    server = HTTPServer()
    server.start()
    try:
        fake = world()
        for name, value in serve(server, fake).items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
        (tmp_path / "l.txt").write_bytes(listing(*[block(p.title, LONG) for p in fake.papers]))
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        result = run_build([tmp_path / "l.txt"], tmp_path / "out", http)
        assert ("GaLore", "Fira") not in _cites(result)
        assert fake.hits["openalex"] == 0
        assert any("OPENALEX_API_KEY" in n for n in result.outcomes.notes)
    finally:
        server.clear()
        server.stop()
