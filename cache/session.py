"""The one HTTP session a paperlineage run shares across all API clients.

Layers, outermost first (STYLE practice 4)::

    LineageSession.send   offline / dead-host / rate-limited / GitHub-budget decisions, stats
    CacheMixin            requests-cache: a hit returns here, spending no rate budget
    LimiterMixin          requests-ratelimiter, one bucket per host, rate per source
    requests.Session      redirects
    HTTPAdapter           urllib3 ClampedRetry: 429/5xx, Retry-After capped, bounded backoff

Why decisions sit in ``send`` above the cache: a dead host or a spent GitHub budget must still
let cached answers through, so those cases re-ask the cache with ``only_if_cached`` instead of
failing outright. The same holds for a source still answering 429 or 503 once its retries are
spent: waiting out ``Retry-After: 3600`` on every later request would stall a run for hours, so
that source is asked only the cache for the rest of the run. See
https://requests-cache.readthedocs.io/en/stable/user_guide/headers.html for the request options
used (``only_if_cached``, ``force_refresh``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from pathlib import Path
from urllib.parse import urlparse

import requests
from pyrate_limiter import Limiter
from requests.adapters import HTTPAdapter
from requests_cache import CacheMixin
from requests_cache.policy import ExpirationPatterns
from requests_ratelimiter import LimiterMixin

from .config import HttpConfig
from .errors import BudgetSpent, ForeignCacheFile, HostUnreachable, OfflineMiss
from .failures import connection_failure, is_offline_miss, read_timed_out
from .limits import ClampedRetry, HourlyBudget, PerHostBucketFactory, rate_from_per_second
from .redaction import (
    SECRET_HEADER_NAMES,
    SECRET_PARAM_NAMES,
    SECRET_QUERY_NAMES,
    RedactingSQLiteCache,
    SecretLogFilter,
    redact_text,
    secret_matching_key,
)
from .spec import SourceSpec, base_urls_from_env, secret_names, tokens_from_env

__all__ = [
    "SOURCE_HEADER",
    "LineageSession",
    "SourceStats",
    "make_session",
]

logger = logging.getLogger(__name__)

#: Request header naming the source when several share a host (tests). Removed before sending.
SOURCE_HEADER = "X-Paperlineage-Source"
#: Statuses retried by urllib3; 429 and 503 honour (clamped) Retry-After.
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: Methods urllib3 may retry and requests-cache may store. POST is Semantic Scholar's batch
#: endpoint; requests-cache keys it on the (normalised) body, so different id lists differ.
METHODS = ("GET", "HEAD", "POST")
#: 404 is a real answer ("Paper with id ... not found"); caching it avoids asking again each run.
CACHEABLE_CODES = (200, 404)
#: Final statuses (after urllib3's retries) that mean "rate limited, come back later": the source is
#: then served from the cache only for the rest of the run. arXiv has answered 503 to heavy users.
GIVE_UP_STATUSES = (429, 503)
#: Rate for hosts that no configured source lives on.
UNKNOWN_HOST_RATE = 1.0


@dataclass
class SourceStats:
    """Per-source request counts for one session.

    ``errors`` counts requests that raised, plus responses with status >= 400 (those are also
    counted under ``network`` or ``cache``, wherever they came from).
    """

    network: int = 0
    cache: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain dict, for logging or JSON."""
        return asdict(self)


