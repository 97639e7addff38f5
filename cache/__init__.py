"""paperlineage's HTTP layer: one cached, rate-limited, retrying session per run.

Why one package: every API client (Hugging Face, arXiv, Semantic Scholar, OpenAlex, GitHub)
must share the same cache file, per-host politeness, retry policy and secret handling, so the
stack is composed once here (STYLE practice 4) and clients receive the session.

Typical use::

    from paperlineage.cache import HttpConfig, make_session
    from paperlineage.enrich.sources import SPECS, GitHubClient

    with make_session(HttpConfig(offline=False), SPECS) as http:
        github = GitHubClient(http, http.base_urls["github"])
        repo = github.repo("jiaweizzhao", "GaLore")
"""

from .config import HttpConfig, default_cache_path
from .errors import BudgetSpent, ForeignCacheFile, HostUnreachable, HttpLayerError, OfflineMiss
from .failures import is_offline_miss
from .redaction import SECRET_PARAM_NAMES
from .session import SOURCE_HEADER, LineageSession, SourceStats, make_session
from .spec import SourceSpec, base_urls_from_env, tokens_from_env

__all__ = [
    "SECRET_PARAM_NAMES",
    "SOURCE_HEADER",
    "BudgetSpent",
    "ForeignCacheFile",
    "HostUnreachable",
    "HttpConfig",
    "HttpLayerError",
    "LineageSession",
    "OfflineMiss",
    "SourceSpec",
    "SourceStats",
    "base_urls_from_env",
    "default_cache_path",
    "is_offline_miss",
    "make_session",
    "tokens_from_env",
]
