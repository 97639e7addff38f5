"""Load input files (each in the format its content shows, :mod:`.formats`) and merge the
same paper seen in several of them.

A paper is the same paper when an identifier agrees, else when its normalised title and its
symbols are the same (:mod:`.grouping`): ``C++: ...`` and ``C: ...`` normalise alike but stay
two papers, and the second is reported. Merging keeps every location and the most informative
value of each field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.formats import parse_input
from paperlineage.enrich.grouping import group_entries
from paperlineage.enrich.models import FieldSource, ListingEntry, Paper, Problem


@dataclass
class IngestReport:
    """What ingest read, merged and skipped: the numbers the CLI prints."""

    files: list[str] = field(default_factory=list)
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    file_errors: list[ListingError] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    """The format each file was read as (`formats.PARSERS` names)."""

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
    if entry.ids.arxiv and not paper.arxiv_id:
        paper.arxiv_id = entry.ids.arxiv
        paper.provenance["arxiv_id"] = FieldSource(
            source="input", confidence=1.0, evidence=f"written in {entry.location.file}:{entry.location.line}"
        )
    paper.doi = paper.doi or entry.ids.doi
    paper.daily_date = paper.daily_date or entry.page_date


def merge_entries(entries: Iterable[ListingEntry], problems: list[Problem] | None = None) -> list[Paper]:
    """One `Paper` per paper, sorted by id; splits are added to `problems`.

    Entries are the same paper when they share an identifier (arXiv ID, DOI; an arXiv DOI is
    the arXiv ID), else when their normalised title and symbols agree (:mod:`.grouping`).
    """
    entries = list(entries)
    groups = group_entries(entries, problems if problems is not None else [])
    papers: dict[str, Paper] = {}
    for pid, members in groups:
        title = next((e.title for e in members if e.title), "")  # the first title in file order
        paper = Paper(id=pid, title=title, abstract="", id_only=not title)
        for entry in members:
            _merge(paper, entry)
        papers[pid] = paper
    return [papers[k] for k in sorted(papers)]


@dataclass
class FileRead:
    """One input file read on its own: its format, entries and problems, or why it was refused."""

    name: str
    format: str | None = None
    entries: list[ListingEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error: ListingError | None = None


def read_file(path: Path) -> FileRead:
    """Read and parse one input file (the per-file half of ingest; a Dask task per file)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileRead(name, error=ListingError(name, 1, f"cannot read file: {exc.strerror or exc}"))
    try:
        found_format, found, problems = parse_input(data, name)
    except ListingError as exc:
        # a rejected file still names its rejected entries
        return FileRead(name, problems=list(getattr(exc, "problems", [])), error=exc)
    return FileRead(name, found_format, found, problems)


def collect(reads: Iterable[FileRead]) -> tuple[list[Paper], IngestReport]:
    """Merge the files read, in input order, into papers (the corpus-wide half of ingest)."""
    report = IngestReport()
    entries: list[ListingEntry] = []
    for read in reads:
        report.files.append(read.name)
        if read.error is not None:
            report.file_errors.append(read.error)
            report.problems.extend(read.problems)
            continue
        assert read.format is not None
        report.formats[read.name] = read.format
        entries.extend(read.entries)
        report.problems.extend(read.problems)
    report.entries = len(entries)
    return merge_entries(entries, report.problems), report


def ingest(paths: Iterable[Path]) -> tuple[list[Paper], IngestReport]:
    """Read every input file; a bad file is reported and the others still load."""
    return collect(read_file(path) for path in listing_files(paths))
