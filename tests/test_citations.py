"""`cites` edges end to end: Semantic Scholar reference lists and contexts, OpenAlex fallback.

The server speaks the recorded formats (tests/fake_apis.py); the citation data is synthetic.
Each citation pair gets its own intents, influence and contexts from the fake
(`citation_detail`), so an edge that carried another pair's details would fail here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.cli import summary_lines
from paperlineage.enrich.calls import SourceCaller
from paperlineage.enrich.citations import CONTEXT_CALLS, MAX_CONTEXTS, arxiv_key, find_citations
from paperlineage.enrich.models import Paper
from paperlineage.enrich.outcomes import Failure, Outcomes
from paperlineage.enrich.sources import OpenAlexClient, S2Paper
from paperlineage.enrich.sources.semanticscholar import S2PaperId
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import TOKEN_ENV, TOKEN_VARIABLES, CitationDetail, World, WorldPaper, citation_detail, serve
from tests.listings import LONG, block, listing

GALORE = "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection"
FRUGAL = "FRUGAL: Memory-Efficient Optimization by Reducing State Overhead for Scalable Training"
APOLLO = "APOLLO: SGD-like Memory, AdamW-level Performance"
FIRA = "Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint"
LION = "Lion Secretly Solves Constrained Optimization: As Lyapunov Predicts"
NATURAL = "Natural GaLore: Accelerating GaLore for memory-efficient LLM Training and Fine-tuning"
OLD_APOLLO_DOI = "doi:10.48550/arXiv.2403.03507v1"


def world() -> World:
    """SYNTHETIC citations; every corpus pair has different details, FRUGAL's has more contexts than are kept."""
    return World(
        papers=[
            WorldPaper(GALORE, "2403.03507", dt.date(2024, 3, 6), 6),
            WorldPaper(
                FRUGAL, "2411.07837", dt.date(2024, 11, 12), 4, references=["2403.03507"], filler_references=140,
                citations={"2403.03507": CitationDetail(("methodology",), True, tuple(f"FRUGAL context {k}." for k in range(1, 6)))},
            ),
            WorldPaper(
                APOLLO, "2412.05270", dt.date(2024, 12, 6), 10, references=[OLD_APOLLO_DOI, "2410.01623"],
                citations={
                    OLD_APOLLO_DOI: CitationDetail(("background",), False, ("APOLLO cites GaLore.",)),
                    "2410.01623": CitationDetail(("result", "methodology"), True, ("APOLLO cites Fira.", "Again Fira.")),
                },
            ),
            WorldPaper(FIRA, "2410.01623", dt.date(2024, 10, 2), 5, on_s2=False, references=["2403.03507"]),
            WorldPaper(LION, "2310.05898", dt.date(2023, 10, 9), 4, references=[]),
            WorldPaper(NATURAL, "2410.16029", dt.date(2024, 10, 21), 3, references=["2403.03507"], references_broken=True),
        ]
    )


@pytest.fixture
def built(tmp_path: Path, monkeypatch):
    server = HTTPServer()
    server.start()
    fake = world()
    for name, value in serve(server, fake).items():
        monkeypatch.setenv(name, value)
    for name in TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(TOKEN_ENV["openalex"], "oa-test-key")
    (tmp_path / "l.txt").write_bytes(listing(*[block(p.title, LONG) for p in fake.papers]))
    http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
    result = run_build([tmp_path / "l.txt"], BuildOptions(out=tmp_path / "out", http=http))
    yield result, fake, server
    server.clear()
    server.stop()


def _cites(result) -> dict[tuple[str, str], dict]:
    title = {n: d["title"].split(":")[0] for n, d in result.graph.nodes(data=True)}
    return {(title[u], title[v]): d for u, v, k, d in result.graph.edges(keys=True, data=True) if k == "cites"}


def _paper(fake: World, title: str) -> WorldPaper:
    return next(p for p in fake.papers if p.title == title)


def _expected(detail: CitationDetail) -> dict:
    return {
        "intents": "; ".join(sorted(detail.intents)),
        "is_influential": detail.influential,
        "influence_known": True,
        "evidence": " | ".join(detail.contexts[:MAX_CONTEXTS]),
        "source": "semanticscholar",
    }


def test_citations__galore_lineage_in_full(built):
    result, _, _ = built
    cites = _cites(result)
    assert {("GaLore", "FRUGAL"), ("GaLore", "APOLLO"), ("GaLore", "Fira"), ("GaLore", "Natural GaLore")} <= set(cites)
    assert ("Fira", "APOLLO") in cites
    assert not any(child == "GaLore" for _, child in cites)  # direction: cited → citing


def test_citations__each_pair_keeps_its_own_intents_influence_and_contexts(built):
    result, fake, _ = built
    cites = _cites(result)
    pairs = {
        ("GaLore", "FRUGAL"): citation_detail(_paper(fake, FRUGAL), "2403.03507"),
        ("GaLore", "APOLLO"): citation_detail(_paper(fake, APOLLO), OLD_APOLLO_DOI),
        ("Fira", "APOLLO"): citation_detail(_paper(fake, APOLLO), "2410.01623"),
    }
    assert len({(d.intents, d.influential, d.contexts) for d in pairs.values()}) == 3  # a mix-up would show
    for pair, detail in pairs.items():
        edge = cites[pair]
        assert {key: edge[key] for key in _expected(detail)} == _expected(detail), pair


