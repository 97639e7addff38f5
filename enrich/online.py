"""Online enrichment: tie every paper to its arXiv ID and official repository.

Stages, cheapest and most informative first, each skipping what is already known:

1. Hugging Face paper search by title (one request per paper; its hits also settle
   other corpus papers with the same title, which then skip their own search).
2. arXiv title search for the rest, several titles OR-ed into one request.
3. Semantic Scholar title match for what is still open; OpenAlex after that, only
   with an API key.
4. Confirmation in batches: arXiv ``id_list`` and Semantic Scholar ``/paper/batch``
   return the record behind each chosen ID; a title that disagrees undoes the link.
5. Repositories: the abstract's link and Hugging Face's ``githubRepo``, checked on GitHub.

A source that fails (host unreachable, offline cache miss, rate limit, bad answer)
is recorded and the run goes on with what it has.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from cache import HttpLayerError, OfflineMiss
from enrich.models import FieldSource, Paper
from enrich.outcomes import Outcomes
from enrich.repos import HF_CONFIDENCE, RepoCandidate, choose_repo
from enrich.resolve import DEFAULT_MIN_CONFIDENCE, Decision, Found, decide, title_similarity
from enrich.sources import (
    ArxivClient,
    GhRepo,
    GitHubClient,
    HfPaper,
    HuggingFaceClient,
    NeedsKey,
    OpenAlexClient,
    SemanticScholarClient,
    SourceError,
)
from enrich.textlinks import normalise_repo
from enrich.titles import normalise_title

logger = logging.getLogger(__name__)
T = TypeVar("T")
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


class _Caller:
    """Calls a source and turns every failure into an outcome, disabling dead sources."""

    def __init__(self, outcomes: Outcomes, dead_hosts: Callable[[], dict[str, str]]) -> None:
        self.outcomes = outcomes
        self.dead_hosts = dead_hosts
        self.disabled: dict[str, str] = {}

    def __call__(self, source: str, call: Callable[[], T]) -> tuple[T | None, str | None]:
        """The call's result and None, or None and 'category: detail' saying why there is none."""
        if source in self.disabled:
            return None, self.disabled[source]
        try:
            return call(), None
        except OfflineMiss:
            return None, "offline: not in the cache"
        except NeedsKey as exc:
            self.disabled[source] = f"skipped: {exc.message}"
            return None, self.disabled[source]
        except (SourceError, HttpLayerError) as exc:
            dead = self.dead_hosts()
            host = getattr(exc, "host", None) or next((h for h in dead if h in str(getattr(exc, "url", ""))), None)
            if host and host in dead:
                self.disabled[source] = f"unreachable: {host} ({_short(dead[host])})"
                self.outcomes.note(f"{source} {self.disabled[source]}; later requests to it were not tried")
                return None, self.disabled[source]
            logger.info("%s: %s", source, exc)
            return None, f"failed: {exc}"


def _short(reason: str) -> str:
    """A connection failure in a few words ('DNS lookup failed') instead of urllib3's paragraph."""
    lowered = reason.lower()
    for needle, words in (("resolve", "DNS lookup failed"), ("refused", "connection refused"), ("timed out", "connect timeout")):
        if needle in lowered:
            return words
    return reason[:80]


def _progress(items: list[T], label: str) -> Iterable[T]:
    """A progress bar on a terminal, plain iteration otherwise (logs, CI, tests)."""
    if not sys.stderr.isatty() or not items:
        return items
    from tqdm import tqdm  # imported here: only interactive runs need it

    return tqdm(items, desc=label, unit="paper", leave=False)


