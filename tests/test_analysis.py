"""Community detection: finishes on inputs where networkx's Louvain loops forever, numbered deterministically."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

from paperlineage.graph.analysis import communities

ROOT = Path(__file__).resolve().parent.parent

# networkx 3.6's louvain_communities(..., seed=42) never returns on this graph (float round-off).
ROUND_OFF_EDGES = [("a", "b", 1.7346), ("a", "d", 1.7346), ("a", "e", 2.0794), ("b", "c", 2.0794), ("b", "d", 1.7346)]


def paper_graph(edges: list[tuple[str, str, float]]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in sorted({n for u, v, _ in edges for n in (u, v)}):
        graph.add_node(node, node_type="paper")
    for u, v, weight in edges:
        graph.add_edge(u, v, key="mentions", kind="mentions", weight=weight)
    return graph


def test_communities__round_off_graph_finishes():
    # In a subprocess: a hang inside C or a tight Python loop cannot be interrupted in-process reliably.
    code = (
        "from tests.test_analysis import ROUND_OFF_EDGES, paper_graph\n"
        "from paperlineage.graph.analysis import communities\n"
        "import json; print(json.dumps(communities(paper_graph(ROUND_OFF_EDGES))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert set(found) == {"a", "b", "c", "d", "e"}
    assert sorted(set(found.values())) == list(range(len(set(found.values()))))  # numbered 0..k-1


def test_communities__numbered_by_size_then_smallest_member():
    # Two triangles joined by a light edge and a separate pair: the triangles are the communities.
    edges = [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0), ("x", "y", 1.0), ("y", "z", 1.0), ("x", "z", 1.0),
             ("c", "x", 0.1), ("p", "q", 1.0), ("d", "e", 1.0), ("e", "f", 1.0), ("d", "f", 1.0)]
    graph = paper_graph(edges)
    found = communities(graph)
    groups: dict[int, list[str]] = {}
    for node, number in found.items():
        groups.setdefault(number, []).append(node)
    assert [sorted(groups[i]) for i in sorted(groups)] == [["a", "b", "c"], ["d", "e", "f"], ["x", "y", "z"], ["p", "q"]]
    assert all(communities(graph) == found for _ in range(5))  # deterministic


def test_communities__no_edges_one_per_paper():
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(["b", "a"], node_type="paper")
    assert communities(graph) == {"a": 0, "b": 1}


def test_communities__falls_back_to_components_when_louvain_fails(monkeypatch):
    import igraph

    def broken(self, *args, **kwargs):
        raise igraph.InternalError("simulated failure")

    monkeypatch.setattr(igraph.Graph, "community_multilevel", broken)
    G = paper_graph([("a", "b", 1.0), ("c", "d", 1.0)])
    found = communities(G)
    assert found["a"] == found["b"] != found["c"] == found["d"]
