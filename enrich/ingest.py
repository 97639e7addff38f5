"""Load listing files and merge the same paper seen in several of them.

A paper is the same paper when its normalised title and its symbols are the same
(`titles.paper_id`, `titles.symbols`): ``C++: ...`` and ``C: ...`` normalise alike but stay two
papers, and the second is reported. Merging keeps every location and the most informative
value of each field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.listing import parse_listing
from paperlineage.enrich.models import ListingEntry, Paper, Problem
from paperlineage.enrich.titles import normalise_title, paper_id, symbols


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
    paper.daily_date = paper.daily_date or entry.page_date


def _ids_by_title(entries: list[ListingEntry], problems: list[Problem]) -> dict[tuple[str, str], str]:
    """The paper id of each (normalised title, symbols) pair.

    Titles that normalise alike but carry different symbols are different papers: the one with
    the fewest symbols keeps the title's id, each other gets an id hashed with its symbols, and
    the split is reported (never merged silently).
    """
    groups: dict[str, dict[str, ListingEntry]] = {}
    for entry in entries:
        groups.setdefault(normalise_title(entry.title), {}).setdefault(symbols(entry.title), entry)
    ids: dict[tuple[str, str], str] = {}
    for key, variants in groups.items():
        ordered = sorted(variants, key=lambda s: (len(s), s))
        first = variants[ordered[0]]
        for rank, sym in enumerate(ordered):
            entry = variants[sym]
            ids[(key, sym)] = paper_id(entry.title) if rank == 0 else paper_id(entry.title, f"title:{key}|symbols:{sym}")
            if rank:
                problems.append(Problem(
                    file=entry.location.file, line=entry.location.line, kind="warning",
                    reason=f"title differs from {first.title!r} ({first.location.file}:{first.location.line}) only in symbols; kept as two papers",
                    text=entry.title[:80],
                ))
    return ids


def merge_entries(entries: Iterable[ListingEntry], problems: list[Problem] | None = None) -> list[Paper]:
    """One `Paper` per normalised title and symbols, sorted by id; splits are added to `problems`."""
    entries = list(entries)
    ids = _ids_by_title(entries, problems if problems is not None else [])
    papers: dict[str, Paper] = {}
    for entry in entries:
        pid = ids[(normalise_title(entry.title), symbols(entry.title))]
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
            daily_date=entry.page_date,
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
    return merge_entries(entries, report.problems), report
