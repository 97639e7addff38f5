"""The corpus-wide stages as Dask jobs over partitions of papers (``build --engine dask``).

Nothing here decides anything about papers: every stage is the function the in-process
build calls, mapped over partitions and reduced on the client.

- ingest: :func:`enrich.ingest.read_file` per input file (a ``dask.bag`` of paths), then
  :func:`enrich.ingest.collect` on the client (merging the same paper across files is global);
- text: :func:`enrich.text.from_text.enrich_from_text` per paper;
- vocabulary: :func:`introduced_names` per partition, :func:`merge_introduced` and
  :func:`vocabulary_from` on the client; the vocabulary is scattered to every worker once,
  and each worker builds its Aho-Corasick automaton once;
- the scan, per partition, kept on the workers;
- edges: per partition the hits' half (:func:`earlier_users`, :func:`hit_links`,
  :func:`text_uses`, :func:`method_users`), on the client the corpus-wide decisions
  (:func:`void_names`, :func:`settle_links`: introducer, collisions, fan-out, families;
  :func:`shared_method_edges`: too common, weights).

The networkx graph is then built once on the client (:func:`pipeline.assemble_graph`).
Partitions are contiguous runs of the papers sorted by id, so concatenating per-partition
results gives exactly the order of the in-process scan: the outputs are byte-identical.
The scheduler is Dask's own: a ``distributed.LocalCluster`` by default, or any cluster by
address (https://distributed.dask.org/en/stable/client.html).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dask.bag as db
import networkx as nx
from distributed import Client, Future, LocalCluster

from paperlineage.enrich.citations import Citation
from paperlineage.enrich.dumps import assemble, dump_files, read_shard
from paperlineage.enrich.hf_daily import DailyFetch
from paperlineage.enrich.ingest import IngestReport, collect, listing_files, read_file
from paperlineage.enrich.models import Paper
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.text.scan import ScanResult, keyword_uses, method_automaton, scan, text_uses
from paperlineage.enrich.text.vocabulary import (
    MethodEntry, curated_vocabulary, introduced_names, merge_introduced, vocabulary_from,
)
from paperlineage.graph.mentions import (
    Introducer, Mention, MentionReport, earlier_users, hit_links, introduced_by, settle_links, void_names,
)
from paperlineage.graph.shared_methods import SharedMethod, method_users, shared_method_edges

#: Papers per partition: large enough that a task's overhead is small beside its scan.
PARTITION_SIZE = 5_000


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes.

    One thread per worker process: the stages are pure Python, so threads would share one GIL.
    """
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


def ingest_dask(
    client: Client, paths: list[Path], daily: DailyFetch | None = None, previous: Iterable[Paper] = ()
) -> tuple[list[Paper], IngestReport]:
    """:func:`enrich.ingest.ingest`, with one task per input file."""
    files = listing_files(paths)
    reads = db.from_sequence(files, npartitions=len(files)).map(read_file).compute() if files else []
    return collect(reads, daily, previous)


def read_inputs_dask(
    client: Client, paths: list[Path], dump: str | None = None, daily: DailyFetch | None = None, previous: Iterable[Paper] = ()
) -> tuple[list[Paper], list[Citation], IngestReport]:
    """:func:`pipeline.read_inputs` with one task per input file (for a dump: per shard)."""
    if not dump:
        papers, report = ingest_dask(client, paths, daily, previous)
        return papers, [], report
    files = dump_files(paths)
    shards = db.from_sequence(files, npartitions=max(1, len(files))).map(read_shard, dump).compute() if files else []
    return assemble(shards, dump)


def partition(client: Client, papers: list[Paper], size: int = PARTITION_SIZE) -> list[Future]:
    """The papers, sorted by id, as contiguous partitions held on the workers."""
    ordered = sorted(papers, key=lambda p: p.id)
    chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]
    return client.scatter(chunks)


def text_dask(client: Client, parts: list[Future]) -> list[Future]:
    """:func:`enrich_from_text` for every paper, partition by partition."""
    return client.map(_text_partition, parts)


def gather_papers(client: Client, parts: list[Future]) -> list[Paper]:
    """Every paper, in id order."""
    return [paper for part in client.gather(parts) for paper in part]


def text_papers(client: Client, papers: list[Paper]) -> list[Paper]:
    """`papers` (in id order, as ingest returns them) read for links and names on the cluster."""
    parts = text_dask(client, partition(client, papers))
    try:
        return gather_papers(client, parts)
    finally:
        for future in parts:
            future.release()


