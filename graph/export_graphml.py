"""GraphML export: the portable file Gephi, Cytoscape, igraph and networkx all read."""

from __future__ import annotations

from pathlib import Path

import networkx as nx


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write `graph` as GraphML; the bytes depend only on the graph (sorted, scalar attributes)."""
    nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True, named_key_ids=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a graph written by `write_graphml`, keeping it a keyed multigraph."""
    graph = nx.read_graphml(path, force_multigraph=True)
    return graph
