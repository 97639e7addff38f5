"""Online enrichment: tie every paper to its arXiv ID and official repository.

Stages, cheapest and most informative first, each skipping what is already known:

0. Hydration of papers known only by an ID (:mod:`.hydrate`: arXiv ``id_list``, Hugging Face,
   Semantic Scholar and OpenAlex batches), then merging what turned out to be one paper
   (:mod:`.remerge`), so a hydrated paper is never searched by its title. Merging runs again
   after stage 4, for listing papers whose arXiv ID only the APIs knew.
1. Hugging Face paper search by title (one request per paper; its hits also settle
   other corpus papers with the same title, which then skip their own search).
2. arXiv title search for the rest, several titles OR-ed into one request.
3. Semantic Scholar title match for what is still open; OpenAlex after that, only
   with an API key.
4. Confirmation in batches: arXiv ``id_list`` and Semantic Scholar ``/paper/batch``
   return the record behind each chosen ID; a title that disagrees undoes the link.
5. Hugging Face by ID for chosen IDs its search did not return (one request each): the
   Hub page of a paper is where its ``githubRepo`` and ``ai_keywords`` live, and a listing
   paper is on the Hub even when the title search ranks it out.
6. Repositories: the abstract's link and Hugging Face's ``githubRepo``, checked on GitHub: with
   a token one GraphQL query per 100 names, else (or for what GraphQL did not settle) REST, one
   request each.

A source that fails (host unreachable, offline cache miss, rate limit, bad answer)
is recorded and the run goes on with what it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests

from paperlineage.enrich.calls import SourceCaller, progress
from paperlineage.enrich.citations import Citation, find_citations
from paperlineage.enrich.hf_daily import from_daily_page
from paperlineage.enrich.hydrate import hydrate
from paperlineage.enrich.models import FieldSource, Paper
from paperlineage.enrich.outcomes import NOT_ASKED, Failure, Outcomes
from paperlineage.enrich.remerge import merge_same_papers
from paperlineage.enrich.repos import HF_CONFIDENCE, RepoCandidate, choose_repo
from paperlineage.enrich.resolve import DEFAULT_MIN_CONFIDENCE, Decision, Found, decide, title_similarity
from paperlineage.enrich.sources import (
    ArxivClient,
    GhRepo,
    GitHubClient,
    HfPaper,
    HuggingFaceClient,
    OpenAlexClient,
    S2Paper,
    SemanticScholarClient,
)
from paperlineage.enrich.sources.github import GRAPHQL_BATCH
from paperlineage.enrich.sources.openalex import SPEC as OPENALEX_SPEC
from paperlineage.enrich.sources.semanticscholar import REFERENCE_LIST_FIELDS
from paperlineage.enrich.text.links import normalise_repo
from paperlineage.enrich.titles import normalise_title

ARXIV_TITLES_PER_QUERY = 8
CONFIRM_AGREEMENT = 0.9  # title similarity at which a batch record confirms the chosen ID
CONFIRM_BONUS = 0.03


@dataclass
class Clients:
    """One client per API, all sharing the run's session."""

    huggingface: HuggingFaceClient
    arxiv: ArxivClient
    semanticscholar: SemanticScholarClient
    openalex: OpenAlexClient
    github: GitHubClient

    @classmethod
    def over(cls, session: requests.Session, base_urls: Mapping[str, str], tokens: Mapping[str, str], timeout: tuple[float, float]) -> Clients:
        """Every client on one session, each with its source's base URL and token."""
        types = (HuggingFaceClient, ArxivClient, SemanticScholarClient, OpenAlexClient, GitHubClient)
        return cls(**{t.spec.name: t(session, base_urls[t.spec.name], tokens.get(t.spec.name), timeout) for t in types})


