"""Hydration: a paper known only by an arXiv ID or a DOI gets its title, abstract, date and
authors from the APIs, in batches, before any title search.

Order, cheapest per paper first, each asked only for what is still open:

1. arXiv ``id_list`` for arXiv IDs (up to 2000 ids, or an 8 KB URL, per request);
2. Hugging Face ``/api/papers/{id}`` for arXiv IDs arXiv did not return (one request each; the
   online stage that reads each paper's Hub record asks the same URL later, so it is not spent twice);
3. Semantic Scholar ``POST /paper/batch`` (500 ids per request) for DOIs and whatever is still open;
4. OpenAlex ``filter=doi:a|b|…`` (50 DOIs per request) for DOIs still open, only with a key.

Every filled field carries its source and evidence (``provenance``). A hydrated paper is no
longer ``id_only`` and goes through the text enrichment (the methods it introduces) like any
listed paper. What no source filled stays ID-only, and each source's reason is kept under the
field ``title`` of the outcomes (offline, unreachable, not found), so the summary can say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperlineage.enrich.calls import SourceCaller, progress
from paperlineage.enrich.models import FieldSource, Paper
from paperlineage.enrich.outcomes import Failure, Outcomes
from paperlineage.enrich.sources.semanticscholar import HYDRATE_FIELDS
from paperlineage.enrich.text.from_text import enrich_from_text

if TYPE_CHECKING:  # online imports this module
    from paperlineage.enrich.online import Clients

#: The outcome field hydration reports under (its reasons say why a paper stayed ID-only).
FIELD = "title"
#: The record of the paper's own identifier: the title it gives is the paper's.
CONFIDENCE = 1.0


@dataclass(frozen=True)
class Record:
    """What one source says about a paper, by its identifier."""

    source: str
    evidence: str
    title: str
    abstract: str = ""
    date: dt.date | None = None
    authors: int | None = None
    arxiv_id: str | None = None
    """An arXiv ID the record gives for a paper asked by DOI."""


def _date(value: dt.datetime | dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _fill(paper: Paper, record: Record) -> None:
    """Take the record's fields, each with its provenance; the paper is no longer ID-only."""
    def mark(name: str) -> None:
        paper.provenance[name] = FieldSource(source=record.source, confidence=CONFIDENCE, evidence=record.evidence)

    paper.title = " ".join(record.title.split())
    mark("title")
    if record.abstract:
        paper.abstract = " ".join(record.abstract.split())
        mark("abstract")
    if record.date and paper.date is None:
        paper.date, paper.date_text = record.date, record.date.isoformat()
        mark("date")
    if record.authors is not None and paper.authors is None:
        paper.authors = record.authors
        mark("authors")
    if record.arxiv_id and not paper.arxiv_id:
        paper.arxiv_id = record.arxiv_id
        mark("arxiv_id")
    paper.id_only = False


def _settle(papers: list[Paper], source: str, found: dict[str, Record], failure: Failure | None, outcomes: Outcomes) -> None:
    """Fill what `source` found (keyed by paper id); count and explain the rest."""
    for paper in papers:
        record = found.get(paper.id)
        if record is not None and record.title.strip():
            _fill(paper, record)
            outcomes.count(FIELD, source, "resolved")
            continue
        why = failure or Failure("not found", f"{source} has no record of {paper.label.split(' (')[0]}")
        outcomes.count(FIELD, source, why.outcome if failure else "not_found")
        outcomes.why(FIELD, paper.id, source, why)


def _from_arxiv(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> None:
    asked = [p for p in papers if p.id_only and p.arxiv_id]
    if not asked:
        return
    entries, failure = call("arxiv", lambda: clients.arxiv.by_ids([p.arxiv_id for p in asked]))
    found = {}
    for paper in asked:
        entry = (entries or {}).get(paper.arxiv_id or "")
        if entry is not None:
            found[paper.id] = Record("arxiv", f"arXiv id_list record {entry.arxiv_id}v{entry.version or 1}", entry.title,
                                     entry.summary, _date(entry.published), len(entry.authors) or None)
            paper.published = _date(entry.published)
    _settle(asked, "arxiv", found, failure, outcomes)


def _from_huggingface(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> None:
    asked = [p for p in papers if p.id_only and p.arxiv_id]
    for paper in progress(asked, "Hugging Face by ID (hydration)"):
        arxiv_id = paper.arxiv_id or ""
        record, failure = call("huggingface", lambda: clients.huggingface.paper(arxiv_id))
        found = {}
        if record is not None:
            found[paper.id] = Record("huggingface", f"Hugging Face /api/papers/{record.arxiv_id}", record.title,
                                     record.summary or "", _date(record.published_at), record.authors)
            paper.keywords = sorted(set(paper.keywords) | set(record.ai_keywords))
        _settle([paper], "huggingface", found, failure, outcomes)


def _s2_key(paper: Paper) -> str:
    return f"ARXIV:{paper.arxiv_id}" if paper.arxiv_id else f"DOI:{paper.doi}"


def _from_semanticscholar(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> None:
    asked = [p for p in papers if p.id_only and (p.arxiv_id or p.doi)]
    if not asked:
        return
    keys = [_s2_key(p) for p in asked]
    records, failure = call("semanticscholar", lambda: clients.semanticscholar.batch(keys, HYDRATE_FIELDS))
    found = {}
    for paper, key, record in zip(asked, keys, records or [], strict=False):
        if record is not None and record.title:
            found[paper.id] = Record("semanticscholar", f"Semantic Scholar /paper/batch {key} -> {record.paper_id}", record.title,
                                     record.abstract or "", record.publication_date, record.authors, record.arxiv_id)
            paper.semantic_scholar_id = paper.semantic_scholar_id or record.paper_id
    _settle(asked, "semanticscholar", found, failure, outcomes)


def _from_openalex(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> None:
    asked = [p for p in papers if p.id_only and p.doi and not p.arxiv_id]
    if not asked or not clients.openalex.enabled:
        return  # without a key OpenAlex is never asked (the title stages say so once)
    works, failure = call("openalex", lambda: clients.openalex.by_dois([p.doi for p in asked]))
    by_doi = {w.doi: w for w in works or [] if w.doi}
    found = {}
    for paper in asked:
        work = by_doi.get(paper.doi or "")
        if work is not None and work.title:
            found[paper.id] = Record("openalex", f"OpenAlex {work.short_id} (doi:{work.doi})", work.title, work.abstract or "",
                                     work.publication_date, work.authorships, work.arxiv_id)
    _settle(asked, "openalex", found, failure, outcomes)


STAGES = (_from_arxiv, _from_huggingface, _from_semanticscholar, _from_openalex)


def hydrate(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> list[Paper]:
    """Fill every ID-only paper that some source knows; returns the papers, hydrated ones re-read
    by :func:`enrich_from_text` (so the methods they introduce join the lineage).
    """
    targets = [p for p in papers if p.id_only]
    if not targets:
        return papers
    for stage in STAGES:
        stage(targets, clients, call, outcomes)
    hydrated = {p.id for p in targets if not p.id_only}
    return [enrich_from_text(p) if p.id in hydrated else p for p in papers]
