"""ArxivClient against arXiv Atom feeds recorded live in 2026 by arxiv.py, served by pytest-httpserver.

Each fixture is served with its recorded status (``abc`` is a 400 error feed); the tests assert the
query our client sends, which differs from arxiv.py's recorded URL (we send fewer parameters).
"""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from pytest_httpserver import HTTPServer

from paperlineage.cache import SOURCE_HEADER
from paperlineage.enrich.sources import USER_AGENT, ArxivClient, BadResponse, Rejected, Unavailable
from paperlineage.enrich.sources.arxiv import ID_CHUNK, MAX_URL_CHARS, parse_feed, split_version, title_query
from tests import samples

BATCH = "id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af"
SINGLE = "id_1707.08567_s0_m100_6a1afebfc6a3"
EMPTY = "id_0000.0000_s0_m100_8b51d9633a68"
ERROR = "id_abc_s0_m100_b79c8dcf6bc3"
OLD_STYLE = "id_astro-ph_0601001_s0_m100_3150dca9dc76"
OLD_VERSIONED = "id_quant-ph_0201082v1_s0_m100_86989fe779ef"
TITLE_ZERO = "id_2104.12255v1_s0_m100_6ae69987ffe1"
SEARCH = "q_testing_s0_m10_bc5a6c384fe9"


@pytest.fixture
def client(httpserver: HTTPServer) -> ArxivClient:
    return ArxivClient(requests.Session(), httpserver.url_for(""))


def serve(httpserver: HTTPServer, name: str, query: dict[str, str]) -> None:
    rec = samples.arxiv(name)
    httpserver.expect_oneshot_request("/api/query", method="GET", query_string=query).respond_with_data(
        rec.body, status=rec.status, content_type="application/atom+xml"
    )


def test_by_ids__batch_drops_bad_id_and_matches_by_id(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, BATCH, {"id_list": "0808.05394,1707.08567", "start": "0", "max_results": "2"})
    found = client.by_ids(["0808.05394", "1707.08567"])
    httpserver.check_assertions()
    assert list(found) == ["1707.08567"]
    entry = found["1707.08567"]
    assert entry.version == 1 and len(entry.authors) == 34
    assert "Dirk Wübben" in entry.authors  # UTF-8 survives the round trip
    assert entry.comment == "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"
    assert entry.primary_category == "cs.IT" and entry.categories == ["cs.IT"]


def test_by_ids__sends_user_agent_and_source_header(client: ArxivClient, httpserver: HTTPServer) -> None:
    rec = samples.arxiv(SINGLE)
    httpserver.expect_oneshot_request(
        "/api/query", headers={"User-Agent": USER_AGENT, SOURCE_HEADER: "arxiv"}
    ).respond_with_data(rec.body)
    assert "1707.08567" in client.by_ids(["1707.08567"])
    httpserver.check_assertions()


def test_by_ids__old_style_id(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, OLD_STYLE, {"id_list": "astro-ph/0601001", "start": "0", "max_results": "1"})
    entry = client.by_ids(["astro-ph/0601001"])["astro-ph/0601001"]
    assert entry.arxiv_id == "astro-ph/0601001"
    assert entry.journal_ref == "ActaAstron.56:1-50,2006"
    assert entry.summary.startswith("We derive the frequencies")  # leading spaces removed
    assert entry.published == dt.datetime(2006, 1, 2, 14, 57, 58, tzinfo=dt.timezone.utc)


def test_by_ids__requested_version_is_matched(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, OLD_VERSIONED, {"id_list": "quant-ph/0201082v1", "start": "0", "max_results": "1"})
    found = client.by_ids(["quant-ph/0201082v1"])
    assert found["quant-ph/0201082v1"].arxiv_id == "quant-ph/0201082"


def test_by_ids__other_version_than_requested_is_not_a_match(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, OLD_VERSIONED, {"id_list": "quant-ph/0201082v2", "start": "0", "max_results": "1"})
    assert client.by_ids(["quant-ph/0201082v2"]) == {}


def test_by_ids__title_zero_is_kept(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, TITLE_ZERO, {"id_list": "2104.12255v1", "start": "0", "max_results": "1"})
    assert client.by_ids(["2104.12255v1"])["2104.12255v1"].title == "0"


def test_by_ids__unknown_id_is_absent(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, EMPTY, {"id_list": "0000.0000", "start": "0", "max_results": "1"})
    assert client.by_ids(["0000.0000"]) == {}


