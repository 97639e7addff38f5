"""Benchmark: HTTP requests to hydrate a list of ID-only papers, per source and endpoint.

Runs the real pipeline against the local fake APIs (tests/fake_apis.py) with a SYNTHETIC world
of N made-up papers: 90% on arXiv's id_list, 7% only on Hugging Face, 3% known only by a journal
DOI (Semantic Scholar knows them). The input is one ID list: N arXiv IDs and DOIs. Prints, for a
cold and a warm cache, the requests per source and endpoint of the whole build (hydration, the
arXiv-ID confirmation batches, the Hub record per paper, GitHub, citations), and how many papers
stayed ID-only.

    PYTHONPATH=. .venv/bin/python bench/hydrate_requests.py [N]   # default 300
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import ENV, PREFIXES, TOKEN_VARIABLES, World, WorldPaper


def world_of(n: int) -> World:
    """SYNTHETIC: made-up titles and IDs."""
    world = World()
    for i in range(n):
        kind = "doi" if i % 100 >= 97 else "hf" if i % 100 >= 90 else "arxiv"
        world.papers.append(WorldPaper(
            f"Synthetic Method {i} for Efficient Training", f"2502.{10000 + i:05d}", dt.date(2025, 2, 1) + dt.timedelta(days=i % 28),
            on_arxiv=kind == "arxiv", on_hf=kind != "doi", doi=f"10.1000/synthetic.{i}" if kind == "doi" else None,
            abstract=f"We propose SynthNet{i}, a synthetic method for efficient training.",
        ))
    return world


def endpoint(request: Request) -> str:
    source = next(s for s, p in PREFIXES.items() if request.path.startswith(p + "/"))
    path = request.path[len(PREFIXES[source]):]
    if source == "arxiv":
        return "arxiv id_list" if "id_list" in request.args else "arxiv search"
    if source == "huggingface":
        return "huggingface /api/papers/{id}" if "/api/papers/" in path and "search" not in path else f"huggingface {path}"
    if source == "semanticscholar":
        return "semanticscholar " + ("/paper/{id}/references" if path.endswith("/references") else path.removeprefix("/graph/v1"))
    return f"{source} {path.split('/')[1] if '/' in path else path}"


def main(n: int) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    world = world_of(n)
    seen: Counter = Counter()

    def handle(request: Request) -> Response:
        seen[endpoint(request)] += 1
        return world.handle(request)

    server = HTTPServer()
    server.expect_request(re.compile(".*")).respond_with_handler(handle)
    server.start()
    try:
        os.environ.update({ENV[source]: server.url_for(prefix) for source, prefix in PREFIXES.items()})
        for name in TOKEN_VARIABLES:
            os.environ.pop(name, None)
        with tempfile.TemporaryDirectory() as tmp:
            ids = Path(tmp) / "ids.txt"
            ids.write_text("".join((f"doi:{p.doi}" if p.doi else p.arxiv_id) + "\n" for p in world.papers), encoding="utf-8")
            http = HttpConfig(cache_path=Path(tmp) / "c.sqlite", rate_limits=dict.fromkeys(SOURCES, 1000.0))
            for label in ("cold", "warm"):
                seen.clear()
                result = run_build([ids], BuildOptions(out=Path(tmp) / label, http=http))
                left = sum(1 for p in result.papers if p.id_only)
                print(f"{label}: {n} ID-only papers in, {n - left} hydrated, {left} still ID-only; {sum(seen.values())} requests")
                for name, count in sorted(seen.items()):
                    print(f"  {name:<40} {count}")
                table = [r for r in result.outcomes.table() if r["field"] == "title"]
                for row in table:
                    print(f"  hydration via {row['source']:<16} resolved {row['resolved']}, not found {row['not_found']}")
    finally:
        server.clear()
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
