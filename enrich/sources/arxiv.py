"""arXiv API: title search and metadata for batches of ids, from the Atom feed.

Docs: arXiv API User's Manual, https://info.arxiv.org/help/api/user-manual.html (sections 3-5);
the 2026 output format is read from recorded responses (API-NOTES.md section 1).

Why ``xml.etree`` by name and namespace: the 2026 feed differs from the manual's examples in
element order, attribute set and timestamp format, so nothing is read by position. Why ids are
matched back by value: ``id_list`` silently drops ids it cannot find (``0808.05394,1707.08567``
gives one entry), always answers with a versioned ``<id>`` and may reorder entries.
An error is itself a feed: one entry titled ``Error`` whose ``<id>`` is
``https://arxiv.org/api/errors#...`` (HTTP 400 in 2026); both marks are checked, because a real
paper may be titled "Error".
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from paperlineage.cache.spec import SourceSpec

from paperlineage.enrich.ids import is_requestable_arxiv_id, split_version

from ._http import ParseProblem, SourceClient, logger, norm_ws
from .errors import BadResponse, Rejected

__all__ = ["ArxivClient", "ArxivEntry", "ArxivFeed", "parse_feed", "split_version", "title_query"]

#: arXiv: "no more than one request every three seconds" (Terms of Use); metadata for an id hardly
#: ever changes and the API manual asks clients to cache [AM 3.3.1.1]. No authentication.
SPEC = SourceSpec(
    "arxiv", url_env="PAPERLINEAGE_ARXIV_URL", default_url="https://export.arxiv.org",
    ttl=timedelta(days=30), rate=1 / 3,
)
SOURCE = SPEC.name
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
}
#: ids per ``id_list`` request at most: the manual's per-call limit for ``max_results`` [AM 3.1.1.2].
ID_CHUNK = 2000
#: Longest ``id_list`` GET URL we send. 2000 ids make a URL of 26,000 characters or more (an id
#: and its encoded comma take 13 characters new-style, up to 34 old-style with a subject class
#: and version), and the manual documents no URL limit, while common servers and proxies refuse
#: request lines past 8 KB (Apache's LimitRequestLine is 8190 bytes, nginx's header buffers 8 KB:
#: general server defaults, UNVERIFIED for export.arxiv.org). So a batch ends at whichever comes
#: first, 2000 ids or this many characters: 610 new-style ids per request, 233 of the longest old-style.
MAX_URL_CHARS = 8000
_ABS = re.compile(r"^https?://arxiv\.org/abs/(?P<id>.+?)(?:v(?P<v>\d+))?$")
_ERROR_ID = "arxiv.org/api/errors"
_NOT_WORD = re.compile(r"[^\w\s]|_")


class ArxivEntry(BaseModel):
    """One paper from an arXiv Atom ``<entry>``."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    """Id without version: ``1707.08567`` or ``astro-ph/0601001``."""
    version: int | None = None
    """Version of the returned entry (``v1`` in ``http://arxiv.org/abs/1707.08567v1``)."""
    title: str
    """Title with whitespace collapsed (``"0"`` is a real title: 2104.12255)."""
    summary: str
    """Abstract with whitespace collapsed (served with leading spaces and line breaks)."""
    published: dt.datetime | None = None
    """Submission time of v1."""
    updated: dt.datetime | None = None
    """Submission time of the returned version."""
    authors: list[str] = Field(default_factory=list)
    """Author names in order."""
    categories: list[str] = Field(default_factory=list)
    """All ``<category term>`` values, primary first as served."""
    primary_category: str | None = None
    """``arxiv:primary_category/@term``."""
    doi: str | None = None
    """``arxiv:doi`` (journal DOI; only when the authors gave one)."""
    journal_ref: str | None = None
    """``arxiv:journal_ref``."""
    comment: str | None = None
    """``arxiv:comment`` (pages, venue notes)."""


class ArxivFeed(BaseModel):
    """A parsed feed: its entries, the total the query matched, or the API's error message."""

    model_config = ConfigDict(frozen=True)

    entries: list[ArxivEntry] = Field(default_factory=list)
    """Entries in feed order."""
    total_results: int | None = None
    """``opensearch:totalResults`` (1 in an error feed, so never use it to detect errors)."""
    error: str | None = None
    """The ``<summary>`` of an error feed, e.g. ``incorrect id format for abc``."""


def _match_key(arxiv_id: str) -> str:
    """Id as used to match a requested id to a returned one: lower case, no version, and for
    old-style ids no subject class (``math.GT/0309136`` -> ``math/0309136``; that arXiv returns
    the id without the class is UNVERIFIED)."""
    base, _ = split_version(arxiv_id)
    return re.sub(r"^([a-z\-]+)\.[a-z]{2}/", r"\1/", base.lower())


def title_query(title: str) -> str:
    """``ti:"<phrase>"`` for a title, safe inside the quoted phrase.

    Everything except letters, digits and spaces becomes a space: a ``"`` would end the phrase,
    and third-party reports show ``:`` and ``-`` changing what the search matches
    (langchain-ai/langchain#9046, arXiv/arxiv-search#322). The search tokenises on punctuation,
    so the phrase still matches the title (UNVERIFIED against the live API).

    >>> title_query('BERT: Pre-training of "Deep"\\n  Transformers')
    'ti:"BERT Pre training of Deep Transformers"'
    """
    phrase = norm_ws(_NOT_WORD.sub(" ", title))
    return f'ti:"{phrase}"'


def _text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, NS)
    return found.text if found is not None and found.text is not None else None


