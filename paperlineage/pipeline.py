"""The one way through: listings → papers → enriched papers → graph → files.

Each stage is a plain function from its package; this module only wires them
and gathers what each stage reports, so the CLI can summarise a run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

import networkx as nx

from paperlineage.cache import HttpConfig, base_urls_from_env, make_session, tokens_from_env
from paperlineage.enrich.calls import SourceCaller
from paperlineage.enrich.citations import Citation
from paperlineage.enrich.hf_daily import DailyFetch, read_days
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.dumps import read_dump
from paperlineage.enrich.ingest import IngestReport, ingest
from paperlineage.enrich.models import Paper
from paperlineage.enrich.online import Clients, enrich_online
from paperlineage.enrich.outcomes import Failure, Outcomes, Reason, reason_text
from paperlineage.enrich.resolve import DEFAULT_MIN_CONFIDENCE
from paperlineage.enrich.sources import SPECS
from paperlineage.enrich.text.vocabulary import MethodEntry, corpus_vocabulary, curated_vocabulary
from paperlineage.graph.analysis import add_analysis
from paperlineage.graph.build import add_citations, add_mentions, add_shared_methods, build_graph, mark_confirmed, mark_new
from paperlineage.graph.export_graphml import write_graphml
from paperlineage.graph.export_html import HtmlExport, write_html
from paperlineage.graph.export_json import write_graph_json, write_papers_json
from paperlineage.graph.export_parquet import write_edges_parquet, write_papers_parquet
from paperlineage.graph.mentions import Mention, MentionReport, find_mentions
from paperlineage.enrich.text.scan import scan, uses
from paperlineage.graph.method_view import add_method_view
from paperlineage.graph.shared_methods import SharedMethod, shared_methods
from paperlineage.outputs import OutputSet, output_lock
from paperlineage.previous import PAPERS, PreviousBuild, PreviousBuildError, read_previous
from paperlineage.whats_new import WhatsNew, compare, write_whats_new

FIELDS = ("arxiv_id", "github")


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """Everything a build can be asked, besides its input paths. Keyword-only, so calls read."""

    out: Path = Path("outputs")
    """Folder the outputs are written to."""
    http: HttpConfig = field(default_factory=HttpConfig)
    """The HTTP layer's settings: cache file, offline, refresh, timeouts, rates."""
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    """A resolved field below this confidence stays empty (its candidates are reported)."""
    methods_file: Path | None = None
    """Extra method vocabulary (JSON, the format of ``enrich/data/methods.json``)."""
    method_view: bool = False
    """Add method nodes with ``introduces``/``uses`` edges."""
    layout: str = "force"
    """``graph.html`` start positions: ``force`` or ``timeline``."""
    size_by: str = "pagerank"
    """``graph.html`` node size: ``pagerank`` or ``stars``."""
    hf_daily: list[dt.date] = field(default_factory=list)
    """Hugging Face Daily Papers days to read as an input (``--hf-daily``; :func:`enrich.hf_daily.parse_range`)."""
    update: bool = False
    """Keep the papers of the previous build in `out` and add the inputs to them (``paperlineage update``);
    without it the previous build is only what ``whats_new.json`` compares with."""
    engine: str = "local"
    """``local``: every stage in this process; ``dask``: the corpus-wide stages on a Dask cluster
    (:mod:`paperlineage.engine_dask`), with the same outputs."""
    scheduler: str | None = None
    """With ``engine="dask"``: the address of a running scheduler (``tcp://host:8786``); none starts a local cluster."""
    workers: int = 2
    """With ``engine="dask"`` and no scheduler: worker processes of the local cluster."""
    dump: str | None = None
    """The inputs are shards of a bulk dump: ``s2`` (Semantic Scholar datasets) or ``openalex``
    (works snapshot), read by :mod:`paperlineage.enrich.dumps`; their citations become ``cites`` edges."""


@dataclass
class OnlineResult:
    """What online enrichment gave: the papers, what each source did, citations, requests."""

    papers: list[Paper]
    outcomes: Outcomes = field(default_factory=Outcomes)
    citations: list[Citation] = field(default_factory=list)
    requests: dict[str, dict[str, int]] = field(default_factory=dict)
    dead_hosts: dict[str, str] = field(default_factory=dict)


@dataclass
class BuildResult:
    """Everything a build produced, for the summary and for callers in Python."""

    papers: list[Paper]
    graph: nx.MultiDiGraph
    ingest: IngestReport
    mentions: MentionReport
    outcomes: Outcomes
    requests: dict[str, dict[str, int]] = field(default_factory=dict)
    dead_hosts: dict[str, str] = field(default_factory=dict)
    unresolved: dict[str, dict[str, list[Reason]]] = field(default_factory=dict)
    """Per field, the papers left without a value and every source's reason."""
    written: list[Path] = field(default_factory=list)
    html: HtmlExport | None = None
    """How ``graph.html`` was drawn (layout, physics), for the summary."""
    offline: bool = False
    """The build made no request (so ID-only papers could not be hydrated)."""
    whats_new: WhatsNew = field(default_factory=WhatsNew)
    """What this build adds to the previous one in its folder (``whats_new.json``)."""
    previous_problem: str = ""
    """Why the previous outputs could not be compared with (a plain build goes on without them)."""


