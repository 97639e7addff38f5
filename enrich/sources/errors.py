"""Exceptions raised by the API source clients, one tree for all five APIs.

Why a tree of our own (STYLE practice 11): the resolver and the CLI need to tell "this paper is
not on the Hub" (a normal ``None``) apart from "the Hub served an HTML error page" or "GitHub's
budget is spent until 14:00", without parsing messages. Like ``arxiv.ArxivError(url, retry,
message)`` every error carries its context (which source, which URL) and survives pickling
(multiprocessing, pytest-xdist).

URLs in these errors never contain secrets: GitHub, Hugging Face and Semantic Scholar tokens
travel in headers, and :func:`safe_url` drops the OpenAlex ``api_key`` parameter.

Errors raised by the shared HTTP layer in ``cache/`` (``OfflineMiss``, ``RateLimited`` for a spent
GitHub budget) are not translated here; they pass through the clients unchanged.
``cache.HostUnreachable`` is a ``requests.ConnectionError`` and so arrives as :class:`Unavailable`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "SourceError",
    "NotFound",
    "BadResponse",
    "RateLimited",
    "Unavailable",
    "Rejected",
    "NeedsKey",
    "safe_url",
]

#: Query parameters that carry secrets (OpenAlex ``api_key``); removed from URLs kept in errors.
_SECRET_PARAMS = frozenset({"api_key"})


def safe_url(url: str) -> str:
    """``url`` without secret query parameters, for errors and logs.

    >>> safe_url("https://api.openalex.org/works/W1?api_key=s3cret&select=id")
    'https://api.openalex.org/works/W1?select=id'
    """
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _SECRET_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _rebuild(cls: type[SourceError], context: dict[str, Any]) -> SourceError:
    """Recreate an error from its keyword context (used by ``__reduce__``)."""
    return cls(**context)


class SourceError(Exception):
    """Base class: an API call that gave no usable answer.

    Args:
        source: ``huggingface``, ``arxiv``, ``semanticscholar``, ``openalex`` or ``github``.
        url: the request URL (secret parameters removed).
        message: what went wrong, in words a user can act on.
        status: the HTTP status, when a response arrived.
    """

    def __init__(self, source: str, url: str, message: str, status: int | None = None) -> None:
        super().__init__(source, url, message)
        self.source = source
        self.url = safe_url(url)
        self.message = message
        self.status = status

    def _context(self) -> dict[str, Any]:
        """Constructor keywords that fully describe this error (extended by subclasses)."""
        return {"source": self.source, "url": self.url, "message": self.message, "status": self.status}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._context()))

    def __str__(self) -> str:
        status = f" HTTP {self.status}" if self.status is not None else ""
        return f"{self.source}:{status} {self.message} ({self.url})"

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._context().items())
        return f"{type(self).__name__}({fields})"


class NotFound(SourceError):
    """The API says the requested object does not exist (where ``None`` is not the natural answer)."""


class BadResponse(SourceError):
    """The body is not what the API documents: malformed JSON or Atom, an HTML error page served
    with status 200, or a JSON value of the wrong shape (e.g. an object where a list belongs)."""


class Rejected(SourceError):
    """The API refused the request (HTTP 400/401/403 that is not a rate limit, or an arXiv error
    feed such as ``incorrect id format for abc``). Retrying the same request will not help."""


class NeedsKey(SourceError):
    """The API needs a key that is not configured, so no request was sent.

    OpenAlex: "Starting February 13, 2026, an API key is required" (API-NOTES section 4).
    """


class RateLimited(SourceError):
    """The API's rate limit is spent (HTTP 429, or GitHub 403/429 with ``x-ratelimit-remaining: 0``).

    Args:
        reset_at: epoch seconds when the budget resets (GitHub ``x-ratelimit-reset``), if sent.
        retry_after: seconds to wait from a ``Retry-After`` header, if sent.
    """

    def __init__(
        self,
        source: str,
        url: str,
        message: str,
        status: int | None = None,
        reset_at: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(source, url, message, status)
        self.reset_at = reset_at
        self.retry_after = retry_after

    def _context(self) -> dict[str, Any]:
        return {**super()._context(), "reset_at": self.reset_at, "retry_after": self.retry_after}


class Unavailable(SourceError):
    """The API could not be reached or failed on its side: a ``requests`` ConnectionError or
    Timeout (kept as ``__cause__`` and, for pickling, as the text :attr:`cause`), or HTTP 5xx.

    Args:
        cause: ``"ExceptionType: message"`` of the transport error, if any.
    """

    def __init__(
        self, source: str, url: str, message: str, status: int | None = None, cause: str | None = None
    ) -> None:
        super().__init__(source, url, message, status)
        self.cause = cause

    def _context(self) -> dict[str, Any]:
        return {**super()._context(), "cause": self.cause}
