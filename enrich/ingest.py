"""Load listing files and merge the same paper seen in several of them.

A paper is the same paper when its normalised title is the same (`titles.paper_id`).
Merging keeps every location and the most informative value of each field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from enrich.errors import ListingError
from enrich.listing import parse_listing
from enrich.models import ListingEntry, Paper, Problem
from enrich.titles import paper_id


@dataclass
class IngestReport:
    """What ingest read, merged and skipped: the numbers the CLI prints."""

    files: list[str] = field(default_factory=list)
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    file_errors: list[ListingError] = field(default_factory=list)

    @property
    def skipped_blocks(self) -> list[Problem]:
        """Blocks that are not papers, page chrome excluded."""
        return [p for p in self.problems if p.kind != "warning" and p.reason not in {"page chrome", "page date"}]

    @property
    def warnings(self) -> list[Problem]:
        """Papers kept, but with something the user should look at (a cut-off file, an impossible date)."""
        return [p for p in self.problems if p.kind == "warning"]


def listing_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the files in them (sorted, hidden files skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    return files


def _merge(paper: Paper, entry: ListingEntry) -> None:
    """Fold a further sighting of a paper into its record, never losing information."""
    paper.locations.append(entry.location)
    if len(entry.abstract) > len(paper.abstract):
        paper.abstract = entry.abstract
    paper.authors = paper.authors if paper.authors is not None else entry.authors
    paper.organization = paper.organization or entry.organization
    if entry.date is not None and paper.date is None:
        paper.date, paper.date_text = entry.date, entry.date_text
    paper.date_text = paper.date_text or entry.date_text
    if entry.upvotes is not None:
        paper.upvotes = max(paper.upvotes or 0, entry.upvotes)


def merge_entries(entries: Iterable[ListingEntry]) -> list[Paper]:
    """One `Paper` per normalised title, sorted by id."""
    papers: dict[str, Paper] = {}
    for entry in entries:
        pid = paper_id(entry.title)
        if pid in papers:
            _merge(papers[pid], entry)
            continue
        papers[pid] = Paper(
            id=pid,
            title=entry.title,
            abstract=entry.abstract,
            authors=entry.authors,
            organization=entry.organization,
            date_text=entry.date_text,
            date=entry.date,
            upvotes=entry.upvotes,
            locations=[entry.location],
        )
    return [papers[k] for k in sorted(papers)]


def ingest(paths: Iterable[Path]) -> tuple[list[Paper], IngestReport]:
    """Read every listing; a bad file is reported and the others still load."""
    report = IngestReport()
    entries: list[ListingEntry] = []
    for path in listing_files(paths):
        name = str(path)
        report.files.append(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.file_errors.append(ListingError(name, 1, f"cannot read file: {exc.strerror or exc}"))
            continue
        try:
            found, problems = parse_listing(data, name)
        except ListingError as exc:
            report.file_errors.append(exc)
            continue
        entries.extend(found)
        report.problems.extend(problems)
    report.entries = len(entries)
    return merge_entries(entries), report
