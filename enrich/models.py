"""Typed records that flow from ingest through enrichment to the graph.

Every resolved field keeps where it came from (`FieldSource`), so a reader of
``papers.json`` can see why we believe an arXiv ID or a repository is right.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from paperlineage.enrich.ids import PaperIds


class SourceLocation(BaseModel):
    """Where a paper block starts in an input file."""

    model_config = ConfigDict(frozen=True)

    file: str = Field(description="Path of the input file, as given on the command line.")
    line: int = Field(description="1-based line of the block's title (or the entry, link or identifier).")


class FieldSource(BaseModel):
    """Provenance of one resolved field: which source said so, how sure we are, and why."""

    source: str = Field(description="e.g. 'abstract', 'title', 'huggingface', 'arxiv'.")
    confidence: float = Field(ge=0.0, le=1.0, description="0..1; below the threshold a field stays empty.")
    evidence: str = Field(description="The text or response detail the value was read from.")


class Candidate(BaseModel):
    """A value we considered but did not pick because it was ambiguous."""

    value: str
    source: str
    score: float = 0.0
    evidence: str = ""


class Problem(BaseModel):
    """A block or file we could not use, reported rather than dropped."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    kind: Literal["skipped", "error", "warning"]
    reason: str
    text: str = Field(default="", description="The first characters of the offending block.")

    def __str__(self) -> str:
        snippet = f" [{self.text}]" if self.text else ""
        return f"{self.file}:{self.line}: {self.kind}: {self.reason}{snippet}"


def snippet(text: str) -> str:
    """The first characters of a block, whitespace collapsed, as `Problem.text` shows them.

    >>> snippet("a  b\\n c"), len(snippet("x" * 100))
    ('a b c', 60)
    """
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


class ListingEntry(BaseModel):
    """One paper exactly as a single input file shows it (a listing block, a BibTeX entry, a
    Markdown link, an identifier). An entry known only by `ids` has an empty title."""

    title: str
    abstract: str = ""
    authors: int | None = Field(default=None, description="'• N authors' when the page shows it.")
    organization: str | None = Field(default=None, description="Shown instead of the author count.")
    date_text: str | None = Field(default=None, description="The date as written, e.g. 'Aug 1' or 'Nov 12, 2024'.")
    date: dt.date | None = Field(default=None, description="Parsed date, only when the year is written.")
    upvotes: int | None = None
    page_date: dt.date | None = Field(
        default=None, description="The Daily Papers day the listing page shows above its papers, when it writes the year."
    )
    location: SourceLocation
    ids: PaperIds = Field(default_factory=PaperIds, description="Identifiers the file itself gives (arXiv ID, DOI).")
    keywords: list[str] = Field(default_factory=list, description="Hugging Face ai_keywords a daily page gave.")
    github: str | None = Field(default=None, description="'owner/name' a daily page gave as githubRepo (checked online later).")


class RepoInfo(BaseModel):
    """What GitHub says about a paper's repository (GET /repos/{owner}/{name})."""

    stars: int | None = None
    archived: bool | None = None
    fork: bool | None = None
    description: str | None = None
    license: str | None = Field(default=None, description="SPDX id, e.g. 'MIT'.")
    pushed_at: str | None = Field(default=None, description="Last push, ISO 8601.")
    renamed_from: str | None = Field(default=None, description="The 'owner/name' we asked for, when GitHub redirected.")


class Paper(BaseModel):
    """One paper after merging its listing entries and enriching it."""

    id: str = Field(description="Stable id derived from the normalised title.")
    title: str
    abstract: str
    authors: int | None = None
    organization: str | None = None
    date_text: str | None = None
    date: dt.date | None = None
    upvotes: int | None = None
    daily_date: dt.date | None = Field(
        default=None, description="A Daily Papers day the paper was listed on: one daily request resolves all of that day."
    )
    locations: list[SourceLocation] = Field(default_factory=list)

    arxiv_id: str | None = Field(default=None, description="The paper's own arXiv ID, without version.")
    github: str | None = Field(default=None, description="Official code repository as 'owner/name'.")
    published: dt.date | None = Field(default=None, description="arXiv v1 date, once the arXiv ID is confirmed.")
    semantic_scholar_id: str | None = Field(default=None, description="Semantic Scholar paperId (40 hex).")
    repo: RepoInfo | None = Field(default=None, description="GitHub metadata of `github`, when confirmed online.")
    keywords: list[str] = Field(default_factory=list, description="Hugging Face ai_keywords.")
    methods: list[str] = Field(default_factory=list, description="Method names this paper introduces.")
    arxiv_refs: list[str] = Field(default_factory=list, description="arXiv IDs written in the abstract.")
    provenance: dict[str, FieldSource] = Field(default_factory=dict)
    candidates: dict[str, list[Candidate]] = Field(
        default_factory=dict, description="Per field, the values left unpicked because they were ambiguous."
    )
    # Fields the non-listing inputs brought. They are written to papers.json only when set
    # (`LATE_FIELDS`), so a build from listings alone keeps its bytes.
    doi: str | None = Field(default=None, description="The DOI an input file gave (lower case, no resolver).")
    id_only: bool = Field(
        default=False,
        description="Known only by an identifier (arXiv ID or DOI): no input gave a title or abstract; "
        "`title` is empty until the paper is hydrated from its ID.",
    )

    @property
    def ids(self) -> PaperIds:
        """Every identifier known for this paper, as one record (matching goes by these first)."""
        return PaperIds.of(arxiv=self.arxiv_id, doi=self.doi, semantic_scholar=self.semantic_scholar_id)

    @property
    def label(self) -> str:
        """The title, or for an ID-only paper a placeholder naming its identifier.

        >>> Paper(id="x", title="", abstract="", arxiv_id="2403.03507", id_only=True).label
        'arXiv:2403.03507 (known only by its ID)'
        """
        if self.title or not self.id_only:
            return self.title
        key = self.ids.keys()[0] if self.ids.keys() else self.id
        scheme, _, value = key.partition(":")
        return f"{'arXiv' if scheme == 'arxiv' else scheme}:{value} (known only by its ID)"


#: `Paper` fields left out of papers.json while at their default (see `Paper.doi`).
LATE_FIELDS = ("doi", "id_only", "daily_date")
