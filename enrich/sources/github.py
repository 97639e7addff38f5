"""GitHub REST API: one repository's metadata, following renames.

Docs: https://docs.github.com/en/rest/repos/repos#get-a-repository and
https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
(API-NOTES.md section 5; samples from PyGithub's ReplayData).

Why renames matter: a paper links the repository under the name it had then. GitHub answers a
renamed or transferred repository with 301 to ``/repositories/<id>``; ``requests`` follows it for
GET, and the final ``full_name`` is canonical. We record the name we asked for in
``renamed_from``, so the graph can keep both. Names are case-insensitive on GitHub, so a change
of case only is not a rename.

With a token, :meth:`GitHubClient.repos` asks for up to :data:`GRAPHQL_BATCH` repositories in
one ``POST /graphql`` (one aliased ``repository(owner:, name:)`` field each; GraphQL needs a
token). GraphQL follows renames too: the ``url`` it answers with names the repository as it is
now. A missing repository is ``null`` with an error of type ``NOT_FOUND``, which is REST's 404.

Rate limits: 60 requests/hour without a token, 5,000 with one. The primary limit answers 403 or
429 with ``x-ratelimit-remaining: 0`` (reset in ``x-ratelimit-reset``, epoch seconds); a
secondary limit answers 403/429 with ``Retry-After``. Both raise :class:`RateLimited`.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from collections.abc import Mapping, Sequence

import requests
from pydantic import BaseModel, ConfigDict, ValidationError

from paperlineage.cache.limits import RateLimitInfo, parse_rate_limit

from paperlineage.cache.spec import SourceSpec

from ._http import ParseProblem, SourceClient, bad_shape, decode_json, error_message, path_quote, retry_after_seconds
from .errors import BadResponse, RateLimited, Rejected

__all__ = ["GRAPHQL_BATCH", "GhRepo", "GitHubClient", "graphql_query", "parse_graphql_repos", "parse_repo"]

#: GitHub: no per-second limit is documented; the hourly budget (60 anonymous, 5,000 with a token)
#: is enforced from the ``x-ratelimit-*`` headers by the session; 5/s avoids secondary (abuse)
#: limits. Stars and renames move daily.
SPEC = SourceSpec(
    "github", url_env="PAPERLINEAGE_GITHUB_URL", default_url="https://api.github.com",
    ttl=timedelta(days=1), rate=5.0, token_env="GITHUB_TOKEN",
    auth_header="Authorization", auth_template="Bearer {}", hourly_budget=True,
)
SOURCE = SPEC.name

#: Repositories per GraphQL query: 100 is the most GraphQL lets a connection return per call
#: (``first``/``last`` 1-100, API-NOTES section 5); no limit on aliases is documented, so we keep
#: to that figure and each query stays cheap in points.
GRAPHQL_BATCH = 100
#: What each repository is asked for, and why only this: ``url`` is the field the recorded answer
#: shows (body__POST_graphql_repository_url__200__2024-09.json, PyGithub GraphQl.testQuery) and
#: ``stargazerCount`` is the one API-NOTES section 5 names in its alias example. No recorded answer
#: shows GraphQL's names for fork, archived, license, push date or description, so a GraphQL
#: record leaves them None rather than guessing field names.
GRAPHQL_FIELDS = "url stargazerCount"
_REPO_URL = re.compile(r"^https://github\.com/(?P<name>[^/]+/[^/]+?)/?$")


class GhRepo(BaseModel):
    """A repository as ``GET /repos/{owner}/{repo}`` describes it; from the GraphQL batch only
    ``full_name``, ``html_url``, ``stars``, ``renamed_from`` and ``rate`` (see :data:`GRAPHQL_FIELDS`)."""

    model_config = ConfigDict(frozen=True)

    full_name: str
    """Canonical ``owner/name`` after any redirect."""
    html_url: str | None = None
    """``https://github.com/owner/name``."""
    description: str | None = None
    """Repository description."""
    stars: int | None = None
    """``stargazers_count``."""
    fork: bool | None = None
    """Whether this repository is a fork."""
    archived: bool | None = None
    """Read-only archived repository."""
    license: str | None = None
    """``license.spdx_id`` (e.g. ``LGPL-3.0``; GitHub uses ``NOASSERTION`` for unrecognised licenses)."""
    pushed_at: dt.datetime | None = None
    """Last push."""
    renamed_from: str | None = None
    """The ``owner/name`` we asked for, when GitHub redirected to a different name."""
    rate: RateLimitInfo | None = None
    """Budget left after this call."""


