"""Unit tests for the pieces of the HTTP layer that need no server."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.response import HTTPResponse

from paperlineage.cache import (
    HostUnreachable,
    HttpConfig,
    HttpLayerError,
    BudgetSpent,
    OfflineMiss,
    base_urls_from_env,
    default_cache_path,
    make_session,
    tokens_from_env,
)
from paperlineage.enrich.sources import SPECS
from paperlineage.enrich.sources import arxiv, github, huggingface, openalex, semanticscholar
from paperlineage.cache.failures import connection_failure, read_timed_out
from paperlineage.cache.limits import ClampedRetry, HourlyBudget
from paperlineage.cache.redaction import redact_text


@pytest.mark.parametrize(
    "error",
    [
        HttpLayerError("m", url="http://h/x", host="h"),
        OfflineMiss("offline", url="http://h/x", host="h"),
        HostUnreachable("gone", url="http://h/x", host="h", reason="refused"),
        BudgetSpent("spent", url="http://h/x", host="h", reset_at=12.5),
    ],
)
def test_errors__pickle_round_trip_keeps_context(error: HttpLayerError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert repr(copy) == repr(error)
    assert str(copy) == f"{error.message} (http://h/x)"


def test_errors__host_unreachable_is_a_requests_connection_error() -> None:
    with pytest.raises(requests.ConnectionError):
        raise HostUnreachable("gone", host="h")


def test_config__base_urls_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(semanticscholar.SPEC.url_env, "http://localhost:9/s2/")
    monkeypatch.delenv(arxiv.SPEC.url_env, raising=False)
    urls = base_urls_from_env(SPECS)
    assert urls["semanticscholar"] == "http://localhost:9/s2"
    assert urls["arxiv"] == "https://export.arxiv.org"
    assert set(urls) == {"huggingface", "arxiv", "semanticscholar", "openalex", "github"}


def test_config__tokens_from_env_skips_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in SPECS:
        if spec.token_env:
            monkeypatch.delenv(spec.token_env, raising=False)
    monkeypatch.setenv(github.SPEC.token_env, "g")
    monkeypatch.setenv(semanticscholar.SPEC.token_env, " ")
    assert tokens_from_env(SPECS) == {"github": "g"}


def test_config__cache_path_never_in_working_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PAPERLINEAGE_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_cache_path() == Path.home() / ".cache" / "paperlineage" / "http.sqlite"
    monkeypatch.setenv("PAPERLINEAGE_CACHE", str(tmp_path / "c.sqlite"))
    assert HttpConfig().cache_path == tmp_path / "c.sqlite"


def test_config__overrides_merge_with_defaults() -> None:
    config = HttpConfig(rate_limits={"github": 50.0}, ttls={"arxiv": 60})
    assert config.rate_for(github.SPEC) == 50.0
    assert config.rate_for(arxiv.SPEC) == pytest.approx(1 / 3)
    assert config.ttl_for(arxiv.SPEC) == 60
    assert config.ttl_for(github.SPEC).days == 1


def test_config__semanticscholar_slower_without_key() -> None:
    """A key's documented 1 request/s is the ceiling; keyless traffic shares a pool, so it stays below."""
    assert semanticscholar.SPEC.rate_for(has_token=True) == 1.0
    assert semanticscholar.SPEC.rate_for(has_token=False) < 1.0
    assert HttpConfig().rate_for(semanticscholar.SPEC) < HttpConfig().rate_for(semanticscholar.SPEC, has_token=True)
    assert arxiv.SPEC.rate_for(False) == arxiv.SPEC.rate_for(True)  # only S2 depends on it


@pytest.mark.parametrize(("tokens", "interval_ms"), [({}, 2000), ({"semanticscholar": "k"}, 1000)])
def test_session__semanticscholar_bucket_follows_the_key(tmp_path: Path, tokens: dict[str, str], interval_ms: int) -> None:
    """The session builds its S2 bucket from the key's presence (no request is made)."""
    bases = {"semanticscholar": "http://127.0.0.5:1", "arxiv": "http://127.0.0.6:1"}
    with make_session(HttpConfig(cache_path=tmp_path / "c.sqlite"), SPECS, base_urls=bases, tokens=tokens) as session:
        rates = session.limiter.bucket_factory.rates_by_host
        assert [r.interval for r in rates["127.0.0.5:1"]] == [interval_ms]
        assert [r.interval for r in rates["127.0.0.6:1"]] == [3000]