def test_citations__contexts_capped(built):
    result, fake, _ = built
    served = citation_detail(_paper(fake, FRUGAL), "2403.03507").contexts
    kept = _cites(result)[("GaLore", "FRUGAL")]["evidence"].split(" | ")
    assert len(served) > MAX_CONTEXTS == len(kept) == 3
    assert kept == list(served[:3])


def test_citations__reference_list_spanning_pages(built):
    result, _, server = built
    pages = [(r, answer) for r, answer in server.log if r.path.endswith("/references") and "2411.07837" in r.path]
    assert [r.args.get("offset") for r, _ in pages] == ["0", "100"]  # 141 references, limit 100
    # GaLore is reference 141 of 141: on the second page only, so its contexts came from there
    assert [b"2403.03507" in answer.get_data() for _, answer in pages] == [False, True]
    assert _cites(result)[("GaLore", "FRUGAL")]["evidence"].startswith("FRUGAL context 1.")


def test_citations__references_read_only_for_papers_citing_the_corpus(built):
    _, _, server = built
    asked = {r.path.split("/")[-2] for r, _ in server.log if r.path.endswith("/references")}
    # GaLore and Lion cite nothing in the corpus; Fira is not on S2
    assert asked == {"ARXIV:2411.07837", "ARXIV:2412.05270", "ARXIV:2410.16029"}


def test_citations__summary_counts_the_references_calls(built, tmp_path: Path):
    result, _, server = built
    asked = {r.path.split("/")[-2] for r, _ in server.log if r.path.endswith("/references")}
    # one call per citing paper (FRUGAL's call reads two pages, still one call)
    assert len(asked) == 3 and result.outcomes.calls[CONTEXT_CALLS] == 3
    assert "citation contexts: 3 Semantic Scholar /references calls (one per citing paper with corpus references)" in summary_lines(result)
    http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
    warm = run_build([tmp_path / "l.txt"], BuildOptions(out=tmp_path / "warm", http=http))
    assert warm.outcomes.calls[CONTEXT_CALLS] == 3  # the same calls, answered by the cache


def test_citations__old_arxiv_version_still_matches(built):
    result, _, _ = built
    assert ("GaLore", "APOLLO") in _cites(result)
    assert arxiv_key(doi="10.48550/arXiv.2403.03507v1") == "2403.03507"


def test_citations__unknown_influence_stays_unknown(built):
    result, _, _ = built
    cites = _cites(result)
    failed = cites[("GaLore", "Natural GaLore")]  # from the S2 batch; its /references body was broken
    assert failed["source"] == "semanticscholar" and failed["influence_known"] is False
    assert failed["is_influential"] is False and failed["weight"] == 1.0 and failed["intents"] == ""
    from_openalex = cites[("GaLore", "Fira")]  # OpenAlex has no influence flag
    assert from_openalex["influence_known"] is False
    assert cites[("GaLore", "APOLLO")]["influence_known"] is True  # known, and False
    graphml = (result.written[1]).read_text(encoding="utf-8")
    assert 'attr.name="influence_known" attr.type="boolean"' in graphml


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
        monkeypatch.delenv(TOKEN_ENV["openalex"], raising=False)
        (tmp_path / "l.txt").write_bytes(listing(*[block(p.title, LONG) for p in fake.papers]))
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        result = run_build([tmp_path / "l.txt"], BuildOptions(out=tmp_path / "out", http=http))
        assert ("GaLore", "Fira") not in _cites(result)
        assert fake.hits["openalex"] == 0
        assert any(TOKEN_ENV["openalex"] in n for n in result.outcomes.notes)
    finally:
        server.clear()
        server.stop()


class _CountingS2:
    """Stands in for the S2 client: records which papers' references were asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def references(self, paper_id: str) -> list:
        self.asked.append(paper_id)
        return []


@pytest.mark.parametrize("disabled", [False, True], ids=["asked", "source-disabled"])
def test_citations__context_calls_count_only_calls_made(disabled: bool):
    papers = [Paper(id=k, title=k, abstract="", arxiv_id=a) for k, a in (("a", "2401.00001"), ("b", "2401.00002"))]
    records = {"a": S2Paper(paper_id="sa", references=[]), "b": S2Paper(paper_id="sb", references=[S2PaperId(arxiv_id="2401.00001")])}
    outcomes, s2 = Outcomes(), _CountingS2()
    call = SourceCaller(outcomes, dict)
    if disabled:  # as after a 429 that outlived the retries: no request is sent
        call.disabled["semanticscholar"] = Failure("rate-limited", "HTTP 429")
    openalex = OpenAlexClient(requests.Session(), "http://localhost:9")  # not asked: S2 had both lists
    cites = find_citations(papers, records, s2, openalex, call, outcomes)  # type: ignore[arg-type]
    assert [(c.cited, c.citing) for c in cites] == [("a", "b")]
    assert s2.asked == ([] if disabled else ["ARXIV:2401.00002"])
    assert outcomes.calls[CONTEXT_CALLS] == len(s2.asked)
