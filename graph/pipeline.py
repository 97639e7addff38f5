"""The one way through: listings → papers → enriched papers → graph → files.

Each stage is a plain function from its package; this module only wires them
and gathers what each stage reports, so the CLI can summarise a run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from enrich.from_text import enrich_from_text
from enrich.ingest import IngestReport, ingest
from enrich.models import Paper
from graph.analysis import add_analysis
from graph.build import add_mentions, add_shared_methods, build_graph
from graph.export_graphml import write_graphml
from graph.export_html import write_html
from graph.export_json import write_graph_json, write_papers_json
from graph.mentions import MentionReport, find_mentions
from graph.method_index import scan
from graph.method_view import add_method_view
from graph.shared_methods import shared_methods, uses
from enrich.vocabulary import corpus_vocabulary, curated_vocabulary

OUTPUT_FILES = ("papers.json", "graph.graphml", "graph.html", "graph.json", "report.json")


@dataclass
class BuildResult:
    """Everything a build produced, for the summary and for callers in Python."""

    papers: list[Paper]
    graph: nx.MultiDiGraph
    ingest: IngestReport
    mentions: MentionReport
    unresolved: dict[str, dict[str, str]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def unresolved_fields(papers: list[Paper], offline: bool) -> dict[str, dict[str, str]]:
    """Per field, the papers left without a value and why, in words."""
    network_reason = "offline: no network lookups were made" if offline else "no source resolved it"
    result: dict[str, dict[str, str]] = {"arxiv_id": {}, "github": {}}
    for paper in papers:
        if not paper.arxiv_id:
            result["arxiv_id"][paper.id] = network_reason
        if not paper.github:
            if paper.candidates.get("github"):
                options = ", ".join(c.value for c in paper.candidates["github"])
                result["github"][paper.id] = f"ambiguous: {options}"
            else:
                result["github"][paper.id] = f"no link in the abstract; {network_reason}"
    return result


def report_document(result: BuildResult) -> dict:
    """``report.json``: what was skipped, refused or left unresolved, and why."""
    return {
        "files": result.ingest.files,
        "file_errors": [str(e) for e in result.ingest.file_errors],
        "problems": [p.model_dump(mode="json") for p in result.ingest.problems],
        "ambiguous_method_names": result.mentions.ambiguous_names,
        "rejected_mentions": result.mentions.rejected,
        "methods_too_common_to_link": result.mentions.too_common_methods,
        "unresolved": result.unresolved,
    }


def link_papers(
    papers: list[Paper], methods_file: Path | None = None, method_view: bool = False
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
    add_mentions(graph, mentions)
    add_shared_methods(graph, shared)
    if method_view:
        add_method_view(graph, vocabulary, used)
    add_analysis(graph)
    return graph, mention_report


def run_build(
    paths: list[Path],
    out: Path,
    offline: bool = True,
    methods_file: Path | None = None,
    method_view: bool = False,
) -> BuildResult:
    """Build the lineage graph from listing files and write every output into `out`."""
    papers, ingest_report = ingest(paths)
    papers = [enrich_from_text(p) for p in papers]
    graph, mention_report = link_papers(papers, methods_file, method_view)
    result = BuildResult(papers, graph, ingest_report, mention_report, unresolved_fields(papers, offline))
    out.mkdir(parents=True, exist_ok=True)
    write_papers_json(papers, out / "papers.json")
    write_graphml(graph, out / "graph.graphml")
    write_html(graph, out / "graph.html")
    write_graph_json(graph, out / "graph.json")
    (out / "report.json").write_text(
        json.dumps(report_document(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    result.written = [out / name for name in OUTPUT_FILES]
    return result
