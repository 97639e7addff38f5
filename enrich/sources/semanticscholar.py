"""Semantic Scholar Academic Graph API v1: title match, batch lookup, and a paper's references.

Docs: https://api.semanticscholar.org/api-docs/graph (OpenAPI:
https://api.semanticscholar.org/graph/v1/swagger.json); behaviour read from recorded cassettes of
danielnsilva/semanticscholar (API-NOTES.md section 3).

Why these shapes: title match answers ``{"data": [one paper]}`` or 404 "Title match not found";
batch answers an array in request order with ``null`` for unknown ids; references page with
``offset``/``next`` and ``next`` is absent on the last page. Unresolved references have
``citedPaper.paperId: null`` (13 of 17 on the sample's last page), so ``paper_id`` is optional.
Use ``ARXIV:<id>`` (no version) to look up arXiv papers; ``DOI:10.48550/arXiv...`` was reported
as not found.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from paperlineage.cache.spec import SourceSpec

from ._http import ParseProblem, SourceClient, bad_shape, decode_json, logger, norm_ws, path_quote
from .errors import BadResponse

__all__ = [
    "HYDRATE_FIELDS",
    "PAPER_FIELDS",
    "REFERENCE_FIELDS",
    "REFERENCE_LIST_FIELDS",
    "S2PaperId",
    "S2Paper",
    "S2Reference",
    "S2ReferencePage",
    "SemanticScholarClient",
    "parse_batch",
    "parse_match",
    "parse_references",
]

#: Semantic Scholar: with a key, 1/s ("1 request/second on all endpoints", the only documented
#: per-client figure). Without one, 1 every 2 s: anonymous calls share one pool with every other
#: user, so no fair share is documented; we stay below the keyed rate, and 429 handling slows us
#: further. The key goes in ``x-api-key``, in that exact spelling (the cache redacts per spelling).
SPEC = SourceSpec(
    "semanticscholar", url_env="PAPERLINEAGE_S2_URL", default_url="https://api.semanticscholar.org",
    ttl=timedelta(days=7), rate=0.5, rate_with_token=1.0, token_env="S2_API_KEY", auth_header="x-api-key",
)
SOURCE = SPEC.name
API_PREFIX = "/graph/v1"
#: Paper fields we request; all appear in the recorded batch request (test_get_papers_not_found_warning).
PAPER_FIELDS: tuple[str, ...] = ("paperId", "externalIds", "title", "year", "publicationDate", "authors", "citationCount")
#: Reference fields, as in the official example ``fields=contexts,intents,isInfluential,externalIds,title``.
REFERENCE_FIELDS: tuple[str, ...] = ("title", "externalIds", "contexts", "intents", "isInfluential")
#: Batch fields for reference lists: nested paper fields are requested as ``references.<field>``
#: (the batch limit of 9,999 citations in the spec covers these nested lists) [S2SPEC].
REFERENCE_LIST_FIELDS: tuple[str, ...] = ("paperId", "externalIds", "title", "references.paperId", "references.externalIds")
#: Fields for hydrating a paper known only by its ID: what a listing would have shown.
HYDRATE_FIELDS: tuple[str, ...] = ("paperId", "externalIds", "title", "abstract", "publicationDate", "authors")
#: At most 500 ids per batch request [S2SPEC].
BATCH_CHUNK = 500


def _ids(raw: Any) -> dict[str, str]:
    """``externalIds`` as strings (``CorpusId`` is served as a number); null values dropped."""
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): str(v) for k, v in raw.items() if v is not None}


class S2PaperId(BaseModel):
    """A paper named in a nested list (``references``): just its identifiers."""

    model_config = ConfigDict(frozen=True)

    paper_id: str | None = None
    """``paperId``; ``None`` when S2 could not resolve the reference."""
    arxiv_id: str | None = None
    """``externalIds.ArXiv`` (no version)."""
    doi: str | None = None
    """``externalIds.DOI``."""


class S2Paper(BaseModel):
    """A paper record from ``/paper/search/match`` or ``/paper/batch``."""

    model_config = ConfigDict(frozen=True)

    paper_id: str
    """40-hex Semantic Scholar ``paperId``."""
    title: str | None = None
    """Title with whitespace collapsed."""
    abstract: str | None = None
    """``abstract`` when requested (:data:`HYDRATE_FIELDS`); S2 serves null for many papers."""
    external_ids: dict[str, str] = Field(default_factory=dict)
    """``externalIds`` (``ArXiv``, ``DOI``, ``DBLP``, ``MAG``, ``CorpusId``...), values as strings."""
    arxiv_id: str | None = None
    """``externalIds.ArXiv``, served without version."""
    doi: str | None = None
    """``externalIds.DOI``."""
    year: int | None = None
    """Publication year."""
    publication_date: dt.date | None = None
    """``publicationDate`` (``YYYY-MM-DD`` or null)."""
    authors: int | None = None
    """Number of authors, when ``authors`` was requested."""
    citation_count: int | None = None
    """``citationCount``."""
    match_score: float | None = None
    """``matchScore`` of a title match (e.g. 109.55); absent elsewhere."""
    references: list[S2PaperId] | None = None
    """Nested ``references`` when requested (:data:`REFERENCE_LIST_FIELDS`); ``None`` when absent."""


class S2Reference(BaseModel):
    """One item of ``/paper/{id}/references``: the cited paper plus citation context."""

    model_config = ConfigDict(frozen=True)

    paper_id: str | None = None
    """``citedPaper.paperId``; ``None`` when S2 could not resolve the reference."""
    title: str | None = None
    """``citedPaper.title``, whitespace collapsed."""
    external_ids: dict[str, str] = Field(default_factory=dict)
    """``citedPaper.externalIds`` when requested."""
    arxiv_id: str | None = None
    """``citedPaper.externalIds.ArXiv``."""
    doi: str | None = None
    """``citedPaper.externalIds.DOI``."""
    contexts: list[str] = Field(default_factory=list)
    """Sentences of the citing paper around the citation."""
    intents: list[str] = Field(default_factory=list)
    """Citation intents, e.g. ``background``, ``methodology``."""
    is_influential: bool | None = None
    """``isInfluential``."""


class S2ReferencePage(BaseModel):
    """One page of references and where the next one starts."""

    offset: int = 0
    """``offset`` of this page."""
    next: int | None = None
    """``next`` offset; ``None`` on the last page (the key is absent there)."""
    references: list[S2Reference] = Field(default_factory=list)


def _paper(item: Mapping[str, Any]) -> S2Paper:
    ids = _ids(item.get("externalIds"))
    authors = item.get("authors")
    title = item.get("title")
    abstract = item.get("abstract")
    return S2Paper(
        paper_id=item.get("paperId"),  # type: ignore[arg-type]  # validated by pydantic
        title=norm_ws(title) if isinstance(title, str) else None,
        abstract=norm_ws(abstract) if isinstance(abstract, str) and abstract.strip() else None,
        external_ids=ids,
        arxiv_id=ids.get("ArXiv"),
        doi=ids.get("DOI"),
        year=item.get("year"),
        publication_date=item.get("publicationDate"),
        authors=len(authors) if isinstance(authors, list) else None,
        citation_count=item.get("citationCount"),
        match_score=item.get("matchScore"),
        references=_nested_ids(item.get("references")),
    )


def _nested_ids(raw: Any) -> list[S2PaperId] | None:
    if not isinstance(raw, list):
        return None
    found = []
    for entry in raw:
        if isinstance(entry, Mapping):
            ids = _ids(entry.get("externalIds"))
            found.append(S2PaperId(paper_id=entry.get("paperId"), arxiv_id=ids.get("ArXiv"), doi=ids.get("DOI")))
    return found


def _reference(item: Mapping[str, Any]) -> S2Reference:
    cited = item.get("citedPaper")
    if not isinstance(cited, Mapping):
        raise ValueError("no citedPaper object")
    ids = _ids(cited.get("externalIds"))
    title = cited.get("title")
    return S2Reference(
        paper_id=cited.get("paperId"),
        title=norm_ws(title) if isinstance(title, str) else None,
        external_ids=ids,
        arxiv_id=ids.get("ArXiv"),
        doi=ids.get("DOI"),
        contexts=item.get("contexts") or [],
        intents=item.get("intents") or [],
        is_influential=item.get("isInfluential"),
    )


def _object(body: bytes, url: str) -> Mapping[str, Any]:
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, Mapping):
        raise bad_shape(SOURCE, "a JSON object", data, url)
    return data


def parse_match(body: bytes, url: str = "") -> tuple[S2Paper | None, list[ParseProblem]]:
    """Parse ``/paper/search/match``: ``{"data": [paper]}``; an empty or missing ``data`` is no match.

    Raises:
        BadResponse: not JSON, or not an object.
    """
    data = _object(body, url).get("data") or []
    if not isinstance(data, list):
        raise bad_shape(SOURCE, "'data' to be a list", data, url)
    problems: list[ParseProblem] = []
    for index, item in enumerate(data):
        try:
            return _paper(item), problems
        except (AttributeError, ValidationError) as exc:
            problems.append(ParseProblem(where=f"data[{index}]", reason=str(exc).splitlines()[0]))
    return None, problems


def parse_batch(body: bytes, url: str = "") -> tuple[list[S2Paper | None], list[ParseProblem]]:
    """Parse ``POST /paper/batch``: an array in request order, ``null`` for unknown ids.

    An element we cannot read becomes ``None`` plus a problem, so positions stay aligned.

    Raises:
        BadResponse: not JSON, or not an array.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, list):
        raise bad_shape(SOURCE, "a JSON array", data, url)
    papers: list[S2Paper | None] = []
    problems: list[ParseProblem] = []
    for index, item in enumerate(data):
        if item is None:
            papers.append(None)
            continue
        try:
            papers.append(_paper(item))
        except (AttributeError, ValidationError) as exc:
            papers.append(None)
            problems.append(ParseProblem(where=f"[{index}]", reason=str(exc).splitlines()[0]))
    return papers, problems