@dataclass
class DaskLinks:
    """What the linking stages gave, ready for :func:`pipeline.assemble_graph`."""

    vocabulary: list[MethodEntry]
    used: dict[str, list[str]]
    mentions: list[Mention]
    shared: list[SharedMethod]
    report: MentionReport
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, for the bench."""


def link_dask(
    client: Client, parts: list[Future], methods_file: Path | None = None, citations: list[Citation] | None = None,
    clock: Any = None,
) -> DaskLinks:
    """The edges of :func:`pipeline.link_papers`, computed over `parts` (enriched papers, id order)."""
    timer = _Timer(clock)
    _, curated = curated_vocabulary(methods_file)
    owners = merge_introduced(client.gather(client.map(introduced_names, parts)))
    vocabulary = vocabulary_from(owners, curated)
    timer.lap("vocabulary")
    vocabulary_f = _broadcast(client, vocabulary)
    owned = introduced_by(vocabulary)
    owned_f = _broadcast(client, owned)
    intro: dict[str, Introducer] = {}
    for part in client.gather(client.map(_introducers, parts, owners=owned_f)):
        intro.update(part)
    intro_f = _broadcast(client, intro)
    scans = client.map(_scan_partition, parts, vocabulary=vocabulary_f)
    rejected_by_scan = [m for part in client.gather(client.map(_scan_rejected, scans)) for m in part]
    timer.lap("scan")

    report = MentionReport(rejected=rejected_by_scan)
    earlier: dict[str, set[str]] = {}
    for part in client.gather(client.map(_earlier, scans, parts, owners=owned_f, intro=intro_f)):
        for name, ids in part.items():
            earlier.setdefault(name, set()).update(ids)
    void = void_names(owned, earlier, report)
    cited = {(c.cited, c.citing) for c in citations or []}
    void_f, cited_f = _broadcast(client, void), _broadcast(client, cited)
    links: dict[tuple[str, str], Mention] = {}
    for part_links, rejected, settled in client.gather(
        client.map(_hit_links, scans, parts, owners=owned_f, void=void_f, intro=intro_f, cited=cited_f)
    ):
        links.update(part_links)  # disjoint: a link's target is a paper of its partition
        report.rejected += [message for _, message in rejected]
        report.settled_by_citation += [message for _, message in settled]
    mentions = settle_links(links, owned, void, intro, report)
    timer.lap("mention links")

    used_parts = client.gather(client.map(_uses_partition, scans, parts, vocabulary=vocabulary_f))
    tagged = [p for part in client.gather(client.map(_with_keywords, parts)) for p in part]
    extra = keyword_uses(tagged, vocabulary)
    used: dict[str, list[str]] = {}
    dates: dict[str, dt.date | None] = {}
    for part_used, part_dates in used_parts:
        for paper_id, methods in part_used.items():
            used[paper_id] = sorted(methods | extra.get(paper_id, set()))
        dates.update(part_dates)
    shared, report.too_common_methods = shared_method_edges(method_users(used), dates)
    timer.lap("shared methods")
    for future in (vocabulary_f, owned_f, intro_f, void_f, cited_f, *scans):
        future.release()
    return DaskLinks(vocabulary, used, mentions, shared, report, timer.stages)


def link_papers_dask(
    client: Client, papers: list[Paper], methods_file: Path | None = None, method_view: bool = False,
    citations: list[Citation] | None = None,
) -> tuple[nx.MultiDiGraph, MentionReport]:
    """:func:`pipeline.link_papers` with the corpus-wide stages on the cluster behind `client`."""
    from paperlineage.pipeline import assemble_graph  # the pipeline imports this module lazily

    parts = partition(client, papers)
    links = link_dask(client, parts, methods_file, citations)
    ordered = sorted(papers, key=lambda p: p.id)
    graph = assemble_graph(ordered, links.used, citations or [], links.mentions, links.shared, links.vocabulary, method_view)
    return graph, links.report


def _broadcast(client: Client, value: Any) -> Future:
    """One copy of `value` on every worker, sent once (a list or dict would be scattered item by item)."""
    return client.scatter([value], broadcast=True)[0]


class _Timer:
    def __init__(self, clock: Any) -> None:
        self.clock, self.stages = clock, {}
        self.last = clock() if clock else 0.0

    def lap(self, stage: str) -> None:
        if self.clock:
            now = self.clock()
            self.stages[stage], self.last = now - self.last, now


# The tasks. Module-level functions, so workers unpickle them by reference.

def _text_partition(papers: list[Paper]) -> list[Paper]:
    return [enrich_from_text(p) for p in papers]


def _introducers(papers: list[Paper], owners: dict[str, list[str]]) -> dict[str, Introducer]:
    ids = {i for owned in owners.values() for i in owned}
    return {p.id: Introducer(p.id, p.date, p.title) for p in papers if p.id in ids}


# One automaton per worker process and vocabulary: building it for a million names takes
# seconds, and every partition a worker scans uses the same scattered vocabulary object.
_AUTOMATON: dict[str, Any] = {}


def _scan_partition(papers: list[Paper], vocabulary: list[MethodEntry]) -> ScanResult:
    if _AUTOMATON.get("vocabulary") is not vocabulary:
        _AUTOMATON.clear()
        _AUTOMATON.update(vocabulary=vocabulary, automaton=method_automaton(vocabulary) if vocabulary else None)
    return scan(papers, vocabulary, _AUTOMATON["automaton"])


def _scan_rejected(scanned: ScanResult) -> list[str]:
    return scanned.rejected


def _dates(papers: list[Paper]) -> dict[str, dt.date | None]:
    return {p.id: p.date for p in papers}


def _earlier(scanned: ScanResult, papers: list[Paper], owners: dict, intro: dict) -> dict[str, set[str]]:
    return dict(earlier_users(owners, intro, scanned.occurrences, _dates(papers)))


def _hit_links(scanned: ScanResult, papers: list[Paper], owners: dict, void: set, intro: dict, cited: set) -> tuple:
    return hit_links(scanned.occurrences, owners, void, intro, _dates(papers), cited)


def _uses_partition(
    scanned: ScanResult, papers: list[Paper], vocabulary: list[MethodEntry]
) -> tuple[dict[str, set[str]], dict[str, dt.date | None]]:
    used = text_uses(vocabulary, scanned.occurrences)
    return {p.id: set(used.get(p.id, ())) for p in papers}, _dates(papers)


def _with_keywords(papers: list[Paper]) -> list[Paper]:
    return [p for p in papers if p.keywords]
