"""Requests per paper on seeds/, counted at a local server (synthetic world, real formats)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import TOKEN_ENV, aim, seeds_world

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_request_budget__cold_at_most_1_5_per_paper_warm_none(tmp_path: Path, monkeypatch):
    world = seeds_world(SEEDS)
    server = HTTPServer()
    server.start()
    try:
        aim(monkeypatch, server, world)
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        cold = run_build([SEEDS], BuildOptions(out=tmp_path / "cold", http=http))
        made = sum(world.hits.values())
        papers = len(cold.papers)
        print(f"\ncold run: {made} requests for {papers} papers = {made / papers:.2f} per paper ({dict(world.hits)})")
        assert made <= 1.5 * papers
        assert sum(1 for p in cold.papers if p.arxiv_id) >= 0.95 * papers
        before = Counter(world.hits)
        run_build([SEEDS], BuildOptions(out=tmp_path / "warm", http=http))
        assert world.hits == before  # the warm run asked the server nothing
    finally:
        server.clear()
        server.stop()


def test_request_budget__warm_run_with_a_github_token_asks_nothing(tmp_path: Path, monkeypatch):
    """GitHub answers Vary: Authorization; with GITHUB_TOKEN set the cache must still hold."""
    world = seeds_world(SEEDS)
    server = HTTPServer()
    server.start()
    try:
        aim(monkeypatch, server, world)
        monkeypatch.setenv(TOKEN_ENV["github"], "ghp_SECRET_budget_test")
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        run_build([SEEDS], BuildOptions(out=tmp_path / "cold", http=http))
        assert world.hits["github"] > 0
        before = Counter(world.hits)
        run_build([SEEDS], BuildOptions(out=tmp_path / "warm", http=http))
        assert world.hits == before  # GitHub included: every cached answer found again
        stored = b"".join(p.read_bytes() for p in tmp_path.glob("c.sqlite*"))
        assert b"ghp_SECRET_budget_test" not in stored
    finally:
        server.clear()
        server.stop()
