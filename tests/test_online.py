"""End to end through real HTTP: the pipeline, the cached session and the clients
against a local server speaking the recorded formats (see tests/fake_apis.py;
the papers it knows are synthetic)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from pathlib import Path

import pytest

from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.enrich.outcomes import reason_text
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests import samples
from tests.fake_apis import ENV, PREFIXES, TOKEN_ENV, World, WorldPaper, aim
from tests.listings import LONG, block, listing

GALORE = "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection"
GALORE2 = "GaLore 2: Large-Scale LLM Pre-Training by Gradient Low-Rank Projection"
FRUGAL = "FRUGAL: Memory-Efficient Optimization by Reducing State Overhead for Scalable Training"
FIRA = "Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?"
UNKNOWN = "A Paper Nobody Indexed: Notes"
OA_ONLY = "Lattice Adapters: Sparse Tuning of Tiny Language Models"  # synthetic; only OpenAlex knows it
OA_KEY = "oa-SECRET-5d41402a"
FAST = {source: 1000.0 for source in SOURCES}



def why(result, field: str, paper_id: str) -> str:
    """Every source's reason for one paper's field, as report.json shows it."""
    return reason_text(result.unresolved[field][paper_id])

def corpus(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "listing.txt"
    path.write_bytes(
        listing(
            block(GALORE, "In this work, we propose Gradient Low-Rank Projection (GaLore), a strategy. " + LONG, "  • 6 authors\n·\nMar 6, 2024"),
            block(FRUGAL, "Methods such as GaLore save memory. Code: https://github.com/old-owner/frugal. " + LONG, "  • 4 authors\n·\nNov 12, 2024"),
            block(FIRA, "Fira outperforms GaLore, a training method. " + LONG, "  • 5 authors\n·\nOct 1, 2024"),
            block(UNKNOWN, "Nothing to see. " + LONG),
            *extra,
        )
    )
    return path


def world() -> World:
    return World(
        papers=[
            WorldPaper(GALORE, "2403.03507", dt.date(2024, 3, 6), 6, github="jiaweizzhao/GaLore"),
            WorldPaper(GALORE2, "2504.20437", dt.date(2025, 4, 29), 4),
            WorldPaper(FRUGAL, "2411.07837", dt.date(2024, 11, 12), 4, on_hf=False),
            WorldPaper(FIRA.replace("?", ""), "2410.01623", dt.date(2024, 10, 2), 5, on_hf=False, in_arxiv_search=False),
        ],
        repos={"jiaweizzhao/GaLore": 1500, "new-owner/FRUGAL": 42},
        renamed={"old-owner/frugal": "new-owner/FRUGAL"},
    )


def build(tmp_path: Path, out: str = "out", **config) -> tuple:
    http = HttpConfig(**{"cache_path": tmp_path / "http.sqlite", "rate_limits": FAST, "max_retry_wait": 2.0, **config})
    result = run_build([tmp_path / "listing.txt"], BuildOptions(out=tmp_path / out, http=http))
    return result, {p.title: p for p in result.papers}


@pytest.fixture
def server():
    """A server of this test's own: a request still in flight when a timeout test ends
    dies with it instead of reaching the next test's handlers."""
    own = HTTPServer()
    own.start()
    yield own
    own.clear()
    own.stop()


@pytest.fixture
def online(tmp_path: Path, server: HTTPServer, monkeypatch):
    fake = world()
    aim(monkeypatch, server, fake)
    corpus(tmp_path)
    return fake


