"""Benchmark: HTTP requests per paper for a cold and a warm build of seeds/.

Runs the real pipeline (cache, rate limiter, retries, clients) against a local
server that answers in the recorded API formats (tests/fake_apis.py). The world
it serves is SYNTHETIC: every seed paper gets a made-up arXiv ID; Hugging Face
knows 85% of them (and lists a repo for some), arXiv's title search 95%,
Semantic Scholar 90%. Prints requests per paper and per source, and wall time.

    PYTHONPATH=. python bench/enrich_requests.py [--real-rates]

By default rate limits are lifted to measure the work itself; --real-rates keeps
the polite per-host limits (arXiv one request per 3 s), as a user's run has.
"""

from __future__ import annotations

import argparse
import logging
import datetime as dt
import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from pytest_httpserver import HTTPServer

from cache import SOURCES, HttpConfig
from enrich.from_text import enrich_from_text
from enrich.ingest import ingest
from graph.pipeline import run_build
from tests.fake_apis import World, WorldPaper, serve

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def synthetic_world(seed: int = 11) -> World:
    rng = random.Random(seed)
    papers = [enrich_from_text(p) for p in ingest([SEEDS])[0]]
    world = World()
    for index, paper in enumerate(papers):
        published = paper.date or dt.date(2024, 1, 1) + dt.timedelta(days=index)
        repo = paper.github if paper.github and rng.random() < 0.5 else None
        if repo is None and rng.random() < 0.05:
            repo = f"synthetic-lab/repo-{index}"
        world.papers.append(
            WorldPaper(
                paper.title,
                f"{published:%y%m}.{10000 + index:05d}",
                published,
                paper.authors or 3,
                github=repo,
                on_hf=rng.random() < 0.85,
                on_s2=rng.random() < 0.9,
                in_arxiv_search=rng.random() < 0.95,
            )
        )
        for name in filter(None, (paper.github, repo)):
            world.repos[name] = rng.randrange(0, 5000)
    return world


def run(real_rates: bool) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    world = synthetic_world()
    server = HTTPServer()
    server.start()
    try:
        os.environ.update(serve(server, world))
        for name in ("GITHUB_TOKEN", "S2_API_KEY", "HF_TOKEN", "OPENALEX_API_KEY"):
            os.environ.pop(name, None)
        with tempfile.TemporaryDirectory() as tmp:
            config = HttpConfig(cache_path=Path(tmp) / "http.sqlite", rate_limits=None if real_rates else {s: 1000.0 for s in SOURCES})
            n = len(world.papers)
            print(f"papers: {n} (synthetic world, {'real' if real_rates else 'lifted'} rate limits)")
            for label in ("cold", "warm"):
                before = Counter(world.hits)
                began = time.perf_counter()
                result = run_build([SEEDS], Path(tmp) / label, config)
                elapsed = time.perf_counter() - began
                made = Counter(world.hits)
                made.subtract(before)
                total = sum(made.values())
                per_source = ", ".join(f"{s} {made[s]}" for s in sorted(SOURCES) if made[s])
                resolved = sum(1 for p in result.papers if p.arxiv_id)
                repos = sum(1 for p in result.papers if p.github)
                print(
                    f"{label}: {total} requests = {total / n:.2f} per paper ({per_source or 'none'}); "
                    f"{elapsed:.1f} s; arxiv_id {resolved}/{n}, github {repos}/{n}"
                )
    finally:
        server.clear()
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-rates", action="store_true", help="keep the polite per-host rate limits")
    run(parser.parse_args().real_rates)
