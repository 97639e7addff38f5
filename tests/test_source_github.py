"""GitHubClient against PyGithub ReplayData records (bodies, statuses and rate-limit headers).

Only the rate-limit, Location and Content-Type headers of each record are replayed; the 301's
``Location`` is pointed at the test server instead of api.github.com.
"""

from __future__ import annotations

import json
import pickle

import pytest
import requests
from pytest_httpserver import HTTPServer

from paperlineage.cache import SOURCE_HEADER
from paperlineage.enrich.sources import USER_AGENT, BadResponse, GitHubClient, RateLimited, Rejected
from paperlineage.enrich.sources.github import GRAPHQL_BATCH
from tests import samples


@pytest.fixture
def client(httpserver: HTTPServer) -> GitHubClient:
    return GitHubClient(requests.Session(), httpserver.url_for(""))


def test_repo__clean_200_with_rate_headers(client: GitHubClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.replay("Repository.setUp")
    httpserver.expect_oneshot_request(
        "/repos/PyGithub/PyGithub", method="GET", headers={"User-Agent": USER_AGENT, SOURCE_HEADER: "github"}
    ).respond_with_data(rec.body, status=rec.status, headers=rec.headers)
    repo = client.repo("PyGithub", "PyGithub")
    httpserver.check_assertions()
    assert repo is not None
    assert (repo.full_name, repo.stars, repo.license, repo.archived, repo.fork) == (
        "PyGithub/PyGithub", 7122, "LGPL-3.0", False, False,
    )
    assert repo.renamed_from is None
    assert repo.pushed_at is not None and repo.pushed_at.isoformat() == "2024-12-19T12:01:11+00:00"
    assert repo.rate is not None and (repo.rate.limit, repo.rate.remaining, repo.rate.reset) == (5000, 4999, 1736238735)


def test_repo__case_only_difference_is_not_a_rename(client: GitHubClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.replay("Repository.setUp")
    httpserver.expect_oneshot_request("/repos/pygithub/pygithub").respond_with_data(rec.body, headers=rec.headers)
    repo = client.repo("pygithub", "pygithub")
    assert repo is not None and repo.renamed_from is None


def test_repo__token_sent_as_bearer(httpserver: HTTPServer) -> None:
    client = GitHubClient(requests.Session(), httpserver.url_for(""), token="ghp_test")
    (rec,) = samples.replay("Repository.setUp")
    httpserver.expect_oneshot_request(
        "/repos/PyGithub/PyGithub", headers={"Authorization": "Bearer ghp_test"}
    ).respond_with_data(rec.body)
    assert client.repo("PyGithub", "PyGithub") is not None
    httpserver.check_assertions()


def test_repo__301_rename_is_followed_and_recorded(client: GitHubClient, httpserver: HTTPServer) -> None:
    moved, final = samples.replay("Requester.testLoggingRedirection")
    assert moved.status == 301 and moved.headers["Location"] == "https://api.github.com/repositories/638123443"
    headers = {**moved.headers, "Location": httpserver.url_for("/repositories/638123443")}
    httpserver.expect_ordered_request("/repos/EnricoMi/test").respond_with_data(moved.body, status=301, headers=headers)
    httpserver.expect_ordered_request("/repositories/638123443").respond_with_data(final.body, headers=final.headers)
    repo = client.repo("EnricoMi", "test")
    httpserver.check_assertions()
    assert repo is not None
    assert repo.full_name == "EnricoMi/test-renamed" and repo.renamed_from == "EnricoMi/test"
    assert repo.description is None and repo.license is None


def test_repo__404_is_none(client: GitHubClient, httpserver: HTTPServer) -> None:
    body = samples.raw("github", "body__GET_repos_jacquev6_Xxx__404__2012-06.json")
    httpserver.expect_oneshot_request("/repos/jacquev6/Xxx").respond_with_data(body, status=404)
    assert client.repo("jacquev6", "Xxx") is None


def test_repo__403_remaining_zero_is_rate_limited(client: GitHubClient, httpserver: HTTPServer) -> None:
    # the real 2013 answer (to GET /users/jacquev6) with its x-ratelimit-remaining: 0; plus a reset
    _, limited = samples.replay("SpecificExceptions.testRateLimitExceeded")
    assert limited.status == 403 and limited.headers["x-ratelimit-remaining"] == "0"
    headers = {**limited.headers, "x-ratelimit-reset": "1368796436"}
    httpserver.expect_oneshot_request("/repos/o/r").respond_with_data(limited.body, status=403, headers=headers)
    with pytest.raises(RateLimited) as info:
        client.repo("o", "r")
    assert info.value.reset_at == 1368796436 and info.value.status == 403
    assert "API Rate Limit Exceeded" in info.value.message
    assert pickle.loads(pickle.dumps(info.value)).reset_at == 1368796436


def test_repo__secondary_limit_with_retry_after_is_rate_limited(client: GitHubClient, httpserver: HTTPServer) -> None:
    # SpecificExceptions.testAuthenticatedRateLimitExceeded: 403 with Retry-After: 60
    body = samples.raw("github", "body__GET_search_code__403_secondary_abuse_limit__2018-10.json")
    httpserver.expect_oneshot_request("/repos/o/r").respond_with_data(body, status=403, headers={"Retry-After": "60"})
    with pytest.raises(RateLimited) as info:
        client.repo("o", "r")
    assert info.value.retry_after == 60.0 and info.value.reset_at is None


def test_repo__html_page_with_status_200_is_bad_response(client: GitHubClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/repos/o/r").respond_with_data(samples.html_error_page())
    with pytest.raises(BadResponse):
        client.repo("o", "r")


def test_repo__malformed_json_is_bad_response(client: GitHubClient, httpserver: HTTPServer) -> None:
    (rec,) = samples.replay("Repository.setUp")
    httpserver.expect_oneshot_request("/repos/o/r").respond_with_data(rec.body[:100])
    with pytest.raises(BadResponse):
        client.repo("o", "r")


def test_repo__names_are_path_quoted(client: GitHubClient, httpserver: HTTPServer) -> None:
    body = samples.raw("github", "body__GET_repos_jacquev6_Xxx__404__2012-06.json")
    # unquoted, "?" would start a query string and the server would see /repos/o/r
    httpserver.expect_oneshot_request("/repos/o/r?x", query_string="").respond_with_data(body, status=404)
    assert client.repo("o", "r?x") is None
    httpserver.check_assertions()


# ---------------------------------------------------------------------------------- GraphQL batch
# The recorded answers are unaliased (``data.repository``, ``data.node``); the batch asks with
# aliases r0, r1, ..., so each test files the recorded node or error under its alias.
GQL_REPO = "body__POST_graphql_repository_url__200__2024-09.json"
GQL_NOT_FOUND = "body__POST_graphql_node_NOT_FOUND_error__200__2024-09.json"


def _recorded_node() -> dict:
    return samples.json_sample("github", GQL_REPO)["data"]["repository"]


def _recorded_not_found(alias: str) -> dict:
    error = samples.json_sample("github", GQL_NOT_FOUND)["errors"][0]
    assert error["type"] == "NOT_FOUND"
    return {**error, "path": [alias]}


@pytest.fixture
def token_client(httpserver: HTTPServer) -> GitHubClient:
    return GitHubClient(requests.Session(), httpserver.url_for(""), token="ghp_test")


def test_repos__one_post_with_aliases_and_variables(token_client: GitHubClient, httpserver: HTTPServer) -> None:
    answer = {"data": {"r0": _recorded_node(), "r1": None}, "errors": [_recorded_not_found("r1")]}
    httpserver.expect_oneshot_request(
        "/graphql", method="POST", headers={"Authorization": "Bearer ghp_test", SOURCE_HEADER: "github"}
    ).respond_with_json(answer)
    found = token_client.repos(["PyGithub/PyGithub", "jacquev6/Xxx"])
    httpserver.check_assertions()
    (request, _), = httpserver.log
    sent = json.loads(request.get_data())
    assert "r0: repository(owner: $o0, name: $n0)" in sent["query"] and "r1: repository(owner: $o1, name: $n1)" in sent["query"]
    assert sent["variables"] == {"o0": "PyGithub", "n0": "PyGithub", "o1": "jacquev6", "n1": "Xxx"}
    repo = found["PyGithub/PyGithub"]
    assert repo is not None and (repo.full_name, repo.html_url, repo.renamed_from) == (
        "PyGithub/PyGithub", "https://github.com/PyGithub/PyGithub", None,
    )
    assert found["jacquev6/Xxx"] is None  # NOT_FOUND is REST's 404


def test_repos__a_rename_is_recorded_as_rest_does(token_client: GitHubClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_json({"data": {"r0": _recorded_node()}})
    repo = token_client.repos(["old-owner/OldName"])["old-owner/OldName"]
    assert repo is not None and repo.full_name == "PyGithub/PyGithub" and repo.renamed_from == "old-owner/OldName"


def test_repos__an_unusable_node_is_left_for_rest(token_client: GitHubClient, httpserver: HTTPServer) -> None:
    # null without a NOT_FOUND error for it says nothing about the repository
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_json({"data": {"r0": _recorded_node(), "r1": None}})
    assert set(token_client.repos(["PyGithub/PyGithub", "a/b"])) == {"PyGithub/PyGithub"}


def test_repos__an_error_other_than_not_found_is_bad_response(token_client: GitHubClient, httpserver: HTTPServer) -> None:
    # the recorded NOT_FOUND error with its type changed: GraphQL reports a spent budget inside a 200
    error = {**_recorded_not_found("r0"), "type": "RATE_LIMITED"}
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_json({"data": {"r0": None}, "errors": [error]})
    with pytest.raises(BadResponse, match="GraphQL error"):
        token_client.repos(["PyGithub/PyGithub"])


@pytest.mark.parametrize("status", [401, 403, 502])
def test_repos__non_200_is_rejected_not_rate_limited(token_client: GitHubClient, httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_data(
        samples.raw("github", "body__GET_repos_jacquev6_Xxx__404__2012-06.json"), status=status
    )
    with pytest.raises(Rejected) as caught:
        token_client.repos(["PyGithub/PyGithub"])
    assert caught.value.status == status and not isinstance(caught.value, RateLimited)


def test_repos__html_page_is_bad_response(token_client: GitHubClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_data(samples.html_error_page(), content_type="text/html")
    with pytest.raises(BadResponse):
        token_client.repos(["PyGithub/PyGithub"])


def test_repos__batch_size_and_token_rule(client: GitHubClient, token_client: GitHubClient) -> None:
    assert not client.can_batch and token_client.can_batch  # GraphQL needs auth
    with pytest.raises(ValueError):
        token_client.repos([f"o/r{i}" for i in range(GRAPHQL_BATCH + 1)])