def test_online__resolves_through_every_stage(tmp_path: Path, online: World):
    result, papers = build(tmp_path)
    galore, frugal, fira, unknown = papers[GALORE], papers[FRUGAL], papers[FIRA], papers[UNKNOWN]
    assert galore.arxiv_id == "2403.03507"  # not GaLore 2, though the search returns both
    assert set(galore.provenance["arxiv_id"].source.split(",")) == {"huggingface", "arxiv", "semanticscholar"}
    assert galore.github == "jiaweizzhao/GaLore" and galore.repo.stars == 1500
    assert galore.provenance["github"].source == "huggingface" and galore.semantic_scholar_id
    assert frugal.arxiv_id == "2411.07837" and frugal.provenance["arxiv_id"].source.startswith("arxiv")
    assert frugal.github == "new-owner/FRUGAL" and frugal.repo.renamed_from == "old-owner/frugal"
    assert fira.arxiv_id == "2410.01623" and fira.provenance["arxiv_id"].source.startswith("semanticscholar")
    assert unknown.arxiv_id is None and "not found" in why(result, "arxiv_id", unknown.id)
    assert why(result, "github", unknown.id) == "github: not found: no link in the abstract, and no arXiv ID to ask Hugging Face with"
    assert galore.candidates == {}  # the distractor lost clearly, nothing ambiguous to report


def test_online__warm_run_makes_no_request(tmp_path: Path, online: World):
    build(tmp_path, "cold")
    cold = sum(online.hits.values())
    # small corpora pay the fixed batch requests, and FRUGAL and Fira (not on the Hub) one 404 each
    assert 0 < cold <= 1.5 * 4 * 2 + 2
    build(tmp_path, "warm")
    assert sum(online.hits.values()) == cold
    for name in ("papers.json", "graph.graphml", "graph.html"):
        assert (tmp_path / "cold" / name).read_bytes() == (tmp_path / "warm" / name).read_bytes()


def test_online__offline_uses_cache_only(tmp_path: Path, online: World):
    build(tmp_path, "cold")
    before = sum(online.hits.values())
    result, papers = build(tmp_path, "offline", offline=True)
    assert sum(online.hits.values()) == before
    assert papers[GALORE].arxiv_id == "2403.03507"
    (tmp_path / "http.sqlite").unlink()
    result, papers = build(tmp_path, "empty", offline=True)
    assert sum(online.hits.values()) == before
    assert papers[GALORE].arxiv_id is None
    assert why(result, "arxiv_id", papers[GALORE].id).startswith("huggingface: offline")


def test_online__hub_record_by_id_when_the_search_misses(tmp_path: Path, online: World, server: HTTPServer):
    """HF's title search ranks GaLore out; arXiv finds it, and the Hub record of the chosen ID
    (GET /api/papers/{id}) still brings its githubRepo and keywords. FRUGAL is not on the Hub: a 404."""
    galore = next(p for p in online.papers if p.title == GALORE)
    galore.in_hf_search, galore.keywords = False, ["gradient low-rank projection"]
    result, papers = build(tmp_path)
    asked = [r.path for r, _ in server.log if r.path.startswith("/hf/api/papers/") and "search" not in r.path]
    assert sorted(asked) == ["/hf/api/papers/2403.03507", "/hf/api/papers/2410.01623", "/hf/api/papers/2411.07837"]
    assert papers[GALORE].arxiv_id == "2403.03507" and "huggingface" in papers[GALORE].provenance["arxiv_id"].source
    assert papers[GALORE].github == "jiaweizzhao/GaLore" and papers[GALORE].provenance["github"].source == "huggingface"
    assert papers[GALORE].keywords == ["gradient low-rank projection"]
    assert papers[FRUGAL].arxiv_id == "2411.07837"  # the 404 changes nothing


def test_online__one_changed_word_is_another_paper(tmp_path: Path, online: World):
    """Only a title one word away is on the server (every source returns it): the character
    ratio is 0.92, but "Training" is not "Fine-Tuning", so nothing is linked."""
    mine = "Memory-Efficient LLM Training with Online Subspace Descent"
    online.papers.append(WorldPaper(mine.replace("Training", "Fine-Tuning"), "2408.10001", dt.date(2024, 8, 20), 4))
    (tmp_path / "listing.txt").write_bytes(listing(block(mine, "We propose a method. " + LONG, "  • 4 authors\n·\nAug 20, 2024")))
    result, papers = build(tmp_path)
    assert papers[mine].arxiv_id is None
    assert "not found: no title close enough" in why(result, "arxiv_id", papers[mine].id)
    assert [c.value for c in papers[mine].candidates["arxiv_id"]] == ["2408.10001"]
    assert "words differ: fine, training, tuning" in papers[mine].candidates["arxiv_id"][0].evidence


