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
from paperlineage.enrich.hf_daily import DailyFetch
from paperlineage.enrich.ids import PaperIds
from paperlineage.enrich.models import FieldSource, ListingEntry, Paper, Problem, SourceLocation
from paperlineage.enrich.repos import HF_CONFIDENCE

#: The provenance source of an arXiv ID an input file wrote.
_INPUT = "input"


@dataclass
class IngestReport:
    """What ingest read, merged and skipped: the numbers the CLI prints."""

    files: list[str] = field(default_factory=list)
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    file_errors: list[ListingError] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    """The format each file was read as (`formats.PARSERS` names)."""
    daily: DailyFetch | None = None
    """The Hugging Face daily pages asked for with ``--hf-daily``, when any."""
    previous: int = 0
    """Papers carried over from the previous build (``paperlineage update``), merged in like entries."""

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
            source=_INPUT, confidence=1.0, evidence=f"written in {entry.location.file}:{entry.location.line}"
        )
    paper.doi = paper.doi or entry.ids.doi
    paper.daily_date = paper.daily_date or entry.page_date
    if entry.keywords:
        paper.keywords = sorted(set(paper.keywords) | set(entry.keywords))
    if entry.github and not paper.github:
        paper.github = entry.github
        paper.provenance["github"] = FieldSource(
            source="huggingface", confidence=HF_CONFIDENCE, evidence=f"githubRepo on {entry.location.file}, item {entry.location.line}"
        )


def as_input(paper: Paper) -> ListingEntry:
    """A paper of a previous build as the one input entry it stands for (``paperlineage update``).

    Only what the input files gave is kept (title, abstract, counts, dates, the arXiv ID an input
    wrote, the DOI): what text analysis and the online stages found is found again, from the
    HTTP cache when it is warm, so an update equals a build of every input it has seen.
    """
    given = paper.provenance.get("arxiv_id")
    from_input = given is not None and given.source.split(",")[0] == _INPUT
    return ListingEntry(
        title=paper.title if not paper.id_only else "", abstract=paper.abstract, authors=paper.authors,
        organization=paper.organization, date_text=paper.date_text, date=paper.date, upvotes=paper.upvotes,
        page_date=paper.daily_date, ids=PaperIds.of(arxiv=paper.arxiv_id if from_input else None, doi=paper.doi),
        keywords=paper.keywords,
        github=paper.github if paper.provenance.get("github") and paper.provenance["github"].evidence.startswith("githubRepo on") else None,
        location=paper.locations[0] if paper.locations else SourceLocation(file="papers.json", line=1),
    )


def _fold_previous(paper: Paper, previous: Paper) -> None:
    """After `_merge` of `as_input(previous)`: every location it had, and its input arXiv ID's provenance."""
    given = previous.provenance.get("arxiv_id")
    if given is not None and paper.arxiv_id == previous.arxiv_id and given.source.split(",")[0] == _INPUT:
        paper.provenance["arxiv_id"] = FieldSource(source=_INPUT, confidence=1.0, evidence=given.evidence.split("; ")[0])


def merge_entries(
    entries: Iterable[ListingEntry], problems: list[Problem] | None = None, previous: Iterable[Paper] = ()
) -> list[Paper]:
    """One `Paper` per paper, sorted by id; splits are added to `problems`.

    Entries are the same paper when they share an identifier (arXiv ID, DOI; an arXiv DOI is
    the arXiv ID), else when their normalised title and symbols agree (:mod:`.grouping`).
    `previous` are the papers of an earlier build (``paperlineage update``): each is kept, takes
    in the entries that are the same paper, and keeps its id (an ID-only paper that an entry now
    titles gets its title's id, as a build would give it); a location seen twice counts once.
    """
    previous = list(previous)
    entries = [as_input(p) for p in previous] + list(entries)
    origin = {id(entry): paper for entry, paper in zip(entries, previous)}  # the stand-in entries
    groups = group_entries(entries, problems if problems is not None else [])
    kept = [_kept_id(pid, [origin[id(m)] for m in members if id(m) in origin], members) for pid, members in groups]
    if len(set(kept)) < len(kept):  # a kept id that grouping gave another paper too: grouping's ids are unique
        kept = [pid for pid, _ in groups]
    papers: dict[str, Paper] = {}
    for pid, (_, members) in zip(kept, groups):
        title = next((e.title for e in members if e.title), "")  # the first title in file order
        paper = Paper(id=pid, title=title, abstract="", id_only=not title)
        for entry in members:
            _merge(paper, entry)
        old = [origin[id(m)] for m in members if id(m) in origin]
        for earlier in old:
            _fold_previous(paper, earlier)
        if old:
            seen = [*(loc for p in old for loc in p.locations), *(m.location for m in members if id(m) not in origin)]
            paper.locations = list(dict.fromkeys(seen))
        papers[pid] = paper
    return [papers[k] for k in sorted(papers)]


def _kept_id(pid: str, old: list[Paper], members: list[ListingEntry]) -> str:
    """A previous paper keeps its id; an ID-only one that an entry now titles takes the title's id (`pid`)."""
    if not old or (old[0].id_only and any(m.title for m in members)):
        return pid
    return old[0].id


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


def collect(
    reads: Iterable[FileRead], daily: DailyFetch | None = None, previous: Iterable[Paper] = ()
) -> tuple[list[Paper], IngestReport]:
    """Merge the files read, in input order, into papers (the corpus-wide half of ingest).

    `daily` is what ``--hf-daily`` fetched (:mod:`.hf_daily`): its entries merge with the files'.
    `previous` (the papers of an earlier build) are merged in and kept: see `merge_entries`.
    """
    previous = list(previous)
    report = IngestReport(daily=daily, previous=len(previous))
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
    entries.extend(daily.entries if daily else [])
    report.entries = len(entries)
    return merge_entries(entries, report.problems, previous), report


def ingest(
    paths: Iterable[Path], daily: DailyFetch | None = None, previous: Iterable[Paper] = ()
) -> tuple[list[Paper], IngestReport]:
    """Read every input file; a bad file is reported and the others still load (see `collect`)."""
    return collect((read_file(path) for path in listing_files(paths)), daily, previous)