def parse_repo(body: bytes, url: str = "") -> tuple[GhRepo | None, list[ParseProblem]]:
    """Parse a repository object; a repository without ``full_name`` becomes a problem.

    Raises:
        BadResponse: not JSON (e.g. an HTML page), or not an object.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, Mapping):
        raise bad_shape(SOURCE, "a JSON object", data, url)
    license_ = data.get("license")
    try:
        repo = GhRepo(
            full_name=data.get("full_name"),  # type: ignore[arg-type]  # validated by pydantic
            html_url=data.get("html_url"),
            description=data.get("description"),
            stars=data.get("stargazers_count"),
            fork=data.get("fork"),
            archived=data.get("archived"),
            license=license_.get("spdx_id") if isinstance(license_, Mapping) else None,
            pushed_at=data.get("pushed_at"),
        )
    except ValidationError as exc:
        return None, [ParseProblem(where="repository", reason=str(exc).splitlines()[0])]
    return repo, []


def graphql_query(names: Sequence[str]) -> dict[str, object]:
    """The ``/graphql`` body asking for every ``owner/name`` in ``names``, alias ``r<i>`` each.

    Owners and names travel as variables (as in the recorded PyGithub query), never spliced into
    the query text, so no name can change the query.

    >>> graphql_query(["a/b"])["query"]
    'query($o0: String!, $n0: String!) { r0: repository(owner: $o0, name: $n0) { url stargazerCount } }'
    """
    declared = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(len(names)))
    fields = " ".join(f"r{i}: repository(owner: $o{i}, name: $n{i}) {{ {GRAPHQL_FIELDS} }}" for i in range(len(names)))
    variables: dict[str, str] = {}
    for i, name in enumerate(names):
        variables[f"o{i}"], variables[f"n{i}"] = name.split("/", 1)
    return {"query": f"query({declared}) {{ {fields} }}", "variables": variables}


def parse_graphql_repos(body: bytes, url: str, names: Sequence[str]) -> tuple[dict[str, GhRepo | None], list[ParseProblem]]:
    """The answer to :func:`graphql_query` (``names`` in the same order), keyed by the name asked.

    ``None``: GitHub says NOT_FOUND. A name whose node is unusable is left out and reported, so the
    caller can ask REST for it.

    Raises:
        BadResponse: not JSON, no ``data`` object, or an error other than NOT_FOUND (e.g. a spent
            points budget, which GraphQL reports inside a 200): the whole answer is untrusted.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, Mapping):
        raise bad_shape(SOURCE, "a JSON object", data, url)
    errors = data.get("errors") or []
    if not isinstance(errors, list):
        raise bad_shape(SOURCE, "a list of errors", errors, url)
    not_found: set[str] = set()
    for error in errors:
        if not isinstance(error, Mapping) or error.get("type") != "NOT_FOUND":
            message = error.get("message") if isinstance(error, Mapping) else error
            raise BadResponse(SOURCE, url, f"GraphQL error: {message}")
        path = error.get("path")
        if isinstance(path, list) and path:
            not_found.add(str(path[0]))
    nodes = data.get("data")
    if not isinstance(nodes, Mapping):
        raise bad_shape(SOURCE, "a data object", nodes, url)
    found: dict[str, GhRepo | None] = {}
    problems: list[ParseProblem] = []
    for i, asked in enumerate(names):
        alias = f"r{i}"
        node = nodes.get(alias)
        if node is None and alias in not_found:
            found[asked] = None
            continue
        match = _REPO_URL.match(node.get("url") or "") if isinstance(node, Mapping) else None
        try:
            if match is None:
                raise ValueError(f"no repository url in {node!r:.80}")
            full_name = match["name"]
            found[asked] = GhRepo(
                full_name=full_name,
                html_url=node["url"],
                stars=node.get("stargazerCount"),
                renamed_from=_renamed(asked, full_name),
            )
        except (ValueError, ValidationError) as exc:
            problems.append(ParseProblem(where=f"{alias} ({asked})", reason=str(exc).splitlines()[0]))
    return found, problems


