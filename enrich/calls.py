"""Calling a source without letting its failures stop the run.

Every failure becomes a short 'category: detail' reason (offline, unreachable,
skipped, failed); a source whose host is unreachable is not asked again in the run.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from cache import HttpLayerError, OfflineMiss
from enrich.outcomes import Outcomes
from enrich.sources import NeedsKey, SourceError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class SourceCaller:
    """Calls a source and turns every failure into an outcome, disabling dead sources."""

    def __init__(self, outcomes: Outcomes, dead_hosts: Callable[[], dict[str, str]]) -> None:
        self.outcomes = outcomes
        self.dead_hosts = dead_hosts
        self.disabled: dict[str, str] = {}

    def __call__(self, source: str, call: Callable[[], T]) -> tuple[T | None, str | None]:
        """The call's result and None, or None and 'category: detail' saying why there is none."""
        if source in self.disabled:
            return None, self.disabled[source]
        try:
            return call(), None
        except OfflineMiss:
            return None, "offline: not in the cache"
        except NeedsKey as exc:
            self.disabled[source] = f"skipped: {exc.message}"
            return None, self.disabled[source]
        except (SourceError, HttpLayerError) as exc:
            dead = self.dead_hosts()
            host = getattr(exc, "host", None) or next((h for h in dead if h in str(getattr(exc, "url", ""))), None)
            if host and host in dead:
                self.disabled[source] = f"unreachable: {host} ({_short(dead[host])})"
                self.outcomes.note(f"{source} {self.disabled[source]}; later requests to it were not tried")
                return None, self.disabled[source]
            logger.info("%s: %s", source, exc)
            return None, f"failed: {exc}"


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
