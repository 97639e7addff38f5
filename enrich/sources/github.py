"""GitHub REST API: one repository's metadata, following renames.

Docs: https://docs.github.com/en/rest/repos/repos#get-a-repository and
https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
(API-NOTES.md section 5; samples from PyGithub's ReplayData).

Why renames matter: a paper links the repository under the name it had then. GitHub answers a
renamed or transferred repository with 301 to ``/repositories/<id>``; ``requests`` follows it for
GET, and the final ``full_name`` is canonical. We record the name we asked for in
``renamed_from``, so the graph can keep both. Names are case-insensitive on GitHub, so a change
of case only is not a rename.

Rate limits: 60 requests/hour without a token, 5,000 with one. The primary limit answers 403 or
429 with ``x-ratelimit-remaining: 0`` (reset in ``x-ratelimit-reset``, epoch seconds); a
secondary limit answers 403/429 with ``Retry-After``. Both raise :class:`RateLimited`.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from collections.abc import Mapping

import requests
from pydantic import BaseModel, ConfigDict, ValidationError

from paperlineage.cache.limits import RateLimitInfo, parse_rate_limit

from paperlineage.cache.spec import SourceSpec

from ._http import ParseProblem, SourceClient, bad_shape, decode_json, error_message, path_quote, retry_after_seconds
from .errors import RateLimited

__all__ = ["GhRepo", "GitHubClient", "RateLimitInfo", "parse_rate_limit", "parse_repo"]

#: GitHub: no per-second limit is documented; the hourly budget (60 anonymous, 5,000 with a token)
#: is enforced from the ``x-ratelimit-*`` headers by the session; 5/s avoids secondary (abuse)
#: limits. Stars and renames move daily.
SPEC = SourceSpec(
    "github", url_env="PAPERLINEAGE_GITHUB_URL", default_url="https://api.github.com",
    ttl=timedelta(days=1), rate=5.0, token_env="GITHUB_TOKEN",
    auth_header="Authorization", auth_template="Bearer {}", hourly_budget=True,
)
SOURCE = SPEC.name


class GhRepo(BaseModel):
    """A repository as ``GET /repos/{owner}/{repo}`` describes it."""

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
        renamed = asked if repo.full_name.lower() != asked.lower() else None
        return repo.model_copy(update={"renamed_from": renamed, "rate": rate})

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
