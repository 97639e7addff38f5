"""Settings for the HTTP layer, and what the environment says about hosts and tokens.

Why a frozen dataclass built once: STYLE warns against global mutable config (pyalex's
``config``). A run builds one :class:`HttpConfig`, hands it to :func:`cache.make_session`, and
nothing changes it afterwards. Tests build their own with a temporary ``cache_path`` and fast
``rate_limits``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

__all__ = [
    "SOURCES",
    "DEFAULT_BASE_URLS",
    "DEFAULT_TTLS",
    "HttpConfig",
    "base_urls_from_env",
    "default_cache_path",
    "default_rate_limits",
    "tokens_from_env",
]

#: The APIs paperlineage talks to. These names key every per-source mapping in this package.
SOURCES: tuple[str, ...] = ("huggingface", "arxiv", "semanticscholar", "openalex", "github")

#: Environment variable and default for each source's base URL (tests point them at localhost).
_BASE_URL_ENV: dict[str, tuple[str, str]] = {
    "huggingface": ("PAPERLINEAGE_HF_URL", "https://huggingface.co"),
    "arxiv": ("PAPERLINEAGE_ARXIV_URL", "https://export.arxiv.org"),
    "semanticscholar": ("PAPERLINEAGE_S2_URL", "https://api.semanticscholar.org"),
    "openalex": ("PAPERLINEAGE_OPENALEX_URL", "https://api.openalex.org"),
    "github": ("PAPERLINEAGE_GITHUB_URL", "https://api.github.com"),
}
DEFAULT_BASE_URLS: dict[str, str] = {s: url for s, (_, url) in _BASE_URL_ENV.items()}

#: Environment variable holding each source's token. All are optional.
_TOKEN_ENV: dict[str, str] = {
    "github": "GITHUB_TOKEN",
    "semanticscholar": "S2_API_KEY",
    "huggingface": "HF_TOKEN",
    "openalex": "OPENALEX_API_KEY",
}

#: How long a cached response stays fresh. arXiv metadata for a given id hardly ever changes and
#: the API manual asks clients to cache [AM 3.3.1.1]; citation counts and HF listings move weekly;
#: GitHub stars and renames move daily.
DEFAULT_TTLS: dict[str, timedelta] = {
    "arxiv": timedelta(days=30),
    "huggingface": timedelta(days=7),
    "semanticscholar": timedelta(days=7),
    "openalex": timedelta(days=7),
    "github": timedelta(days=1),
}


#: Semantic Scholar requests per second: documented for keys; anonymous traffic stays below it.
S2_RATE_WITH_KEY = 1.0
S2_RATE_WITHOUT_KEY = 0.5


def default_rate_limits(has_s2_key: bool = False) -> dict[str, float]:
    """Requests per second per source, from each API's documentation (API-NOTES.md).

    - arXiv: "no more than one request every three seconds" (Terms of Use) -> 1/3.
    - Semantic Scholar with a key: 1/s. Since 2024 new keys get "1 request/second on all
      endpoints", the only documented *per-client* figure.
    - Semantic Scholar without a key: 1 every 2 s. Anonymous calls share one pool with every
      other user (5,000 per 5 min in older notes; "unauthenticated calls get 429 often"), so no
      fair share is documented; we stay below the keyed rate, and 429 handling (Retry, the
      limiter refilling its bucket on 429) slows us further.
    - Hugging Face: 500 API calls per 5 min anonymously (~1.7/s sustained); 5/s keeps short runs
      snappy and the 429 + ``RateLimit`` headers path handles long ones.
    - OpenAlex: hard cap 100/s for everyone; 10/s was the old "polite pool" figure.
    - GitHub: no per-second limit is documented; the hourly budget is enforced from the
      ``x-ratelimit-*`` headers by the session. 5/s avoids secondary (abuse) limits.
    """
    return {
        "arxiv": 1 / 3,
        "semanticscholar": S2_RATE_WITH_KEY if has_s2_key else S2_RATE_WITHOUT_KEY,
        "huggingface": 5.0,
        "openalex": 10.0,
        "github": 5.0,
    }


def default_cache_path() -> Path:
    """``$PAPERLINEAGE_CACHE`` or ``~/.cache/paperlineage/http.sqlite``, never the working dir."""
    env = os.environ.get("PAPERLINEAGE_CACHE")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "paperlineage" / "http.sqlite"


def base_urls_from_env() -> dict[str, str]:
    """Map each source to its base URL from ``PAPERLINEAGE_*_URL``, trailing slash stripped."""
    return {
        source: (os.environ.get(var) or default).rstrip("/")
        for source, (var, default) in _BASE_URL_ENV.items()
    }


def tokens_from_env() -> dict[str, str]:
    """Map source to token for every token variable that is set and non-empty.

    Tokens are only ever passed on to :func:`cache.auth_headers` / :func:`cache.auth_params`
    and the session's redaction lists; never log or store them.
    """
    tokens: dict[str, str] = {}
    for source, var in _TOKEN_ENV.items():
        value = os.environ.get(var, "").strip()
        if value:
            tokens[source] = value
    return tokens


@dataclass(frozen=True)
class HttpConfig:
    """Everything :func:`cache.make_session` needs besides base URLs and tokens."""

    cache_path: Path = field(default_factory=default_cache_path)
    """SQLite file for the response cache. Its parent directory is created on demand."""

    offline: bool = False
    """Serve only from the cache; a miss raises :class:`cache.OfflineMiss` (no network at all)."""

    refresh: bool = False
    """Ignore cached responses and fetch again (each URL+body at most once per session)."""

    timeout: tuple[float, float] = (5.0, 30.0)
    """(connect, read) seconds, applied to every request that does not pass its own."""

    max_retry_wait: float = 30.0
    """Cap in seconds for any single wait: ``Retry-After``, backoff, or a GitHub reset."""

    total_retries: int = 4
    """Retries per request for 429/5xx and dropped connections, all causes together."""

    connect_retries: int = 1
    """Retries for a failed connect; kept low so an all-hosts-down run ends quickly."""

    read_retries: int = 1
    """Retries after a read timeout or a connection dropped mid-response."""

    backoff_factor: float = 0.5
    """urllib3 backoff: sleeps 0, 2f, 4f, ... between retries, capped by ``max_retry_wait``."""

    rate_limits: Mapping[str, float] | None = None
    """Requests per second per source, overriding :func:`default_rate_limits` key by key."""

    ttls: Mapping[str, timedelta | int] | None = None
    """Freshness per source (timedelta or seconds), overriding :data:`DEFAULT_TTLS` key by key."""

    default_ttl: timedelta = timedelta(days=7)
    """Freshness for URLs that match no configured source."""

    def rate_for(self, source: str, has_s2_key: bool = False) -> float:
        """Requests per second for ``source`` after applying :attr:`rate_limits`."""
        rates = {**default_rate_limits(has_s2_key), **(self.rate_limits or {})}
        return rates.get(source, 1.0)

    def ttl_for(self, source: str) -> timedelta | int:
        """Cache freshness for ``source`` after applying :attr:`ttls`."""
        ttls: dict[str, timedelta | int] = {**DEFAULT_TTLS, **(self.ttls or {})}
        return ttls.get(source, self.default_ttl)
