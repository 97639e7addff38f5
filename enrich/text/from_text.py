"""Enrichment that needs no network: what the title and abstract themselves say.

This is all an offline run can resolve, so it must be right on its own: a single
repository linked from the abstract is taken; several different ones are left
for the user to choose (a wrong link is worse than a missing one).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from paperlineage.enrich.text.names import introduced_methods
from paperlineage.enrich.models import Candidate, FieldSource, Paper
from paperlineage.enrich.text.links import arxiv_ids, github_repos

# A sentence that says the code is the authors' own makes a linked repo more certain.
_OWN_CODE = re.compile(
    r"\b(?:our|the|source|code|implementation|available|released|open[- ]sourced?|github)\b", re.IGNORECASE
)
# Only from the start of a run of non-spaces: from every position, each try rescans the run (quadratic).
_URL = re.compile(r"(?<!\S)\S*github\.com/\S*", re.IGNORECASE)
REPO_CONFIDENCE_CLAIMED = 0.9  # 'Our code is available at ...'
REPO_CONFIDENCE_BARE = 0.7  # a lone link without such words


def _own(value: object) -> object:
    """`value` with every list, dict and unfrozen model copied; strings and frozen models shared."""
    if isinstance(value, list):
        return [_own(v) for v in value]
    if isinstance(value, dict):
        return {k: _own(v) for k, v in value.items()}
    if isinstance(value, BaseModel) and not value.model_config.get("frozen"):
        return value.model_copy(deep=True)
    return value


def _copy(paper: Paper) -> Paper:
    """A copy of `paper` that shares nothing that can change.

    ``model_copy(deep=True)`` also deep-copied every frozen location record and string
    container through ``copy.deepcopy``: 13 s of the 17 s this stage took at 100k papers.
    """
    copy = paper.model_copy()
    for name, value in copy.__dict__.items():
        copy.__dict__[name] = _own(value)
    return copy


def enrich_from_text(paper: Paper) -> Paper:
    """Return a copy of `paper` with repository, arXiv mentions and method names read from its text."""
    paper = _copy(paper)
    repos = github_repos(paper.abstract)
    if len(repos) == 1:
        found = repos[0]
        claimed = bool(_OWN_CODE.search(_URL.sub(" ", found.evidence)))  # the URL itself says 'github'

        paper.github = found.value
        paper.provenance["github"] = FieldSource(
            source="abstract",
            confidence=REPO_CONFIDENCE_CLAIMED if claimed else REPO_CONFIDENCE_BARE,
            evidence=found.evidence,
        )
    elif len(repos) > 1:
        paper.candidates["github"] = [
            Candidate(value=r.value, source="abstract", score=0.5, evidence=r.evidence) for r in repos
        ]
    refs = arxiv_ids(paper.abstract)
    paper.arxiv_refs = [r.value for r in refs]
    if refs:
        paper.provenance["arxiv_refs"] = FieldSource(
            source="abstract", confidence=0.9, evidence=" | ".join(r.evidence for r in refs)
        )
    methods = introduced_methods(paper.title, paper.abstract)
    paper.methods = [m.name for m in methods]
    if methods:
        paper.provenance["methods"] = FieldSource(
            source=",".join(sorted({m.source for m in methods})),
            confidence=0.8,
            evidence=" | ".join(f"{m.name}: {m.evidence}" for m in methods),
        )
    return paper
