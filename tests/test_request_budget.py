"""Requests per paper on seeds/, counted at a local server (synthetic world, real formats)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import TOKEN_ENV, aim, seeds_world

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize("github_token", [False, True], ids=["no-github-token", "github-token"])
def test_request_budget__cold_at_most_1_5_per_paper_warm_none(tmp_path: Path, monkeypatch, github_token: bool):
    world = seeds_world(SEEDS)
    server = HTTPServer()
    server.start()
    try:
        aim(monkeypatch, server, world)
        if github_token:
            monkeypatch.setenv(TOKEN_ENV["github"], "ghp_SECRET_budget_test")
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        cold = run_build([SEEDS], BuildOptions(out=tmp_path / "cold", http=http))
        made = sum(world.hits.values())
        papers = len(cold.papers)
        print(f"\ncold run: {made} requests for {papers} papers = {made / papers:.2f} per paper ({dict(world.hits)})")
        assert made <= 1.5 * papers
        repos = {p.github for p in cold.papers if p.github}
        if github_token:  # GraphQL: one query per 100 repositories instead of one request each
            assert len(repos) > 50 and world.hits["github"] <= 0.05 * papers
        else:
            assert world.hits["github"] >= len(repos)  # REST: at least one request per repository
        assert sum(1 for p in cold.papers if p.arxiv_id) >= 0.95 * papers
        before = Counter(world.hits)
        run_build([SEEDS], BuildOptions(out=tmp_path / "warm", http=http))
        assert world.hits == before  # the warm run asked the server nothing, GitHub's Vary: Authorization included
        assert b"ghp_SECRET_budget_test" not in b"".join(p.read_bytes() for p in tmp_path.glob("c.sqlite*"))
    finally:
        server.clear()
        server.stop()