def test_online__429_with_retry_after_then_success(tmp_path: Path, online: World):
    online.failures["huggingface"] = [(429, {"Retry-After": "1"}, b'{"error":"rate limited"}')]
    began = time.monotonic()
    _, papers = build(tmp_path)
    assert time.monotonic() - began >= 0.9
    assert papers[GALORE].arxiv_id == "2403.03507"


def test_online__503_then_success(tmp_path: Path, online: World):
    online.failures["arxiv"] = [(503, {}, b"Service Unavailable")]
    _, papers = build(tmp_path)
    assert papers[FRUGAL].arxiv_id == "2411.07837"


def test_online__html_error_page_with_200_is_not_data(tmp_path: Path, online: World):
    page = samples.html_error_page()
    online.failures["huggingface"] = [(200, {"Content-Type": "text/html"}, page)] * 10
    result, papers = build(tmp_path)
    # HF answered garbage for every title: arXiv and S2 still resolve what they know
    assert papers[FRUGAL].arxiv_id == "2411.07837" and papers[GALORE].arxiv_id == "2403.03507"
    assert any(row["source"] == "huggingface" and row["failed"] == 4 for row in result.outcomes.table())


def test_online__malformed_json_and_atom(tmp_path: Path, online: World):
    online.failures["semanticscholar"] = [(200, {"Content-Type": "application/json"}, b'{"data": [')] * 10
    online.failures["arxiv"] = [(200, {"Content-Type": "application/atom+xml"}, b"<feed><entry>")] * 10
    result, papers = build(tmp_path)
    assert papers[GALORE].arxiv_id == "2403.03507"  # Hugging Face still answers
    assert papers[FRUGAL].arxiv_id is None and papers[FIRA].arxiv_id is None
    assert "failed" in why(result, "arxiv_id", papers[FRUGAL].id)


def test_online__timeout_is_bounded(tmp_path: Path, online: World, server: HTTPServer):
    slow = online.handle

    def handler(request):
        if request.path.startswith("/s2/"):
            time.sleep(1.5)
        return slow(request)

    server.clear_all_handlers()
    server.expect_request(__import__("re").compile(".*")).respond_with_handler(handler)
    began = time.monotonic()
    result, papers = build(tmp_path, timeout=(1.0, 0.5))
    assert time.monotonic() - began < 25
    assert papers[FIRA].arxiv_id is None and papers[GALORE].arxiv_id == "2403.03507"


def test_online__github_404_drops_the_link(tmp_path: Path, online: World):
    online.repos.pop("jiaweizzhao/GaLore")
    result, papers = build(tmp_path)
    galore = papers[GALORE]
    assert galore.github is None and "not on GitHub" in why(result, "github", galore.id)


def test_online__github_token_checks_every_repo_in_one_graphql_query(tmp_path: Path, online: World, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV["github"], "ghp_test")
    result, papers = build(tmp_path)
    assert online.hits["github"] == 1  # GaLore's and FRUGAL's repositories in one POST /graphql
    assert papers[GALORE].github == "jiaweizzhao/GaLore" and papers[GALORE].repo.stars == 1500
    frugal = papers[FRUGAL]  # GraphQL follows the rename as REST's 301 does
    assert frugal.github == "new-owner/FRUGAL" and frugal.repo.renamed_from == "old-owner/frugal"


def test_online__github_graphql_not_found_drops_the_link(tmp_path: Path, online: World, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV["github"], "ghp_test")
    online.repos.pop("jiaweizzhao/GaLore")
    result, papers = build(tmp_path)
    assert online.hits["github"] == 1
    assert papers[GALORE].github is None and "not on GitHub" in why(result, "github", papers[GALORE].id)


