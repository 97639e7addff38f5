"""OpenAlexClient against the recorded work W2741809807 (openalex-python fixture).

No list response was ever recorded, so list tests put the real work into the hand-written
envelope ``works_list_empty__handmade.json`` (shape from API-NOTES section 4).
"""

from __future__ import annotations

import json
import logging

import pytest
import requests
from pytest_httpserver import HTTPServer

from paperlineage.cache import SOURCE_HEADER
from paperlineage.enrich.sources import USER_AGENT, BadResponse, NeedsKey, OpenAlexClient
from paperlineage.enrich.sources.openalex import parse_work, title_filter
from tests import samples

WORK = "works__W2741809807__openalex-python-fixture.json"
TITLE = "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles"


def list_body(*works: dict) -> bytes:
    envelope = samples.json_sample("openalex", "works_list_empty__handmade.json")
    envelope["meta"]["count"] = len(works)
    envelope["results"] = list(works)
    return json.dumps(envelope).encode()


@pytest.fixture
def client(httpserver: HTTPServer) -> OpenAlexClient:
    return OpenAlexClient(requests.Session(), httpserver.url_for(""), token="oa-key")


def test_search_title__clean_match_with_api_key_param(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(
        "/works",
        method="GET",
        query_string={"filter": f"title.search:{TITLE}", "per-page": "5", "api_key": "oa-key"},
        headers={"User-Agent": USER_AGENT, SOURCE_HEADER: "openalex"},
    ).respond_with_data(list_body(samples.json_sample("openalex", WORK)), content_type="application/json")
    (work,) = client.search_title(TITLE)
    httpserver.check_assertions()
    assert work.short_id == "W2741809807"
    assert work.title == TITLE and work.doi == "10.7717/peerj.4375"
    assert work.arxiv_id is None  # a journal article: no 10.48550/arxiv DOI
    assert work.referenced_works_count == 45 == len(work.referenced_works)
    assert work.authorships == 9
    assert "Authorization" not in httpserver.log[0][0].headers


def test_search_title__commas_and_line_breaks_do_not_break_the_filter(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(
        "/works", query_string={"filter": "title.search:Sparse Dense and Attentional Models", "per-page": "5", "api_key": "oa-key"}
    ).respond_with_data(list_body())
    assert client.search_title("Sparse, Dense,\n  and Attentional | Models") == []
    httpserver.check_assertions()


def test_search_title__without_key_refuses_before_sending(httpserver: HTTPServer) -> None:
    client = OpenAlexClient(requests.Session(), httpserver.url_for(""))
    assert not client.enabled
    with pytest.raises(NeedsKey, match="API key"):
        client.search_title(TITLE)
    assert httpserver.log == []


def test_search_title__keyless_allowed_sends_no_api_key(httpserver: HTTPServer) -> None:
    client = OpenAlexClient(requests.Session(), httpserver.url_for(""), allow_keyless=True)
    httpserver.expect_oneshot_request("/works", query_string={"filter": "title.search:x", "per-page": "5"}).respond_with_data(
        list_body()
    )
    assert client.search_title("x") == []
    httpserver.check_assertions()


def test_search_title__html_page_with_status_200_is_bad_response(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/works").respond_with_data(samples.html_error_page())
    with pytest.raises(BadResponse) as info:
        client.search_title(TITLE)
    assert "oa-key" not in info.value.url and "oa-key" not in str(info.value)


def test_search_title__single_work_instead_of_list_is_bad_response(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/works").respond_with_data(samples.raw("openalex", WORK))
    with pytest.raises(BadResponse, match="results"):
        client.search_title(TITLE)


def test_search_title__no_match_is_empty_list(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/works", query_string={"filter": "title.search:Nothing Here", "per-page": "5", "api_key": "oa-key"}).respond_with_data(
        list_body(), content_type="application/json"
    )
    assert client.search_title("Nothing Here") == []
    httpserver.check_assertions()


@pytest.mark.parametrize("level", [logging.DEBUG, logging.WARNING], ids=["debug", "warning"])
def test_search_title__skipped_work_is_logged_without_the_key(client: OpenAlexClient, httpserver: HTTPServer, level: int) -> None:
    """A plain session has no log filter, so the client itself must not log the ``api_key``."""
    good = samples.json_sample("openalex", WORK)
    httpserver.expect_oneshot_request("/works").respond_with_data(list_body({"id": None}, good), content_type="application/json")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level)
    handler.emit = records.append  # type: ignore[method-assign]
    source_logger = logging.getLogger("paperlineage.enrich.sources")
    source_logger.addHandler(handler)
    source_logger.setLevel(level)
    try:
        assert [w.short_id for w in client.search_title(TITLE)] == ["W2741809807"]
    finally:
        source_logger.removeHandler(handler)
        source_logger.setLevel(logging.NOTSET)
    (record,) = [r for r in records if "skipped results[0]" in r.getMessage()]
    assert "/works?" in record.getMessage() and "per-page=5" in record.getMessage()
    assert all("oa-key" not in r.getMessage() for r in records)


def test_work__by_id(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(
        "/works/W2741809807", query_string={"api_key": "oa-key"}
    ).respond_with_data(samples.raw("openalex", WORK))
    work = client.work("W2741809807")
    assert work is not None and str(work.publication_date) == "2018-02-13"


def test_work__404_is_none(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/works/W0").respond_with_data(b"", status=404)
    assert client.work("W0") is None


def test_work__malformed_json_is_bad_response(client: OpenAlexClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/works/W2741809807").respond_with_data(samples.raw("openalex", WORK)[:500])
    with pytest.raises(BadResponse):
        client.work("W2741809807")


def test_parse_work__arxiv_doi_gives_arxiv_id() -> None:
    # OpenAlex stores arXiv DataCite DOIs lower-cased (API-NOTES section 4); swap that in.
    work = samples.json_sample("openalex", WORK)
    work["doi"] = "https://doi.org/10.48550/arxiv.2208.11065"
    parsed, problems = parse_work(json.dumps(work).encode())
    assert parsed is not None and problems == []
    assert parsed.arxiv_id == "2208.11065" and parsed.doi == "10.48550/arxiv.2208.11065"


def test_title_filter__keeps_colons() -> None:
    assert title_filter("BERT: Pre-training") == "title.search:BERT: Pre-training"
