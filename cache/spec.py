"""What the HTTP layer must know about one API, declared once, next to that API's client.

Each client module in :mod:`paperlineage.enrich.sources` defines its ``SPEC``; the session, the
environment readers and the redaction lists iterate over the specs they are given, so a new
source is one module and one line in ``enrich/sources/__init__.py`` (``SPECS``). This module
knows no source by name.

>>> spec = SourceSpec("demo", "DEMO_URL", "https://api.example.org", timedelta(days=1), 2.0,
...                   token_env="DEMO_TOKEN", auth_header="Authorization", auth_template="Bearer {}")
>>> spec.auth_headers("t"), spec.auth_params("t"), spec.base_url({"DEMO_URL": "http://localhost:9/"})
({'Authorization': 'Bearer t'}, {}, 'http://localhost:9')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

__all__ = ["SourceSpec", "base_urls_from_env", "secret_names", "tokens_from_env"]


@dataclass(frozen=True)
class SourceSpec:
    """One API: where it lives, how it authenticates, how fast and how long to cache."""

    name: str
    """The source's name, keying every per-source mapping (stats, rates, outcomes)."""
    url_env: str
    """Environment variable that overrides the base URL (mirrors, proxies, test servers)."""
    default_url: str
    """Base URL when :attr:`url_env` is unset."""
    ttl: timedelta
    """How long a cached response stays fresh (see each client module for why)."""
    rate: float
    """Requests per second without a token (from the API's documentation; see API-NOTES.md)."""
    token_env: str | None = None
    """Environment variable holding the optional token or key."""
    auth_header: str | None = None
    """Header that carries the token, in the exact spelling sent (redaction is per spelling)."""
    auth_template: str = "{}"
    """How the header value is made from the token (``Bearer {}``)."""
    auth_param: str | None = None
    """Query parameter that carries the token instead of a header (OpenAlex ``api_key``)."""
    rate_with_token: float | None = None
    """Requests per second with a token, when the API documents a different figure."""
    hourly_budget: bool = False
    """True when responses carry ``x-ratelimit-remaining/reset`` and a spent budget must be waited out."""

    def base_url(self, environ: Mapping[str, str] = os.environ) -> str:
        """The base URL from the environment or the default, trailing slash stripped."""
        return (environ.get(self.url_env) or self.default_url).rstrip("/")

    def token(self, environ: Mapping[str, str] = os.environ) -> str | None:
        """The token from the environment, or None when unset or blank."""
        value = environ.get(self.token_env, "").strip() if self.token_env else ""
        return value or None

    def rate_for(self, has_token: bool) -> float:
        """Requests per second, with or without a token."""
        return self.rate_with_token if has_token and self.rate_with_token is not None else self.rate

    def auth_headers(self, token: str | None) -> dict[str, str]:
        """Headers that authenticate, or ``{}`` without a token or for a parameter-style API."""
        return {self.auth_header: self.auth_template.format(token)} if token and self.auth_header else {}

    def auth_params(self, token: str | None) -> dict[str, str]:
        """Query parameters that authenticate (only for a parameter-style API)."""
        return {self.auth_param: token} if token and self.auth_param else {}


def base_urls_from_env(specs: Iterable[SourceSpec], environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Source name → base URL, from each spec's variable or default."""
    return {spec.name: spec.base_url(environ) for spec in specs}


def tokens_from_env(specs: Iterable[SourceSpec], environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Source name → token, for every token variable that is set and not blank.

    Tokens only go on to the clients and to the session's redaction; never log or store them.
    """
    return {spec.name: token for spec in specs if (token := spec.token(environ))}


def secret_names(specs: Iterable[SourceSpec]) -> tuple[str, ...]:
    """Every header and parameter name that carries a secret, as sent (for the cache's redaction)."""
    names: list[str] = []
    for spec in specs:
        names += [n for n in (spec.auth_header, spec.auth_param) if n]
    return tuple(dict.fromkeys(names))
