"""OpenAlex works API: title search and single works.

Docs: https://docs.openalex.org/api-entities/works (get-a-single-work, filter-works,
search-works) and https://docs.openalex.org/how-to-use-the-api/rate-limits-and-authentication
(API-NOTES.md section 4).

Why the client refuses to run without a key: "Starting February 13, 2026, an API key is
required." Without one OpenAlex still grants 100 credits a day, "testing only", which one listing
would spend; so a keyless client raises :class:`NeedsKey` before sending anything unless it was
built with ``allow_keyless=True``. The key travels as the ``api_key`` query parameter (the only
way OpenAlex accepts it); ``cache/`` redacts it and :class:`SourceError` URLs drop it.

arXiv ids are derived only from the DataCite DOI OpenAlex stores for arXiv preprints,
``https://doi.org/10.48550/arxiv.<id>`` (lower-cased by OpenAlex, so compared case-insensitively).
Expect thin ``referenced_works`` for preprints.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
import re
from collections.abc import Iterable, Mapping
from typing import Any

import requests
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from paperlineage.cache.spec import SourceSpec

from paperlineage.enrich.ids import arxiv_from_doi, normalise_doi

from ._http import ParseProblem, SourceClient, bad_shape, decode_json, norm_ws, path_quote
from .errors import NeedsKey

__all__ = ["OaWork", "OpenAlexClient", "parse_work", "parse_works", "title_filter"]

#: OpenAlex: hard cap 100/s for everyone; 10/s was the old "polite pool" figure. The key is the
#: ``api_key`` query parameter (required since 2026-02-13).
SPEC = SourceSpec(
    "openalex", url_env="PAPERLINEAGE_OPENALEX_URL", default_url="https://api.openalex.org",
    ttl=timedelta(days=7), rate=10.0, token_env="OPENALEX_API_KEY", auth_param="api_key",
)
SOURCE = SPEC.name
#: ``,`` separates filters and ``|`` ORs values inside one filter [OADOCS filter-entity-lists].
_FILTER_SYNTAX = re.compile(r"[,|]")


class OaWork(BaseModel):
    """A work from ``/works/{id}`` or a ``/works`` list."""

    model_config = ConfigDict(frozen=True)

    id: str
    """OpenAlex URI, e.g. ``https://openalex.org/W2741809807``."""
    title: str | None = None
    """``display_name`` (same as ``title``), whitespace collapsed."""
    doi: str | None = None
    """DOI without the ``https://doi.org/`` prefix, lower-cased."""
    arxiv_id: str | None = None
    """From a ``10.48550/arxiv.<id>`` DOI only; ``None`` otherwise."""
    publication_date: dt.date | None = None
    """``publication_date``."""
    publication_year: int | None = None
    """``publication_year``."""
    referenced_works: list[str] = Field(default_factory=list)
    """OpenAlex URIs of the works this work cites (outgoing)."""
    referenced_works_count: int | None = None
    """``referenced_works_count``."""
    authorships: int | None = None
    """Number of ``authorships`` entries."""
    abstract: str | None = None
    """The abstract, rebuilt from ``abstract_inverted_index`` (word -> positions); ``None`` when absent."""

    @property
    def short_id(self) -> str:
        """``W2741809807`` for ``https://openalex.org/W2741809807``."""
        return self.id.rsplit("/", 1)[-1]


def title_filter(title: str) -> str:
    """``title.search:<title>`` with filter syntax characters (``,`` ``|``) replaced by spaces.

    >>> title_filter("Attention, Please | A\\n  Survey")
    'title.search:Attention Please A Survey'
    """
    return f"title.search:{norm_ws(_FILTER_SYNTAX.sub(' ', title))}"


