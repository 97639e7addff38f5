"""SemanticScholarClient against vcrpy cassettes recorded by danielnsilva/semanticscholar.

Bodies and statuses come from the cassettes unchanged; the tests assert the request our client
sends (its ``fields`` differ from the recorded requests, which the server does not check here).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig, make_session
from paperlineage.enrich.sources import SOURCES, SPECS
from paperlineage.cache import SOURCE_HEADER
from paperlineage.enrich.sources import USER_AGENT, BadResponse, NotFound, Rejected, SemanticScholarClient
from paperlineage.enrich.sources.semanticscholar import PAPER_FIELDS, parse_references
from tests import samples

FIELDS = ",".join(PAPER_FIELDS)


@pytest.fixture
def client(httpserver: HTTPServer) -> SemanticScholarClient:
    return SemanticScholarClient(requests.Session(), httpserver.url_for(""))


def test_match_title__clean_match(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.cassette("test_search_paper_match_title")
    httpserver.expect_oneshot_request(
        "/graph/v1/paper/search/match",
        method="GET",
        query_string={"query": "mining association rules between", "fields": FIELDS},
        headers={"User-Agent": USER_AGENT, SOURCE_HEADER: "semanticscholar"},
    ).respond_with_data(rec.body, status=rec.status, content_type="application/json")
    paper = client.match_title("mining association rules between")
    httpserver.check_assertions()
    assert paper is not None
    assert paper.paper_id == "6fe8c5bf8dddaadf10c765133d38dfef5714347f"
    assert paper.title == "Mining association rules between sets of items in large databases"
    assert paper.match_score == pytest.approx(109.55098)
    assert "x-api-key" not in httpserver.log[0][0].headers


def test_match_title__line_breaks_in_title_are_collapsed(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.cassette("test_search_paper_match_title")
    httpserver.expect_oneshot_request(
        "/graph/v1/paper/search/match", query_string={"query": "mining association rules between", "fields": FIELDS}
    ).respond_with_data(rec.body)
    assert client.match_title("mining  association\n   rules between ") is not None
    httpserver.check_assertions()


def test_match_title__404_no_match_is_none(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    body = samples.raw("semanticscholar", "match_title_not_found__handmade.json")
    httpserver.expect_oneshot_request("/graph/v1/paper/search/match").respond_with_data(body, status=404)
    assert client.match_title("a title nobody wrote") is None


def test_match_title__api_key_header(httpserver: HTTPServer) -> None:
    client = SemanticScholarClient(requests.Session(), httpserver.url_for(""), token="F@k3K3y")
    (rec,) = samples.cassette("test_debug")  # the real answer to a bad key
    httpserver.expect_oneshot_request(
        "/graph/v1/paper/search/match", headers={"x-api-key": "F@k3K3y"}
    ).respond_with_data(rec.body, status=rec.status)
    with pytest.raises(Rejected) as info:
        client.match_title("anything")
    assert info.value.status == 403 and info.value.message == "Forbidden"
    assert "F@k3K3y" not in str(info.value)


def test_match_title__html_page_with_status_200_is_bad_response(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/graph/v1/paper/search/match").respond_with_data(samples.html_error_page())
    with pytest.raises(BadResponse):
        client.match_title("anything")


def test_match_title__malformed_json_is_bad_response(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.cassette("test_search_paper_match_title")
    httpserver.expect_oneshot_request("/graph/v1/paper/search/match").respond_with_data(rec.body[:40])
    with pytest.raises(BadResponse):
        client.match_title("anything")


def test_batch__nulls_keep_request_order(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.cassette("test_get_papers_not_found_warning")
    ids = json.loads(rec.request_body)["ids"]
    httpserver.expect_oneshot_request(
        "/graph/v1/paper/batch", method="POST", query_string={"fields": FIELDS}, json={"ids": ids}
    ).respond_with_data(rec.body, status=rec.status)
    papers = client.batch(ids)
    httpserver.check_assertions()
    assert len(papers) == 4 and papers[0] is None
    assert papers[1] is not None and papers[1].paper_id == "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"
    assert papers[1].doi == "10.2139/ssrn.288970"
    assert papers[1].external_ids["CorpusId"] == "470667"  # served as a number
    assert papers[3] is not None and papers[3].paper_id == ids[3]


def test_batch__author_counts(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.cassette("test_get_papers")
    ids = json.loads(rec.request_body)["ids"]
    httpserver.expect_oneshot_request("/graph/v1/paper/batch", method="POST").respond_with_data(rec.body)
    assert [p.authors for p in client.batch(ids) if p] == [3, 4, 3]


def test_batch__length_mismatch_is_bad_response(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.cassette("test_get_papers")  # three results
    httpserver.expect_oneshot_request("/graph/v1/paper/batch", method="POST").respond_with_data(rec.body)
    with pytest.raises(BadResponse, match="cannot align"):
        client.batch(["CorpusId:470667", "10.2139/ssrn.2250500"])


def test_batch__unalignable_batch_is_dropped_from_the_session_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    (rec,) = samples.cassette("test_get_papers")  # three results, for two ids asked
    httpserver.expect_request("/graph/v1/paper/batch", method="POST").respond_with_data(rec.body)
    config = HttpConfig(cache_path=tmp_path / "http.sqlite", rate_limits=dict.fromkeys(SOURCES, 1000.0))
    base = httpserver.url_for("").rstrip("/")
    with make_session(config, SPECS, base_urls={"semanticscholar": base}, tokens={}) as session:
        client = SemanticScholarClient(session, base)
        for _ in range(2):
            with pytest.raises(BadResponse, match="cannot align"):
                client.batch(["CorpusId:470667", "10.2139/ssrn.2250500"])
    assert len(httpserver.log) == 2  # asked again, not replayed from the cache


def test_batch__empty_sends_nothing(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    assert client.batch([]) == []
    assert httpserver.log == []


def test_references__follows_next_until_absent(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    first, last = samples.cassette("test_get_paper_references")
    path = "/graph/v1/paper/10.2139/ssrn.2250500/references"
    httpserver.expect_ordered_request(
        path, query_string={"fields": "title", "offset": "0", "limit": "50"}
    ).respond_with_data(first.body, status=first.status)
    httpserver.expect_ordered_request(
        path, query_string={"fields": "title", "offset": "50", "limit": "50"}
    ).respond_with_data(last.body, status=last.status)
    refs = client.references("10.2139/ssrn.2250500", fields=("title",), limit=50)
    httpserver.check_assertions()
    assert len(refs) == 67
    unresolved = [r for r in refs if r.paper_id is None]
    assert len(unresolved) == 23 and all(r.title for r in unresolved)


def test_references__unknown_paper_is_not_found(client: SemanticScholarClient, httpserver: HTTPServer) -> None:
    rec = samples.cassette("test_not_found")[0]
    httpserver.expect_oneshot_request("/graph/v1/paper/0/references").respond_with_data(rec.body, status=rec.status)
    with pytest.raises(NotFound) as info:
        client.references("0")
    assert info.value.message == "Paper with id 0 not found"
    assert pickle.loads(pickle.dumps(info.value)).message == info.value.message


def test_parse_references__contexts_intents_arxiv_id() -> None:
    # s2py-data__Reference.json is one recorded element of data[]; wrap it in the page envelope
    item = samples.json_sample("semanticscholar", "s2py-data__Reference.json")
    page, problems = parse_references(json.dumps({"offset": 0, "data": [item]}).encode())
    assert problems == [] and page.next is None
    (ref,) = page.references
    assert ref.arxiv_id == "1402.0030" and ref.paper_id == "331f0fb3b6176c6e463e0401025b04f6ace9ccd3"
    assert ref.intents == ["background"] and ref.is_influential is False
    assert ref.contexts[0].startswith("Directed generative models")