#: Why a field no source spoke about is empty: the text had nothing, and nothing else was asked.
_TEXT_ONLY = {"github": Failure("not found", "no link in the abstract"), "arxiv_id": Failure("not found", "not looked up")}


def unresolved_fields(papers: list[Paper], outcomes: Outcomes) -> dict[str, dict[str, list[Reason]]]:
    """Per field, the papers left without a value and every source's reason."""
    result: dict[str, dict[str, list[Reason]]] = {name: {} for name in FIELDS}
    for paper in papers:
        for name in FIELDS:
            if not getattr(paper, name):
                result[name][paper.id] = outcomes.reasons_for(name, paper.id) or [Reason("text", _TEXT_ONLY[name])]
    return result


def report_document(result: BuildResult) -> dict[str, Any]:
    """``report.json``: what was skipped, refused or left unresolved, and why."""
    return {
        "files": result.ingest.files,
        "file_errors": [str(e) for e in result.ingest.file_errors],
        "problems": [p.model_dump(mode="json") for p in result.ingest.problems],
        "ambiguous_method_names": result.mentions.ambiguous_names,
        "method_names_too_common_for_one_paper": result.mentions.too_common_for_one_paper,
        "collisions_settled_by_citation": result.mentions.settled_by_citation,
        "rejected_mentions": result.mentions.rejected,
        "methods_too_common_to_link": result.mentions.too_common_methods,
        "method_vocabulary_version": curated_vocabulary()[0],
        "sources": result.outcomes.table(),
        "notes": result.outcomes.notes,
        "unresolved": {name: {pid: reason_text(r) for pid, r in papers.items()} for name, papers in result.unresolved.items()},
        "candidates": {p.id: {k: [c.model_dump() for c in v] for k, v in p.candidates.items()} for p in result.papers if p.candidates},
    }


def link_papers(
    papers: list[Paper],
    methods_file: Path | None = None,
    method_view: bool = False,
    citations: list[Citation] | None = None,
) -> tuple[nx.MultiDiGraph, MentionReport]:
    """The lineage graph of enriched papers: one scan of all texts, then the edges and analysis."""
    _, curated = curated_vocabulary(methods_file)
    vocabulary = corpus_vocabulary(papers, curated)
    scanned = scan(papers, vocabulary)
    cited = {(c.cited, c.citing) for c in citations or []}
    mentions, mention_report = find_mentions(papers, vocabulary, scanned, cited)
    used = uses(papers, vocabulary, scanned)
    shared, too_common = shared_methods(papers, used)
    mention_report.too_common_methods = too_common
    return assemble_graph(papers, used, citations or [], mentions, shared, vocabulary, method_view), mention_report


def assemble_graph(
    papers: list[Paper],
    used: dict[str, list[str]],
    citations: list[Citation],
    mentions: list[Mention],
    shared: list[SharedMethod],
    vocabulary: list[MethodEntry],
    method_view: bool = False,
) -> nx.MultiDiGraph:
    """The networkx graph from the linked edges, built once; both engines end here."""
    graph = build_graph(papers, used)
    add_citations(graph, citations)
    add_mentions(graph, mentions)
    add_shared_methods(graph, shared)
    mark_confirmed(graph)  # a mentions edge that a cites edge on the same pair backs
    if method_view:
        add_method_view(graph, vocabulary, used)
    add_analysis(graph)
    return graph


def enrich_over_http(papers: list[Paper], http: HttpConfig, min_confidence: float) -> OnlineResult:
    """Online enrichment through one cached session shared by every source's client."""
    base_urls, tokens = base_urls_from_env(SPECS), tokens_from_env(SPECS)
    with make_session(http, SPECS, base_urls, tokens) as session:
        clients = Clients.over(session, base_urls, tokens, http.timeout)
        papers, outcomes, citations = enrich_online(papers, clients, lambda: session.dead_hosts, min_confidence)
        stats = {source: s.as_dict() for source, s in sorted(session.stats.items())}
        if session.cache_problem:
            outcomes.note(session.cache_problem)
        return OnlineResult(papers, outcomes, citations, stats, session.dead_hosts)


def fetch_daily(days: list[dt.date], http: HttpConfig) -> DailyFetch:
    """The daily pages of `days`, one request each, through the run's cache (:mod:`enrich.hf_daily`)."""
    base_urls, tokens = base_urls_from_env(SPECS), tokens_from_env(SPECS)
    with make_session(http, SPECS, base_urls, tokens) as session:
        clients = Clients.over(session, base_urls, tokens, http.timeout)
        call = SourceCaller(Outcomes(), lambda: session.dead_hosts)
        fetch = read_days(days, clients.huggingface, call, dt.datetime.now(dt.timezone.utc).date())
        fetch.requests = {source: s.as_dict() for source, s in sorted(session.stats.items())}
        return fetch