# A failed GraphQL query: a 401 in the recorded 404 body's shape, and a 200 whose error is not
# NOT_FOUND (the recorded NOT_FOUND error with another type: GraphQL reports limits inside a 200).
_GQL_ERROR = json.dumps({"data": None, "errors": [{**samples.json_sample("github", "body__POST_graphql_node_NOT_FOUND_error__200__2024-09.json")["errors"][0], "type": "RATE_LIMITED"}]}).encode()


@pytest.mark.parametrize("status, body", [(401, samples.raw("github", "body__GET_repos_jacquev6_Xxx__404__2012-06.json")), (200, _GQL_ERROR)])
def test_online__github_graphql_failure_falls_back_to_rest(tmp_path: Path, online: World, monkeypatch, status: int, body: bytes):
    monkeypatch.setenv(TOKEN_ENV["github"], "ghp_test")
    online.failures["github"] = [(status, {"Content-Type": "application/json"}, body)]
    result, papers = build(tmp_path)
    assert online.hits["github"] == 1 + 3  # the failed query, then REST: GaLore, and FRUGAL's 301 and its target
    assert _resolved(papers) == EXPECTED
    assert any("GraphQL batch of 2 failed" in note for note in result.outcomes.notes)


def test_online__two_different_repos_leave_github_empty(tmp_path: Path, online: World):
    online.papers[2].on_hf = True
    online.papers[2].github = "someone-else/frugal-fork"
    online.repos["someone-else/frugal-fork"] = 3
    result, papers = build(tmp_path)
    frugal = papers[FRUGAL]
    assert frugal.github is None
    assert {c.value for c in frugal.candidates["github"]} == {"old-owner/frugal", "someone-else/frugal-fork"}


def test_online__all_hosts_unreachable_finishes_fast(tmp_path: Path, monkeypatch):
    corpus(tmp_path)
    for name in ENV.values():
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # discard port: connection refused
    began = time.monotonic()
    result, papers = build(tmp_path)
    assert time.monotonic() - began < 30
    assert all((tmp_path / "out" / n).exists() for n in ("papers.json", "graph.graphml", "graph.html"))
    assert any("unreachable" in note for note in result.outcomes.notes)
    assert papers[FRUGAL].github == "old-owner/frugal"  # the abstract's link survives


def test_online__tokens_never_stored(tmp_path: Path, online: World, monkeypatch, server: HTTPServer):
    secrets = {"github": "ghp_SECRET1", "semanticscholar": "s2-SECRET2", "huggingface": "hf_SECRET3", "openalex": "oa-SECRET4"}
    tokens = {TOKEN_ENV[source]: value for source, value in secrets.items()}
    for name, value in tokens.items():
        monkeypatch.setenv(name, value)
    build(tmp_path)
    sent = [str(request.headers) + request.url for request, _ in server.log]
    assert any("hf_SECRET3" in s for s in sent) and any("s2-SECRET2" in s for s in sent)
    assert any("ghp_SECRET1" in s for s in sent) and any("oa-SECRET4" in s for s in sent)
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != "listing.txt")
    for value in tokens.values():
        assert value.encode() not in stored, value
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["notes"] == [] or all("SECRET" not in n for n in report["notes"])


EXPECTED = {GALORE: ("2403.03507", "jiaweizzhao/GaLore"), FRUGAL: ("2411.07837", "new-owner/FRUGAL"), FIRA: ("2410.01623", None)}


def _resolved(papers) -> dict:
    return {title: (papers[title].arxiv_id, papers[title].github) for title in EXPECTED}


