"""A run killed halfway, then run again: nothing the killed run had received is fetched again.

The build runs in a subprocess against the fake world (real formats, GitHub's real caching
headers, a GitHub token set so ``Vary: Authorization`` is in play); the server kills it with
SIGKILL when request K arrives (`tests.fake_apis.kill_and_rerun`). The rerun must not ask for
any of the K-1 answers before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import ENV, PREFIXES, TOKEN_ENV, TOKEN_VARIABLES, kill_and_rerun, seeds_world

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TOKEN = {TOKEN_ENV["github"]: "ghp_SECRET_kill_test"}


def _cold_requests(tmp_path: Path, monkeypatch) -> int:
    """How many requests an uninterrupted cold run of the seeds makes (to place the kills)."""
    world = seeds_world(SEEDS)
    server = HTTPServer()
    server.expect_request(re.compile(".*")).respond_with_handler(world.handle)
    server.start()
    try:
        with monkeypatch.context() as patch:
            for s, p in PREFIXES.items():
                patch.setenv(ENV[s], server.url_for(p))
            for name in TOKEN_VARIABLES:
                patch.delenv(name, raising=False)
            for name, value in TOKEN.items():
                patch.setenv(name, value)
            http = HttpConfig(cache_path=tmp_path / "count.sqlite", rate_limits=dict.fromkeys(SOURCES, 1000.0))
            run_build([SEEDS], BuildOptions(out=tmp_path / "count", http=http))
        return sum(world.hits.values())
    finally:
        server.clear()
        server.stop()


@pytest.mark.parametrize("where", [0.3, 0.97])  # among the title searches, and among the last lookups (GitHub)
def test_kill_rerun__answers_received_before_a_kill_are_not_fetched_again(tmp_path: Path, monkeypatch, where: float):
    kill_at = max(2, int(_cold_requests(tmp_path, monkeypatch) * where))
    outcome = kill_and_rerun(SEEDS, tmp_path, kill_at, TOKEN)
    assert len(outcome.received) == kill_at - 1 and outcome.rerun  # killed where planned; the rerun did the rest
    assert outcome.fetched_again == [], f"{len(outcome.fetched_again)} answers fetched again: {outcome.fetched_again[:3]}"
