"""Exceptions raised by the HTTP layer.

Why a tree of our own: the CLI turns any :class:`HttpLayerError` into one line and an exit code
(STYLE practice 11), and callers can tell "we are offline and never fetched this" apart from
"the host is gone" or "GitHub's hourly budget is spent" without parsing messages. Every error
carries the URL and host it concerns and survives pickling (multiprocessing, pytest-xdist), as
``arxiv.ArxivError`` does.
"""

from __future__ import annotations

from typing import Any

import requests

__all__ = ["BudgetSpent", "ForeignCacheFile", "HostUnreachable", "HttpLayerError", "OfflineMiss"]


def _rebuild(cls: type[HttpLayerError], context: dict[str, Any]) -> HttpLayerError:
    """Recreate an error from its keyword context (used by ``__reduce__``)."""
    return cls(**context)


class HttpLayerError(Exception):
    """Base class for errors raised by :mod:`cache`.

    Args:
        message: what went wrong, in words a user can act on.
        url: the request URL (secrets are never put in it: tokens travel in headers, and the
            OpenAlex ``api_key`` parameter is redacted before an error is built).
        host: ``host[:port]`` of the request.
    """

    def __init__(self, message: str, url: str | None = None, host: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.host = host

    def _context(self) -> dict[str, Any]:
        """Constructor keywords that fully describe this error (extended by subclasses)."""
        return {"message": self.message, "url": self.url, "host": self.host}

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's default pickling replays ``self.args`` positionally, which breaks as soon as
        # a subclass adds fields, and OSError (a base of HostUnreachable) truncates args. Rebuild
        # from keywords instead.
        return (_rebuild, (type(self), self._context()))

    def __str__(self) -> str:
        return f"{self.message} ({self.url})" if self.url else self.message

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._context().items())
        return f"{type(self).__name__}({fields})"


class HostUnreachable(HttpLayerError, requests.exceptions.ConnectionError):
    """The host failed DNS or refused connections, so this session stopped calling it.

    It also subclasses :class:`requests.ConnectionError`, so code written against plain
    ``requests`` still catches it.

    Args:
        reason: the first failure, e.g. ``"NameResolutionError: ..."``.
    """

    def __init__(
        self,
        message: str,
        url: str | None = None,
        host: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, url, host)
        self.reason = reason

    def _context(self) -> dict[str, Any]:
        return {**super()._context(), "reason": self.reason}


class ForeignCacheFile(HttpLayerError):
    """The cache file is another application's SQLite database; it is left untouched."""


class OfflineMiss(HttpLayerError):
    """Offline mode was asked for a response that is not in the cache.

    Callers report the affected field as "unresolved: offline" (STYLE practice 7).
    """


class BudgetSpent(HttpLayerError):
    """A server's rate-limit budget is spent and resets too far in the future to wait for.

    Args:
        reset_at: epoch seconds when the budget resets (GitHub ``x-ratelimit-reset``), if known.
    """

    def __init__(
        self,
        message: str,
        url: str | None = None,
        host: str | None = None,
        reset_at: float | None = None,
    ) -> None:
        super().__init__(message, url, host)
        self.reset_at = reset_at

    def _context(self) -> dict[str, Any]:
        return {**super()._context(), "reset_at": self.reset_at}