@pytest.mark.parametrize("source", ["huggingface", "arxiv", "semanticscholar", "github"])
@pytest.mark.parametrize(
    "failure",
    [(429, {"Retry-After": "1"}, b'{"message": "rate limited"}'), (503, {}, b"Service Unavailable"), (502, {}, b"Bad Gateway")],
    ids=["429-retry-after", "503", "502"],
)
def test_online__transient_error_then_success_per_source(tmp_path: Path, online: World, source: str, failure):
    online.failures[source] = [failure]
    _, papers = build(tmp_path)
    assert not online.failures[source]  # the scripted failure was served
    assert _resolved(papers) == EXPECTED


@pytest.mark.parametrize("prefix", ["/hf/", "/arxiv/", "/s2/", "/gh/"])
def test_online__timeout_per_source_is_bounded_and_reported(tmp_path: Path, online: World, server: HTTPServer, prefix: str):
    def handler(request):
        if request.path.startswith(prefix):
            time.sleep(1.2)
        return online.handle(request)

    server.clear_all_handlers()
    server.expect_request(__import__("re").compile(".*")).respond_with_handler(handler)
    began = time.monotonic()
    result, papers = build(tmp_path, timeout=(1.0, 0.4))
    assert time.monotonic() - began < 30
    assert all((tmp_path / "out" / n).exists() for n in ("papers.json", "graph.graphml", "graph.html"))
    source = next(s for s, p in PREFIXES.items() if prefix == p + "/")
    assert any(row["source"] == source and row["failed"] for row in result.outcomes.table()), result.outcomes.table()


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize("mode", ["offline", "unreachable"])
def test_online__seeds_without_network_finish_fast_with_all_outputs(tmp_path: Path, monkeypatch, mode: str):
    for name in ENV.values():
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv(TOKEN_ENV["openalex"], "k")  # so OpenAlex is tried too
    began = time.monotonic()
    http = HttpConfig(cache_path=tmp_path / "c.sqlite", offline=mode == "offline")  # real rate limits
    result = run_build([SEEDS], BuildOptions(out=tmp_path / "out", http=http))
    assert time.monotonic() - began < 30  # the bound: offline is a normal condition, not a wait
    assert all((tmp_path / "out" / n).stat().st_size > 0 for n in ("papers.json", "graph.graphml", "graph.html"))
    assert len(result.papers) == 306 and sum(1 for p in result.papers if p.github) == 60
    reasons = {r.failure.kind for rs in result.unresolved["arxiv_id"].values() for r in rs}
    assert reasons == {"offline" if mode == "offline" else "unreachable"}


# ------------------------------------------------------------ bodies the clients reject
REJECTED = {
    "huggingface": (200, {"Content-Type": "text/html"}, samples.html_error_page()),
    "arxiv": (200, {"Content-Type": "application/atom+xml"}, b"<feed><entry>"),
    "semanticscholar": (200, {"Content-Type": "application/json"}, b'{"data": ['),
}


@pytest.mark.parametrize("source", sorted(REJECTED))
def test_online__rejected_body_is_not_replayed_next_run(tmp_path: Path, online: World, source: str):
    """A bad page served with 200 fails this run only: the next run asks again and resolves."""
    online.failures[source] = [REJECTED[source]] * 10
    first, _ = build(tmp_path, "first")
    assert any(row["source"] == source and row["failed"] for row in first.outcomes.table())
    online.failures.clear()  # the API has recovered
    asked = online.hits[source]
    second, papers = build(tmp_path, "second")
    assert online.hits[source] > asked  # not answered from the cache
    assert not any(row["source"] == source and row["failed"] for row in second.outcomes.table())
    assert _resolved(papers) == EXPECTED


