"""Calling a source without letting its failures stop the run.

Every failure becomes a typed :class:`~paperlineage.enrich.outcomes.Failure` (offline,
unreachable, rate-limited, skipped, failed, with a detail). A source whose host is unreachable, or that still
answers 429/503 once the session's retries are spent, is not asked again in the run:
each further request would wait out the same retries (minutes per paper with
``Retry-After: 3600``), so the run-wide cost of a limited source is one request.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from paperlineage.cache import BudgetSpent, HttpLayerError, OfflineMiss
from paperlineage.enrich.outcomes import Failure, Outcomes
from paperlineage.enrich.sources import NeedsKey, RateLimited, SourceError, Unavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")


class SourceCaller:
    """Calls a source and turns every failure into an outcome, disabling dead and limited sources."""

    def __init__(self, outcomes: Outcomes, dead_hosts: Callable[[], dict[str, str]]) -> None:
        self.outcomes = outcomes
        self.dead_hosts = dead_hosts
        self.disabled: dict[str, Failure] = {}

    def __call__(self, source: str, call: Callable[[], T]) -> tuple[T | None, Failure | None]:
        """The call's result and None, or None and the :class:`Failure` saying why there is none."""
        if source in self.disabled:
            return None, self.disabled[source]
        try:
            return call(), None
        except OfflineMiss:
            return None, Failure("offline", "not in the cache")
        except NeedsKey as exc:
            self.disabled[source] = Failure("skipped", exc.message)
            return None, self.disabled[source]
        except (RateLimited, BudgetSpent, Unavailable) as exc:
            if isinstance(exc, Unavailable) and exc.status != 503:
                return self._failed(source, exc)  # a transport error or another 5xx
            return self._limited(source, exc)
        except (SourceError, HttpLayerError) as exc:
            return self._failed(source, exc)

    def _limited(self, source: str, exc: RateLimited | BudgetSpent | Unavailable) -> tuple[None, Failure]:
        """Still limited after the session's retries: stop asking this source for the run."""
        detail = _limit_detail(exc)
        self.disabled[source] = Failure("rate-limited", detail)
        self.outcomes.note(f"{source} rate-limited: {detail}; not tried again this run; run again later, answers so far are cached")
        return None, self.disabled[source]

    def _failed(self, source: str, exc: SourceError | HttpLayerError) -> tuple[None, Failure]:
        """Any other failure: disable the source if its host turned out dead, else keep asking."""
        dead = self.dead_hosts()
        host = getattr(exc, "host", None) or next((h for h in dead if h in str(getattr(exc, "url", ""))), None)
        if host and host in dead:
            self.disabled[source] = Failure("unreachable", f"{host} ({_short(dead[host])})")
            self.outcomes.note(f"{source} {self.disabled[source]}; later requests to it were not tried")
            return None, self.disabled[source]
        logger.info("%s: %s", source, exc)
        return None, Failure("failed", str(exc))


def _limit_detail(exc: RateLimited | BudgetSpent | Unavailable) -> str:
    """What the limit looked like, in a few words ('HTTP 429, Retry-After 3600 s')."""
    if isinstance(exc, BudgetSpent):
        return exc.message
    detail = f"HTTP {exc.status}" if exc.status else "rate limit spent"
    retry_after = getattr(exc, "retry_after", None)
    return f"{detail}, Retry-After {retry_after:.0f} s" if retry_after is not None else detail


def _short(reason: str) -> str:
    """A connection failure in a few words ('DNS lookup failed') instead of urllib3's paragraph."""
    lowered = reason.lower()
    for needle, words in (("resolve", "DNS lookup failed"), ("refused", "connection refused"), ("timed out", "connect timeout")):
        if needle in lowered:
            return words
    return reason[:80]


def progress(items: list[T], label: str) -> Iterable[T]:
    """A progress bar on a terminal, plain iteration otherwise (logs, CI, tests)."""
    if not sys.stderr.isatty() or not items:
        return items
    from tqdm import tqdm  # imported here: only interactive runs need it

    return tqdm(items, desc=label, unit="paper", leave=False)
