"""Where tokens go, and how they are kept out of the cache file and the logs.

Why this module exists (STYLE practice 6): requests-cache redacts ``ignored_parameters`` before
it stores a response, but it compares header names case-sensitively
(``cache_keys.filter_sort_dict``), so in 1.3.3 a lowercase ``x-api-key`` was stored in clear.
It also does not redact the requests stored in ``CachedResponse.history``, which is where an
``Authorization`` header ends up when GitHub answers 301 for a renamed repository. So we:

1. list every query or body parameter that carries a secret in ``ignored_parameters``
   (:data:`SECRET_QUERY_NAMES`);
2. store through :class:`RedactingSQLiteCache`, which also scrubs history entries, matches
   header names case-insensitively, and replaces any known token value wherever it appears.
   A secret *header* is stored as a keyed hash of its value (:func:`secret_digest`), never the
   value: GitHub answers ``Vary: Authorization``, and requests-cache only finds a response
   again when the varied headers match. Stored as ``REDACTED`` (or left in
   ``ignored_parameters``, which requests-cache then treats as a Vary miss), every cached
   GitHub response was fetched again when a token was set. :func:`secret_matching_key` hashes
   the outgoing request's header the same way, so a response is matched to the same token, and
   only to it;
3. attach :class:`SecretLogFilter` to the HTTP libraries' loggers, because urllib3 logs each
   request line (with the OpenAlex ``api_key`` query parameter) at DEBUG, and to our own
   ``enrich.*`` loggers, because the source clients log URLs of the responses they report on.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from requests import Response
from requests.structures import CaseInsensitiveDict
from requests_cache import CachedResponse, SQLiteCache
from requests_cache.cache_keys import create_key, redact_response

__all__ = [
    "REDACTED",
    "SECRET_HEADER_NAMES",
    "SECRET_PARAM_NAMES",
    "SECRET_QUERY_NAMES",
    "RedactingSQLiteCache",
    "SecretLogFilter",
]

logger = logging.getLogger(__name__)

REDACTED = "REDACTED"

#: Header and query/body parameter names that carry secrets, in every exact spelling we send
#: or that requests-cache's defaults know. Not ``token``: that is Semantic Scholar's bulk-search
#: continuation cursor, and redacting it would collapse every page into one cache key.
SECRET_PARAM_NAMES: tuple[str, ...] = (
    "Authorization",
    "authorization",
    "x-api-key",
    "X-Api-Key",
    "X-API-KEY",
    "api_key",
    "api-key",
    "access_token",
)
_SECRET_LOWER = frozenset(n.lower() for n in SECRET_PARAM_NAMES)
#: Of those, the headers (hashed when stored) and the query/body parameters (ignored, redacted).
SECRET_HEADER_NAMES = frozenset({"authorization", "x-api-key"})
SECRET_QUERY_NAMES: tuple[str, ...] = tuple(n for n in SECRET_PARAM_NAMES if n.lower() not in SECRET_HEADER_NAMES)
_DIGEST_PREFIX = "hmac-sha256:"


def secret_digest(value: str, key: bytes) -> str:
    """What a secret header is stored and matched as: a keyed hash, never the value.

    >>> secret_digest("Bearer t", b"k") == secret_digest("Bearer t", b"k") != secret_digest("Bearer u", b"k")
    True
    >>> secret_digest(secret_digest("Bearer t", b"k"), b"k") == secret_digest("Bearer t", b"k")  # idempotent
    True
    """
    if value.startswith(_DIGEST_PREFIX):
        return value
    return _DIGEST_PREFIX + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def hashed_secret_headers(headers: Mapping[str, str], key: bytes, names: frozenset[str] = SECRET_HEADER_NAMES) -> CaseInsensitiveDict:
    """`headers` with every secret header's value replaced by its :func:`secret_digest`."""
    return CaseInsensitiveDict(
        {name: secret_digest(str(value), key) if name.lower() in names else value for name, value in headers.items()}
    )


def secret_matching_key(key: bytes, names: frozenset[str] = SECRET_HEADER_NAMES) -> Callable[..., str]:
    """A requests-cache ``key_fn`` that sees secret headers only as their keyed hash.

    The main cache key has no headers at all; headers count only in ``Vary`` checks, where a
    stored response (its request kept hashed) and a new request must hash to the same value.
    """

    def create(request: Any, **kwargs: Any) -> str:
        shown = copy.copy(request)
        shown.headers = hashed_secret_headers(request.headers or {}, key, names)
        return create_key(shown, **kwargs)

    return create

def _scrub_text(text: str, values: Iterable[str]) -> str:
    for value in values:
        if value:
            text = text.replace(value, REDACTED)
    return text


_PARAM_RE = re.compile(
    r"(?P<name>" + "|".join(re.escape(n) for n in sorted(_SECRET_LOWER)) + r")=(?P<value>[^&\s\"']+)",
    re.IGNORECASE,
)