# --------------------------------------------------------------- run-wide rate limits
@pytest.mark.parametrize(
    "answer",
    [(429, {"Retry-After": "3600"}, b'{"error": "rate limited"}'), (503, {}, b"Service Unavailable")],
    ids=["429-retry-after-3600", "503"],
)
def test_online__rate_limited_source_is_not_asked_again(tmp_path: Path, online: World, answer):
    online.failures["huggingface"] = [answer] * 1000  # limited for the whole run
    began = time.monotonic()
    result, papers = build(tmp_path, max_retry_wait=0.5, total_retries=4)
    assert time.monotonic() - began < 10  # one request's retries, not four papers' worth
    assert online.hits["huggingface"] <= 1 + 4  # the first request and its retries, nothing after
    assert papers[GALORE].arxiv_id == "2403.03507" and papers[FRUGAL].arxiv_id == "2411.07837"
    assert papers[FIRA].arxiv_id == "2410.01623"  # the other sources still resolve
    (note,) = [n for n in result.outcomes.notes if n.startswith("huggingface rate-limited")]
    assert f"HTTP {answer[0]}" in note and "not tried again this run" in note and "answers so far are cached" in note
    assert "huggingface: rate-limited" in why(result, "arxiv_id", papers[UNKNOWN].id)


# --------------------------------------------------------------------------- OpenAlex
@pytest.fixture
def with_openalex(tmp_path: Path, online: World, monkeypatch) -> World:
    """The world plus one paper only OpenAlex's title search finds, with an OpenAlex key set."""
    online.papers.append(WorldPaper(OA_ONLY, "2405.00999", dt.date(2024, 5, 2), 3, on_hf=False, on_s2=False, in_arxiv_search=False))
    corpus(tmp_path, block(OA_ONLY, "We propose lattice adapters. " + LONG, "  • 3 authors\n·\nMay 2, 2024"))
    monkeypatch.setenv(TOKEN_ENV["openalex"], OA_KEY)
    return online


def test_online__openalex_title_search_resolves_what_others_miss(tmp_path: Path, with_openalex: World, server: HTTPServer):
    _, papers = build(tmp_path)
    paper = papers[OA_ONLY]
    assert paper.arxiv_id == "2405.00999" and paper.provenance["arxiv_id"].source.startswith("openalex")
    searches = [r for r, _ in server.log if r.path == "/openalex/works" and r.args["filter"].startswith("title.search:")]
    assert {r.args["api_key"] for r in searches} == {OA_KEY}
    assert _resolved(papers) == EXPECTED  # the other sources are unaffected


def test_online__openalex_no_match_is_not_found(tmp_path: Path, with_openalex: World):
    result, papers = build(tmp_path)
    assert papers[UNKNOWN].arxiv_id is None
    assert "openalex: not found" in why(result, "arxiv_id", papers[UNKNOWN].id)
    assert not any(row["source"] == "openalex" and row["failed"] for row in result.outcomes.table())


@pytest.mark.parametrize(
    "failure",
    [(429, {"Retry-After": "1"}, b'{"error": "Too many requests"}'), (503, {}, b"Service Unavailable")],
    ids=["429-retry-after", "503"],
)
def test_online__openalex_transient_error_then_success(tmp_path: Path, with_openalex: World, failure):
    with_openalex.failures["openalex"] = [failure]
    result, papers = build(tmp_path)
    assert not with_openalex.failures["openalex"]  # the scripted failure was served
    assert papers[OA_ONLY].arxiv_id == "2405.00999"
    assert not any(n.startswith("openalex") for n in result.outcomes.notes)


def test_online__openalex_timeout_is_bounded_and_reported(tmp_path: Path, with_openalex: World, server: HTTPServer):
    def handler(request):
        if request.path.startswith("/openalex/"):
            time.sleep(1.2)
        return with_openalex.handle(request)

    server.clear_all_handlers()
    server.expect_request(re.compile(".*")).respond_with_handler(handler)
    began = time.monotonic()
    result, papers = build(tmp_path, timeout=(1.0, 0.4))
    assert time.monotonic() - began < 30
    assert papers[OA_ONLY].arxiv_id is None
    assert "openalex: failed" in why(result, "arxiv_id", papers[OA_ONLY].id)
    assert any(row["source"] == "openalex" and row["failed"] for row in result.outcomes.table())
    # The test server answers one request at a time, so a slow OpenAlex can delay others (GitHub);
    # the IDs settled before the OpenAlex stage must stand.
    assert {t: papers[t].arxiv_id for t in EXPECTED} == {t: aid for t, (aid, _) in EXPECTED.items()}