def test_auth__headers_and_params_per_source() -> None:
    tokens = {"github": "g", "huggingface": "h", "semanticscholar": "s", "openalex": "o"}
    assert github.SPEC.auth_headers(tokens["github"]) == {"Authorization": "Bearer g"}
    assert huggingface.SPEC.auth_headers(tokens["huggingface"]) == {"Authorization": "Bearer h"}
    assert semanticscholar.SPEC.auth_headers(tokens["semanticscholar"]) == {"x-api-key": "s"}
    assert openalex.SPEC.auth_headers(tokens["openalex"]) == {}
    assert openalex.SPEC.auth_params(tokens["openalex"]) == {"api_key": "o"}
    assert github.SPEC.auth_params(tokens["github"]) == {}
    assert github.SPEC.auth_headers(None) == {}


def test_redact__text_hides_params_and_values() -> None:
    text = "GET /works?api_key=abc&x=1 token=cursor Bearer sekrit"
    assert redact_text(text, ["sekrit"]) == "GET /works?api_key=REDACTED&x=1 token=cursor Bearer REDACTED"


def test_retry__retry_after_clamped_and_kept_by_new() -> None:
    retry = ClampedRetry(total=3, max_wait=2.0)
    response = HTTPResponse(status=429, headers={"Retry-After": "3600"})
    assert retry.get_retry_after(response) == 2.0
    assert retry.new(total=2).get_retry_after(response) == 2.0
    assert retry.get_retry_after(HTTPResponse(status=429, headers={"Retry-After": "1"})) == 1
    assert retry.get_retry_after(HTTPResponse(status=429)) is None


def _wrapped(reason: Exception) -> requests.ConnectionError:
    return requests.ConnectionError(MaxRetryError(None, "/x", reason))  # type: ignore[arg-type]


def test_session__classifies_connection_failures() -> None:
    dns = NameResolutionError("nowhere.invalid", None, OSError("Name or service not known"))  # type: ignore[arg-type]
    refused = NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    assert (connection_failure(_wrapped(dns)) or "").startswith("NameResolutionError")
    assert (connection_failure(_wrapped(refused)) or "").startswith("NewConnectionError")
    silent = ConnectTimeoutError(None, "Connection to 10.255.255.1 timed out")  # a firewall dropping packets
    assert (connection_failure(_wrapped(silent)) or "").startswith("ConnectTimeoutError")
    read = _wrapped(ReadTimeoutError(None, "/x", "read timed out"))  # type: ignore[arg-type]
    assert connection_failure(read) is None
    assert read_timed_out(read)


def test_github_budget__only_the_core_resource_counts() -> None:
    # the resource header as the recorded GraphQL replay (PyGithub GraphQl.testQuery) sends it
    budget = HourlyBudget(max_wait=5, clock=lambda: 1000.0, sleep=lambda s: None)
    budget.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4600", "x-ratelimit-resource": "graphql"})
    assert not budget.exhausted()  # a spent GraphQL budget leaves REST free
    budget.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4600", "x-ratelimit-resource": "core"})
    budget.observe({"x-ratelimit-remaining": "4979", "x-ratelimit-reset": "4600", "x-ratelimit-resource": "graphql"})
    assert budget.exhausted()  # and GraphQL's budget does not clear a spent REST one


def test_github_budget__waits_for_near_reset_raises_for_far() -> None:
    now = [1000.0]
    slept: list[float] = []
    budget = HourlyBudget(max_wait=5, clock=lambda: now[0], sleep=slept.append)
    budget.observe({"x-ratelimit-remaining": "10", "x-ratelimit-reset": "2000"})
    assert not budget.exhausted()
    budget.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1003"})
    budget.wait_or_raise("u", "h")
    assert slept == [3.0] and not budget.exhausted()
    budget.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4600"})
    with pytest.raises(BudgetSpent) as err:
        budget.wait_or_raise("u", "h")
    assert err.value.reset_at == 4600
    now[0] = 4601
    assert not budget.exhausted()
