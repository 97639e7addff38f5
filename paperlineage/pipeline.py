"""The one way through: listings → papers → enriched papers → graph → files.

Each stage is a plain function from its package; this module only wires them
and gathers what each stage reports, so the CLI can summarise a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from paperlineage.cache import HttpConfig, base_urls_from_env, make_session, tokens_from_env
from paperlineage.enrich.citations import Citation
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
from paperlineage.graph.build import add_citations, add_mentions, add_shared_methods, build_graph, mark_confirmed
from paperlineage.graph.export_graphml import write_graphml
from paperlineage.graph.export_html import HtmlExport, write_html
from paperlineage.graph.export_json import write_graph_json, write_papers_json
from paperlineage.graph.mentions import Mention, MentionReport, find_mentions
from paperlineage.enrich.text.scan import scan, uses
from paperlineage.graph.method_view import add_method_view
from paperlineage.graph.shared_methods import SharedMethod, shared_methods
from paperlineage.outputs import OutputSet, output_lock

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


def run_build(paths: list[Path], options: BuildOptions | None = None) -> BuildResult:
    """Build the lineage graph from listing files and write every output into ``options.out``.

    ``options.layout`` and ``options.size_by`` shape only ``graph.html``
    (see :func:`paperlineage.graph.export_html.write_html`).
    """
    options = options or BuildOptions()
    with output_lock(options.out), _engine(options) as client:  # a second build into the same folder is refused
        if client is None:
            papers, dumped, ingest_report = read_inputs(paths, options.dump)
            papers = [enrich_from_text(p) for p in papers]
        else:
            from paperlineage import engine_dask

            papers, dumped, ingest_report = engine_dask.read_inputs_dask(client, paths, options.dump)
            papers = engine_dask.text_papers(client, papers)
        online = enrich_over_http(papers, options.http, options.min_confidence) if papers else OnlineResult(papers)
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
            unresolved_fields(papers, online.outcomes), offline=options.http.offline,
        )
        if papers:  # a build that found nothing leaves the previous outputs as they were
            result.written = write_outputs(result, options)
    return result


def read_inputs(paths: list[Path], dump: str | None = None) -> tuple[list[Paper], list[Citation], IngestReport]:
    """Papers, the citations the inputs give (dumps only) and the ingest report, in this process."""
    if dump:
        return read_dump(paths, dump)
    papers, report = ingest(paths)
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
        outputs.write("papers.json", lambda path: write_papers_json(result.papers, path))
        outputs.write("graph.graphml", lambda path: write_graphml(result.graph, path))
        result.html = outputs.write(  # type: ignore[assignment]
            "graph.html", lambda path: write_html(result.graph, path, layout=options.layout, size_by=options.size_by)
        )
        outputs.write("graph.json", lambda path: write_graph_json(result.graph, path))
        report = json.dumps(report_document(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        outputs.write("report.json", lambda path: path.write_text(report, encoding="utf-8"))
    except BaseException:
        outputs.discard()
        raise
    return outputs.commit()
