"""Client-side politeness: per-host request rates, the GitHub hourly budget, clamped retries.

Why here and not in each client (STYLE practice 4): one session is shared by all clients of a
run, so one place decides how fast each host is called, and cache hits (answered above this
layer) never spend budget.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
import time
from collections.abc import Callable, Mapping
from typing import Any

from pyrate_limiter import InMemoryBucket, Rate, SQLiteBucket
from pyrate_limiter.abstracts import AbstractBucket
from requests_ratelimiter import HostBucketFactory
from urllib3 import BaseHTTPResponse
from urllib3.util.retry import Retry

from .errors import BudgetSpent

__all__ = ["ClampedRetry", "HourlyBudget", "PerHostBucketFactory", "rate_from_per_second"]

logger = logging.getLogger(__name__)


def rate_from_per_second(per_second: float) -> Rate:
    """One request per ``1/per_second`` seconds, as a pyrate-limiter :class:`Rate`.

    Spacing single requests (rather than allowing bursts of N per second) is what arXiv asks
    for ("one request every three seconds") and is gentlest on the others.

    >>> rate_from_per_second(1 / 3).interval  # milliseconds per request
    3000
    """
    if per_second <= 0:
        raise ValueError(f"rate must be positive, got {per_second}")
    return Rate(1, max(1, round(1000 / per_second)))


class PerHostBucketFactory(HostBucketFactory):
    """requests-ratelimiter's per-host factory, but with a different rate for each host.

    ``LimiterMixin`` names buckets by ``urlparse(url).netloc``; ``HostBucketFactory`` gives all
    of them the same rates. This subclass looks the host up in ``rates_by_host`` and falls back
    to ``default_rates`` for hosts no source is configured for.

    With `state_path`, every bucket lives in that SQLite file under a file lock
    (pyrate-limiter's ``SQLiteBucket``), so two processes sharing one cache also share the
    per-host budget: two builds at once never ask arXiv faster than once every 3 s together.
    """

    def __init__(
        self, rates_by_host: Mapping[str, list[Rate]], default_rates: list[Rate], state_path: Path | None = None
    ) -> None:
        super().__init__(rates=default_rates)
        self.rates_by_host = dict(rates_by_host)
        self.state_path = state_path

    def _create_bucket(self, name: str) -> AbstractBucket:
        rates = self.rates_by_host.get(name, self.rates)
        if self.state_path is None:
            return InMemoryBucket(rates)
        table = "host_" + re.sub(r"\W", "_", name)
        return SQLiteBucket.init_from_file(rates, table=table, db_path=str(self.state_path), use_file_lock=True)


class ClampedRetry(Retry):
    """urllib3 ``Retry`` that never sleeps longer than ``max_wait`` for a ``Retry-After``.

    urllib3 honours ``Retry-After`` on 413/429/503 and sleeps the whole value; 2.8 added
    ``retry_after_max`` but its default is 21600 s (6 h), and 2.0-2.7 have no cap at all. A
    single ``Retry-After: 3600`` must not stall a run, so we clamp here (works on every 2.x).
    Backoff is capped by ``backoff_max``, which :func:`cache.make_session` sets to the same value.
    """

    def __init__(self, *args: Any, max_wait: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait

    def new(self, **kw: Any) -> ClampedRetry:
        # Retry.new() rebuilds from a fixed list of keywords; carry ours along.
        kw.setdefault("max_wait", self.max_wait)
        return super().new(**kw)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None:
            return None
        if seconds > self.max_wait:
            logger.info("Retry-After %.0fs clamped to %.1fs", seconds, self.max_wait)
            return self.max_wait
        return seconds


@dataclass(frozen=True)
class RateLimitInfo:
    """The budget an API reported with a response (``x-ratelimit-*`` headers, GitHub's spelling)."""

    limit: int | None = None
    """``x-ratelimit-limit``: requests per hour for this resource."""
    remaining: int | None = None
    """``x-ratelimit-remaining``."""
    reset: float | None = None
    """``x-ratelimit-reset``: epoch seconds when the budget refills."""


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimitInfo | None:
    """Read ``x-ratelimit-limit/remaining/reset``; ``None`` when the response has none of them.

    >>> parse_rate_limit({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"})
    RateLimitInfo(limit=None, remaining=0, reset=1700000000.0)
    """
    info = RateLimitInfo(
        limit=_int(headers.get("x-ratelimit-limit")),
        remaining=_int(headers.get("x-ratelimit-remaining")),
        reset=_number(headers.get("x-ratelimit-reset")),
    )
    return info if info != RateLimitInfo() else None


class HourlyBudget:
    """Tracks GitHub's ``x-ratelimit-remaining`` / ``x-ratelimit-reset`` for one session.

    GitHub answers 403 or 429 once the hourly budget (60 anonymous, 5,000 with a token) is
    spent, and asks clients to wait until ``x-ratelimit-reset`` (epoch seconds) [GHRL]. Once
    ``remaining`` reaches 0 we wait for the reset if it is at most ``max_wait`` away, and
    otherwise raise :class:`cache.BudgetSpent` for every further GitHub request that the cache
    cannot answer.
    """

    def __init__(
        self,
        max_wait: float,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_wait = max_wait
        self.reset_at: float | None = None
        self._clock = clock
        self._sleep = sleep

    def observe(self, headers: Mapping[str, str]) -> None:
        """Record the budget from a response that came from the network (not the cache).

        Only the ``core`` resource counts (an answer without ``x-ratelimit-resource`` is taken as
        core): GraphQL and search have budgets of their own [GHRL][GHQL], so a GraphQL answer
        must neither mark the REST budget spent nor clear a spent one.
        """
        if headers.get("x-ratelimit-remaining") is None or headers.get("x-ratelimit-resource", "core") != "core":
            return
        info = parse_rate_limit(headers)
        if info is None or info.remaining is None:
            logger.warning("unparseable rate-limit headers: %r", headers.get("x-ratelimit-remaining"))
            return
        spent = info.remaining <= 0
        reset_at = info.reset
        if spent:
            # No reset header: assume the documented one-hour window.
            self.reset_at = reset_at if reset_at is not None else self._clock() + 3600
            logger.warning("GitHub rate limit spent; resets at %s", self.reset_at)
        else:
            self.reset_at = None

    def exhausted(self) -> bool:
        """True while the budget is spent and the reset time has not passed."""
        if self.reset_at is None:
            return False
        if self._clock() >= self.reset_at:
            self.reset_at = None
            return False
        return True

    def wait_or_raise(self, url: str, host: str) -> None:
        """Sleep until the reset if it is near, else raise :class:`cache.BudgetSpent`."""
        if not self.exhausted() or self.reset_at is None:
            return
        wait = self.reset_at - self._clock()
        if wait > self.max_wait:
            raise BudgetSpent(
                f"GitHub rate limit spent; resets in {wait:.0f}s (more than {self.max_wait:.0f}s)",
                url=url,
                host=host,
                reset_at=self.reset_at,
            )
        logger.info("GitHub rate limit spent; waiting %.1fs for reset", wait)
        self._sleep(max(0.0, wait))
        self.reset_at = None