def _bare_doi(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return normalise_doi(value)


def abstract_from_index(index: Any) -> str | None:
    """The text of an ``abstract_inverted_index`` (OpenAlex serves abstracts only this way).

    >>> abstract_from_index({"Low-rank": [0], "training": [2], "memory-efficient": [1]})
    'Low-rank memory-efficient training'
    """
    if not isinstance(index, Mapping):
        return None
    words = {pos: word for word, positions in index.items() if isinstance(positions, list)
             for pos in positions if isinstance(pos, int)}
    return " ".join(words[k] for k in sorted(words)) or None


def _work(item: Mapping[str, Any]) -> OaWork:
    ids = item.get("ids") if isinstance(item.get("ids"), Mapping) else {}
    doi = _bare_doi(item.get("doi")) or _bare_doi(ids.get("doi"))  # type: ignore[union-attr]
    title = item.get("display_name") if item.get("display_name") is not None else item.get("title")
    authorships = item.get("authorships")
    return OaWork(
        id=item.get("id"),  # type: ignore[arg-type]  # validated by pydantic
        title=norm_ws(title) if isinstance(title, str) else None,
        doi=doi,
        arxiv_id=arxiv_from_doi(doi),
        publication_date=item.get("publication_date"),
        publication_year=item.get("publication_year"),
        referenced_works=item.get("referenced_works") or [],
        referenced_works_count=item.get("referenced_works_count"),
        authorships=len(authorships) if isinstance(authorships, list) else None,
        abstract=abstract_from_index(item.get("abstract_inverted_index")),
    )


def parse_work(body: bytes, url: str = "") -> tuple[OaWork | None, list[ParseProblem]]:
    """Parse ``GET /works/{id}``: one work object.

    Raises:
        BadResponse: not JSON, or not an object.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, Mapping):
        raise bad_shape(SOURCE, "a JSON object", data, url)
    try:
        return _work(data), []
    except ValidationError as exc:
        return None, [ParseProblem(where="work", reason=str(exc).splitlines()[0])]


def parse_works(body: bytes, url: str = "") -> tuple[list[OaWork], list[ParseProblem]]:
    """Parse a list response ``{meta: {...}, results: [work, ...]}``.

    Raises:
        BadResponse: not JSON, not an object, or ``results`` not a list.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, Mapping):
        raise bad_shape(SOURCE, "a JSON object", data, url)
    results = data.get("results")
    if not isinstance(results, list):
        raise bad_shape(SOURCE, "'results' to be a list", results, url)
    works: list[OaWork] = []
    problems: list[ParseProblem] = []
    for index, item in enumerate(results):
        try:
            works.append(_work(item))
        except (AttributeError, ValidationError) as exc:
            problems.append(ParseProblem(where=f"results[{index}]", reason=str(exc).splitlines()[0]))
    return works, problems


class OpenAlexClient(SourceClient):
    """Client for ``https://api.openalex.org``.

    Args:
        allow_keyless: send requests without a key anyway (OpenAlex's 100 credits/day testing
            allowance). By default a client without a key raises :class:`NeedsKey`.
    """

    spec = SPEC

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        token: str | None = None,
        timeout: tuple[float, float] = (5, 30),
        *,
        allow_keyless: bool = False,
    ) -> None:
        super().__init__(session, base_url, token, timeout)
        self.allow_keyless = allow_keyless

    @property
    def enabled(self) -> bool:
        """Whether calls will be sent (a key is set, or keyless use was allowed)."""
        return self.token is not None or self.allow_keyless

    def _params(self, params: dict[str, Any], path: str) -> dict[str, Any]:
        if self.token is not None:
            return {**params, **self.spec.auth_params(self.token)}
        if not self.allow_keyless:
            raise NeedsKey(
                SOURCE,
                self.url(path, params),
                f"OpenAlex requires an API key since 2026-02-13; set {SPEC.token_env} (free) to use it",
            )
        return params

    def search_title(self, title: str, per_page: int = 5) -> list[OaWork]:
        """``GET /works?filter=title.search:<title>&per-page=N``, best matches first.

        Raises:
            NeedsKey: no key configured (nothing was sent).
        """
        path = "/works"
        url = self.url(path, self._params({"filter": title_filter(title), "per-page": per_page}, path))
        return self.parsed(self.get(url), url, parse_works)

    def by_dois(self, dois: Iterable[str], chunk: int = 50) -> list[OaWork]:
        """Works for many DOIs: ``filter=doi:a|b|...`` with at most `chunk` (50) values per request,
        the safe OR limit of the docs (API-NOTES section 4). Unknown DOIs are simply absent.

        Raises:
            NeedsKey: no key configured (nothing was sent).
        """
        wanted = sorted({d.lower() for d in dois if d and "," not in d and "|" not in d})
        path = "/works"
        works: list[OaWork] = []
        for start in range(0, len(wanted), chunk):
            part = wanted[start : start + chunk]
            params = self._params({"filter": "doi:" + "|".join(part), "per-page": len(part)}, path)
            url = self.url(path, params)
            works.extend(self.parsed(self.get(url), url, parse_works))
        return works

    def work(self, work_id: str) -> OaWork | None:
        """``GET /works/{id}`` for ``W...``, ``https://doi.org/...`` or ``doi:...``; ``None`` on 404.

        Raises:
            NeedsKey: no key configured (nothing was sent).
        """
        path = f"/works/{path_quote(work_id, safe=':/')}"
        url = self.url(path, self._params({}, path))
        response = self.send("GET", url)
        if response.status_code == 404:
            return None
        self.check(response, url)
        return self.parsed(response, url, parse_work)