def _date(value: dt.datetime | dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _from_hf(item: HfPaper) -> Found:
    return Found(item.arxiv_id, item.title, "huggingface", _date(item.published_at), item.authors, item.github_repo, item.summary, {"hf": item})


def _apply(paper: Paper, decision: Decision) -> None:
    paper.arxiv_id = decision.value
    paper.provenance["arxiv_id"] = FieldSource(source=decision.source, confidence=decision.confidence, evidence=decision.evidence)
    paper.candidates.pop("arxiv_id", None)
    hf = decision.winner.extra.get("hf") if decision.winner else None
    if isinstance(hf, HfPaper):
        paper.keywords = sorted(set(hf.ai_keywords))


def _record(outcomes: Outcomes, paper: Paper, source: str, decision: Decision) -> None:
    if decision.value:
        outcomes.count("arxiv_id", source, "resolved")
        return
    outcomes.count("arxiv_id", source, "ambiguous" if decision.candidates else "not_found")
    if decision.candidates:
        paper.candidates["arxiv_id"] = list(decision.candidates)
    outcomes.why("arxiv_id", paper.id, source, decision.reason or Failure("not found"))


def _failed(outcomes: Outcomes, paper: Paper, source: str, failure: Failure) -> None:
    outcomes.count("arxiv_id", source, failure.outcome)
    outcomes.why("arxiv_id", paper.id, source, failure)


@dataclass(frozen=True)
class TitleSearch:
    """One title-search stage: which source, how many titles per request, and the request."""

    source: str
    label: str
    search: Callable[[list[Paper]], list[Found]]
    """Candidates for a batch of papers (every paper of the batch sees all of them)."""
    batch: int = 1
    spread: bool = False
    """Hits also become candidates of other corpus papers with the same title, which then skip
    their own search when those settle them (Hugging Face: its hits are exact Hub records)."""
    skipped: str | None = None
    """Why the stage does not run (a missing key), said once as a note; None when it runs."""


def title_searches(clients: Clients) -> list[TitleSearch]:
    """Stages 1-3, cheapest and most informative first."""
    def hf(batch: list[Paper]) -> list[Found]:
        return [_from_hf(hit) for hit in clients.huggingface.search(batch[0].title)]

    def arxiv(batch: list[Paper]) -> list[Found]:
        return [
            Found(e.arxiv_id, e.title, "arxiv", _date(e.published), len(e.authors) or None, abstract=e.summary)
            for e in clients.arxiv.search_titles([p.title for p in batch])
        ]

    def s2(batch: list[Paper]) -> list[Found]:
        match = clients.semanticscholar.match_title(batch[0].title)
        if match is None or not match.arxiv_id or not match.title:
            return []
        return [Found(match.arxiv_id, match.title, "semanticscholar", match.publication_date, match.authors)]

    def openalex(batch: list[Paper]) -> list[Found]:
        works = clients.openalex.search_title(batch[0].title)
        return [Found(w.arxiv_id, w.title or "", "openalex", w.publication_date, w.authorships) for w in works if w.arxiv_id]

    openalex_off = None if clients.openalex.enabled else (
        f"openalex skipped: set {OPENALEX_SPEC.token_env} to use it (OpenAlex asks for a key since February 2026)"
    )
    return [
        TitleSearch("huggingface", "Hugging Face", hf, spread=True),
        TitleSearch("arxiv", "arXiv search", arxiv, batch=ARXIV_TITLES_PER_QUERY),
        TitleSearch("semanticscholar", "Semantic Scholar", s2),
        TitleSearch("openalex", "OpenAlex", openalex, skipped=openalex_off),
    ]


def daily_pages(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> dict[dt.date, list[Found]]:
    """``GET /api/daily_papers?date=…`` once per day a listing says it shows: every paper of that
    day with its arXiv ID, ``githubRepo`` and ``ai_keywords``, before any per-paper search."""
    days = sorted({p.daily_date for p in papers if p.daily_date and not p.arxiv_id})
    found: dict[dt.date, list[Found]] = {}
    for day in progress(days, "Hugging Face daily pages"):
        items, failure = call("huggingface", lambda: clients.huggingface.daily(day))
        if failure:
            outcomes.note(f"Hugging Face daily page {day} not read ({failure}); its papers are searched one by one")
            continue
        found[day] = [_from_hf(item) for item in items or []]
    return found


def resolve_arxiv_ids(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes, min_confidence: float) -> dict[str, list[Found]]:
    """Stages 1-3; returns every candidate seen per paper id (for repos and the report)."""
    seen: dict[str, list[Found]] = {p.id: [] for p in papers}
    by_title: dict[str, list[Paper]] = {}
    for paper in papers:
        by_title.setdefault(normalise_title(paper.title), []).append(paper)

    def settle(paper: Paper, source: str) -> None:
        decision = decide(paper, seen[paper.id], min_confidence)
        if decision.value:
            _apply(paper, decision)
        _record(outcomes, paper, source, decision)

    # Stage 0: a listing that says which Daily Papers day it copied is one request per day.
    for day, hits in daily_pages(papers, clients, call, outcomes).items():
        for hit in hits:
            for paper in by_title.get(normalise_title(hit.title), []):
                if day == paper.daily_date and not paper.arxiv_id:
                    seen[paper.id].append(hit)
                    settle(paper, "huggingface")

    for stage in title_searches(clients):
        if stage.skipped:
            outcomes.note(stage.skipped)
            continue
        open_papers = [p for p in papers if not p.arxiv_id and p.title]  # an ID-only paper has no title to search
        batches = [open_papers[i : i + stage.batch] for i in range(0, len(open_papers), stage.batch)]
        for batch in progress(batches, stage.label):
            batch = [p for p in batch if not p.arxiv_id]
            if stage.spread:
                for paper in [p for p in batch if seen[p.id] and decide(p, seen[p.id], min_confidence).value]:
                    settle(paper, stage.source)  # settled by an earlier search's hits
                batch = [p for p in batch if not p.arxiv_id]
            if not batch:
                continue
            found, failure = call(stage.source, lambda: stage.search(batch))
            for paper in batch:
                if failure:
                    _failed(outcomes, paper, stage.source, failure)
                    continue
                for hit in found or []:
                    if stage.spread:
                        for other in by_title.get(normalise_title(hit.title), []):
                            if other.id != paper.id and hit not in seen[other.id]:
                                seen[other.id].append(hit)
                    seen[paper.id].append(hit)
                settle(paper, stage.source)
    return seen


def _confirm(paper: Paper, source: str, title: str | None, outcomes: Outcomes) -> None:
    """A batch record for the chosen ID: agreement raises confidence, a different title undoes the link."""
    if not paper.arxiv_id or not title or not paper.title:  # an ID-only paper has no title to compare
        return
    hydrated_from = paper.provenance["title"].source if "title" in paper.provenance else ""
    if source == hydrated_from:
        return  # the title was hydrated from this very record: it cannot confirm itself
    similarity = title_similarity(paper.title, title)
    prov = paper.provenance["arxiv_id"]
    if similarity >= CONFIRM_AGREEMENT:
        if source not in prov.source.split(","):
            paper.provenance["arxiv_id"] = FieldSource(
                source=f"{prov.source},{source}",
                confidence=round(min(1.0, prov.confidence + CONFIRM_BONUS), 3),
                evidence=f"{prov.evidence}; {source} agrees",
            )
        return
    outcomes.why("arxiv_id", paper.id, source, Failure("conflict", f"{paper.arxiv_id} is '{' '.join(title.split())}' there; link removed"))
    outcomes.count("arxiv_id", source, "ambiguous")
    paper.arxiv_id = None
    paper.provenance.pop("arxiv_id")


def confirm_ids(papers: list[Paper], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> dict[str, S2Paper]:
    """Stage 4: batch lookups of every chosen ID; a record that disagrees undoes the link.

    The Semantic Scholar batch also asks for each paper's reference list, so citations
    cost no extra request; the records are returned by paper id for `find_citations`.
    """
    chosen = [p for p in papers if p.arxiv_id]
    if not chosen:
        return {}
    entries, failure = call("arxiv", lambda: clients.arxiv.by_ids([p.arxiv_id for p in chosen]))
    if failure:
        outcomes.note(f"arXiv confirmation of chosen IDs skipped ({failure})")
    for paper in chosen:
        entry = (entries or {}).get(paper.arxiv_id or "")
        if entry is not None:
            paper.published = _date(entry.published)
            _confirm(paper, "arxiv", entry.title, outcomes)
    chosen = [p for p in papers if p.arxiv_id]
    ids = [f"ARXIV:{p.arxiv_id}" for p in chosen]
    records, failure = call("semanticscholar", lambda: clients.semanticscholar.batch(ids, REFERENCE_LIST_FIELDS))
    if failure:
        outcomes.note(f"Semantic Scholar confirmation of chosen IDs skipped ({failure})")
        return {}
    found: dict[str, S2Paper] = {}
    for paper, record in zip(chosen, records or [], strict=False):
        if record is not None:
            paper.semantic_scholar_id = record.paper_id
            _confirm(paper, "semanticscholar", record.title, outcomes)
            if paper.arxiv_id:
                found[paper.id] = record
    return found


def hf_records_by_id(papers: list[Paper], seen: dict[str, list[Found]], clients: Clients, call: SourceCaller, outcomes: Outcomes) -> None:
    """Stage 5: the Hugging Face record of each chosen ID its search did not bring back.

    The record joins ``seen`` (so its ``githubRepo`` becomes a repo candidate) and must agree
    with the paper's title, as the batch confirmations must; its keywords become the paper's.
    """
    missing = [
        p for p in papers
        if p.arxiv_id and not from_daily_page(p)  # a daily item is the Hub record already
        and not any(f.source == "huggingface" and f.arxiv_id == p.arxiv_id for f in seen.get(p.id, []))
    ]
    for paper in progress(missing, "Hugging Face by ID"):
        arxiv_id = paper.arxiv_id or ""
        record, failure = call("huggingface", lambda: clients.huggingface.paper(arxiv_id))
        if failure or record is None:
            continue
        _confirm(paper, "huggingface", record.title, outcomes)
        if paper.arxiv_id:
            seen[paper.id].append(_from_hf(record))
            paper.keywords = sorted(set(record.ai_keywords))


def resolve_repos(
    papers: list[Paper], seen: dict[str, list[Found]], clients: Clients, call: SourceCaller, outcomes: Outcomes, min_confidence: float
) -> list[Paper]:
    """Stage 6: candidates from the abstract and Hugging Face, each checked once on GitHub."""
    proposals: dict[str, list[RepoCandidate]] = {}
    for paper in papers:
        found: list[RepoCandidate] = []
        if paper.github and "github" in paper.provenance:
            prov = paper.provenance["github"]
            found.append(RepoCandidate(paper.github, prov.source, prov.confidence, prov.evidence))
        winner = next((f for f in seen.get(paper.id, []) if f.arxiv_id == paper.arxiv_id and f.github), None)
        if paper.arxiv_id and winner and winner.github:
            parts = winner.github.rstrip("/").split("github.com/")[-1].split("/")
            repo = normalise_repo(parts[0], parts[1]) if len(parts) >= 2 else None
            if repo:
                found.append(RepoCandidate(repo, "huggingface", HF_CONFIDENCE, f"Hugging Face githubRepo {winner.github}"))
        proposals[paper.id] = found
    names = sorted({c.full_name for cands in proposals.values() for c in cands}, key=str.lower)
    checked = check_repos(names, clients.github, call, outcomes)
    result = []
    for paper in papers:
        updated, reason = choose_repo(paper, proposals[paper.id], checked, min_confidence) if proposals[paper.id] else (paper, _no_repo_reason(paper, outcomes))
        if reason:
            outcomes.why("github", paper.id, "github", reason)
        result.append(updated)
    return result


def check_repos(names: list[str], github: GitHubClient, call: SourceCaller, outcomes: Outcomes) -> dict[str, GhRepo | None | Failure]:
    """Each ``owner/name`` on GitHub, keyed lowercased: the record, None (not found) or why not.

    GraphQL batches first when it can (a token); whatever it did not settle (no token, a failed
    query, an unusable node) is asked over REST, one request each, as before batching.
    """
    answers: dict[str, GhRepo | None] = {}
    if github.can_batch:
        for start in range(0, len(names), GRAPHQL_BATCH):
            batch = names[start : start + GRAPHQL_BATCH]
            found, failure = call("github", lambda: github.repos(batch))
            if failure:
                outcomes.note(f"GitHub GraphQL batch of {len(batch)} failed ({failure}); asked REST per repository")
            answers.update(found or {})
    checked: dict[str, GhRepo | None | Failure] = {}
    for name in progress(names, "GitHub"):
        if name in answers:
            answer, failure = answers[name], None
        else:
            owner, repo_name = name.split("/", 1)
            answer, failure = call("github", lambda: github.repo(owner, repo_name))
        checked[name.lower()] = failure if failure else answer
        outcomes.count("github", "github", failure.outcome if failure else ("resolved" if answer else "not_found"))
    return checked


# Why an arXiv lookup did not happen or did not finish (as opposed to: it ran and found nothing).
_LOOKUP_DID_NOT_RUN = NOT_ASKED | {"failed"}


def _no_repo_reason(paper: Paper, outcomes: Outcomes) -> Failure:
    """Why a paper has no repo candidate: Hugging Face's githubRepo needs the arXiv ID first, so
    when that lookup could not run, say so (offline, unreachable) instead of 'not found'."""
    if paper.arxiv_id:
        return Failure("not found", "no link in the abstract, no Hugging Face githubRepo")
    kinds = {r.failure.kind for r in outcomes.reasons_for("arxiv_id", paper.id)} or {"not found"}
    if kinds <= _LOOKUP_DID_NOT_RUN:
        return Failure("/".join(sorted(kinds)), "no link in the abstract, and Hugging Face's githubRepo needs the arXiv ID, which could not be looked up")
    return Failure("not found", "no link in the abstract, and no arXiv ID to ask Hugging Face with")


def _note_merged(outcomes: Outcomes, count: int, after: str) -> None:
    outcomes.note(f"{count} papers merged into others after {after} (same arXiv ID or DOI, or same title)")


def _merge_again(papers: list[Paper], outcomes: Outcomes, after: str) -> list[Paper]:
    papers, renamed = merge_same_papers(papers)
    if renamed:
        _note_merged(outcomes, len(renamed), after)
    return papers


def enrich_online(
    papers: list[Paper], clients: Clients, dead_hosts: Callable[[], dict[str, str]], min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> tuple[list[Paper], Outcomes, list[Citation]]:
    """Run every stage; returns the papers, the outcomes, and the citations inside the corpus."""
    outcomes = Outcomes()
    call = SourceCaller(outcomes, dead_hosts)
    papers = [p.model_copy(deep=True) for p in sorted(papers, key=lambda p: p.id)]
    papers = hydrate(papers, clients, call, outcomes)
    papers = _merge_again(papers, outcomes, "hydration")  # a hydrated title may be a listing's: no search for it
    seen = resolve_arxiv_ids(papers, clients, call, outcomes, min_confidence)
    s2_records = confirm_ids(papers, clients, call, outcomes)
    papers, renamed = merge_same_papers(papers)  # an arXiv ID found online may be another input's
    if renamed:
        _note_merged(outcomes, len(renamed), "the arXiv ID lookups")
        for old, new in renamed.items():
            seen[new] = seen.get(new, []) + [f for f in seen.pop(old, []) if f not in seen.get(new, [])]
            if old in s2_records:
                s2_records.setdefault(new, s2_records.pop(old))
    hf_records_by_id(papers, seen, clients, call, outcomes)
    papers = resolve_repos(papers, seen, clients, call, outcomes, min_confidence)
    citations = find_citations(papers, s2_records, clients.semanticscholar, clients.openalex, call, outcomes)
    return papers, outcomes, citations
