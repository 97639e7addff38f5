"""GraphML export: the portable file Gephi, Cytoscape, igraph and networkx all read.

The bytes depend only on the graph, not on the order its attributes happen to be
stored in. A graph built in memory lists node attributes in the order the build
set them, one read back from ``graph.json`` in alphabetical order (the JSON is
written with sorted keys), and networkx writes both as they come. So
`write_graphml` writes a canonical form:

- ``<key>`` declarations sorted by scope (graph, node, edge), then name;
- the ``<data>`` of every graph, node and edge element sorted by key name;
- nodes and edges in the graph's own order (the build adds them sorted).

Text is passed through `xml_text` on the way out: a control character or U+FFFE in a
title makes the whole file unparseable, so the characters XML 1.0 cannot hold are dropped.

It always uses networkx's ElementTree writer (``GraphMLWriter``), never the lxml one
that ``nx.write_graphml`` picks when lxml happens to be installed, because the two
format the same document differently. See
https://networkx.org/documentation/stable/reference/readwrite/graphml.html.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

_SCOPES = {"graph": 0, "node": 1, "edge": 2}

# What XML 1.0 cannot hold, not even escaped (https://www.w3.org/TR/xml/#charsets): C0 controls
# but tab, LF and CR; lone surrogates (they cannot be encoded as UTF-8 either); U+FFFE, U+FFFF.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> object:
    r"""`value` with the characters XML cannot hold removed if it is a string, else `value` itself.

    Used by every XML writer (GraphML here, GEXF in `export_formats`).

    >>> xml_text("Bad\x01Title\ufffe")
    'BadTitle'
    >>> xml_text(3)
    3
    """
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def _sorted(data: dict) -> dict:
    return {k: xml_text(data[k]) for k in sorted(data, key=str)}


def canonical_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `graph` whose graph, node and edge attributes are in name order, text XML-safe."""
    copy = nx.MultiDiGraph()
    copy.graph.update(_sorted(graph.graph))
    copy.add_nodes_from((xml_text(n), _sorted(d)) for n, d in graph.nodes(data=True))
    copy.add_edges_from((xml_text(u), xml_text(v), xml_text(k), _sorted(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return copy


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write `graph` as GraphML in canonical order (see the module docstring)."""
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(canonical_graph(graph))
    keys = [element for element in writer.xml if element.tag == "key"]
    for element in keys:
        writer.xml.remove(element)
    keys.sort(key=lambda e: (_SCOPES.get(e.get("for", ""), 3), e.get("attr.name", ""), e.get("attr.type", "")))
    for index, element in enumerate(keys):
        writer.xml.insert(index, element)
    with Path(path).open("wb") as handle:
        writer.dump(handle)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a graph written by `write_graphml`, keeping it a keyed multigraph."""
    graph = nx.read_graphml(path, force_multigraph=True)
    return graph
