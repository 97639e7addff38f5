"""``--hf-daily RANGE``: RANGE parsing, and builds from REAL recorded ``/api/daily_papers`` bodies
(tests/fixtures/huggingface/daily_papers__date=*, byte-for-byte copies of shared/hf-daily/,
see its README) served by a local server.

2025-03-03 is the old vintage (no ``ai_keywords``, no ``githubRepo``); 2025-03-04 and 2025-03-05
add ``githubRepo``; 2025-06-02 has ``ai_keywords`` too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from paperlineage import cli
from paperlineage.cache import HttpConfig
from paperlineage.enrich.hf_daily import MAX_DAYS, RangeError, parse_range
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests import samples
from tests.fake_apis import ENV, TOKEN_VARIABLES

BODIES = {
    "2025-03-03": "daily_papers__date=2025-03-03__hf-daily-archive.json",
    "2025-03-04": "daily_papers__date=2025-03-04__hf-daily-archive.json",
    "2025-03-05": "daily_papers__date=2025-03-05__hf-daily-archive.json",
    "2025-06-02": "daily_papers__date=2025-06-02__hf-daily-archive.json",
}
TODAY = dt.date(2025, 6, 4)


def _items(day: str) -> list[dict]:
    return json.loads(samples.raw("huggingface", BODIES[day]))


# ------------------------------------------------------------------------------- RANGE parsing
@pytest.mark.parametrize(
    ("text", "first", "last", "count"),
    [
        ("2025-03-03", "2025-03-03", "2025-03-03", 1),
        ("2025-03-03..2025-03-05", "2025-03-03", "2025-03-05", 3),
        ("2025-W10", "2025-03-03", "2025-03-09", 7),
        ("2024-W01", "2024-01-01", "2024-01-07", 7),
        ("2024-02", "2024-02-01", "2024-02-29", 29),
        ("2024-12", "2024-12-01", "2024-12-31", 31),
        ("today", "2025-06-04", "2025-06-04", 1),
        ("yesterday", "2025-06-03", "2025-06-03", 1),
        ("yesterday..today", "2025-06-03", "2025-06-04", 2),
        ("2025-06", "2025-06-01", "2025-06-04", 4),  # the days still to come have no page
    ],
)
def test_parse_range__accepted(text: str, first: str, last: str, count: int):
    days = parse_range(text, TODAY)
    assert (days[0].isoformat(), days[-1].isoformat(), len(days)) == (first, last, count)
    assert days == sorted(set(days))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2025-3-3", "is not a RANGE"),
        ("last week", "is not a RANGE"),
        ("", "is not a RANGE"),
        ("2025-02-30", "is not a real day"),
        ("2025-13", "is not a month"),
        ("2025-W54", "is not an ISO week"),
        ("2025-03-05..2025-03-03", "ends before it starts"),
        ("2025-03-05..tomorrow", "is not a day"),
        ("2023-01-01..2025-01-01", f"at most {MAX_DAYS} days"),
        ("2025-07-01", "is in the future"),
    ],
)
def test_parse_range__refused(text: str, says: str):
    with pytest.raises(RangeError, match=says):
        parse_range(text, TODAY)


def test_cli__bad_range_is_one_line_and_exit_2(tmp_path: Path, capsys):
    code = cli.main(["build", "--hf-daily", "2025-02-30", "--out", str(tmp_path / "out"), "--offline", "--cache", str(tmp_path / "c.sqlite")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--hf-daily: '2025-02-30' is not a real day" in err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------ builds
def _serve(httpserver: HTTPServer, monkeypatch, days: list[str]) -> None:
    for day in days:
        httpserver.expect_request("/hf/api/daily_papers", query_string={"date": day, "p": "0", "limit": "50"}).respond_with_data(
            samples.raw("huggingface", BODIES[day]), content_type="application/json"
        )
    for name in TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for source, variable in ENV.items():  # only the Hub answers; the rest refuse connections
        monkeypatch.setenv(variable, httpserver.url_for("/hf").rstrip("/") if source == "huggingface" else "http://127.0.0.1:9")


def _http(tmp_path: Path, offline: bool = False) -> HttpConfig:
    return HttpConfig(cache_path=tmp_path / "c.sqlite", offline=offline, rate_limits=dict.fromkeys(SOURCES, 1000.0), backoff_factor=0.01)


def _days(text: str) -> list[dt.date]:
    return parse_range(text, TODAY)


def test_hf_daily__three_days_from_real_bodies_then_warm_cache(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    days = ["2025-03-03", "2025-03-04", "2025-03-05"]
    _serve(httpserver, monkeypatch, days)
    result = run_build([], BuildOptions(out=tmp_path / "out", http=_http(tmp_path), hf_daily=_days("2025-03-03..2025-03-05")))
    items = {item["paper"]["id"]: (day, item) for day in days for item in _items(day)}
    by_id = {p.arxiv_id: p for p in result.papers}
    assert len(result.papers) == len(items) == sum(len(_items(d)) for d in days)  # no paper is on two of these days
    for arxiv_id, (day, item) in items.items():
        paper = by_id[arxiv_id]
        assert paper.title == " ".join(item["paper"]["title"].split())
        assert paper.abstract == " ".join(item["paper"]["summary"].split())
        assert paper.daily_date == dt.date.fromisoformat(day) and paper.upvotes == item["paper"]["upvotes"]
        assert paper.authors == len(item["paper"]["authors"])
        assert paper.date == dt.date.fromisoformat(item["paper"]["publishedAt"][:10])
        assert paper.keywords == sorted(set(item["paper"].get("ai_keywords", [])))
    old = [by_id[i["paper"]["id"]] for i in _items("2025-03-03")]
    assert all(p.keywords == [] for p in old)  # the old vintage has no ai_keywords
    with_repo = [i for d in days[1:] for i in _items(d) if i.get("githubRepo") or i["paper"].get("githubRepo")]
    assert with_repo and all(by_id[i["paper"]["id"]].provenance.get("github") for i in with_repo)
    assert [r.path for r, _ in httpserver.log] == ["/hf/api/daily_papers"] * 3  # one request per day, no per-paper Hub call
    assert result.ingest.daily is not None and sorted(result.ingest.daily.read) == _days("2025-03-03..2025-03-05")

    httpserver.clear_log()
    again = run_build([], BuildOptions(out=tmp_path / "out2", http=_http(tmp_path), hf_daily=_days("2025-03-03..2025-03-05")))
    assert httpserver.log == [] and again.requests["huggingface"]["network"] == 0
    assert (tmp_path / "out" / "papers.json").read_bytes() == (tmp_path / "out2" / "papers.json").read_bytes()


def test_hf_daily__keywords_of_a_new_vintage_and_merge_with_a_file(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    _serve(httpserver, monkeypatch, ["2025-06-02"])
    first = _items("2025-06-02")[0]
    (tmp_path / "ids.txt").write_text(first["paper"]["id"] + "\n", encoding="utf-8")
    result = run_build([tmp_path / "ids.txt"], BuildOptions(out=tmp_path / "out", http=_http(tmp_path), hf_daily=_days("2025-06-02")))
    assert len(result.papers) == len(_items("2025-06-02"))  # the ID file's paper is the page's, not one more
    paper = next(p for p in result.papers if p.arxiv_id == first["paper"]["id"])
    assert paper.keywords == sorted(set(first["paper"]["ai_keywords"])) and paper.keywords
    assert not paper.id_only and len(paper.locations) == 2


def test_hf_daily__offline_without_cache_names_the_days_and_keeps_outputs(tmp_path: Path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "papers.json").write_text("previous\n", encoding="utf-8")
    code = cli.main(["build", "--hf-daily", "2025-03-03..2025-03-04", "--offline", "--out", str(out), "--cache", str(tmp_path / "c.sqlite")])
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.err
    assert "Hugging Face daily: 2 days asked, 0 read (0 papers), 2 not fetched" in captured.out
    assert "2025-03-03: not fetched (offline: not in the cache)" in captured.out
    assert "2025-03-04: not fetched (offline: not in the cache)" in captured.out
    assert "no Hugging Face daily page could be fetched" in captured.err
    assert (out / "papers.json").read_text(encoding="utf-8") == "previous\n"


def test_hf_daily__a_failed_day_is_named_and_the_others_are_kept(tmp_path: Path, monkeypatch, httpserver: HTTPServer, capsys):
    _serve(httpserver, monkeypatch, ["2025-03-03"])
    httpserver.expect_request("/hf/api/daily_papers", query_string={"date": "2025-03-04", "p": "0", "limit": "50"}).respond_with_data(
        "<html>not json</html>", content_type="text/html"
    )
    code = cli.main(["build", "--hf-daily", "2025-03-03..2025-03-04", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Hugging Face daily: 2 days asked, 1 read" in out and "2025-03-04: not fetched (failed:" in out
    papers = json.loads((tmp_path / "out" / "papers.json").read_text(encoding="utf-8"))
    assert sorted(p["arxiv_id"] for p in papers) == sorted(i["paper"]["id"] for i in _items("2025-03-03"))


def test_hf_daily__recent_days_are_cached_an_hour_past_days_a_year(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    import requests

    from paperlineage.enrich.calls import SourceCaller
    from paperlineage.enrich.hf_daily import read_days
    from paperlineage.enrich.outcomes import Outcomes
    from paperlineage.enrich.sources import HuggingFaceClient

    httpserver.expect_request("/api/daily_papers").respond_with_data(samples.raw("huggingface", BODIES["2025-03-03"]), content_type="application/json")
    client = HuggingFaceClient(requests.Session(), httpserver.url_for("/"))
    days = [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 3)]
    fetch = read_days(days, client, SourceCaller(Outcomes(), dict), today=dt.date(2025, 3, 3))
    assert fetch.read == dict.fromkeys(days, len(_items("2025-03-03")))
    asked = {r.args["date"]: r.headers.get("Cache-Control") for r, _ in httpserver.log}
    assert asked == {"2025-03-01": f"max-age={365 * 86400}", "2025-03-02": "max-age=3600", "2025-03-03": "max-age=3600"}
