"""A listing that says which Daily Papers day it shows is resolved by one daily request, before
any per-paper search, against a local server serving a real recorded /api/daily_papers body."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests import samples
from tests.fake_apis import ENV, TOKEN_VARIABLES
from tests.listings import CHROME, block

DAY = "2025-06-02"
BODY = samples.raw("huggingface", f"daily_papers__date={DAY}__hf-daily-archive.json")


def _listing(items: list[dict], page_date: str) -> bytes:
    chrome = CHROME.replace("Mar 14", page_date)
    return (chrome + "".join(block(" ".join(i["title"].split()), " ".join(i["paper"]["summary"].split())) for i in items)).encode()


def _build(tmp_path: Path, monkeypatch, httpserver: HTTPServer, page_date: str):
    items = json.loads(BODY)[:4]
    (tmp_path / "l.txt").write_bytes(_listing(items, page_date))
    httpserver.expect_request("/hf/api/daily_papers", query_string={"date": DAY, "p": "0", "limit": "50"}).respond_with_data(
        BODY, content_type="application/json"
    )
    httpserver.expect_request("/hf/api/papers/search").respond_with_json([])  # what a per-paper search would get
    for name in TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for source, variable in ENV.items():  # only the Hub answers; the rest refuse connections
        monkeypatch.setenv(variable, httpserver.url_for("/hf").rstrip("/") if source == "huggingface" else "http://127.0.0.1:9")
    http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES}, backoff_factor=0.01)
    return items, run_build([tmp_path / "l.txt"], BuildOptions(out=tmp_path / "out", http=http))


def test_daily_source__one_request_resolves_the_day(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    items, result = _build(tmp_path, monkeypatch, httpserver, "Jun 2, 2025")
    by_title = {p.title: p for p in result.papers}
    for item in items:
        paper = by_title[" ".join(item["title"].split())]
        assert paper.arxiv_id == item["paper"]["id"] and paper.provenance["arxiv_id"].source.startswith("huggingface")
        assert paper.keywords == sorted(set(item["paper"].get("ai_keywords", [])))
    paths = [request.path for request, _ in httpserver.log]
    assert paths == ["/hf/api/daily_papers"]  # no per-paper search, no lookup by id


def test_daily_source__a_yearless_page_date_asks_nothing_daily(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    _, result = _build(tmp_path, monkeypatch, httpserver, "Jun 2")
    paths = [request.path for request, _ in httpserver.log]
    assert "/hf/api/daily_papers" not in paths and paths.count("/hf/api/papers/search") == 4
    assert all(p.daily_date is None for p in result.papers)