def _entry(element: ET.Element) -> ArxivEntry:
    raw_id = _text(element, "atom:id") or ""
    m = _ABS.match(raw_id.strip())
    if m is None:
        raise ValueError(f"unexpected entry id {raw_id!r}")
    primary = element.find("arxiv:primary_category", NS)
    title = _text(element, "atom:title")
    return ArxivEntry.model_validate(
        {
            "arxiv_id": m["id"],
            "version": int(m["v"]) if m["v"] else None,
            "title": norm_ws(title or ""),
            "summary": norm_ws(_text(element, "atom:summary") or ""),
            "published": _text(element, "atom:published"),  # ISO 8601 with Z; pydantic parses it
            "updated": _text(element, "atom:updated"),
            "authors": [norm_ws(a.text or "") for a in element.findall("atom:author/atom:name", NS)],
            "categories": [c.get("term", "") for c in element.findall("atom:category", NS) if c.get("term")],
            "primary_category": primary.get("term") if primary is not None else None,
            "doi": _text(element, "arxiv:doi"),
            "journal_ref": norm_ws(_text(element, "arxiv:journal_ref") or "") or None,
            "comment": norm_ws(_text(element, "arxiv:comment") or "") or None,
        }
    )


def parse_feed(body: bytes, url: str = "") -> tuple[ArxivFeed, list[ParseProblem]]:
    """Parse an arXiv Atom feed; entries that cannot be read become problems.

    Raises:
        BadResponse: the body is not XML (e.g. an HTML page or plain-text "Rate exceeded") or its
            root is not an Atom ``<feed>``.
    """
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        snippet = body[:80].decode("utf-8", "replace")
        raise BadResponse(SOURCE, url, f"body is not XML ({exc}): {snippet!r}") from exc
    if root.tag != f"{{{NS['atom']}}}feed":
        raise BadResponse(SOURCE, url, f"body is not an Atom feed: root element {root.tag!r}")
    total = _text(root, "opensearch:totalResults")
    entries: list[ArxivEntry] = []
    problems: list[ParseProblem] = []
    for index, element in enumerate(root.findall("atom:entry", NS)):
        entry_id = (_text(element, "atom:id") or "").strip()
        if _ERROR_ID in entry_id and (_text(element, "atom:title") or "").strip() == "Error":
            message = norm_ws(_text(element, "atom:summary") or entry_id)
            return ArxivFeed(total_results=None, error=message), problems
        if element.find("atom:title", NS) is None:
            problems.append(ParseProblem(where=f"entry {entry_id or index}", reason="no <title>; kept as ''"))
        try:
            entries.append(_entry(element))
        except (ValueError, ValidationError) as exc:
            problems.append(ParseProblem(where=f"entry {entry_id or index}", reason=str(exc).splitlines()[0]))
    try:
        total_results = int(total) if total is not None else None
    except ValueError:
        total_results = None
        problems.append(ParseProblem(where="feed", reason=f"totalResults {total!r} is not a number"))
    return ArxivFeed(entries=entries, total_results=total_results), problems


