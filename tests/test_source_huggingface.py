"""HuggingFaceClient against recorded Hub search responses served by pytest-httpserver.

Only search responses were ever recorded. ``/api/papers/{id}`` and ``/api/daily_papers`` have no
sample (SOURCES.md), so their tests re-serve real recorded *items* in the shape huggingface_hub's
``PaperInfo`` reads for those endpoints; each such test says how it builds its body.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig, make_session
from paperlineage.enrich.sources import SOURCES, SPECS
from paperlineage.cache import SOURCE_HEADER
from paperlineage.enrich.sources import USER_AGENT, BadResponse, HuggingFaceClient, RateLimited, Unavailable
from paperlineage.enrich.sources.huggingface import parse_papers
from tests import samples

LLAMA = "papers_search__q=llama-3-herd__hf-mcp-server-fixture.json"
KAZAKH = "papers_search__q=kazakh__hf-mcp-server-fixture.json"


@pytest.fixture
def client(httpserver: HTTPServer) -> HuggingFaceClient:
    return HuggingFaceClient(requests.Session(), httpserver.url_for(""))


def test_search__clean_match_sends_q_and_reads_nested_paper(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(
        "/api/papers/search",
        method="GET",
        query_string={"q": "llama 3 herd"},
        headers={"User-Agent": USER_AGENT, SOURCE_HEADER: "huggingface"},
    ).respond_with_data(samples.raw("huggingface", LLAMA), content_type="application/json")

    papers = client.search("llama 3 herd")

    httpserver.check_assertions()
    assert len(papers) == 11
    first = papers[0]
    assert (first.arxiv_id, first.title) == ("2407.21783", "The Llama 3 Herd of Models")
    # paper.publishedAt (arXiv) wins over the top-level Daily-Papers time 13:54
    assert first.published_at == dt.datetime(2024, 7, 31, 17, 54, 27, tzinfo=dt.timezone.utc)
    assert first.authors and first.authors > 100
    assert first.github_repo is None
    assert "Authorization" not in httpserver.log[0][0].headers


def test_search__github_repo_read_from_nested_paper(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/papers/search", query_string={"q": "llama 3 herd"}).respond_with_data(
        samples.raw("huggingface", LLAMA)
    )
    by_id = {p.arxiv_id: p for p in client.search("llama 3 herd")}
    assert by_id["2503.05856"].github_repo == "https://github.com/lorenzflow/robust-moa"
    assert by_id["2503.05856"].upvotes == 7
    assert "AlpacaEval 2.0" in by_id["2503.05856"].ai_keywords


def test_search__title_line_breaks_are_normalised_raw_kept(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/papers/search", query_string={"q": "kazakh"}).respond_with_data(
        samples.raw("huggingface", KAZAKH)
    )
    by_id = {p.arxiv_id: p for p in client.search("kazakh")}
    paper = by_id["2108.01280"]
    assert paper.title_raw == "A Study of Multilingual End-to-End Speech Recognition for Kazakh,\n  Russian, and English"
    assert paper.title == "A Study of Multilingual End-to-End Speech Recognition for Kazakh, Russian, and English"
    assert by_id["2403.19335"].ai_keywords == []  # this item has no ai_keywords key


def test_search__query_whitespace_collapsed_and_limit_sent(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(
        "/api/papers/search", query_string={"q": "The Llama 3 Herd of Models", "limit": "5"}
    ).respond_with_data(samples.raw("huggingface", LLAMA))
    assert client.search("The Llama 3\n  Herd of  Models", limit=5)
    httpserver.check_assertions()


def test_search__token_sent_as_bearer(httpserver: HTTPServer) -> None:
    client = HuggingFaceClient(requests.Session(), httpserver.url_for(""), token="hf_test")
    httpserver.expect_oneshot_request(
        "/api/papers/search", headers={"Authorization": "Bearer hf_test"}
    ).respond_with_data(samples.raw("huggingface", KAZAKH))
    assert client.search("kazakh")
    httpserver.check_assertions()
    assert "hf_test" not in repr(client)


def test_search__no_match_is_empty_list(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_data(b"[]")  # the documented empty array
    assert client.search("zzzz no such paper") == []


def test_search__malformed_json_is_bad_response(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    body = samples.raw("huggingface", KAZAKH)
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_data(body[: len(body) // 2])
    with pytest.raises(BadResponse) as info:
        client.search("kazakh")
    assert info.value.source == "huggingface" and "/api/papers/search" in info.value.url


def test_search__html_page_with_status_200_is_bad_response(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_data(
        samples.html_error_page(), status=200, content_type="text/html"
    )
    with pytest.raises(BadResponse, match="not JSON"):
        client.search("kazakh")


def test_search__rejected_body_is_dropped_from_the_session_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    """An HTML page with 200 fails once; the next ask (the next run) reaches the recovered API."""
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_data(samples.html_error_page(), content_type="text/html")
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_data(samples.raw("huggingface", KAZAKH))
    config = HttpConfig(cache_path=tmp_path / "http.sqlite", rate_limits=dict.fromkeys(SOURCES, 1000.0))
    base = httpserver.url_for("").rstrip("/")
    for attempt in ("bad", "good", "cached"):
        with make_session(config, SPECS, base_urls={"huggingface": base}, tokens={}) as session:
            client = HuggingFaceClient(session, base)
            if attempt == "bad":
                with pytest.raises(BadResponse):
                    client.search("kazakh")
            else:
                assert len(client.search("kazakh")) == 9
    assert len(httpserver.log) == 2  # the good answer is cached as usual


def test_search__object_instead_of_array_is_bad_response(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    # a real item served alone: valid JSON, wrong shape for a search response
    item = samples.json_sample("huggingface", KAZAKH)[0]
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_json(item)
    with pytest.raises(BadResponse, match="JSON array"):
        client.search("kazakh")


def test_search__429_is_rate_limited(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_data(
        b"", status=429, headers={"Retry-After": "7"}
    )
    with pytest.raises(RateLimited) as info:
        client.search("kazakh")
    assert info.value.retry_after == 7.0
    assert pickle.loads(pickle.dumps(info.value)).retry_after == 7.0


def test_parse_papers__bad_items_are_problems_not_errors() -> None:
    items = samples.json_sample("huggingface", KAZAKH)
    broken = [items[0], "not an item", {"paper": {"title": "no id"}}]
    papers, problems = parse_papers(json.dumps(broken).encode())
    assert [p.arxiv_id for p in papers] == ["2404.04487"]
    assert [p.where for p in problems] == ["item 1", "item 2"]


def test_paper__single_object_at_top_level(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    # No recording of /api/papers/{id}; it returns the paper object itself (huggingface_hub
    # paper_info), so serve the real nested `paper` of the recorded search item for 2503.05856.
    nested = next(i["paper"] for i in samples.json_sample("huggingface", LLAMA) if i["paper"]["id"] == "2503.05856")
    httpserver.expect_oneshot_request("/api/papers/2503.05856", method="GET").respond_with_json(nested)
    paper = client.paper("2503.05856")
    assert paper is not None
    assert paper.github_repo == "https://github.com/lorenzflow/robust-moa"
    assert paper.published_at == dt.datetime(2025, 3, 7, 14, 46, 39, tzinfo=dt.timezone.utc)
    assert paper.title.endswith("Robustness in Mixture of LLMs")


def test_paper__404_is_none(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/papers/0000.00000").respond_with_data(b"", status=404)
    assert client.paper("0000.00000") is None


def test_paper__github_repo_at_top_level_is_read(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    # huggingface_hub reads githubRepo from the top level of list items; move the real value there.
    item = next(i for i in samples.json_sample("huggingface", LLAMA) if i["paper"]["id"] == "2503.05856")
    item["githubRepo"] = item["paper"].pop("githubRepo")
    httpserver.expect_oneshot_request("/api/papers/search").respond_with_json([item])
    assert client.search("doge")[0].github_repo == "https://github.com/lorenzflow/robust-moa"


def test_daily__pages_until_a_short_page(client: HuggingFaceClient, httpserver: HTTPServer) -> None:
    # No recording of /api/daily_papers; its items have the search items' shape (huggingface_hub
    # PaperInfo reads both alike), so page 0 and 1 re-serve real search items.
    items = samples.json_sample("huggingface", KAZAKH)
    day = {"date": "2025-03-03", "limit": "2"}
    httpserver.expect_ordered_request("/api/daily_papers", query_string={**day, "p": "0"}).respond_with_json(items[:2])
    httpserver.expect_ordered_request("/api/daily_papers", query_string={**day, "p": "1"}).respond_with_json(items[2:3])
    papers = client.daily(dt.date(2025, 3, 3), page_size=2)
    httpserver.check_assertions()
    assert [p.arxiv_id for p in papers] == ["2404.04487", "2403.19399", "2403.19335"]


def test_client__connection_error_is_unavailable_with_cause() -> None:
    client = HuggingFaceClient(requests.Session(), "http://127.0.0.1:9", timeout=(0.5, 0.5))
    with pytest.raises(Unavailable) as info:
        client.search("anything")
    assert isinstance(info.value.__cause__, requests.ConnectionError)
    assert info.value.cause and "ConnectionError" in info.value.cause
    assert pickle.loads(pickle.dumps(info.value)).cause == info.value.cause


def test_client__constructor_rejects_non_http_base_url() -> None:
    with pytest.raises(ValueError):
        HuggingFaceClient(requests.Session(), "huggingface.co")


# Real /api/daily_papers bodies from shared/hf-daily, one per vintage of the field set: 2024-05
# (the oldest: no ai_keywords, no githubRepo), 2024-12 (items the archive stored as Python reprs,
# parsed back), 2025-01 (a day the archive wrapped in {status, data}, unwrapped), 2025-06 (with
# ai_keywords and ai_summary).
DAILY_VINTAGES = {
    "2024-05-27": "daily_papers__date=2024-05-27__hf-daily-archive.json",
    "2024-12-11": "daily_papers__date=2024-12-11__hf-daily-archive.json",
    "2025-01-10": "daily_papers__date=2025-01-10__hf-daily-archive.json",
    "2025-06-02": "daily_papers__date=2025-06-02__hf-daily-archive.json",
}


@pytest.mark.parametrize("day", sorted(DAILY_VINTAGES))
def test_daily__every_vintage_of_the_real_field_set(client: HuggingFaceClient, httpserver: HTTPServer, day: str) -> None:
    body = samples.raw("huggingface", DAILY_VINTAGES[day])
    items = json.loads(body)
    httpserver.expect_request("/api/daily_papers", query_string={"date": day, "p": "0", "limit": "50"}).respond_with_data(
        body, content_type="application/json"
    )
    papers = client.daily(dt.date.fromisoformat(day))
    assert [p.arxiv_id for p in papers] == [item["paper"]["id"] for item in items]
    assert [p.title for p in papers] == [" ".join((item.get("title") or item["paper"]["title"]).split()) for item in items]
    assert all(p.summary and p.published_at and p.authors for p in papers)
    with_keywords = [p for p in papers if p.ai_keywords]
    assert bool(with_keywords) == any("ai_keywords" in item["paper"] for item in items)
    repos = {p.arxiv_id: p.github_repo for p in papers if p.github_repo}
    assert repos == {i["paper"]["id"]: i["paper"]["githubRepo"] for i in items if i["paper"].get("githubRepo")}
