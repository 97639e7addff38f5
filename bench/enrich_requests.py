"""Benchmark: HTTP requests per paper for a cold and a warm build of seeds/.

Runs the real pipeline (cache, rate limiter, retries, clients) against a local
server that answers in the recorded API formats (tests/fake_apis.py). The world
it serves is SYNTHETIC: every seed paper gets a made-up arXiv ID; Hugging Face
knows 85% of them (and lists a repo for some), arXiv's title search 95%,
Semantic Scholar 90%. Prints requests per paper, per source and in total, for a cold and a
warm build, without and with a GitHub token (with one, repositories go through GraphQL
batches), and wall time; then a cold build killed halfway and run again: how many of the
answers it had received the rerun fetched again.

    PYTHONPATH=. .venv/bin/python bench/enrich_requests.py [--real-rates]

By default rate limits are lifted to measure the work itself; --real-rates keeps
the polite per-host limits (arXiv one request per 3 s), as a user's run has.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import TOKEN_ENV, TOKEN_VARIABLES, kill_and_rerun, seeds_world, serve

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def per_paper(made: Counter, n: int) -> str:
    """'huggingface 1.07, arxiv 0.03, ...; total 1.32 per paper (403 requests)'."""
    total = sum(made.values())
    parts = ", ".join(f"{s} {made[s] / n:.3f}" for s in SOURCES if made[s])
    return f"{parts or 'none'}; total {total / n:.3f} per paper ({total} requests)"


def run(real_rates: bool) -> int:
    """Print the cold and warm runs; returns the requests of the cold run with a token."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    world = seeds_world(SEEDS)
    server = HTTPServer(host="0.0.0.0")
    server.start()
    try:
        os.environ.update(serve(server, world, distinct_hosts=True))
        n = len(world.papers)
        print(f"papers: {n} (synthetic world, {'real' if real_rates else 'lifted'} rate limits)")
        for github_token in (False, True):
            for name in TOKEN_VARIABLES:
                os.environ.pop(name, None)
            if github_token:
                os.environ[TOKEN_ENV["github"]] = "ghp_bench"  # the fake GitHub accepts any token
            with tempfile.TemporaryDirectory() as tmp:  # a cold cache for each token setting
                config = HttpConfig(cache_path=Path(tmp) / "http.sqlite", rate_limits=None if real_rates else {s: 1000.0 for s in SOURCES})
                for label in ("cold", "warm"):
                    before = Counter(world.hits)
                    began = time.perf_counter()
                    result = run_build([SEEDS], BuildOptions(out=Path(tmp) / label, http=config))
                    elapsed = time.perf_counter() - began
                    made = Counter(world.hits)
                    made.subtract(before)
                    if label == "cold":
                        cold = sum(made.values())
                    resolved = sum(1 for p in result.papers if p.arxiv_id)
                    repos = sum(1 for p in result.papers if p.github)
                    print(
                        f"{label}, GitHub token {'set' if github_token else 'unset'}: {per_paper(made, n)}; "
                        f"{elapsed:.1f} s; arxiv_id {resolved}/{n}, github {repos}/{n}"
                    )
        return cold
    finally:
        os.environ.pop(TOKEN_ENV["github"], None)
        server.clear()
        server.stop()


def after_a_kill(cold_requests: int) -> None:
    """A cold build SIGKILLed halfway (GitHub token set), then run again on the same cache."""
    with tempfile.TemporaryDirectory() as tmp:
        outcome = kill_and_rerun(SEEDS, Path(tmp), cold_requests // 2, {TOKEN_ENV["github"]: "ghp_bench"})
        print(
            f"after a kill at request {outcome.kill_at}: the killed run had received {len(outcome.received)} answers; "
            f"the rerun made {len(outcome.rerun)} requests, {len(outcome.fetched_again)} of them for answers already received"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-rates", action="store_true", help="keep the polite per-host rate limits")
    after_a_kill(run(parser.parse_args().real_rates))