def _date(value: dt.datetime | dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _from_hf(item: HfPaper) -> Found:
    return Found(item.arxiv_id, item.title, "huggingface", _date(item.published_at), item.authors, item.github_repo, {"hf": item})


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
    outcomes.why("arxiv_id", paper.id, source, decision.reason)


def _failed(outcomes: Outcomes, paper: Paper, source: str, failure: str) -> None:
    outcomes.count("arxiv_id", source, "failed")
    outcomes.why("arxiv_id", paper.id, source, failure)


def resolve_arxiv_ids(papers: list[Paper], clients: Clients, call: _Caller, outcomes: Outcomes, min_confidence: float) -> dict[str, list[Found]]:
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

    for paper in _progress([p for p in papers if not p.arxiv_id], "Hugging Face"):
        if paper.arxiv_id:
            continue
        if seen[paper.id] and decide(paper, seen[paper.id], min_confidence).value:
            settle(paper, "huggingface")  # settled by an earlier search's hits
            continue
        hits, failure = call("huggingface", lambda: clients.huggingface.search(paper.title))
        if failure:
            _failed(outcomes, paper, "huggingface", failure)
            continue
        for hit in hits or []:
            found = _from_hf(hit)
            for other in by_title.get(normalise_title(hit.title), []):
                if other.id != paper.id and found not in seen[other.id]:
                    seen[other.id].append(found)
            seen[paper.id].append(found)
        settle(paper, "huggingface")

    open_papers = [p for p in papers if not p.arxiv_id]
    chunks = [open_papers[i : i + ARXIV_TITLES_PER_QUERY] for i in range(0, len(open_papers), ARXIV_TITLES_PER_QUERY)]
    for chunk in _progress(chunks, "arXiv search"):
        entries, failure = call("arxiv", lambda: clients.arxiv.search_titles([p.title for p in chunk]))
        for paper in chunk:
            if failure:
                _failed(outcomes, paper, "arxiv", failure)
                continue
            seen[paper.id] += [
                Found(e.arxiv_id, e.title, "arxiv", _date(e.published), len(e.authors) or None) for e in entries or []
            ]
            settle(paper, "arxiv")

    for paper in _progress([p for p in papers if not p.arxiv_id], "Semantic Scholar"):
        match, failure = call("semanticscholar", lambda: clients.semanticscholar.match_title(paper.title))
        if failure:
            _failed(outcomes, paper, "semanticscholar", failure)
            continue
        if match is not None and match.arxiv_id and match.title:
            seen[paper.id].append(Found(match.arxiv_id, match.title, "semanticscholar", match.publication_date, match.authors))
        settle(paper, "semanticscholar")

    if not clients.openalex.enabled:
        outcomes.note("openalex skipped: set OPENALEX_API_KEY to use it (OpenAlex asks for a key since February 2026)")  # said once
        return seen
    for paper in _progress([p for p in papers if not p.arxiv_id], "OpenAlex"):
        works, failure = call("openalex", lambda: clients.openalex.search_title(paper.title))
        if failure:
            _failed(outcomes, paper, "openalex", failure)
            continue
        seen[paper.id] += [
            Found(w.arxiv_id, w.title or "", "openalex", w.publication_date, w.authorships) for w in works or [] if w.arxiv_id
        ]
        settle(paper, "openalex")
    return seen


def _confirm(paper: Paper, source: str, title: str | None, outcomes: Outcomes) -> None:
    """A batch record for the chosen ID: agreement raises confidence, a different title undoes the link."""
    if not paper.arxiv_id or not title:
        return
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
    outcomes.why("arxiv_id", paper.id, source, f"conflict: {paper.arxiv_id} is '{' '.join(title.split())}' there; link removed")
    outcomes.count("arxiv_id", source, "ambiguous")
    paper.arxiv_id = None
    paper.provenance.pop("arxiv_id")


def confirm_ids(papers: list[Paper], clients: Clients, call: _Caller, outcomes: Outcomes) -> dict[str, Any]:
    """Stage 4: batch lookups of every chosen ID; returns the S2 records by paper id."""
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
    records, failure = call("semanticscholar", lambda: clients.semanticscholar.batch([f"ARXIV:{p.arxiv_id}" for p in chosen]))
    if failure:
        outcomes.note(f"Semantic Scholar confirmation of chosen IDs skipped ({failure})")
        return {}
    s2: dict[str, Any] = {}
    for paper, record in zip(chosen, records or [], strict=False):
        if record is not None:
            paper.semantic_scholar_id = record.paper_id
            s2[paper.id] = record
            _confirm(paper, "semanticscholar", record.title, outcomes)
    return s2


def resolve_repos(
    papers: list[Paper], seen: dict[str, list[Found]], clients: Clients, call: _Caller, outcomes: Outcomes, min_confidence: float
) -> list[Paper]:
    """Stage 5: candidates from the abstract and Hugging Face, each checked once on GitHub."""
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
    checked: dict[str, GhRepo | None | str] = {}
    names = sorted({c.full_name for cands in proposals.values() for c in cands}, key=str.lower)
    for name in _progress(names, "GitHub"):
        owner, repo_name = name.split("/", 1)
        answer, failure = call("github", lambda: clients.github.repo(owner, repo_name))
        checked[name.lower()] = failure if failure else answer
        outcomes.count("github", "github", "failed" if failure else ("resolved" if answer else "not_found"))
    result = []
    for paper in papers:
        updated, reason = choose_repo(paper, proposals[paper.id], checked, min_confidence) if proposals[paper.id] else (paper, "not found: no link in the abstract, no Hugging Face githubRepo")
        if reason:
            outcomes.why("github", paper.id, "github", reason)
        result.append(updated)
    return result


def enrich_online(
    papers: list[Paper], clients: Clients, dead_hosts: Callable[[], dict[str, str]], min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> tuple[list[Paper], Outcomes, dict[str, Any]]:
    """Run every stage; returns the papers, the outcomes, and Semantic Scholar records by paper id."""
    outcomes = Outcomes()
    call = _Caller(outcomes, dead_hosts)
    papers = [p.model_copy(deep=True) for p in sorted(papers, key=lambda p: p.id)]
    seen = resolve_arxiv_ids(papers, clients, call, outcomes, min_confidence)
    s2 = confirm_ids(papers, clients, call, outcomes)
    papers = resolve_repos(papers, seen, clients, call, outcomes, min_confidence)
    return papers, outcomes, s2
