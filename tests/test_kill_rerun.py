"""A run killed halfway, then run again: nothing the killed run had received is fetched again.

The build runs in a subprocess against the fake world (real formats, GitHub's real caching
headers, a GitHub token set so ``Vary: Authorization`` is in play). The server kills it with
SIGKILL when request K arrives, before answering it: the K-1 answers before it were received
(requests go one at a time), and each was stored as it came. The rerun must not ask for any of them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import ENV, PREFIXES, TOKEN_ENV, TOKEN_VARIABLES, seeds_world

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _key(request: Request) -> tuple[str, str, str, bytes]:
    return request.method, request.path, "&".join(sorted(request.query_string.decode().split("&"))), request.get_data()


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
            patch.setenv(TOKEN_ENV["github"], "ghp_SECRET_kill_test")
            http = HttpConfig(cache_path=tmp_path / "count.sqlite", rate_limits=dict.fromkeys(SOURCES, 1000.0))
            run_build([SEEDS], BuildOptions(out=tmp_path / "count", http=http))
        return sum(world.hits.values())
    finally:
        server.clear()
        server.stop()


@pytest.mark.parametrize("where", [0.3, 0.97])  # among the title searches, and among the last lookups (GitHub)
def test_kill_rerun__answers_received_before_a_kill_are_not_fetched_again(tmp_path: Path, monkeypatch, where: float):
    kill_at = max(2, int(_cold_requests(tmp_path, monkeypatch) * where))
    world = seeds_world(SEEDS)
    served: list[tuple] = []
    after: list[tuple] = []
    build: dict[str, subprocess.Popen] = {}

    def handle(request: Request) -> Response:
        if "run" in build and len(served) == kill_at - 1 and build["run"].poll() is None:
            os.kill(build["run"].pid, signal.SIGKILL)
            build["run"].wait()
            return Response("killed", status=503)
        (served if "rerun" not in build else after).append(_key(request))
        return world.handle(request)

    server = HTTPServer()
    server.expect_request(re.compile(".*")).respond_with_handler(handle)
    server.start()
    try:
        env = {ENV[s]: server.url_for(p) for s, p in PREFIXES.items()}
        for name in TOKEN_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        env[TOKEN_ENV["github"]] = "ghp_SECRET_kill_test"
        cache = tmp_path / "c.sqlite"
        fast = ",".join(SOURCES)
        script = (
            "import sys; from pathlib import Path\n"
            "from paperlineage.cache import HttpConfig\n"
            "from paperlineage.pipeline import BuildOptions, run_build\n"
            f"run_build([Path({str(SEEDS)!r})], BuildOptions(out=Path({str(tmp_path / 'killed')!r}), "
            f"http=HttpConfig(cache_path=Path({str(cache)!r}), rate_limits=dict.fromkeys({fast!r}.split(','), 1000.0))))\n"
        )
        build["run"] = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)})
        assert build["run"].wait(timeout=300) == -signal.SIGKILL
        assert len(served) == kill_at - 1
        build["rerun"] = build.pop("run")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        http = HttpConfig(cache_path=cache, rate_limits=dict.fromkeys(SOURCES, 1000.0))
        result = run_build([SEEDS], BuildOptions(out=tmp_path / "out", http=http))
        assert result.papers and after  # the rerun finished the job
        again = [key for key in after if key in set(served)]
        assert again == [], f"{len(again)} answers the killed run had received were fetched again: {again[:3]}"
    finally:
        server.clear()
        server.stop()
