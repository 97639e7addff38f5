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

from .spec import SourceSpec

__all__ = ["HttpConfig", "default_cache_path"]


def default_cache_path() -> Path:
    """``$PAPERLINEAGE_CACHE`` or ``~/.cache/paperlineage/http.sqlite``, never the working dir."""
    env = os.environ.get("PAPERLINEAGE_CACHE")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "paperlineage" / "http.sqlite"


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
    """Requests per second per source name, overriding each :class:`SourceSpec`'s rate."""

    ttls: Mapping[str, timedelta | int] | None = None
    """Freshness per source name (timedelta or seconds), overriding each :class:`SourceSpec`'s TTL."""

    default_ttl: timedelta = timedelta(days=7)
    """Freshness for URLs that match no configured source."""

    def rate_for(self, spec: SourceSpec, has_token: bool = False) -> float:
        """Requests per second for a source: :attr:`rate_limits` if it names it, else the spec's."""
        return (self.rate_limits or {}).get(spec.name, spec.rate_for(has_token))

    def ttl_for(self, spec: SourceSpec) -> timedelta | int:
        """Cache freshness for a source: :attr:`ttls` if it names it, else the spec's."""
        return (self.ttls or {}).get(spec.name, spec.ttl)