class ArxivClient(SourceClient):
    """Client for ``GET https://export.arxiv.org/api/query`` (no auth; a token is ignored).

    Politeness (one request every 3 s, caching) is the session's job (``cache/``).
    """

    spec = SPEC

    def search_title(self, title: str, max_results: int = 5) -> list[ArxivEntry]:
        """``search_query=ti:"<title>"&start=0&max_results=N``, best matches first (relevance).

        A title with no letters or digits sends nothing and returns ``[]``.
        """
        return self.search_titles([title], per_title=max_results)

    def search_titles(self, titles: Sequence[str], per_title: int = 5) -> list[ArxivEntry]:
        """Several title searches in one request: ``ti:"<a>" OR ti:"<b>"``, up to ``per_title``
        results per title. arXiv asks for one request every 3 s, so batching titles saves time;
        the entries come back mixed, and the caller matches them to titles (by similarity).
        """
        phrases = list(dict.fromkeys(title_query(t) for t in titles if _NOT_WORD.sub(" ", t).strip()))
        if not phrases:
            return []
        params: dict[str, str | int] = {
            "search_query": " OR ".join(phrases),
            "start": 0,
            "max_results": per_title * len(phrases),
        }
        return self._query(params).entries

    def by_ids(self, ids: Iterable[str]) -> dict[str, ArxivEntry]:
        """Metadata for ids, keyed by the id exactly as requested; unknown ids are absent.

        One ``id_list`` request per :data:`ID_CHUNK` ids, or fewer where the URL would pass
        :data:`MAX_URL_CHARS`. Entries are matched back by id, never
        by position. A requested version (``2104.12255v1``) must match the returned version.
        Ids that are not arXiv ids at all (``abc``) are left out of the request, because one of
        them turns the whole batch into an error feed.
        """
        wanted: dict[str, list[str]] = {}
        for raw in dict.fromkeys(i.strip() for i in ids):
            if is_requestable_arxiv_id(raw):
                wanted.setdefault(_match_key(raw), []).append(raw)
            else:
                logger.warning("arxiv: %r is not an arXiv id; not requested", raw)
        requested = [raw for group in wanted.values() for raw in group]
        found: dict[str, ArxivEntry] = {}
        for chunk in self._id_chunks(requested):
            feed = self._query(self._id_params(chunk))
            for entry in feed.entries:
                for raw in wanted.get(_match_key(entry.arxiv_id), []):
                    version = split_version(raw)[1]
                    if version is None or version == entry.version:
                        found[raw] = entry
        return found

    @staticmethod
    def _id_params(chunk: Sequence[str]) -> dict[str, str | int]:
        return {"id_list": ",".join(chunk), "start": 0, "max_results": len(chunk)}

    def _id_chunks(self, ids: Sequence[str]) -> Iterable[list[str]]:
        """``ids`` in order, cut into the largest batches :data:`ID_CHUNK` and
        :data:`MAX_URL_CHARS` allow (measured on the URL :meth:`url` builds, encoding and all)."""
        chunk: list[str] = []
        for raw in ids:
            longer = [*chunk, raw]
            if chunk and (len(longer) > ID_CHUNK or len(self.url("/api/query", self._id_params(longer))) > MAX_URL_CHARS):
                yield chunk
                longer = [raw]
            chunk = longer
        if chunk:
            yield chunk

    def _query(self, params: dict[str, str | int]) -> ArxivFeed:
        url = self.url("/api/query", params)
        response = self.send("GET", url)
        body = response.content
        if response.status_code >= 400:
            message = _error_feed_message(body)
            if message is not None:  # 2026: HTTP 400 with an Atom error feed
                raise Rejected(SOURCE, url, message, response.status_code)
            self.check(response, url)
        feed = self.parsed(response, url, parse_feed)
        if feed.error is not None:  # an error feed under any other status is still an error, not data
            raise self.reject(response, Rejected(SOURCE, url, feed.error, response.status_code))
        return feed


def _error_feed_message(body: bytes) -> str | None:
    """The message of an Atom error feed, or ``None`` when ``body`` is anything else."""
    try:
        feed, _ = parse_feed(body)
    except BadResponse:
        return None
    return feed.error
