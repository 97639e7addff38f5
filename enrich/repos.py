"""Decide a paper's official repository from the candidates and what GitHub says.

Candidates, strongest first: a link in the abstract (the authors' own words),
then the Hugging Face ``githubRepo``. GitHub confirms that a repository exists
and follows renames, so an old name and its new name count as one repository.
Two different existing repositories leave the field empty: a wrong link is
worse than a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from paperlineage.enrich.models import Candidate, FieldSource, Paper, RepoInfo
from paperlineage.enrich.outcomes import Failure
from paperlineage.enrich.sources import GhRepo

HF_CONFIDENCE = 0.85
AGREEMENT_BONUS = 0.05
UNCONFIRMED_PENALTY = 0.1  # GitHub could not be asked: keep the link, trust it less


@dataclass(frozen=True)
class RepoCandidate:
    """One proposed 'owner/name' with where it came from."""

    full_name: str
    source: str
    confidence: float
    evidence: str


def repo_info(repo: GhRepo) -> RepoInfo:
    return RepoInfo(
        stars=repo.stars,
        archived=repo.archived,
        fork=repo.fork,
        description=repo.description,
        license=repo.license,
        pushed_at=repo.pushed_at.isoformat() if repo.pushed_at else None,
        renamed_from=repo.renamed_from,
    )


def choose_repo(
    paper: Paper,
    candidates: list[RepoCandidate],
    checked: dict[str, GhRepo | None | Failure],
    min_confidence: float,
) -> tuple[Paper, Failure | None]:
    """Return the paper with `github` set (or cleared) and the reason when it stays empty.

    `checked` maps a lower-cased 'owner/name' to GitHub's answer: the repo, None
    (404: does not exist), or the Failure saying why GitHub could not be asked.
    """
    paper = paper.model_copy(deep=True)
    alive: dict[str, tuple[RepoCandidate, GhRepo | None]] = {}
    missing: list[str] = []
    for candidate in candidates:
        answer = checked.get(candidate.full_name.lower(), "not checked")
        if answer is None:
            missing.append(candidate.full_name)
            continue
        repo = answer if isinstance(answer, GhRepo) else None
        canonical = (repo.full_name if repo else candidate.full_name).lower()
        # The authors' own link keeps its confidence unchecked; a third party's loses some.
        confidence = candidate.confidence - (0 if repo or candidate.source == "abstract" else UNCONFIRMED_PENALTY)
        if canonical in alive:  # same repository, second source: they agree
            previous, prev_repo = alive[canonical]
            merged = RepoCandidate(
                previous.full_name,
                f"{previous.source},{candidate.source}",
                min(1.0, max(previous.confidence, confidence) + AGREEMENT_BONUS),
                previous.evidence,
            )
            alive[canonical] = (merged, prev_repo or repo)
        else:
            alive[canonical] = (RepoCandidate(candidate.full_name, candidate.source, confidence, candidate.evidence), repo)
    paper.github, paper.repo = None, None
    paper.provenance.pop("github", None)
    if len(alive) > 1:
        paper.candidates["github"] = [
            Candidate(value=c.full_name, source=c.source, score=round(c.confidence, 3), evidence=c.evidence)
            for c, _ in alive.values()
        ]
        return paper, Failure("ambiguous", ", ".join(c.full_name for c, _ in alive.values()))
    if not alive:
        return paper, Failure("not found", ("not on GitHub: " + ", ".join(missing)) if missing else "no repository candidate")
    candidate, repo = next(iter(alive.values()))
    if candidate.confidence < min_confidence:
        paper.candidates["github"] = [Candidate(value=candidate.full_name, source=candidate.source, score=round(candidate.confidence, 3), evidence=candidate.evidence)]
        return paper, Failure("below threshold", f"{candidate.confidence:.2f} < {min_confidence}")
    paper.github = repo.full_name if repo else candidate.full_name
    paper.repo = repo_info(repo) if repo else None
    note = f" (renamed from {repo.renamed_from})" if repo and repo.renamed_from else ""
    confirmed = "confirmed on GitHub" if repo else "not confirmed: GitHub unavailable"
    paper.provenance["github"] = FieldSource(
        source=candidate.source, confidence=round(candidate.confidence, 3), evidence=f"{candidate.evidence} [{confirmed}{note}]"
    )
    return paper, None
