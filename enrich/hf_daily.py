"""``--hf-daily RANGE``: Hugging Face Daily Papers pages as an input, one request per day.

A RANGE is a day (``2025-03-03``), an inclusive span (``2025-03-03..2025-03-05``), an ISO week
(``2025-W10``), a month (``2025-03``), ``today`` or ``yesterday``. Each day is one
``GET /api/daily_papers?date=YYYY-MM-DD`` (:meth:`HuggingFaceClient.daily`; the API also takes
``week=``/``month=``, but a day is what the cache can keep for a year once it is over, while a
week's answer changes until its last day). Every item becomes a :class:`ListingEntry`, so the
papers of the pages merge with those of the files (ids first, title second) as usual.

Days are parsed before any request: a bad RANGE is a :class:`RangeError` naming what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from paperlineage.enrich.ids import PaperIds
from paperlineage.enrich.models import ListingEntry, Paper, SourceLocation
from paperlineage.enrich.outcomes import Failure
from paperlineage.enrich.sources import HfPaper, HuggingFaceClient
from paperlineage.enrich.sources.huggingface import daily_ttl
from paperlineage.enrich.text.links import normalise_repo

#: Longest RANGE accepted: a year of days is 366 requests, more is almost surely a typo.
MAX_DAYS = 366
_DAY = r"\d{4}-\d{2}-\d{2}"
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
T = TypeVar("T")
_PAGE = "hf-daily "  # a daily item's location: 'hf-daily 2025-03-03', line = position on the page


class RangeError(ValueError):
    """A RANGE that names no days: the message says what was expected."""


def _day(text: str, today: dt.date) -> dt.date:
    if text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    if not re.fullmatch(_DAY, text):
        raise RangeError(f"{text!r} is not a day (YYYY-MM-DD, today or yesterday)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise RangeError(f"{text!r} is not a real day ({exc})") from None


def parse_range(text: str, today: dt.date) -> list[dt.date]:
    """The days a RANGE names, oldest first; days after `today` are left out (they have no page).

    >>> [d.isoformat() for d in parse_range("2025-03-03..2025-03-05", dt.date(2025, 6, 1))]
    ['2025-03-03', '2025-03-04', '2025-03-05']
    >>> len(parse_range("2025-W10", dt.date(2025, 6, 1))), len(parse_range("2024-02", dt.date(2025, 6, 1)))
    (7, 29)

    Raises:
        RangeError: not a RANGE, an empty or reversed span, longer than :data:`MAX_DAYS`, or wholly in the future.
    """
    text = text.strip()
    if ".." in text:
        start_text, _, end_text = text.partition("..")
        start, end = _day(start_text.strip(), today), _day(end_text.strip(), today)
        if end < start:
            raise RangeError(f"{text!r}: the span ends before it starts")
    elif week := _WEEK.fullmatch(text):
        try:
            start = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError as exc:
            raise RangeError(f"{text!r} is not an ISO week ({exc})") from None
        end = start + dt.timedelta(days=6)
    elif month := _MONTH.fullmatch(text):
        year, number = int(month[1]), int(month[2])
        if not 1 <= number <= 12:
            raise RangeError(f"{text!r} is not a month (YYYY-MM with MM 01..12)")
        start = dt.date(year, number, 1)
        end = dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
    elif re.fullmatch(_DAY, text) or text in ("today", "yesterday"):
        start = end = _day(text, today)
    else:
        raise RangeError(f"{text!r} is not a RANGE: give YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD, YYYY-Www, YYYY-MM, today or yesterday")
    count = (end - start).days + 1
    if count > MAX_DAYS:
        raise RangeError(f"{text!r} is {count} days; at most {MAX_DAYS} days (one request each) are read at once")
    if start > today:
        raise RangeError(f"{text!r} is in the future (today is {today.isoformat()})")
    return [start + dt.timedelta(days=n) for n in range((min(end, today) - start).days + 1)]


@dataclass
class DailyFetch:
    """What reading the daily pages gave: the entries, and per day how many papers or why none."""

    days: list[dt.date] = field(default_factory=list)
    entries: list[ListingEntry] = field(default_factory=list)
    read: dict[dt.date, int] = field(default_factory=dict)
    """Papers on each day that was read (0 for a day with an empty page, e.g. a weekend)."""
    failed: dict[dt.date, Failure] = field(default_factory=dict)
    """Why a day could not be read (offline and not cached, unreachable, a bad answer)."""
    requests: dict[str, dict[str, int]] = field(default_factory=dict)
    """The session's request counts per source, as :class:`~paperlineage.pipeline.OnlineResult` keeps them."""


def location(day: dt.date, position: int) -> SourceLocation:
    """Where a daily item is 'written': the day's page and its 1-based position on it."""
    return SourceLocation(file=f"{_PAGE}{day.isoformat()}", line=position)


def from_daily_page(paper: Paper) -> bool:
    """Whether a daily page listed the paper (its Hub record, keywords and githubRepo came with it)."""
    return any(loc.file.startswith(_PAGE) for loc in paper.locations)


def _repo(url: str | None) -> str | None:
    parts = (url or "").rstrip("/").split("github.com/")[-1].split("/") if url and "github.com/" in url else []
    return normalise_repo(parts[0], parts[1]) if len(parts) >= 2 else None


def entry_of(item: HfPaper, day: dt.date, position: int) -> ListingEntry:
    """One daily item as a listing entry: what a copied listing would show, plus ids and keywords."""
    published = item.published_at.date() if item.published_at else None
    return ListingEntry(
        title=item.title,
        abstract=" ".join((item.summary or "").split()),
        authors=item.authors,
        organization=item.organization,
        date=published,
        date_text=published.isoformat() if published else None,
        upvotes=item.upvotes,
        page_date=day,
        location=location(day, position),
        ids=PaperIds.of(arxiv=item.arxiv_id),
        keywords=sorted(set(item.ai_keywords)),
        github=_repo(item.github_repo),
    )


def read_days(
    days: list[dt.date],
    client: HuggingFaceClient,
    call: Callable[[str, Callable[[], T]], tuple[T | None, Failure | None]],
    today: dt.date,
) -> DailyFetch:
    """Every day's page through `call` (a :class:`~paperlineage.enrich.calls.SourceCaller`); a day
    that fails is recorded and the others are still read."""
    fetch = DailyFetch(days=list(days))
    for day in days:
        items, failure = call("huggingface", lambda: client.daily(day, cache_for=daily_ttl(day, today)))
        if failure is not None:
            fetch.failed[day] = failure
            continue
        fetch.read[day] = len(items or [])
        fetch.entries.extend(entry_of(item, day, n) for n, item in enumerate(items or [], 1))
    return fetch


def summary(fetch: DailyFetch) -> list[str]:
    """Lines for the build summary: days read, papers, and each day that was not read and why."""
    if not fetch.days:
        return []
    papers = sum(fetch.read.values())
    lines = [f"Hugging Face daily: {len(fetch.days)} days asked, {len(fetch.read)} read ({papers} papers)"
             + (f", {len(fetch.failed)} not fetched" if fetch.failed else "")]
    for day, failure in sorted(fetch.failed.items()):
        lines.append(f"  {day.isoformat()}: not fetched ({failure})")
    return lines