class LineageSession(CacheMixin, LimiterMixin, requests.Session):
    """Cached, rate-limited, retrying session. Build it with :func:`make_session`.

    Attributes:
        config: the :class:`cache.HttpConfig` it was built from.
        specs: the sources, by name: rates, TTLs, secret names, budgets.
        base_urls: source -> base URL, used to tell which source a URL belongs to.
    """

    def __init__(
        self,
        config: HttpConfig,
        specs: Sequence[SourceSpec],
        base_urls: Mapping[str, str],
        tokens: Mapping[str, str],
    ) -> None:
        self.config = config
        self.specs = {spec.name: spec for spec in specs}
        self._tokens = frozenset(name for name, value in tokens.items() if value)
        self.base_urls = {s: u.rstrip("/") for s, u in base_urls.items()}
        # Longest base first, so ".../s2" wins over a bare host when bases share a host.
        self._bases = sorted(self.base_urls.items(), key=lambda item: -len(item[1]))
        self._secret_values = tuple(v for v in tokens.values() if v)
        self._stats: dict[str, SourceStats] = {}
        self._dead_hosts: dict[str, str] = {}
        self._rate_limited: dict[str, str] = {}
        self._refreshed: set[str] = set()
        self._budget = HourlyBudget(max_wait=config.max_retry_wait)
        self.log_filter = SecretLogFilter(self._secret_values)

        config.cache_path.parent.mkdir(parents=True, exist_ok=True)
        refuse_foreign_cache(config.cache_path)
        spec_headers = {s.auth_header.lower() for s in specs if s.auth_header}
        self._secret_headers = frozenset(n.lower() for n in (*SECRET_PARAM_NAMES, *secret_names(specs)))
        hashed = frozenset(SECRET_HEADER_NAMES | spec_headers)
        header_key = cache_key_file(config.cache_path)
        backend = RedactingSQLiteCache(
            config.cache_path, secret_values=self._secret_values, header_key=header_key, secret_headers=hashed,
        )
        super().__init__(
            backend=backend,
            expire_after=config.default_ttl,
            urls_expire_after=self._ttl_patterns(),
            allowable_codes=CACHEABLE_CODES,
            allowable_methods=METHODS,
            key_fn=secret_matching_key(header_key, hashed),
            ignored_parameters=tuple(dict.fromkeys(SECRET_QUERY_NAMES + tuple(s.auth_param for s in specs if s.auth_param))),
            limiter=Limiter(self._bucket_factory()),
            per_host=True,
            limit_statuses=(429,),
        )
        retry = ClampedRetry(
            total=config.total_retries,
            connect=config.connect_retries,
            read=config.read_retries,
            status=config.total_retries,
            other=0,
            allowed_methods=frozenset(METHODS),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=config.backoff_factor,
            backoff_max=config.max_retry_wait,
            raise_on_status=False,
            respect_retry_after_header=True,
            max_wait=config.max_retry_wait,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    # ----------------------------------------------------------------- construction helpers
    def _ttl_patterns(self) -> ExpirationPatterns:
        """requests-cache ``urls_expire_after`` globs: scheme-less base URL + ``/**``."""
        patterns: ExpirationPatterns = {}
        for source, base in self._bases:
            parsed = urlparse(base)
            spec = self.specs.get(source)
            patterns[f"{parsed.netloc}{parsed.path}/"] = self.config.ttl_for(spec) if spec else self.config.default_ttl
        return patterns

    def _bucket_factory(self) -> PerHostBucketFactory:
        """One rate per host; if sources share a host (tests), the slowest of them applies."""
        per_host: dict[str, float] = {}
        for source, base in self.base_urls.items():
            host = urlparse(base).netloc
            spec = self.specs.get(source)
            rate = self.config.rate_for(spec, source in self._tokens) if spec else UNKNOWN_HOST_RATE
            per_host[host] = min(rate, per_host.get(host, rate))
        return PerHostBucketFactory(
            {host: [rate_from_per_second(r)] for host, r in per_host.items()},
            default_rates=[rate_from_per_second(UNKNOWN_HOST_RATE)],
            state_path=self.config.cache_path.with_name(self.config.cache_path.name + ".limits"),
        )

    # ------------------------------------------------------------------------ public state
    @property
    def stats(self) -> dict[str, SourceStats]:
        """Counts per source so far (a copy)."""
        return {s: SourceStats(**st.as_dict()) for s, st in self._stats.items()}

    @property
    def dead_hosts(self) -> dict[str, str]:
        """``host[:port]`` -> reason, for hosts this session has stopped calling."""
        return dict(self._dead_hosts)

    @property
    def rate_limited(self) -> dict[str, str]:
        """Source (or host, for unknown sources) -> why it is served from the cache only."""
        return dict(self._rate_limited)

    def source_of(self, url: str) -> str:
        """The configured source whose base URL is the longest prefix of ``url``."""
        for source, base in self._bases:
            if url == base or url.startswith((base + "/", base + "?")):
                return source
        return "unknown"

    # ---------------------------------------------------------------------------- sending
    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """As :meth:`requests.Session.request`, with ``config.timeout`` unless one is given."""
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.config.timeout
        return super().request(method, url, *args, **kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any:  # type: ignore[override]
        """Send through cache, limiter and retries, applying the run-wide decisions.

        Raises:
            OfflineMiss: offline and not cached.
            HostUnreachable: the host failed DNS or refused connections (now or earlier).
            BudgetSpent: an hourly budget (GitHub) is spent for longer than ``max_retry_wait``, or the
                source answered 429/503 after all retries earlier in this run.
            requests.RequestException: timeouts and other transport errors.
        """
        explicit = request.headers.pop(SOURCE_HEADER, None)
        url = request.url or ""
        source = str(explicit) if explicit else self.source_of(url)
        host = urlparse(url).netloc
        safe_url = redact_text(url, self._secret_values)
        stats = self._stats.setdefault(source, SourceStats())
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.config.timeout

        budget_error: BudgetSpent | None = None
        budgeted = source in self.specs and self.specs[source].hourly_budget
        if budgeted and self._budget.exhausted():
            try:
                self._budget.wait_or_raise(safe_url, host)
            except BudgetSpent as exc:
                budget_error = exc
        dead_reason = self._dead_hosts.get(host)
        limit_key = source if source != "unknown" else host
        limited = self._rate_limited.get(limit_key)
        cache_only = self.config.offline or dead_reason is not None or limited is not None or budget_error is not None

        key = self.cache.create_key(request, **kwargs)
        refresh = self.config.refresh and not cache_only and key not in self._refreshed
        try:
            response = self._send_counted(request, stats, cache_only, refresh, **kwargs)
        except requests.ConnectionError as exc:
            stats.errors += 1
            raise self._translate(exc, request, safe_url, host) from exc
        except requests.RequestException:
            stats.errors += 1
            raise

        if is_offline_miss(response):
            stats.errors += 1
            if self.config.offline:
                raise OfflineMiss("offline and not in the cache", url=safe_url, host=host)
            if dead_reason is not None:
                raise HostUnreachable(
                    f"{host} is unreachable in this run and the response is not cached",
                    url=safe_url,
                    host=host,
                    reason=dead_reason,
                )
            if limited is not None:
                raise BudgetSpent(
                    f"{limit_key} is rate-limited in this run ({limited}) and the response is not cached",
                    url=safe_url,
                    host=host,
                )
            assert budget_error is not None
            raise budget_error
        if refresh:
            self._refreshed.add(key)
        if budgeted and not response.from_cache:
            response = self._after_github(response, request, stats, **kwargs)
        if not response.from_cache and response.status_code in GIVE_UP_STATUSES:
            self._give_up_on(limit_key, response)
        if response.status_code >= 400:
            stats.errors += 1
        return response

    def _send_counted(
        self,
        request: requests.PreparedRequest,
        stats: SourceStats,
        cache_only: bool,
        refresh: bool,
        **kwargs: Any,
    ) -> Any:
        response = super().send(request, only_if_cached=cache_only, force_refresh=refresh, **kwargs)
        if getattr(response, "from_cache", False):
            if not is_offline_miss(response):
                stats.cache += 1
        else:
            stats.network += 1
        return response

    def _after_github(
        self, response: Any, request: requests.PreparedRequest, stats: SourceStats, **kwargs: Any
    ) -> Any:
        """Track GitHub's budget; on a limit answer, wait (short) and resend once, or raise."""
        self._budget.observe(response.headers)
        if response.status_code in (403, 429) and self._budget.exhausted():
            url = redact_text(request.url or "", self._secret_values)
            try:
                self._budget.wait_or_raise(url, urlparse(url).netloc)
            except BudgetSpent:
                stats.errors += 1
                raise
            response = self._send_counted(request, stats, False, True, **kwargs)
            self._budget.observe(response.headers)
        return response

    def _give_up_on(self, key: str, response: Any) -> None:
        """Serve ``key`` from the cache only from now on: it is still limited after every retry."""
        retry_after = response.headers.get("Retry-After")
        reason = f"HTTP {response.status_code} after {self.config.total_retries} retries"
        if retry_after:
            reason += f", Retry-After {redact_text(retry_after, self._secret_values)}"
        self._rate_limited.setdefault(key, reason)
        logger.warning("%s rate-limited (%s); serving it from the cache only for this run", key, reason)

    def _translate(
        self, exc: requests.ConnectionError, request: requests.PreparedRequest, url: str, host: str
    ) -> requests.RequestException:
        """Mark DNS/refused hosts dead; surface exhausted read retries as ReadTimeout."""
        reason = connection_failure(exc)
        if reason is not None:
            reason = redact_text(reason, self._secret_values)
            self._dead_hosts.setdefault(host, reason)
            logger.warning("marking %s unreachable for this run: %s", host, reason)
            return HostUnreachable(f"{host} is unreachable", url=url, host=host, reason=reason)
        if read_timed_out(exc):
            return requests.ReadTimeout(f"read timed out after retries: {url}", request=request)
        return exc

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        """On a redirect to another host, drop every secret header, not only ``Authorization``.

        requests strips ``Authorization`` alone (``Session.rebuild_auth``), so a Semantic Scholar
        ``x-api-key`` would follow a redirect to any host.
        """
        super().rebuild_auth(prepared_request, response)
        if self.should_strip_auth(response.request.url or "", prepared_request.url or ""):
            for name in [n for n in prepared_request.headers if n.lower() in self._secret_headers]:
                del prepared_request.headers[name]

    @property
    def cache_problem(self) -> str | None:
        """Why responses could not be stored in this run, if they could not (one line)."""
        return self.cache.write_problem

    def forget(self, response: requests.Response) -> None:
        """Drop ``response`` from the cache because its body was rejected by a parser.

        A 200 whose body is an HTML error page or truncated JSON/Atom is stored like any other 200;
        kept, it would be replayed on every later run and the source would never recover. Works
        for fresh and cached responses (a cache written by an older version heals too).
        """
        key = getattr(response, "cache_key", None)
        if key:
            self.cache.delete(key)
            logger.info("dropped a rejected response from the cache: %s", redact_text(response.url or "", self._secret_values))

    def close(self) -> None:
        """Close connections and the cache, stop the limiter's leak thread, detach log filter."""
        try:
            super().close()
        finally:
            self.limiter.bucket_factory.close()
            self.log_filter.detach()


def cache_key_file(cache_path: Path) -> bytes:
    """The random key secret headers are hashed with, kept beside the cache (``<cache>.key``, 0600).

    A per-cache key: the cache file alone does not let anyone test a guessed token against it.
    If the key file goes, responses stored with a token are fetched once more, nothing worse.
    """
    path = cache_path.with_name(cache_path.name + ".key")
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
    except OSError as exc:  # an unwritable folder: hash with a key for this run only
        logger.warning("cannot keep the cache's header key in %s (%s); responses stored with a token will be fetched again next run", path, exc)
    return key


#: Tables a requests-cache SQLite file holds; any other table means another application's file.
_CACHE_TABLES = frozenset({"responses", "redirects"})


def refuse_foreign_cache(path: Path) -> None:
    """Raise before requests-cache touches `path` when it is another application's database.

    requests-cache would add its tables (and alter ours) in any SQLite file it is given, so a
    mistyped ``--cache`` could change someone's data. The file is opened read-only to look.

    Raises:
        ForeignCacheFile: `path` is an SQLite database with tables requests-cache does not make.
        sqlite3.DatabaseError: `path` is not an SQLite database at all.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    foreign = sorted(tables - _CACHE_TABLES)
    if foreign:
        raise ForeignCacheFile(
            f"{path} is another application's SQLite database (tables: {', '.join(foreign[:5])}); "
            "it was not changed; pass --cache with a file of paperlineage's own"
        )


def make_session(
    config: HttpConfig | None = None,
    specs: Sequence[SourceSpec] = (),
    base_urls: Mapping[str, str] | None = None,
    tokens: Mapping[str, str] | None = None,
) -> LineageSession:
    """Build the run's session. Touches only the cache file, never the network.

    Args:
        config: settings; default :class:`HttpConfig()` (cache under ``~/.cache``).
        specs: the sources (``paperlineage.enrich.sources.SPECS`` in a run).
        base_urls: source -> base URL; default: each spec's from the environment.
        tokens: source -> token; default: each spec's from the environment. Used to pick rates
            and to scrub token values from the cache file and logs. Clients still add them to
            their requests with their spec's ``auth_headers`` / ``auth_params``.
    """
    session = LineageSession(
        config or HttpConfig(),
        specs,
        base_urls if base_urls is not None else base_urls_from_env(specs),
        tokens if tokens is not None else tokens_from_env(specs),
    )
    session.log_filter.attach()
    return session