def _renamed(asked: str, full_name: str) -> str | None:
    """``asked`` when GitHub now calls the repository otherwise; names are case-insensitive."""
    return asked if full_name.lower() != asked.lower() else None


class GitHubClient(SourceClient):
    """Client for ``https://api.github.com``; the token goes in ``Authorization: Bearer <token>``."""

    spec = SPEC

    def repo(self, owner: str, name: str) -> GhRepo | None:
        """``GET /repos/{owner}/{name}``; ``None`` on 404 (deleted, or private without access).

        Raises:
            RateLimited: the hourly budget or a secondary limit is spent.
        """
        asked = f"{owner}/{name}"
        url = self.url(f"/repos/{path_quote(owner)}/{path_quote(name)}")
        response = self.send("GET", url)
        rate = parse_rate_limit(response.headers)
        self._raise_if_limited(response, url, rate)
        if response.status_code == 404:
            return None
        self.check(response, url)
        repo = self.parsed(response, url, parse_repo)
        if repo is None:
            return None
        return repo.model_copy(update={"renamed_from": _renamed(asked, repo.full_name), "rate": rate})

    @property
    def can_batch(self) -> bool:
        """GraphQL answers only authenticated requests, so batching needs the token."""
        return self.token is not None

    def repos(self, names: Sequence[str]) -> dict[str, GhRepo | None]:
        """Up to :data:`GRAPHQL_BATCH` ``owner/name`` names in one ``POST /graphql``, keyed as asked.

        Names GitHub did not settle (an unusable node) are absent; ask :meth:`repo` for them.

        Raises:
            Rejected: any status but 200. Not :class:`RateLimited`, even for 403/429: GraphQL's
                points budget is not REST's [GHQL], so a spent GraphQL budget must leave REST free.
            BadResponse: see :func:`parse_graphql_repos`.
        """
        if len(names) > GRAPHQL_BATCH:
            raise ValueError(f"at most {GRAPHQL_BATCH} repositories per query, got {len(names)}")
        url = self.url("/graphql")
        response = self.send("POST", url, json_body=graphql_query(names))
        if response.status_code != 200:
            raise Rejected(SOURCE, url, f"GraphQL: {error_message(response.content)}", response.status_code)
        # a 200 carrying a GraphQL error raises in the parser, and parsed() drops it from the cache
        found = self.parsed(response, url, lambda body, u: parse_graphql_repos(body, u, names))
        rate = parse_rate_limit(response.headers)
        return {name: repo.model_copy(update={"rate": rate}) if repo else None for name, repo in found.items()}

    def _raise_if_limited(self, response: requests.Response, url: str, rate: RateLimitInfo | None) -> None:
        status = response.status_code
        if status not in (403, 429):
            return
        retry_after = retry_after_seconds(response.headers)
        message = error_message(response.content)
        exhausted = rate is not None and rate.remaining == 0
        if exhausted or retry_after is not None or status == 429 or "rate limit" in message.lower():
            raise RateLimited(
                SOURCE,
                url,
                message,
                status,
                reset_at=rate.reset if rate is not None else None,
                retry_after=retry_after,
            )