def redact_text(text: str, values: Iterable[str] = ()) -> str:
    """Replace secret query parameters and known token values in free text (URLs, log lines)."""
    text = _PARAM_RE.sub(lambda m: f"{m.group('name')}={REDACTED}", text)
    return _scrub_text(text, values)


class RedactingSQLiteCache(SQLiteCache):
    """SQLite backend that never writes a secret, whatever its header spelling or position.

    Args:
        db_path: the SQLite file.
        secret_values: token values to scrub wherever they appear (URL, headers, body).
        kwargs: passed to :class:`requests_cache.SQLiteCache`.
    """

    def __init__(
        self,
        db_path: Any,
        secret_values: Iterable[str] = (),
        header_key: bytes = b"",
        secret_headers: frozenset[str] = SECRET_HEADER_NAMES,
        **kwargs: Any,
    ) -> None:
        super().__init__(db_path, **kwargs)
        self.secret_values: tuple[str, ...] = tuple(v for v in secret_values if v)
        self.header_key = header_key
        self.secret_headers = secret_headers
        self.write_problem: str | None = None
        """Set once a response could not be stored; the run goes on, the summary says so."""

    def save_response(
        self,
        response: Response,
        cache_key: str | None = None,
        expires: datetime | None = None,
    ) -> None:
        """Same steps as ``BaseCache.save_response`` in requests-cache 1.3.3, plus scrubbing."""
        cache_key = cache_key or self.create_key(response.request)
        cached = CachedResponse.from_response(response, expires=expires)
        for item in (cached, *cached.history):
            redact_response(item, self._settings.ignored_parameters)
            self._scrub(item)
        self.responses[cache_key] = cached
        # requests-cache rolls a failed write back without a word (read-only file, full disk),
        # and the next run would fetch everything again; so check that the row is there.
        if cache_key not in self.responses and self.write_problem is None:
            self.write_problem = (
                f"HTTP cache {self.responses.db_path}: responses could not be stored (read-only file or full disk?); "
                "this run goes on, but the next one will ask the APIs again"
            )
            logger.warning("%s", self.write_problem)
        if response.history and not cached.revalidated:
            for r in response.history:
                self.redirects[self.create_key(r.request)] = cache_key

    def _scrub(self, item: CachedResponse) -> None:
        """Case-insensitive header redaction and token-value scrubbing, in place."""
        item.url = redact_text(item.url, self.secret_values)
        item.headers = self._scrub_headers(item.headers)
        request = item.request
        request.url = redact_text(request.url or "", self.secret_values)
        request.headers = self._scrub_headers(request.headers)
        body = request.body
        if isinstance(body, bytes) and self.secret_values:
            for value in self.secret_values:
                body = body.replace(value.encode(), REDACTED.encode())
            request.body = body

    def _scrub_headers(self, headers: Mapping[str, str]) -> CaseInsensitiveDict:
        clean: CaseInsensitiveDict = CaseInsensitiveDict()
        for name, value in headers.items():
            if name.lower() in self.secret_headers:
                clean[name] = secret_digest(str(value), self.header_key)  # matchable, not readable
            elif name.lower() in _SECRET_LOWER:
                clean[name] = REDACTED
            else:
                clean[name] = _scrub_text(str(value), self.secret_values)
        return clean


class SecretLogFilter(logging.Filter):
    """Rewrites log records so secret parameters and token values never reach a handler.

    Logger filters do not apply to child loggers, so :meth:`attach` adds this filter to each
    already-created logger of the HTTP libraries (they create their loggers at import time).
    """

    #: Logger name prefixes that may log request URLs or headers.
    PREFIXES: tuple[str, ...] = (
        "urllib3",
        "requests",
        "requests_cache",
        "requests_ratelimiter",
        "pyrate_limiter",
        "paperlineage",
    )

    def __init__(self, secret_values: Iterable[str] = ()) -> None:
        super().__init__("paperlineage-secrets")
        self.secret_values: tuple[str, ...] = tuple(v for v in secret_values if v)
        self._attached: list[logging.Logger] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact_text(message, self.secret_values)
        if clean != message:
            record.msg, record.args = clean, None
        return True

    def attach(self) -> None:
        """Add this filter to every existing logger under :attr:`PREFIXES`."""
        names = [
            name
            for name in list(logging.root.manager.loggerDict)
            if any(name == p or name.startswith(p + ".") for p in self.PREFIXES)
        ]
        for name in names:
            logger = logging.getLogger(name)
            logger.addFilter(self)
            self._attached.append(logger)

    def detach(self) -> None:
        """Remove this filter from every logger it was attached to."""
        for logger in self._attached:
            logger.removeFilter(self)
        self._attached.clear()
