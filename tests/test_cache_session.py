"""LineageSession against a real local HTTP server (STYLE practice 14).

Every source's base URL points at one pytest-httpserver under its own path prefix
(``/<source>``), so the session tells sources apart by prefix while they share one host.
Rate limits are set high except where a test is about the limiter.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from paperlineage.cache import (
    SOURCE_HEADER,
    BudgetSpent,
    ForeignCacheFile,
    HostUnreachable,
    HttpConfig,
    LineageSession,
    OfflineMiss,
    make_session,
)
from paperlineage.enrich.sources import SOURCES, SPECS, github, openalex, semanticscholar
from tests import samples

FAST = {s: 1000.0 for s in SOURCES}
TOKENS = {
    "semanticscholar": "s2-SECRET-7f3a9c",
    "github": "ghp_SECRET_41d8cd98",
    "huggingface": "hf_SECRET_0cc175b9",
    "openalex": "oa-SECRET-92eb5ffe",
}

MakeSession = Callable[..., LineageSession]


@pytest.fixture
def make(tmp_path: Path, httpserver: HTTPServer) -> Iterator[MakeSession]:
    """Factory for sessions on a per-test cache file; closes them at teardown."""
    sessions: list[LineageSession] = []
    root = httpserver.url_for("").rstrip("/")

    def _make(tokens: dict[str, str] | None = None, base_urls: dict[str, str] | None = None,
              **overrides: object) -> LineageSession:
        config = HttpConfig(
            cache_path=tmp_path / "http.sqlite",
            rate_limits=FAST,
            backoff_factor=0.01,
            max_retry_wait=2.0,
            timeout=(1.0, 2.0),
        )
        config = dataclasses.replace(config, **overrides)  # type: ignore[arg-type]
        urls = {s: f"{root}/{s}" for s in SOURCES} | (base_urls or {})
        session = make_session(config, SPECS, base_urls=urls, tokens=tokens or {})
        sessions.append(session)
        return session

    yield _make
    for session in sessions:
        session.close()


def url(session: LineageSession, source: str, path: str) -> str:
    return f"{session.base_urls[source]}{path}"


def hits(server: HTTPServer, path: str | None = None) -> int:
    return sum(1 for req, _ in server.log if path is None or req.path == path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cache_bytes(tmp_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(tmp_path.glob("http.sqlite*")))


# ------------------------------------------------------------------------------- caching
def test_session__cache_hit_makes_no_server_request(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/arxiv/api/query").respond_with_data("<feed/>")
    s = make()
    first = s.get(url(s, "arxiv", "/api/query"), params={"id_list": "2104.12255"})
    second = s.get(url(s, "arxiv", "/api/query"), params={"id_list": "2104.12255"})
    assert (first.text, second.text) == ("<feed/>", "<feed/>")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert hits(httpserver) == 1


def test_session__cache_survives_a_new_session(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/openalex/works/W1").respond_with_json({"id": "W1"})
    make().get(url(make(), "openalex", "/works/W1"))
    s2 = make()
    assert s2.get(url(s2, "openalex", "/works/W1")).json() == {"id": "W1"}
    assert hits(httpserver) == 1


def test_session__refresh_refetches_once_per_session(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/huggingface/api/papers/1").respond_with_json({"v": 1})
    s = make()
    s.get(url(s, "huggingface", "/api/papers/1"))
    fresh = make(refresh=True)
    a = fresh.get(url(fresh, "huggingface", "/api/papers/1"))
    b = fresh.get(url(fresh, "huggingface", "/api/papers/1"))
    assert (a.from_cache, b.from_cache) == (False, True)
    assert hits(httpserver) == 2


def test_session__per_source_ttls(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/github/repos/o/r").respond_with_json({})
    httpserver.expect_request("/arxiv/api/query").respond_with_data("<feed/>")
    s = make()
    s.get(url(s, "github", "/repos/o/r"))
    s.get(url(s, "arxiv", "/api/query"))
    gh = s.get(url(s, "github", "/repos/o/r"))
    ax = s.get(url(s, "arxiv", "/api/query"))
    day = 24 * 3600
    assert abs((gh.expires - gh.created_at).total_seconds() - day) < 60
    assert abs((ax.expires - ax.created_at).total_seconds() - 30 * day) < 60


def test_session__post_cached_and_keyed_on_body(make: MakeSession, httpserver: HTTPServer) -> None:
    path = "/semanticscholar/graph/v1/paper/batch"
    httpserver.expect_request(path, method="POST", json={"ids": ["a"]}).respond_with_json([{"paperId": "a"}])
    httpserver.expect_request(path, method="POST", json={"ids": ["b"]}).respond_with_json([{"paperId": "b"}])
    s = make()
    target = url(s, "semanticscholar", "/graph/v1/paper/batch")
    r1 = s.post(target, params={"fields": "title"}, json={"ids": ["a"]})
    r2 = s.post(target, params={"fields": "title"}, json={"ids": ["a"]})
    r3 = s.post(target, params={"fields": "title"}, json={"ids": ["b"]})
    assert [r.json()[0]["paperId"] for r in (r1, r2, r3)] == ["a", "a", "b"]
    assert [r.from_cache for r in (r1, r2, r3)] == [False, True, False]
    assert hits(httpserver) == 2


# ------------------------------------------------------------------------------- retries
def test_retry__429_retry_after_is_honoured(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/openalex/works").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"})
    httpserver.expect_oneshot_request("/openalex/works").respond_with_json({"results": []})
    s = make()
    start = time.monotonic()
    r = s.get(url(s, "openalex", "/works"))
    assert r.status_code == 200
    assert time.monotonic() - start >= 0.9
    assert hits(httpserver) == 2


def test_retry__long_retry_after_is_clamped(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/semanticscholar/p").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_oneshot_request("/semanticscholar/p").respond_with_json({"ok": True})
    s = make(max_retry_wait=0.3)
    start = time.monotonic()
    assert s.get(url(s, "semanticscholar", "/p")).json() == {"ok": True}
    assert time.monotonic() - start < 3


def test_retry__503_then_200(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/huggingface/api/x").respond_with_data("", status=503)
    httpserver.expect_oneshot_request("/huggingface/api/x").respond_with_json({"ok": 1})
    s = make()
    r = s.get(url(s, "huggingface", "/api/x"))
    assert r.json() == {"ok": 1}
    assert hits(httpserver) == 2


def test_retry__persistent_500_returns_last_response_bounded(
    make: MakeSession, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/github/x").respond_with_data("boom", status=500)
    s = make(total_retries=2)
    r = s.get(url(s, "github", "/x"))
    assert r.status_code == 500
    assert hits(httpserver) == 3  # first try + 2 retries
    assert s.stats["github"].errors == 1


def test_timeout__read_timeout_raises_after_bounded_retries(make: MakeSession, httpserver: HTTPServer,
                                                            logs: list[logging.LogRecord]) -> None:
    def slow(_: Request) -> Response:
        time.sleep(0.5)
        return Response("late")

    httpserver.expect_request("/openalex/slow").respond_with_handler(slow)
    s = make(timeout=(1.0, 0.15), read_retries=1)
    start = time.monotonic()
    # urllib3 reports exhausted read retries as MaxRetryError, which plain requests raises as
    # ConnectionError; the session turns it back into ReadTimeout.
    with pytest.raises(requests.ReadTimeout):
        s.get(url(s, "openalex", "/slow"))  # no timeout given: config.timeout applies
    assert time.monotonic() - start < 3
    # The server logs a request only after its handler returns, so count retries client-side.
    retries = [r for r in logs if r.getMessage().startswith("Retrying")]
    assert len(retries) == 1 and "ReadTimeoutError" in retries[0].getMessage()
    assert s.dead_hosts == {}


# ------------------------------------------------------------------------ dead hosts
def test_dead_host__refused_marks_host_and_fails_fast(make: MakeSession) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    s = make(base_urls={"github": dead})
    with pytest.raises(HostUnreachable) as first:
        s.get(f"{dead}/repos/o/r")
    assert isinstance(first.value, requests.ConnectionError)
    host = dead.removeprefix("http://")
    assert host in s.dead_hosts and "NewConnectionError" in s.dead_hosts[host]
    start = time.monotonic()
    with pytest.raises(HostUnreachable):
        s.get(f"{dead}/repos/o/other")
    assert time.monotonic() - start < 0.2
    assert s.stats["github"].errors == 2


def test_dead_host__cached_answers_still_served(make: MakeSession) -> None:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    base = server.url_for("").rstrip("/")
    server.expect_request("/repos/o/r").respond_with_json({"stars": 1})
    s = make(base_urls={"github": base})
    s.get(f"{base}/repos/o/r")
    server.stop()
    with pytest.raises(HostUnreachable):
        s.get(f"{base}/repos/o/uncached")
    assert s.get(f"{base}/repos/o/r").json() == {"stars": 1}


# ------------------------------------------------------------------------------- offline
def test_offline__miss_raises_without_request(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/arxiv/api/query").respond_with_data("<feed/>")
    s = make(offline=True)
    with pytest.raises(OfflineMiss) as err:
        s.get(url(s, "arxiv", "/api/query"), params={"id_list": "1"})
    assert hits(httpserver) == 0
    assert err.value.url and "id_list=1" in err.value.url
    assert s.stats["arxiv"].errors == 1


def test_offline__hit_returns_cached(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/arxiv/api/query").respond_with_data("<feed/>")
    online = make()
    online.get(url(online, "arxiv", "/api/query"), params={"id_list": "1"})
    offline = make(offline=True, refresh=True)  # offline wins over refresh
    r = offline.get(url(offline, "arxiv", "/api/query"), params={"id_list": "1"})
    assert (r.text, r.from_cache) == ("<feed/>", True)
    assert hits(httpserver) == 1


# ------------------------------------------------------------------------------- secrets
def test_secrets__tokens_absent_from_cache_file(make: MakeSession, httpserver: HTTPServer,
                                                tmp_path: Path) -> None:
    httpserver.expect_request("/semanticscholar/paper/1").respond_with_json({"paperId": "1"})
    httpserver.expect_request("/github/repos/o/r").respond_with_json({"full_name": "o/r"})
    httpserver.expect_request("/openalex/works/W1").respond_with_json({"id": "W1"})
    httpserver.expect_request("/huggingface/api/p").respond_with_json({"id": "p"})
    s = make(tokens=TOKENS)
    calls = [
        ("semanticscholar", "/paper/1", semanticscholar.SPEC.auth_headers(TOKENS["semanticscholar"]), {}),
        ("github", "/repos/o/r", github.SPEC.auth_headers(TOKENS["github"]), {}),
        ("openalex", "/works/W1", {}, openalex.SPEC.auth_params(TOKENS["openalex"])),
        # other spellings a client might use
        ("huggingface", "/api/p", {"authorization": f"Bearer {TOKENS['huggingface']}",
                                   "X-Api-Key": TOKENS["semanticscholar"]}, {}),
    ]
    for _ in range(2):
        for source, path, headers, params in calls:
            s.get(url(s, source, path), headers=headers, params=params)
    assert hits(httpserver) == 4  # second round all cached
    sent = {req.path: req for req, _ in httpserver.log}
    assert sent["/semanticscholar/paper/1"].headers["x-api-key"] == TOKENS["semanticscholar"]
    assert sent["/openalex/works/W1"].args["api_key"] == TOKENS["openalex"]
    blob = cache_bytes(tmp_path)
    assert b"paper/1" in blob or len(blob) > 0
    for token in TOKENS.values():
        assert token.encode() not in blob


def test_secrets__redirect_history_is_scrubbed(make: MakeSession, httpserver: HTTPServer,
                                               tmp_path: Path) -> None:
    httpserver.expect_request("/github/repos/old/name").respond_with_data(
        "", status=301, headers={"Location": "/github/repositories/42"})
    httpserver.expect_request("/github/repositories/42").respond_with_json({"id": 42})
    s = make(tokens=TOKENS)
    r = s.get(url(s, "github", "/repos/old/name"), headers=github.SPEC.auth_headers(TOKENS["github"]))
    assert r.json() == {"id": 42} and len(r.history) == 1
    assert TOKENS["github"].encode() not in cache_bytes(tmp_path)


def test_secrets__tokens_absent_from_logs(make: MakeSession, httpserver: HTTPServer,
                                         logs: list[logging.LogRecord]) -> None:
    httpserver.expect_request("/openalex/works").respond_with_json({})
    s = make(tokens=TOKENS)
    s.get(url(s, "openalex", "/works"), params=openalex.SPEC.auth_params(TOKENS["openalex"]),
          headers=semanticscholar.SPEC.auth_headers(TOKENS["semanticscholar"]))
    # The test server (werkzeug) logs its side of the exchange; only client records count.
    client = "\n".join(r.getMessage() for r in logs if not r.name.startswith("werkzeug"))
    assert "/openalex/works?api_key=REDACTED" in client  # urllib3 did log the request line
    for token in TOKENS.values():
        assert token not in client


@pytest.mark.parametrize("name", ["paperlineage.enrich.sources", "paperlineage.enrich.calls"])
@pytest.mark.parametrize("level", [logging.DEBUG, logging.WARNING], ids=["debug", "warning"])
def test_secrets__enrich_loggers_are_filtered(make: MakeSession, logs: list[logging.LogRecord],
                                              name: str, level: int) -> None:
    """The source clients log URLs of what they skip; the session's filter covers their loggers."""
    logging.getLogger(name)  # exists before the session, as the imported clients' loggers do
    make(tokens=TOKENS)
    key = TOKENS["openalex"]
    logging.getLogger(name).log(level, "openalex: skipped results[0] (http://h/works?api_key=%s&x=1)", key)
    logging.getLogger(name).log(level, "semanticscholar: header %s", TOKENS["semanticscholar"])
    messages = [r.getMessage() for r in logs if r.name == name]
    assert len(messages) == 2 and "api_key=REDACTED&x=1" in messages[0]
    for token in TOKENS.values():
        assert all(token not in m for m in messages)