def _add_requests(a: dict[str, dict[str, int]], b: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Per-source request counts of two sessions, summed."""
    total = {source: dict(counts) for source, counts in a.items()}
    for source, counts in b.items():
        row = total.setdefault(source, dict.fromkeys(counts, 0))
        for key, n in counts.items():
            row[key] = row.get(key, 0) + n
    return dict(sorted(total.items()))


def run_build(paths: list[Path], options: BuildOptions | None = None) -> BuildResult:
    """Build the lineage graph from listing files and write every output into ``options.out``.

    ``options.layout`` and ``options.size_by`` shape only ``graph.html``
    (see :func:`paperlineage.graph.export_html.write_html`).
    """
    options = options or BuildOptions()
    with output_lock(options.out), _engine(options) as client:  # a second build into the same folder is refused
        daily = fetch_daily(options.hf_daily, options.http) if options.hf_daily else None
        previous, problem = _previous(options)
        kept = previous.papers if options.update and previous else ()
        if client is None:
            papers, dumped, ingest_report = read_inputs(paths, options.dump, daily, kept)
            papers = [enrich_from_text(p) for p in papers]
        else:
            from paperlineage import engine_dask

            papers, dumped, ingest_report = engine_dask.read_inputs_dask(client, paths, options.dump, daily, kept)
            papers = engine_dask.text_papers(client, papers)
        online = enrich_over_http(papers, options.http, options.min_confidence) if papers else OnlineResult(papers)
        if daily:
            online.requests = _add_requests(daily.requests, online.requests)
        papers = online.papers  # online enrichment stays in this process: it is rate-limited HTTP
        citations = dumped + online.citations
        if client is None:
            graph, mention_report = link_papers(papers, options.methods_file, options.method_view, citations)
        else:
            graph, mention_report = engine_dask.link_papers_dask(
                client, papers, options.methods_file, options.method_view, citations
            )
        result = BuildResult(
            papers, graph, ingest_report, mention_report, online.outcomes, online.requests, online.dead_hosts,
            unresolved_fields(papers, online.outcomes), offline=options.http.offline, previous_problem=problem,
        )
        result.whats_new = compare(previous, papers, graph)
        mark_new(graph, result.whats_new.new_ids)
        if papers:  # a build that found nothing leaves the previous outputs as they were
            result.written = write_outputs(result, options)
    return result


def output_writers(result: BuildResult, options: BuildOptions) -> list[tuple[str, Callable[[Path], object]]]:
    """Every output file of a build as (name, writer of that file's path), in writing order.

    `write_outputs` stages them; ``bench/graph_scale.py`` times each one.
    """
    def report(path: Path) -> None:
        text = json.dumps(report_document(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        path.write_text(text, encoding="utf-8")

    return [
        ("papers.json", lambda path: write_papers_json(result.papers, path)),
        ("graph.graphml", lambda path: write_graphml(result.graph, path)),
        ("graph.html", lambda path: write_html(result.graph, path, layout=options.layout, size_by=options.size_by)),
        ("graph.json", lambda path: write_graph_json(result.graph, path)),
        ("report.json", report),
        ("papers.parquet", lambda path: write_papers_parquet(result.graph, path)),
        ("edges.parquet", lambda path: write_edges_parquet(result.graph, path)),
        ("whats_new.json", lambda path: write_whats_new(result.whats_new, path)),
    ]


def _previous(options: BuildOptions) -> tuple[PreviousBuild | None, str]:
    """The previous build in `options.out`, and why there is none when a plain build goes on without it.

    Raises:
        PreviousBuildError: an update, and the folder holds no readable previous build (nothing is written).
    """
    if options.update:
        return read_previous(options.out), ""
    if not (options.out / PAPERS).exists():
        return None, ""  # a first build: nothing to compare with
    try:
        return read_previous(options.out), ""
    except PreviousBuildError as exc:  # a build replaces the folder's outputs anyway
        return None, str(exc)


def read_inputs(
    paths: list[Path], dump: str | None = None, daily: DailyFetch | None = None, previous: Iterable[Paper] = ()
) -> tuple[list[Paper], list[Citation], IngestReport]:
    """Papers, the citations the inputs give (dumps only) and the ingest report, in this process.

    `daily` (``--hf-daily``) and `previous` (``update``) merge in with listing inputs, not with a dump.
    """
    if dump:
        return read_dump(paths, dump)
    papers, report = ingest(paths, daily, previous)
    return papers, [], report


@contextmanager
def _engine(options: BuildOptions) -> Iterator[Any]:
    """None for the in-process engine, else a Dask client (imported only when asked for)."""
    if options.engine == "local":
        yield None
        return
    from paperlineage.engine_dask import dask_client

    with dask_client(options.scheduler, options.workers) as client:
        yield client


def write_outputs(result: BuildResult, options: BuildOptions) -> list[Path]:
    """Stage every output, then switch the set in (:mod:`paperlineage.outputs`).

    Raises:
        OutputError: a file could not be written or the set not switched in; `out` is unchanged.
    """
    outputs = OutputSet(options.out)
    try:
        for name, writer in output_writers(result, options):
            written = outputs.write(name, writer)
            if name == "graph.html":
                result.html = written  # type: ignore[assignment]
    except BaseException:
        outputs.discard()
        raise
    return outputs.commit()