def test_by_ids__non_arxiv_ids_are_not_sent(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(httpserver, SINGLE, {"id_list": "1707.08567", "start": "0", "max_results": "1"})
    assert list(client.by_ids(["abc", "1707.08567", "1707.08567"])) == ["1707.08567"]
    httpserver.check_assertions()


def test_by_ids__batches_as_large_as_a_safe_url_allows(client: ArxivClient, httpserver: HTTPServer) -> None:
    ids = [f"2401.{n:05d}" for n in range(700)]
    empty = samples.arxiv(EMPTY).body  # a real empty feed stands in for both answers
    httpserver.expect_ordered_request(
        "/api/query", query_string={"id_list": ",".join(ids[:610]), "start": "0", "max_results": "610"}
    ).respond_with_data(empty)
    httpserver.expect_ordered_request(
        "/api/query", query_string={"id_list": ",".join(ids[610:]), "start": "0", "max_results": "90"}
    ).respond_with_data(empty)
    assert client.by_ids(ids) == {}
    httpserver.check_assertions()


def test_by_ids__chunks_keep_every_id_once_within_both_limits() -> None:
    client = ArxivClient(requests.Session(), "https://export.arxiv.org")
    short = [f"2401.{n:05d}" for n in range(5000)]
    long = [f"cond-mat.stat-mech/06{n:05d}v12" for n in range(500)]
    for ids in (short, long, short[:3]):
        chunks = list(client._id_chunks(ids))
        assert [i for c in chunks for i in c] == ids
        assert all(len(c) <= ID_CHUNK and len(client.url("/api/query", client._id_params(c))) <= MAX_URL_CHARS for c in chunks)
        assert len(chunks) == 1 or all(
            len(client.url("/api/query", client._id_params([*a, b[0]]))) > MAX_URL_CHARS for a, b in zip(chunks, chunks[1:])
        )  # each batch is as large as the URL limit lets it be
    assert ID_CHUNK == 2000  # the manual's per-call limit


def test_by_ids__error_feed_is_rejected_with_message(client: ArxivClient, httpserver: HTTPServer) -> None:
    # by_ids never sends `abc` itself, but whatever arXiv rejects comes back as this 400 feed
    rec = samples.arxiv(ERROR)
    assert rec.status == 400
    httpserver.expect_oneshot_request("/api/query").respond_with_data(rec.body, status=rec.status)
    with pytest.raises(Rejected) as info:
        client.by_ids(["1707.08567"])
    assert info.value.message == "incorrect id format for abc"
    assert info.value.status == 400


def test_parse_feed__error_feed_is_detected_not_counted() -> None:
    feed, problems = parse_feed(samples.arxiv(ERROR).body)
    assert feed.error == "incorrect id format for abc"
    assert feed.entries == [] and problems == []


def test_search_title__quoted_phrase_query(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(
        httpserver,
        SEARCH,
        {"search_query": 'ti:"Testing Deep Learning Models A First Comparative Study"', "start": "0", "max_results": "5"},
    )
    entries = client.search_title("Testing Deep Learning Models: A First\n   Comparative Study")
    httpserver.check_assertions()
    assert entries[0].arxiv_id == "2202.12139"
    assert entries[0].doi == "10.1109/ICSTW55395.2022.00035"
    assert len(entries) == 10  # the recorded page; the server decides


def test_search_titles__several_titles_or_ed_in_one_request(client: ArxivClient, httpserver: HTTPServer) -> None:
    serve(
        httpserver,
        SEARCH,
        {
            "search_query": 'ti:"Testing Deep Learning Models" OR ti:"Active Fuzzing for Testing"',
            "start": "0",
            "max_results": "6",
        },
    )
    entries = client.search_titles(["Testing Deep Learning Models", "Active Fuzzing for Testing", "  "], per_title=3)
    httpserver.check_assertions()
    assert {"2202.12139", "2405.13786"} <= {e.arxiv_id for e in entries}


def test_search_title__punctuation_only_title_sends_nothing(client: ArxivClient, httpserver: HTTPServer) -> None:
    assert client.search_title(" -- : ") == []
    assert httpserver.log == []


def test_search_title__empty_feed_is_empty_list(client: ArxivClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/query").respond_with_data(samples.arxiv(EMPTY).body)
    assert client.search_title("no such title at all") == []


def test_search_title__html_page_with_status_200_is_bad_response(client: ArxivClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/api/query").respond_with_data(samples.html_error_page(), content_type="text/html")
    with pytest.raises(BadResponse):
        client.search_title("anything")


def test_search_title__truncated_atom_is_bad_response(client: ArxivClient, httpserver: HTTPServer) -> None:
    body = samples.arxiv(SINGLE).body
    httpserver.expect_oneshot_request("/api/query").respond_with_data(body[: len(body) // 2])
    with pytest.raises(BadResponse, match="not XML"):
        client.search_title("anything")


def test_search_title__plain_text_rate_limit_503_is_unavailable(client: ArxivClient, httpserver: HTTPServer) -> None:
    # issue reports quote a plain-text "Rate exceeded" body; no recording exists
    httpserver.expect_oneshot_request("/api/query").respond_with_data(b"Rate exceeded.", status=503)
    with pytest.raises(Unavailable):
        client.search_title("anything")


def test_title_query__strips_phrase_breaking_characters() -> None:
    assert title_query('Say "Hi": a  survey\n of_greetings') == 'ti:"Say Hi a survey of greetings"'


def test_split_version__new_and_old_ids() -> None:
    assert split_version("2104.12255v1") == ("2104.12255", 1)
    assert split_version("astro-ph/0601001") == ("astro-ph/0601001", None)