# ------------------------------------------------------------ near-identical distractor
@pytest.mark.parametrize("source", ["arxiv", "semanticscholar", "openalex"])
def test_online__only_a_numbered_sequel_is_known(tmp_path: Path, online: World, monkeypatch, source: str):
    """Only "GaLore 2: ..." is on `source` (and nowhere else): GaLore stays open, GaLore 2 is a candidate."""
    online.papers[:] = [
        WorldPaper(
            GALORE2, "2504.20437", dt.date(2025, 4, 29), 4, on_hf=False,
            in_arxiv_search=source == "arxiv", on_s2=source == "semanticscholar", on_openalex=source == "openalex",
        )
    ]
    monkeypatch.setenv(TOKEN_ENV["openalex"], OA_KEY)
    result, papers = build(tmp_path)
    galore = papers[GALORE]
    assert galore.arxiv_id is None
    assert [(c.value, c.source) for c in galore.candidates["arxiv_id"]] == [("2504.20437", source)]
    assert f"{source}: not found: no title close enough" in why(result, "arxiv_id", galore.id)


# ------------------------------------------------------------------------ secrets in logs
def test_online__openalex_key_never_logged(tmp_path: Path, with_openalex: World, logs: list[logging.LogRecord]):
    body = json.loads(samples.raw("openalex", "works_list_empty__handmade.json"))
    body["results"] = [{"id": None, "display_name": "a work without an id"}]  # skipped and reported with its URL
    with_openalex.failures["openalex"] = [(200, {"Content-Type": "application/json"}, json.dumps(body).encode())]
    build(tmp_path)
    # The fake server (werkzeug) logs its side of the exchange; only paperlineage's side counts.
    ours = [r for r in logs if not r.name.startswith("werkzeug")]
    reported = [r.getMessage() for r in ours if r.name.startswith("paperlineage.enrich") and "openalex: skipped" in r.getMessage()]
    assert reported and all("/openalex/works?" in m for m in reported)
    assert any(r.name.startswith("urllib3") for r in ours)  # DEBUG request lines were captured too
    leaked = [f"{r.name}: {r.getMessage()}" for r in ours if OA_KEY in r.getMessage()]
    assert leaked == []


def test_online__cli_summary_warm_run_refresh_and_min_confidence(tmp_path: Path, online: World, capsys, monkeypatch):
    """What a user sees from `paperlineage build` online: the table per field and source, the
    request line (network vs cache), nothing asked on a warm run, everything again with --refresh,
    and --min-confidence leaving open a link whose evidence is weaker (author counts disagree)."""
    import functools

    import paperlineage.cache
    from paperlineage import cli

    # the CLI builds through paperlineage.build, which takes HttpConfig from paperlineage.cache
    monkeypatch.setattr(paperlineage.cache, "HttpConfig", functools.partial(HttpConfig, rate_limits=FAST))  # the real limits cost minutes
    text = (tmp_path / "listing.txt").read_text(encoding="utf-8")
    (tmp_path / "listing.txt").write_text(text.replace("  • 4 authors", "  • 9 authors"), encoding="utf-8")  # FRUGAL has 4
    args = ["build", str(tmp_path / "listing.txt"), "--cache", str(tmp_path / "cli.sqlite")]
    assert cli.main([*args, "--out", str(tmp_path / "cold")]) == 0
    cold = capsys.readouterr().out
    asked = sum(online.hits.values())
    assert f"requests: {asked} over the network, 0 from cache" in cold
    table = {tuple(line.split()[:2]): line.split()[2:] for line in cold.splitlines() if line.startswith(("  arxiv_id", "  github"))}
    assert table[("arxiv_id", "huggingface")] == ["1", "0", "3", "0", "0"]  # GaLore; the others are not on HF (or unknown)
    assert table[("arxiv_id", "arxiv")][0] == "1" and table[("arxiv_id", "semanticscholar")][0] == "1"  # FRUGAL; Fira
    assert "arxiv_id: 3 resolved, 1 unresolved (1 not found)" in cold

    assert cli.main([*args, "--out", str(tmp_path / "warm")]) == 0
    warm = capsys.readouterr().out
    assert sum(online.hits.values()) == asked and "requests: 0 over the network" in warm
    assert cli.main([*args, "--out", str(tmp_path / "fresh"), "--refresh"]) == 0
    assert f"requests: {asked} over the network, 0 from cache" in capsys.readouterr().out
    assert sum(online.hits.values()) == 2 * asked

    assert cli.main([*args, "--out", str(tmp_path / "strict"), "--min-confidence", "0.95"]) == 0
    assert "arxiv_id: 2 resolved, 2 unresolved" in capsys.readouterr().out
    frugal = next(p for p in json.loads((tmp_path / "strict" / "papers.json").read_text()) if p["title"] == FRUGAL)
    assert frugal["arxiv_id"] is None
    reason = json.loads((tmp_path / "strict" / "report.json").read_text())["unresolved"]["arxiv_id"][frugal["id"]]
    assert "below threshold" in reason and "authors 9 vs 4" in json.dumps(frugal["candidates"])


