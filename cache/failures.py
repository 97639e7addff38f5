"""Recognising what went wrong with a request, so the session can decide what to do next.

Why separate: these checks depend on how requests-cache and requests wrap urllib3's errors,
which is version-specific knowledge worth keeping (and testing) in one small place.
"""

from __future__ import annotations

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, ReadTimeoutError

__all__ = ["connection_failure", "is_offline_miss", "read_timed_out"]


def is_offline_miss(response: requests.Response) -> bool:
    """True for requests-cache's synthetic ``504 Not Cached`` answer to ``only_if_cached``."""
    return (
        response.status_code == 504
        and response.reason == "Not Cached"
        and bool(getattr(response, "from_cache", False))
    )


def connection_failure(exc: requests.ConnectionError) -> str | None:
    """Why a connection could not be made (DNS, refused, or no answer to connect), or None.

    requests wraps urllib3's ``MaxRetryError`` whose ``reason`` is a ``NewConnectionError``
    (``NameResolutionError`` is a subclass) for DNS and refused connections. A connect
    *timeout* (``ConnectTimeoutError``, the base of both) counts too: a firewall that drops
    packets would otherwise cost every request its full timeout and retries, and the run
    must finish fast when the network is gone. Drops mid-response are not fatal.
    """
    candidates: list[BaseException | None] = [exc.__cause__, exc.__context__]
    candidates += [a.reason for a in exc.args if isinstance(a, MaxRetryError)]
    candidates += list(exc.args)
    for cause in candidates:
        if isinstance(cause, MaxRetryError):
            cause = cause.reason
        if isinstance(cause, ConnectTimeoutError | ConnectionRefusedError):
            return f"{type(cause).__name__}: {cause}"
    return None


def read_timed_out(exc: requests.ConnectionError) -> bool:
    """urllib3 reports read timeouts that exhausted their retries as MaxRetryError, which
    requests turns into ConnectionError rather than ReadTimeout; detect that case."""
    return any(isinstance(a, MaxRetryError) and isinstance(a.reason, ReadTimeoutError) for a in exc.args)