# ----------------------------------------------------------------------- rejected bodies
def test_forget__rejected_response_is_asked_again(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/huggingface/api/papers/search").respond_with_data(
        "<html>Bad gateway</html>", content_type="text/html")
    httpserver.expect_oneshot_request("/huggingface/api/papers/search").respond_with_json([])
    s = make()
    bad = s.get(url(s, "huggingface", "/api/papers/search"))
    s.forget(bad)  # the client's parser said: not JSON
    fresh = s.get(url(s, "huggingface", "/api/papers/search"))
    again = s.get(url(s, "huggingface", "/api/papers/search"))
    assert (fresh.json(), fresh.from_cache, again.from_cache) == ([], False, True)
    assert hits(httpserver) == 2


# --------------------------------------------------------------------- run-wide limits
@pytest.mark.parametrize(
    ("status", "headers"), [(429, {"Retry-After": "3600"}), (503, {})], ids=["429-retry-after-3600", "503"]
)
def test_rate_limited__source_served_from_cache_only_after_retries(
    make: MakeSession, httpserver: HTTPServer, status: int, headers: dict[str, str]
) -> None:
    httpserver.expect_request("/huggingface/api/cached").respond_with_json({"cached": True})
    httpserver.expect_request("/huggingface/api/limited").respond_with_data("slow down", status=status, headers=headers)
    httpserver.expect_request("/arxiv/api/query").respond_with_data("<feed/>")
    s = make(max_retry_wait=0.05, total_retries=2)
    s.get(url(s, "huggingface", "/api/cached"))
    start = time.monotonic()
    assert s.get(url(s, "huggingface", "/api/limited")).status_code == status
    assert hits(httpserver, "/huggingface/api/limited") == 3  # first try + 2 retries
    assert f"HTTP {status} after 2 retries" in s.rate_limited["huggingface"]
    with pytest.raises(BudgetSpent) as later:
        s.get(url(s, "huggingface", "/api/other"))
    assert "huggingface is rate-limited in this run" in str(later.value)
    assert s.get(url(s, "huggingface", "/api/cached")).json() == {"cached": True}  # the cache still answers
    assert s.get(url(s, "arxiv", "/api/query")).text == "<feed/>"  # other sources are still asked
    assert time.monotonic() - start < 2
    assert hits(httpserver, "/huggingface/api/other") == 0