def test_online__id_only_paper_is_hydrated_keeps_its_id_and_is_never_searched_by_title(tmp_path: Path, online: World, server: HTTPServer):
    (tmp_path / "ids.txt").write_text("arXiv:2504.20437\n10.1000/handmade.1\n", encoding="utf-8")  # handmade
    http = HttpConfig(cache_path=tmp_path / "http.sqlite", rate_limits=FAST, max_retry_wait=2.0)
    result = run_build([tmp_path / "listing.txt", tmp_path / "ids.txt"], BuildOptions(out=tmp_path / "out", http=http))
    assert sorted(p.ids.keys()[0] for p in result.papers if p.id_only) == ["doi:10.1000/handmade.1"]  # no API knows it
    galore2 = next(p for p in result.papers if p.arxiv_id == "2504.20437")
    # hydrated from arXiv's record; the input's ID stands, and the paper keeps the id its ID gave it
    assert galore2.title == GALORE2 and galore2.provenance["title"].source == "arxiv"
    assert galore2.provenance["arxiv_id"].source == "input,semanticscholar"  # arXiv gave the title, so it cannot confirm it
    assert galore2.id.startswith("arxiv-2504-20437")
    searched = [entry[0].query_string.decode() for entry in server.log]
    assert not any(q.endswith("q=") or "q=&" in q or 'ti:""' in q or "ti%3A%22%22" in q for q in searched)
    assert not any("GaLore+2" in q or "GaLore%202" in q for q in searched)  # hydrated, so not searched by title
    assert {p.title for p in result.papers if not p.id_only} == {GALORE, GALORE2, FRUGAL, FIRA, UNKNOWN}


def test_online__id_only_paper_that_a_listing_paper_resolves_to_is_one_paper(tmp_path: Path, online: World):
    # The ID-only 2403.03507 is hydrated with GaLore's title, which is the listing's: one paper,
    # under the listing's id, with both locations.
    (tmp_path / "ids.txt").write_text("2403.03507\n", encoding="utf-8")  # handmade
    http = HttpConfig(cache_path=tmp_path / "http.sqlite", rate_limits=FAST, max_retry_wait=2.0)
    result = run_build([tmp_path / "listing.txt", tmp_path / "ids.txt"], BuildOptions(out=tmp_path / "out", http=http))
    (galore,) = [p for p in result.papers if p.arxiv_id == "2403.03507"]
    assert not galore.id_only and galore.title == GALORE and len(galore.locations) == 2
    assert not galore.id.startswith("arxiv-")
    assert (tmp_path / "out" / "graph.graphml").exists() and len(result.papers) == 4
