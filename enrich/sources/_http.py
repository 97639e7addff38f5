"""What every source client shares: headers, URL building, sending, status handling, JSON decoding.

Why a private base class: the five clients differ in paths, parameters and record shapes, but must
agree on politeness (User-Agent, the ``X-Paperlineage-Source`` header the ``cache/`` layer counts
and strips, per-request timeouts) and on how HTTP outcomes map to :mod:`enrich.sources.errors`.
The session is injected, so a plain ``requests.Session`` (tests) and the cached, rate-limited
``cache.LineageSession`` (runs) both work. Constructors do no I/O (STYLE practice 2).

A body the client rejects (an HTML error page served with 200, truncated JSON or Atom) must not
outlive the request: the cache stores every 200, and would replay the bad page on every later
run. So :meth:`SourceClient.parsed` and :meth:`SourceClient.reject` tell a session that has a
``forget(response)`` method (``cache.LineageSession``) to drop it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import requests
from pydantic import BaseModel, ConfigDict

from paperlineage.cache import SOURCE_HEADER
from paperlineage.cache.spec import SourceSpec

from .errors import BadResponse, NotFound, RateLimited, Rejected, SourceError, Unavailable, safe_url

__all__ = [
    "USER_AGENT",
    "SOURCE_HEADER",
    "ParseProblem",
    "SourceClient",
    "bad_shape",
    "decode_json",
    "error_message",
    "norm_ws",
    "path_quote",
    "retry_after_seconds",
]

logger = logging.getLogger("paperlineage.enrich.sources")

USER_AGENT = "paperlineage/0.1 (+https://github.com/paperlineage)"
T = TypeVar("T")


class ParseProblem(BaseModel):
    """One part of a response body we could not use, reported instead of raised (STYLE practice 3)."""

    model_config = ConfigDict(frozen=True)

    where: str
    """Which part: e.g. ``item 3``, ``entry http://arxiv.org/abs/...``, ``data[7]``."""
    reason: str
    """Why it was skipped or degraded."""

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def norm_ws(text: str) -> str:
    """Collapse all whitespace runs (arXiv-style hard line breaks) to one space.

    >>> norm_ws("Robustness\\n  in Mixture of LLMs ")
    'Robustness in Mixture of LLMs'
    """
    return " ".join(text.split())


def path_quote(segment: str, safe: str = "") -> str:
    """Percent-encode one URL path segment (``safe`` lists characters to keep, e.g. ``/`` or ``:``)."""
    return quote(segment, safe=safe)


def decode_json(body: bytes, source: str, url: str = "") -> Any:
    """Decode a JSON body or raise :class:`BadResponse` (HTML error pages, truncated bodies)."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadResponse(source, url, f"body is not JSON ({exc.__class__.__name__}): {_snippet(body)}") from exc


def _snippet(body: bytes, length: int = 120) -> str:
    """The first characters of a body, whitespace-collapsed, for error messages."""
    return repr(norm_ws(body[: length * 2].decode("utf-8", "replace"))[:length])


def error_message(body: bytes) -> str:
    """The API's own error text: ``{"error": ..}`` (S2, HF) or ``{"message": ..}`` (GitHub, S2 403)."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _snippet(body)
    if isinstance(data, dict):
        for key in ("error", "message"):
            if isinstance(data.get(key), str):
                return norm_ws(data[key])
    return _snippet(body)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:  # an HTTP date; the cache layer's Retry handles those
        return None