def parse_references(body: bytes, url: str = "") -> tuple[S2ReferencePage, list[ParseProblem]]:
    """Parse one page of ``/paper/{id}/references``: ``{offset, next?, data[]}``.

    Raises:
        BadResponse: not JSON, not an object, or ``data`` not a list.
    """
    obj = _object(body, url)
    data = obj.get("data") or []
    if not isinstance(data, list):
        raise bad_shape(SOURCE, "'data' to be a list", data, url)
    references: list[S2Reference] = []
    problems: list[ParseProblem] = []
    for index, item in enumerate(data):
        try:
            references.append(_reference(item))
        except (AttributeError, ValueError, ValidationError) as exc:
            problems.append(ParseProblem(where=f"data[{index}]", reason=str(exc).splitlines()[0]))
    try:
        page = S2ReferencePage(offset=obj.get("offset") or 0, next=obj.get("next"), references=references)
    except ValidationError as exc:
        raise BadResponse(SOURCE, url, f"bad paging fields: {str(exc).splitlines()[0]}") from exc
    return page, problems


class SemanticScholarClient(SourceClient):
    """Client for ``https://api.semanticscholar.org/graph/v1`` (``/graph/v1`` is appended to base_url).

    The key, if any, goes in the ``x-api-key`` header (exact spelling; the cache layer redacts it).
    """

    spec = SPEC

    def match_title(self, title: str, fields: Sequence[str] = PAPER_FIELDS) -> S2Paper | None:
        """``GET /paper/search/match?query=<title>&fields=...``; ``None`` on 404 (no match)."""
        url = self.url(f"{API_PREFIX}/paper/search/match", {"query": norm_ws(title), "fields": ",".join(fields)})
        response = self.send("GET", url)
        if response.status_code == 404:
            return None
        self.check(response, url)
        return self.parsed(response, url, parse_match)

    def batch(self, ids: Iterable[str], fields: Sequence[str] = PAPER_FIELDS) -> list[S2Paper | None]:
        """``POST /paper/batch?fields=...`` with ``{"ids": [...]}``, 500 ids per request.

        Returns one item per requested id, in order, ``None`` where S2 knows no such paper.
        Ids may be 40-hex, ``CorpusId:<n>``, ``DOI:<doi>``, ``ARXIV:<id>``, a bare DOI...
        """
        requested = list(ids)
        url = self.url(f"{API_PREFIX}/paper/batch", {"fields": ",".join(fields)})
        result: list[S2Paper | None] = []
        for start in range(0, len(requested), BATCH_CHUNK):
            chunk = requested[start : start + BATCH_CHUNK]
            response = self.send("POST", url, json_body={"ids": chunk})
            self.check(response, url)
            papers = self.parsed(response, url, parse_batch)
            if len(papers) != len(chunk):
                raise self.reject(response, BadResponse(SOURCE, url, f"{len(papers)} results for {len(chunk)} ids; cannot align them"))
            result.extend(papers)
        return result

    def references(
        self,
        paper_id: str,
        fields: Sequence[str] = REFERENCE_FIELDS,
        limit: int = 100,
        max_pages: int = 100,
    ) -> list[S2Reference]:
        """All references of a paper: ``GET /paper/{id}/references?fields=&offset=&limit=``,
        following ``next`` until it is absent (at most ``max_pages`` pages).

        Raises:
            NotFound: S2 does not know ``paper_id`` (404 ``Paper with id ... not found``).
        """
        path = f"{API_PREFIX}/paper/{path_quote(paper_id, safe='/:')}/references"
        offset = 0
        references: list[S2Reference] = []
        for _ in range(max_pages):
            url = self.url(path, {"fields": ",".join(fields), "offset": offset, "limit": limit})
            response = self.get(url)
            page = self.parsed(response, url, parse_references)
            references.extend(page.references)
            if page.next is None:
                return references
            if page.next <= offset:
                raise self.reject(response, BadResponse(SOURCE, url, f"next offset {page.next} does not advance past {offset}"))
            offset = page.next
        logger.warning("semanticscholar: stopped after %d pages of references for %s", max_pages, paper_id)
        return references
