"""JSON exports: ``papers.json`` (the enriched records) and ``graph.json`` (node-link)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from paperlineage.enrich.models import LATE_FIELDS, Paper


def papers_document(papers: list[Paper]) -> list[dict]:
    """The papers as plain JSON data, sorted by id, every field present but the `LATE_FIELDS`
    still at their default (so listing-only builds write what they always wrote)."""
    return [
        p.model_dump(mode="json", exclude={f for f in LATE_FIELDS if getattr(p, f) == Paper.model_fields[f].default})
        for p in sorted(papers, key=lambda p: p.id)
    ]


def write_papers_json(papers: list[Paper], path: Path) -> None:
    """Write ``papers.json``: a JSON array sorted by id, stable key order, UTF-8."""
    text = json.dumps(papers_document(papers), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def write_graph_json(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write the graph in networkx node-link form (``edges`` key), deterministic."""
    data = nx.node_link_data(graph, edges="edges")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_graph_json(path: Path) -> nx.MultiDiGraph:
    """Read a graph written by `write_graph_json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