# ------------------------------------------------------------------------------- limiter
def test_limiter__spaces_network_requests_not_cache_hits(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/openalex/works/W1").respond_with_json({})
    httpserver.expect_request("/openalex/works/W2").respond_with_json({})
    s = make(rate_limits={**FAST, "openalex": 2.0})  # shared host -> slowest source rate applies
    start = time.monotonic()
    s.get(url(s, "openalex", "/works/W1"))
    s.get(url(s, "openalex", "/works/W2"))
    assert time.monotonic() - start >= 0.4
    start = time.monotonic()
    assert s.get(url(s, "openalex", "/works/W1")).from_cache
    assert time.monotonic() - start < 0.3


# ------------------------------------------------------------------------------- GitHub budget
def test_github__spent_budget_with_far_reset_raises(make: MakeSession, httpserver: HTTPServer) -> None:
    reset = str(int(time.time()) + 3600)
    httpserver.expect_request("/github/repos/o/a").respond_with_json(
        {"n": "a"}, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
    s = make()
    assert s.get(url(s, "github", "/repos/o/a")).json() == {"n": "a"}
    with pytest.raises(BudgetSpent) as err:
        s.get(url(s, "github", "/repos/o/b"))
    assert err.value.reset_at == float(reset)
    assert s.get(url(s, "github", "/repos/o/a")).from_cache  # cache still answers
    assert hits(httpserver) == 1


def test_github__limit_response_with_near_reset_waits_and_resends(
    make: MakeSession, httpserver: HTTPServer
) -> None:
    reset = f"{time.time() + 0.5:.3f}"
    httpserver.expect_oneshot_request("/github/repos/o/a").respond_with_json(
        {"message": "API rate limit exceeded"}, status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
    httpserver.expect_oneshot_request("/github/repos/o/a").respond_with_json(
        {"n": "a"}, headers={"x-ratelimit-remaining": "4999"})
    s = make(max_retry_wait=2.0)
    start = time.monotonic()
    r = s.get(url(s, "github", "/repos/o/a"))
    assert r.json() == {"n": "a"}
    assert 0.3 <= time.monotonic() - start < 2.5
    assert s.stats["github"].network == 2


def test_github__limit_response_with_far_reset_raises(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/github/repos/o/a").respond_with_json(
        {"message": "API rate limit exceeded"}, status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 3600)})
    s = make()
    with pytest.raises(BudgetSpent):
        s.get(url(s, "github", "/repos/o/a"))


# ------------------------------------------------------------------------------- stats / source
def test_stats__counts_network_cache_and_errors(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/openalex/works/W1").respond_with_json({})
    httpserver.expect_request("/openalex/works/none").respond_with_json({"error": "x"}, status=404)
    s = make()
    for _ in range(3):
        s.get(url(s, "openalex", "/works/W1"))
    s.get(url(s, "openalex", "/works/none"))
    s.get(url(s, "openalex", "/works/none"))  # 404 is cached too
    assert s.stats["openalex"].as_dict() == {"network": 2, "cache": 3, "errors": 2}
    assert set(s.stats) == {"openalex"}


def test_stats__source_header_overrides_and_is_not_sent(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/elsewhere").respond_with_json({})
    s = make()
    s.get(httpserver.url_for("/elsewhere"), headers={SOURCE_HEADER: "semanticscholar"})
    (request, _), = httpserver.log
    assert SOURCE_HEADER not in request.headers
    assert s.stats["semanticscholar"].network == 1


def test_session__explicit_timeout_wins(make: MakeSession, httpserver: HTTPServer) -> None:
    def slow(_: Request) -> Response:
        time.sleep(0.3)
        return Response(json.dumps({}), content_type="application/json")

    httpserver.expect_request("/arxiv/slow").respond_with_handler(slow)
    s = make(timeout=(1.0, 0.05), read_retries=0)
    assert s.get(url(s, "arxiv", "/slow"), timeout=(1.0, 2.0)).status_code == 200


# ------------------------------------------------------------------------- faults (issue 14)
def test_secrets__api_key_header_dropped_on_redirect_to_another_host(make: MakeSession, httpserver: HTTPServer) -> None:
    """requests strips only Authorization on a cross-host redirect; every secret header must go."""
    other = HTTPServer(host="127.0.0.1", port=free_port())
    other.start()
    try:
        other.expect_request("/landing").respond_with_json({"ok": True})
        httpserver.expect_request("/semanticscholar/paper/x").respond_with_data(
            "", status=302, headers={"Location": other.url_for("/landing")})
        s = make(tokens=TOKENS)
        headers = {**semanticscholar.SPEC.auth_headers(TOKENS["semanticscholar"]), **github.SPEC.auth_headers(TOKENS["github"])}
        r = s.get(url(s, "semanticscholar", "/paper/x"), headers=headers)
        assert r.json() == {"ok": True}
        (request, _), = other.log
        assert TOKENS["semanticscholar"] not in str(request.headers) and TOKENS["github"] not in str(request.headers)
        assert "x-api-key" not in {k.lower() for k in request.headers.keys()}
    finally:
        other.clear()
        other.stop()


def test_secrets__api_key_kept_on_a_same_host_redirect(make: MakeSession, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/semanticscholar/paper/x").respond_with_data(
        "", status=302, headers={"Location": "/semanticscholar/paper/y"})
    httpserver.expect_request("/semanticscholar/paper/y").respond_with_json({"ok": True})
    s = make(tokens=TOKENS)
    s.get(url(s, "semanticscholar", "/paper/x"), headers=semanticscholar.SPEC.auth_headers(TOKENS["semanticscholar"]))
    assert httpserver.log[-1][0].headers.get("x-api-key") == TOKENS["semanticscholar"]


def test_cache__a_write_that_fails_is_reported_once_naming_the_file(make: MakeSession, httpserver: HTTPServer,
                                                                    tmp_path: Path) -> None:
    """A full disk (SQLite's own limit stands in for it) must not lose responses silently."""
    body = "<feed>" + "x" * 200_000 + "</feed>"  # needs new pages, which the file may not get
    httpserver.expect_request("/arxiv/api/query").respond_with_data(body)
    s = make()
    responses = s.cache.responses
    with responses.connection() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: 'database or disk is full'
    assert s.cache_problem is None
    first = s.get(url(s, "arxiv", "/api/query"), params={"id_list": "1"})
    s.get(url(s, "arxiv", "/api/query"), params={"id_list": "2"})
    assert first.text == body and hits(httpserver) == 2  # the run went on
    assert s.cache_problem and str(tmp_path / "http.sqlite") in s.cache_problem


def test_cache__another_applications_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "notes.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO notes (text) VALUES ('mine')")
    before = foreign.read_bytes()
    with pytest.raises(ForeignCacheFile, match="notes"):
        make_session(HttpConfig(cache_path=foreign), SPECS)
    assert foreign.read_bytes() == before


# ------------------------------------------------------------- real caching headers (issue 15)
def _serve_github_repo(httpserver: HTTPServer) -> tuple[dict[str, str], list[str]]:
    """Serve GitHub's recorded repository answer with its real header set; 304 on a matching ETag."""
    record = samples.replay("Repository.setUp")[0]
    headers = dict(record.headers)
    assert "Authorization" in headers["Vary"] and headers["ETag"] and "max-age=60" in headers["Cache-Control"]
    seen: list[str] = []

    def answer(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match", ""))
        if request.headers.get("If-None-Match") == headers["ETag"]:
            return Response(status=304, headers={k: v for k, v in headers.items() if k.lower() != "content-type"})
        return Response(record.body, status=200, headers=headers)

    httpserver.expect_request("/github/repos/PyGithub/PyGithub").respond_with_handler(answer)
    return headers, seen


def test_github__vary_authorization_cached_with_a_token_and_revalidated(make: MakeSession, httpserver: HTTPServer,
                                                                       tmp_path: Path) -> None:
    """With a token, GitHub's Vary: Authorization must not make every cached response a miss."""
    headers, seen = _serve_github_repo(httpserver)
    auth = github.SPEC.auth_headers(TOKENS["github"])
    ttl = {"github": 3}  # seconds, so the test can outlive it
    first = make(tokens=TOKENS, ttls=ttl)
    assert first.get(url(first, "github", "/repos/PyGithub/PyGithub"), headers=auth).status_code == 200
    stored = time.monotonic()
    warm = make(tokens=TOKENS, ttls=ttl)  # a new run on the same cache file
    again = warm.get(url(warm, "github", "/repos/PyGithub/PyGithub"), headers=auth)
    assert again.from_cache and again.json()["full_name"] == "PyGithub/PyGithub" and len(seen) == 1
    other = make(tokens={"github": "ghp_SOMEONE_ELSE"})  # another token's answer is not served from it
    other.get(url(other, "github", "/repos/PyGithub/PyGithub"), headers=github.SPEC.auth_headers("ghp_SOMEONE_ELSE"))
    assert len(seen) == 2
    stale = make(tokens=TOKENS, ttls=ttl)
    time.sleep(max(0.0, stored + 3.2 - time.monotonic()))
    revalidated = stale.get(url(stale, "github", "/repos/PyGithub/PyGithub"), headers=auth)
    assert seen[-1] == headers["ETag"]  # If-None-Match sent; GitHub's 304 costs no rate limit
    assert revalidated.status_code == 200 and revalidated.json()["full_name"] == "PyGithub/PyGithub"
    assert TOKENS["github"].encode() not in cache_bytes(tmp_path)
