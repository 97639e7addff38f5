"""Hugging Face papers API: title search, one paper by arXiv id, and the daily papers list.

Docs: there is no reference page for these endpoints; the contract below is read from
huggingface_hub ``hf_api.py`` (``PaperInfo``, ``list_papers``, ``paper_info``,
``list_daily_papers``; https://github.com/huggingface/huggingface_hub) and from recorded search
responses (API-NOTES.md section 2).

Why both nesting levels are read: list items (search, daily) put the paper under ``paper`` and keep
a few fields at the top level, while ``GET /api/papers/{id}`` returns the paper itself at the top
level. huggingface_hub reads ``githubRepo``/``githubStars``/``projectPage``/``organization`` from the
top level, but the recorded search items carry ``githubRepo`` inside ``paper``, so we read both.
The top-level ``publishedAt`` of a list item is the Daily-Papers submission time (4-5 h off in the
samples); the arXiv date is ``paper.publishedAt``.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from paperlineage.cache.spec import SourceSpec

from ._http import ParseProblem, SourceClient, bad_shape, decode_json, norm_ws, path_quote

__all__ = ["HfPaper", "HuggingFaceClient", "parse_paper", "parse_papers"]

#: Hugging Face: 500 API calls per 5 min anonymously (~1.7/s sustained); 5/s keeps short runs
#: snappy and the 429 + ``RateLimit`` headers path handles long ones. Listings move weekly.
SPEC = SourceSpec(
    "huggingface", url_env="PAPERLINEAGE_HF_URL", default_url="https://huggingface.co",
    ttl=timedelta(days=7), rate=5.0, token_env="HF_TOKEN",
    auth_header="Authorization", auth_template="Bearer {}",
)
SOURCE = SPEC.name
#: ``limit`` default of ``/api/daily_papers`` per huggingface_hub; 100 is a third-party maximum (UNVERIFIED).
DAILY_PAGE_SIZE = 50
#: A past day's page no longer changes once the day is over (papers are submitted to the day they
#: are listed on), so it is kept a year; the current day (and the day before, which late
#: submissions and time zones still move) only an hour, so a morning run sees the new papers.
DAILY_TTL_PAST = timedelta(days=365)
DAILY_TTL_RECENT = timedelta(hours=1)


def daily_ttl(day: dt.date, today: dt.date) -> timedelta:
    """How long the page of `day` is cached, as seen on `today`.

    >>> daily_ttl(dt.date(2025, 3, 3), dt.date(2025, 3, 4)), daily_ttl(dt.date(2025, 3, 2), dt.date(2025, 3, 4)).days
    (datetime.timedelta(seconds=3600), 365)
    """
    return DAILY_TTL_RECENT if (today - day).days <= 1 else DAILY_TTL_PAST


class HfPaper(BaseModel):
    """A paper as the Hub knows it, from a search or daily item or a single-paper response."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    """arXiv id without version (``paper.id``)."""
    title: str
    """Title with whitespace collapsed; Hub titles keep arXiv hard line breaks."""
    title_raw: str
    """Title exactly as served."""
    summary: str | None = None
    """Abstract as served (line breaks kept)."""
    published_at: dt.datetime | None = None
    """arXiv publication time (``paper.publishedAt``), not the Daily-Papers submission time."""
    authors: int | None = None
    """Number of entries in ``authors``."""
    upvotes: int | None = None
    """Hub upvotes."""
    ai_keywords: list[str] = Field(default_factory=list)
    """Keywords the Hub generated (``ai_keywords``), empty when absent."""
    github_repo: str | None = None
    """``githubRepo`` URL, e.g. ``https://github.com/lorenzflow/robust-moa``."""
    github_stars: int | None = None
    """``githubStars`` (single-paper and daily responses per huggingface_hub; not in any sample)."""
    project_page: str | None = None
    """``projectPage`` URL."""
    organization: str | None = None
    """``organization.name`` (huggingface_hub ``Organization``), e.g. the Hub org that claimed the paper."""


def _first(*values: Any) -> Any:
    """The first value that is not ``None`` (``0`` and ``""`` count as values)."""
    return next((v for v in values if v is not None), None)


