"""paperlineage's HTTP layer: one cached, rate-limited, retrying session per run.

Why one package: every API client (Hugging Face, arXiv, Semantic Scholar, OpenAlex, GitHub)
must share the same cache file, per-host politeness, retry policy and secret handling, so the
stack is composed once here (STYLE practice 4) and clients receive the session.

Typical use::

    from cache import HttpConfig, make_session, auth_headers, tokens_from_env

    tokens = tokens_from_env()
    with make_session(HttpConfig(offline=False)) as http:
        r = http.get(f"{http.base_urls['github']}/repos/o/r",
                     headers=auth_headers("github", tokens))
"""

from .config import (
    DEFAULT_BASE_URLS,
    DEFAULT_TTLS,
    SOURCES,
    HttpConfig,
    base_urls_from_env,
    default_cache_path,
    default_rate_limits,
    tokens_from_env,
)
from .errors import HostUnreachable, HttpLayerError, OfflineMiss, RateLimited
from .failures import is_offline_miss
from .redaction import SECRET_PARAM_NAMES, auth_headers, auth_params
from .session import SOURCE_HEADER, LineageSession, SourceStats, make_session

__all__ = [
    "DEFAULT_BASE_URLS",
    "DEFAULT_TTLS",
    "SECRET_PARAM_NAMES",
    "SOURCES",
    "SOURCE_HEADER",
    "HostUnreachable",
    "HttpConfig",
    "HttpLayerError",
    "LineageSession",
    "OfflineMiss",
    "RateLimited",
    "SourceStats",
    "auth_headers",
    "auth_params",
    "base_urls_from_env",
    "default_cache_path",
    "default_rate_limits",
    "is_offline_miss",
    "make_session",
    "tokens_from_env",
]
