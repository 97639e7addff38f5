"""The one way through: listings → papers → enriched papers → graph → files.

Each stage is a plain function from its package; this module only wires them
and gathers what each stage reports, so the CLI can summarise a run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from cache import HttpConfig, base_urls_from_env, make_session, tokens_from_env
from enrich.from_text import enrich_from_text
from enrich.ingest import IngestReport, ingest
from enrich.models import Paper
from enrich.online import Clients, enrich_online
from enrich.outcomes import Outcomes
from enrich.resolve import DEFAULT_MIN_CONFIDENCE
from enrich.sources import ArxivClient, GitHubClient, HuggingFaceClient, OpenAlexClient, SemanticScholarClient
from enrich.vocabulary import corpus_vocabulary, curated_vocabulary
from graph.analysis import add_analysis
from enrich.citations import Citation
from graph.build import add_citations, add_mentions, add_shared_methods, build_graph
from graph.export_graphml import write_graphml
from graph.export_html import HtmlExport, write_html
from graph.export_json import write_graph_json, write_papers_json
from graph.mentions import MentionReport, find_mentions
from graph.method_index import scan
from graph.method_view import add_method_view
from graph.shared_methods import shared_methods, uses

OUTPUT_FILES = ("papers.json", "graph.graphml", "graph.html", "graph.json", "report.json")
FIELDS = ("arxiv_id", "github")


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
    unresolved: dict[str, dict[str, str]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    html: HtmlExport | None = None
    """How ``graph.html`` was drawn (layout, physics), for the summary."""


def unresolved_fields(papers: list[Paper], outcomes: Outcomes) -> dict[str, dict[str, str]]:
    """Per field, the papers left without a value and why, in words."""
    result: dict[str, dict[str, str]] = {name: {} for name in FIELDS}
    for paper in papers:
        for name in FIELDS:
            if getattr(paper, name):
                continue
            reason = outcomes.reason(name, paper.id)
            if reason is None:
                reason = "text: not found: no link in the abstract" if name == "github" else "text: not found: not looked up"
            result[name][paper.id] = reason
    return result


def report_document(result: BuildResult) -> dict[str, Any]:
    """``report.json``: what was skipped, refused or left unresolved, and why."""
    return {
        "files": result.ingest.files,
        "file_errors": [str(e) for e in result.ingest.file_errors],
        "problems": [p.model_dump(mode="json") for p in result.ingest.problems],
        "ambiguous_method_names": result.mentions.ambiguous_names,
        "rejected_mentions": result.mentions.rejected,
        "methods_too_common_to_link": result.mentions.too_common_methods,
        "method_vocabulary_version": curated_vocabulary()[0],
        "sources": result.outcomes.table(),
        "notes": result.outcomes.notes,
        "unresolved": result.unresolved,
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
    mentions, mention_report = find_mentions(papers, vocabulary, scanned)
    used = uses(papers, vocabulary, scanned)
    shared, too_common = shared_methods(papers, used)
    mention_report.too_common_methods = too_common
    graph = build_graph(papers, used)
    add_citations(graph, citations or [])
    add_mentions(graph, mentions)
    add_shared_methods(graph, shared)
    if method_view:
        add_method_view(graph, vocabulary, used)
    add_analysis(graph)
    return graph, mention_report


def enrich_over_http(
    papers: list[Paper], http: HttpConfig, min_confidence: float
) -> tuple[list[Paper], Outcomes, list[Citation], dict[str, dict[str, int]], dict[str, str]]:
    """Online enrichment through one cached session: papers, outcomes, citations, request counts, dead hosts."""
    base_urls, tokens = base_urls_from_env(), tokens_from_env()
    with make_session(http, base_urls, tokens) as session:
        clients = Clients(
            huggingface=HuggingFaceClient(session, base_urls["huggingface"], tokens.get("huggingface"), http.timeout),
            arxiv=ArxivClient(session, base_urls["arxiv"], None, http.timeout),
            semanticscholar=SemanticScholarClient(session, base_urls["semanticscholar"], tokens.get("semanticscholar"), http.timeout),
            openalex=OpenAlexClient(session, base_urls["openalex"], tokens.get("openalex"), http.timeout),
            github=GitHubClient(session, base_urls["github"], tokens.get("github"), http.timeout),
        )
        papers, outcomes, citations = enrich_online(papers, clients, lambda: session.dead_hosts, min_confidence)
        stats = {source: s.as_dict() for source, s in sorted(session.stats.items())}
        return papers, outcomes, citations, stats, session.dead_hosts


def run_build(
    paths: list[Path],
    out: Path,
    http: HttpConfig | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    methods_file: Path | None = None,
    method_view: bool = False,
    layout: str = "force",
    size_by: str = "pagerank",
) -> BuildResult:
    """Build the lineage graph from listing files and write every output into `out`.

    `layout` and `size_by` shape only ``graph.html`` (see :func:`graph.export_html.write_html`).
    """
    papers, ingest_report = ingest(paths)
    papers = [enrich_from_text(p) for p in papers]
    outcomes, citations, stats, dead = Outcomes(), [], {}, {}
    if papers:
        papers, outcomes, citations, stats, dead = enrich_over_http(papers, http or HttpConfig(), min_confidence)
    graph, mention_report = link_papers(papers, methods_file, method_view, citations)
    result = BuildResult(papers, graph, ingest_report, mention_report, outcomes, stats, dead, unresolved_fields(papers, outcomes))
    out.mkdir(parents=True, exist_ok=True)
    write_papers_json(papers, out / "papers.json")
    write_graphml(graph, out / "graph.graphml")
    result.html = write_html(graph, out / "graph.html", layout=layout, size_by=size_by)
    write_graph_json(graph, out / "graph.json")
    (out / "report.json").write_text(
        json.dumps(report_document(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    result.written = [out / name for name in OUTPUT_FILES]
    return result