def _paper_from(item: Mapping[str, Any]) -> HfPaper:
    """Map one list item or single-paper object to :class:`HfPaper` (raises KeyError/ValidationError)."""
    nested = item.get("paper")
    inner: Mapping[str, Any] = nested if isinstance(nested, Mapping) else {}
    arxiv_id = _first(item.get("id"), inner.get("id"))
    title = _first(item.get("title"), inner.get("title"))
    if not isinstance(arxiv_id, str) or not arxiv_id:
        raise KeyError("no paper id")
    if not isinstance(title, str):
        raise KeyError("no title")
    authors = _first(inner.get("authors"), item.get("authors"))
    organization = _first(item.get("organization"), inner.get("organization"))
    return HfPaper(
        arxiv_id=arxiv_id,
        title=norm_ws(title),
        title_raw=title,
        summary=_first(inner.get("summary"), item.get("summary")),
        published_at=_first(inner.get("publishedAt"), None if nested else item.get("publishedAt")),
        authors=len(authors) if isinstance(authors, list) else None,
        upvotes=_first(inner.get("upvotes"), item.get("upvotes")),
        ai_keywords=_first(inner.get("ai_keywords"), item.get("ai_keywords")) or [],
        github_repo=_first(item.get("githubRepo"), inner.get("githubRepo")) or None,
        github_stars=_first(item.get("githubStars"), inner.get("githubStars")),
        project_page=_first(item.get("projectPage"), inner.get("projectPage")) or None,
        organization=organization.get("name") if isinstance(organization, Mapping) else None,
    )


def parse_papers(body: bytes, url: str = "") -> tuple[list[HfPaper], list[ParseProblem]]:
    """Parse a search or daily-papers body: a JSON array of items.

    Raises:
        BadResponse: the body is not JSON (e.g. an HTML page) or not an array.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, list):
        raise bad_shape(SOURCE, "a JSON array of papers", data, url)
    papers: list[HfPaper] = []
    problems: list[ParseProblem] = []
    for index, item in enumerate(data):
        if not isinstance(item, Mapping):
            problems.append(ParseProblem(where=f"item {index}", reason=f"not an object: {type(item).__name__}"))
            continue
        try:
            papers.append(_paper_from(item))
        except (KeyError, ValidationError) as exc:
            problems.append(ParseProblem(where=f"item {index}", reason=str(exc).splitlines()[0]))
    return papers, problems


def parse_paper(body: bytes, url: str = "") -> tuple[HfPaper | None, list[ParseProblem]]:
    """Parse ``GET /api/papers/{id}``: one paper object at the top level.

    Raises:
        BadResponse: the body is not JSON or not an object.
    """
    data = decode_json(body, SOURCE, url)
    if not isinstance(data, Mapping):
        raise bad_shape(SOURCE, "a JSON object", data, url)
    try:
        return _paper_from(data), []
    except (KeyError, ValidationError) as exc:
        return None, [ParseProblem(where="paper", reason=str(exc).splitlines()[0])]


def _keep_problems(body: bytes, url: str) -> tuple[tuple[list[HfPaper], list[ParseProblem]], list[ParseProblem]]:
    """:func:`parse_papers` with its problems both returned and reported."""
    papers, problems = parse_papers(body, url)
    return (papers, problems), problems


class HuggingFaceClient(SourceClient):
    """Client for ``https://huggingface.co/api/papers`` and ``/api/daily_papers``.

    The token, if any, goes in ``Authorization: Bearer <token>``; the API works without one.
    """

    spec = SPEC

    def search(self, title: str, limit: int | None = None) -> list[HfPaper]:
        """``GET /api/papers/search?q=<title>[&limit=]``; the title is whitespace-normalised first.

        Search answered with 9-11 items in the samples; the effect of ``limit`` is UNVERIFIED.
        """
        params: dict[str, Any] = {"q": norm_ws(title)}
        if limit is not None:
            params["limit"] = limit
        url = self.url("/api/papers/search", params)
        return self.parsed(self.get(url), url, parse_papers)

    def paper(self, arxiv_id: str) -> HfPaper | None:
        """``GET /api/papers/{arxiv_id}``; ``None`` when the paper is not on the Hub (404)."""
        url = self.url(f"/api/papers/{path_quote(arxiv_id)}")
        response = self.send("GET", url)
        if response.status_code == 404:
            return None
        self.check(response, url)
        return self.parsed(response, url, parse_paper)

    def daily(
        self, date: dt.date, page_size: int = DAILY_PAGE_SIZE, max_pages: int = 20, cache_for: timedelta | None = None
    ) -> list[HfPaper]:
        """``GET /api/daily_papers?date=YYYY-MM-DD&p=<page>&limit=<page_size>``, all pages.

        Fetches the next page while a page comes back full, up to ``max_pages``. ``cache_for``
        overrides the cache TTL of these pages (see :func:`daily_ttl`).
        """
        papers: list[HfPaper] = []
        for page in range(max_pages):
            params = {"date": date.isoformat(), "p": page, "limit": page_size}
            url = self.url("/api/daily_papers", params)
            # The whole parse result, problems included: a page is full when it has page_size items.
            batch, problems = self.parsed(self.get(url, cache_for=cache_for), url, _keep_problems)
            papers.extend(batch)
            if len(batch) + len(problems) < page_size:
                break
        return papers
