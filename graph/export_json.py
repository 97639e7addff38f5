"""JSON exports: ``papers.json`` (the enriched records) and ``graph.json`` (node-link).

Both are encoded with orjson (https://github.com/ijl/orjson), not the standard library's
encoder: with ``indent=2`` the standard library falls back to its pure-Python encoder, which
took 21 s for ``graph.json`` at 100k papers (``bench/graph_scale.py --compare`` prints the
ratio). orjson writes UTF-8 (as ``ensure_ascii=False`` did), two-space indentation
(``OPT_INDENT_2``) and, for ``graph.json``, keys in sorted order (``OPT_SORT_KEYS``), so the
output stays deterministic and the standard ``json`` module reads it back. The bytes are the
standard encoder's but for floats in exponent form: orjson writes ``5e-6`` where ``json``
wrote ``5e-06`` (a PageRank below 1e-4 in a large corpus); both read back as the same number.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import orjson

from paperlineage.enrich.models import LATE_FIELDS, Paper

_INDENTED = orjson.OPT_INDENT_2
_INDENTED_SORTED = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def papers_document(papers: list[Paper]) -> list[dict]:
    """The papers as plain JSON data, sorted by id, every field present but the `LATE_FIELDS`
    still at their default (so listing-only builds write what they always wrote)."""
    return [
        p.model_dump(mode="json", exclude={f for f in LATE_FIELDS if getattr(p, f) == Paper.model_fields[f].default})
        for p in sorted(papers, key=lambda p: p.id)
    ]


def write_papers_json(papers: list[Paper], path: Path) -> None:
    """Write ``papers.json``: a JSON array sorted by id, the models' field order, UTF-8."""
    Path(path).write_bytes(orjson.dumps(papers_document(papers), option=_INDENTED) + b"\n")


def _nested(value: object, level: int) -> bytes:
    """`value` as indented JSON for a place `level` indents deep (JSON strings hold no raw newline)."""
    return orjson.dumps(value, option=_INDENTED_SORTED).replace(b"\n", b"\n" + b"  " * level)


def _array(items, handle, batch: int = 10_000) -> None:
    """Write a JSON array one level deep (a top-level key's value), `batch` items per write."""
    first = True
    chunk: list[bytes] = []
    for item in items:
        chunk.append(b"    " + _nested(item, 2))
        if len(chunk) == batch:
            handle.write((b"[\n" if first else b",\n") + b",\n".join(chunk))
            first, chunk = False, []
    if chunk:
        handle.write((b"[\n" if first else b",\n") + b",\n".join(chunk))
        first = False
    handle.write(b"[]" if first else b"\n  ]")


def write_graph_json(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write the graph in networkx node-link form (``edges`` key), deterministic.

    Streamed: the bytes of ``orjson.dumps(nx.node_link_data(graph, edges="edges"))`` with
    sorted keys and two-space indents, written a batch of nodes or edges at a time, so the
    680 MB document of 100k papers never sits in memory whole.
    """
    nodes = ({**data, "id": node} for node, data in graph.nodes(data=True))
    edges = ({**data, "source": u, "target": v, "key": k} for u, v, k, data in graph.edges(keys=True, data=True))
    with Path(path).open("wb") as handle:
        handle.write(b'{\n  "directed": ' + orjson.dumps(graph.is_directed()) + b',\n  "edges": ')
        _array(edges, handle)
        handle.write(b',\n  "graph": ' + _nested(graph.graph, 1) + b',\n  "multigraph": ')
        handle.write(orjson.dumps(graph.is_multigraph()) + b',\n  "nodes": ')
        _array(nodes, handle)
        handle.write(b"\n}\n")


def read_graph_json(path: Path) -> nx.MultiDiGraph:
    """Read a graph written by `write_graph_json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