class SourceClient:
    """Base of the per-API clients: owns the session, base URL, token and timeout.

    Args:
        session: any ``requests.Session`` (plain in tests, ``cache.LineageSession`` in runs).
        base_url: scheme + host (+ optional prefix), e.g. ``https://api.github.com`` or a test server.
        token: the API's token or key; how it is sent is up to each subclass (:meth:`_auth`).
        timeout: ``(connect, read)`` seconds for every request.
    """

    spec: ClassVar[SourceSpec]
    """The API this client speaks to (name, auth style); each subclass sets its module's ``SPEC``."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        token: str | None = None,
        timeout: tuple[float, float] = (5, 30),
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{self.source}: base_url must be an http(s) URL, got {base_url!r}")
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token or None
        self.timeout = timeout

    @property
    def source(self) -> str:
        """The source's name, as errors, stats and outcomes know it."""
        return self.spec.name

    def __repr__(self) -> str:  # never show the token
        return f"{type(self).__name__}(base_url={self.base_url!r}, token={'set' if self.token else None})"

    # ------------------------------------------------------------------ building requests
    def url(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None) -> str:
        """``base_url`` + the API ``path`` (already quoted) + the encoded query."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        if params:
            url = f"{url}?{urlencode(params)}"
        return url

    def _auth(self) -> dict[str, str]:
        """Headers that authenticate, as the spec says (none for a parameter-style API)."""
        return self.spec.auth_headers(self.token)

    def headers(self) -> dict[str, str]:
        """User-Agent, source tag for the cache layer, and auth headers."""
        return {"User-Agent": USER_AGENT, SOURCE_HEADER: self.source, **self._auth()}

    # ------------------------------------------------------------------ sending
    def send(self, method: str, url: str, json_body: Any = None, cache_for: timedelta | None = None) -> requests.Response:
        """Send one request; transport failures become :class:`Unavailable` (cause kept).

        ``cache_for`` asks a caching session to keep this answer that long instead of the source's
        TTL, through the standard request directive ``Cache-Control: max-age`` (RFC 9111 5.2.1.1),
        which requests-cache reads as the response's expiry; a plain session just sends the header.
        """
        headers = self.headers()
        if cache_for is not None:
            headers["Cache-Control"] = f"max-age={int(cache_for.total_seconds())}"
        try:
            return self.session.request(method, url, headers=headers, json=json_body, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Unavailable(
                self.source, url, "could not reach the API", cause=f"{type(exc).__name__}: {exc}"
            ) from exc

    def check(self, response: requests.Response, url: str) -> None:
        """Raise the matching :class:`SourceError` for a non-2xx response (404 is the caller's)."""
        status = response.status_code
        if status < 400:
            return
        message = error_message(response.content)
        if status == 429:
            raise RateLimited(self.source, url, message, status, retry_after=retry_after_seconds(response.headers))
        if status >= 500:
            raise Unavailable(self.source, url, message, status)
        if status == 404:
            raise NotFound(self.source, url, message, status)
        raise Rejected(self.source, url, message, status)

    def get(self, url: str, cache_for: timedelta | None = None) -> requests.Response:
        """GET ``url``; a 2xx/3xx response, else the matching :class:`SourceError`."""
        response = self.send("GET", url, cache_for=cache_for)
        self.check(response, url)
        return response

    def parsed(
        self, response: requests.Response, url: str, parser: Callable[[bytes, str], tuple[T, Sequence[ParseProblem]]]
    ) -> T:
        """Run a pure ``parser`` on the body and report its problems.

        Raises:
            BadResponse: the parser rejected the body; it is dropped from the session's cache first.
        """
        try:
            value, problems = parser(response.content, url)
        except BadResponse:
            self.forget(response)
            raise
        self.report(problems, url)
        return value

    def reject(self, response: requests.Response, error: SourceError) -> SourceError:
        """``error`` for a body that parsed but is unusable, after dropping it from the cache."""
        self.forget(response)
        return error

    def forget(self, response: requests.Response) -> None:
        """Ask the session to drop ``response`` from its cache, if it has one (see module doc)."""
        forget = getattr(self.session, "forget", None)
        if callable(forget):
            forget(response)

    def report(self, problems: Sequence[ParseProblem], url: str) -> None:
        """Log parse problems: they are reported, never raised (STYLE practice 3).

        The URL is logged without its secret parameters (OpenAlex ``api_key``).
        """
        for problem in problems:
            logger.warning("%s: skipped %s (%s)", self.source, problem, safe_url(url))


def bad_shape(source: str, expected: str, got: Any, url: str = "") -> SourceError:
    """A :class:`BadResponse` for valid JSON of the wrong shape."""
    return BadResponse(source, url, f"expected {expected}, got {type(got).__name__}")
