"""Citations between papers of the corpus, with intents and context sentences.

Semantic Scholar first: the ``/paper/batch`` request that confirmed the arXiv IDs
also returned each paper's reference list (``references.externalIds``), matched to the corpus by
arXiv ID (versions stripped, so a paper cited as ``2403.03507v1`` still counts),
DOI or S2 paperId. Only for citing papers that cite something in the corpus is
``/paper/{id}/references`` read (paged) for intents, ``isInfluential`` and the
context sentences. Papers Semantic Scholar lacks fall back to OpenAlex
``referenced_works`` when an API key is set.

A citation v → u in the literature becomes the edge u → v here: v builds on u.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from paperlineage.enrich.ids import arxiv_doi, arxiv_from_doi, normalise_arxiv, split_version
from paperlineage.enrich.calls import SourceCaller, progress
from paperlineage.enrich.models import Paper
from paperlineage.enrich.outcomes import Outcomes
from paperlineage.enrich.sources import OpenAlexClient, S2Paper, S2Reference, SemanticScholarClient
from paperlineage.enrich.sources.openalex import SPEC as OPENALEX_SPEC

MAX_CONTEXTS = 3
#: The endpoint the contexts cost, as :attr:`Outcomes.calls` and the build summary name it.
CONTEXT_CALLS = "semanticscholar /references"


@dataclass
class Citation:
    """Paper `citing` cites paper `cited` (edge cited → citing)."""

    cited: str
    citing: str
    source: str
    intents: list[str] = field(default_factory=list)
    is_influential: bool | None = None  # None: unknown (OpenAlex does not say, or the S2 context request failed)
    contexts: list[str] = field(default_factory=list)


def arxiv_key(arxiv_id: str | None = None, doi: str | None = None) -> str | None:
    """One comparable key for an arXiv paper, from its ID or its DataCite DOI.

    >>> arxiv_key("2403.03507v2"), arxiv_key(doi="10.48550/arXiv.2403.03507")
    ('2403.03507', '2403.03507')
    """
    if arxiv_id:
        return normalise_arxiv(arxiv_id) or split_version(arxiv_id.strip())[0]
    return arxiv_from_doi(doi)


class _Corpus:
    """Find a corpus paper by any identifier a reference may carry."""

    def __init__(self, papers: list[Paper]) -> None:
        self.by_key: dict[str, str] = {}
        for paper in papers:
            if paper.arxiv_id:
                self.by_key[f"arxiv:{arxiv_key(paper.arxiv_id)}"] = paper.id
            if paper.semantic_scholar_id:
                self.by_key[f"s2:{paper.semantic_scholar_id}"] = paper.id

    def find(self, paper_id: str | None = None, arxiv_id: str | None = None, doi: str | None = None) -> str | None:
        key = arxiv_key(arxiv_id, doi)
        return (self.by_key.get(f"arxiv:{key}") if key else None) or (
            self.by_key.get(f"s2:{paper_id}") if paper_id else None
        )


def _semantic_scholar(
    papers: list[Paper],
    records: dict[str, S2Paper],
    corpus: _Corpus,
    client: SemanticScholarClient,
    call: SourceCaller,
    outcomes: Outcomes,
) -> tuple[dict[tuple[str, str], Citation], list[Paper]]:
    """Citations found through S2, and the papers S2 had no reference list for."""
    found: dict[tuple[str, str], Citation] = {}
    missing: list[Paper] = []
    for paper in (p for p in papers if p.arxiv_id):
        record = records.get(paper.id)
        if record is None or record.references is None:
            missing.append(paper)
            continue
        for ref in record.references:
            cited = corpus.find(ref.paper_id, ref.arxiv_id, ref.doi)
            if cited and cited != paper.id:
                found[(cited, paper.id)] = Citation(cited, paper.id, "semanticscholar")
    citing = sorted({c.citing for c in found.values()})
    by_id = {p.id: p for p in papers}
    outcomes.called(CONTEXT_CALLS, 0)

    def contexts(paper: Paper) -> list[S2Reference]:
        # counted inside the call, so a source the run disabled (no request sent) is not counted
        outcomes.called(CONTEXT_CALLS)
        return client.references(f"ARXIV:{paper.arxiv_id}")

    for paper_id in progress(citing, "citation contexts"):
        paper = by_id[paper_id]
        refs, failure = call("semanticscholar", lambda: contexts(paper))
        if failure:
            outcomes.count("references", "semanticscholar", failure.outcome)
            continue
        for ref in refs or []:
            cited = corpus.find(ref.paper_id, ref.arxiv_id, ref.doi)
            if (cited, paper_id) in found:
                citation = found[(cited, paper_id)]
                citation.intents = sorted(set(ref.intents))
                citation.is_influential = ref.is_influential
                citation.contexts = [" ".join(c.split()) for c in ref.contexts[:MAX_CONTEXTS]]
    return found, missing


def _openalex(
    missing: list[Paper], papers: list[Paper], corpus: _Corpus, client: OpenAlexClient, call: SourceCaller, outcomes: Outcomes
) -> dict[tuple[str, str], Citation]:
    """Citations of the papers S2 lacked, from OpenAlex ``referenced_works`` (needs a key).

    One ``doi:a|b|...`` request per 50 corpus papers gives both the OpenAlex ID of every
    corpus paper (to recognise them among references) and the missing papers' references.
    """
    if not missing:
        return {}
    if not client.enabled:
        outcomes.note(f"{len(missing)} papers lack Semantic Scholar references; {OPENALEX_SPEC.token_env} would let OpenAlex fill in")
        return {}
    dois = [arxiv_doi(p.arxiv_id) for p in papers if p.arxiv_id]
    works, failure = call("openalex", lambda: client.by_dois(dois))
    if failure:
        outcomes.note(f"citations from OpenAlex skipped ({failure})")
        return {}
    by_openalex = {w.short_id: corpus.find(arxiv_id=w.arxiv_id, doi=w.doi) for w in works or []}
    found: dict[tuple[str, str], Citation] = {}
    wanted = {arxiv_doi(p.arxiv_id) for p in missing if p.arxiv_id}
    for work in works or []:
        citing = corpus.find(arxiv_id=work.arxiv_id, doi=work.doi)
        if not citing or (work.doi or "") not in wanted:
            continue
        for ref in work.referenced_works:
            cited = by_openalex.get(ref.rsplit("/", 1)[-1])
            if cited and cited != citing:
                found[(cited, citing)] = Citation(cited, citing, "openalex")
    return found


def find_citations(
    papers: list[Paper],
    s2_records: dict[str, S2Paper],
    s2: SemanticScholarClient,
    openalex: OpenAlexClient,
    call: SourceCaller,
    outcomes: Outcomes,
) -> list[Citation]:
    """All citations inside the corpus, sorted, one per (cited, citing) pair.

    `s2_records` are the batch records (with ``references``) by paper id.
    """
    corpus = _Corpus(papers)
    found, missing = _semantic_scholar(papers, s2_records, corpus, s2, call, outcomes)
    for key, citation in _openalex(missing, papers, corpus, openalex, call, outcomes).items():
        found.setdefault(key, citation)
    for citation in found.values():
        outcomes.count("references", citation.source, "resolved")
    return [found[key] for key in sorted(found)]
