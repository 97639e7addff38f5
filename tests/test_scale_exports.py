"""The issue-16 rewrites keep what the code they replaced gave: same GraphML and JSON bytes (JSON
floats in exponent form excepted: ``5e-6`` for ``5e-06``), the
same communities and degrees, PageRank at least as exact; and the Parquet tables say what the graph says.

The reference writers below are the replaced code, kept here as the oracle (networkx's
ElementTree ``GraphMLWriter``, the standard ``json`` encoder).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import igraph
import networkx as nx
import pyarrow as pa
import pytest
from networkx.readwrite.graphml import GraphMLWriter

from paperlineage.graph import analysis
from paperlineage.graph.build import influence_graph
from paperlineage.graph.export_graphml import _SCOPES, canonical_graph, read_graphml, write_graphml
from paperlineage.graph.export_json import papers_document, write_graph_json, write_papers_json
from paperlineage.graph.export_parquet import read_parquet, write_edges_parquet, write_papers_parquet
from paperlineage.graph.kinds import EVIDENCE_SEPARATOR, PAPER_KINDS, split_list


def _element_tree_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """The writer `write_graphml` replaced: networkx's ElementTree document, keys sorted."""
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(canonical_graph(graph))
    keys = [element for element in writer.xml if element.tag == "key"]
    for element in keys:
        writer.xml.remove(element)
    keys.sort(key=lambda e: (_SCOPES.get(e.get("for", ""), 3), e.get("attr.name", ""), e.get("attr.type", "")))
    for index, element in enumerate(keys):
        writer.xml.insert(index, element)
    with path.open("wb") as handle:
        writer.dump(handle)


def _hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.graph["name"] = 'corpus "<&>"'
    graph.add_node('a&<"b', node_type="paper", title="T\x01i\ttle\n<b>&\"'\r", year=2024, pagerank=0.125, id_only=True, github="")
    graph.add_node("c")  # no attributes: an empty element
    graph.add_node("d", node_type="paper", title="é 😀\ufffe", year=0)
    graph.add_edge('a&<"b', "c", key="k1", kind="k1", weight=1.0, confirmed=False, evidence="x | y")
    graph.add_edge("c", "d", key="k2")
    return graph


@pytest.fixture(scope="module")
def seeds_graph(offline_seeds) -> nx.MultiDiGraph:
    return offline_seeds.graph.copy()


def _written(offline_seeds, name: str) -> Path:
    return next(p for p in offline_seeds.written if p.name == name)


@pytest.mark.parametrize("which", ["hostile", "empty", "seeds"])
def test_write_graphml__same_bytes_as_elementtree_writer(which: str, seeds_graph, tmp_path: Path):
    graph = {"hostile": _hostile_graph(), "empty": nx.MultiDiGraph(), "seeds": seeds_graph}[which]
    write_graphml(graph, tmp_path / "new.graphml")
    _element_tree_graphml(graph, tmp_path / "old.graphml")
    assert (tmp_path / "new.graphml").read_bytes() == (tmp_path / "old.graphml").read_bytes()


def test_write_graphml__readable_by_networkx_and_igraph(seeds_graph, tmp_path: Path):
    path = tmp_path / "g.graphml"
    write_graphml(seeds_graph, path)
    again = read_graphml(path)
    assert sorted(again.edges(keys=True)) == sorted(seeds_graph.edges(keys=True))
    some = sorted(seeds_graph.nodes)[7]
    assert again.nodes[some]["title"] == seeds_graph.nodes[some]["title"]
    loaded = igraph.Graph.Read_GraphML(str(path))
    assert (loaded.vcount(), loaded.ecount()) == (seeds_graph.number_of_nodes(), seeds_graph.number_of_edges())


def test_write_graphml__unsupported_value_type_is_refused(tmp_path: Path):
    graph = nx.MultiDiGraph()
    graph.add_node("a", tags=["x"])
    with pytest.raises(nx.NetworkXError, match="does not support"):
        write_graphml(graph, tmp_path / "g.graphml")


def test_json_exports__same_bytes_as_stdlib_encoder(offline_seeds, seeds_graph, tmp_path: Path):
    write_graph_json(seeds_graph, tmp_path / "graph.json")
    expected = json.dumps(nx.node_link_data(seeds_graph, edges="edges"), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert (tmp_path / "graph.json").read_bytes() == expected.encode("utf-8")
    write_papers_json(offline_seeds.papers, tmp_path / "papers.json")
    expected = json.dumps(papers_document(offline_seeds.papers), ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "papers.json").read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize("which", ["hostile", "empty"])
def test_write_graph_json__same_bytes_as_stdlib_encoder_on_odd_graphs(which: str, tmp_path: Path):
    graph = _hostile_graph() if which == "hostile" else nx.MultiDiGraph()
    write_graph_json(graph, tmp_path / "graph.json")
    expected = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert (tmp_path / "graph.json").read_bytes() == expected.encode("utf-8")


def test_write_graph_json__small_floats_read_back_equal(tmp_path: Path):
    graph = nx.MultiDiGraph()
    graph.add_node("a", pagerank=5e-06, weight=1.5e-12)
    write_graph_json(graph, tmp_path / "graph.json")
    node = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))["nodes"][0]
    assert (node["pagerank"], node["weight"]) == (5e-06, 1.5e-12)


def test_json_exports__non_ascii_stays_utf8(tmp_path: Path):
    graph = _hostile_graph()
    write_graph_json(graph, tmp_path / "graph.json")
    raw = (tmp_path / "graph.json").read_bytes()
    assert "é 😀".encode() in raw and b"\\u00e9" not in raw
    assert json.loads(raw)["nodes"][2]["title"] == "é 😀\ufffe"


def test_influence_pagerank__equals_networkx_solved_exactly():
    graph = nx.MultiDiGraph()
    graph.add_nodes_from("abcdefg", node_type="paper")  # g: no edge at all
    for u, v in [("a", "b"), ("b", "c"), ("c", "a"), ("a", "d"), ("d", "e"), ("a", "e"), ("f", "e")]:
        graph.add_edge(u, v, key="mentions", kind="mentions", weight=1.0)
    graph.add_edge("e", "f", key="shares_method", kind="shares_method", weight=1.0)  # not influence
    exact = nx.pagerank(influence_graph(graph).reverse(copy=True), alpha=0.85, tol=1e-13, max_iter=10_000)
    found = analysis.influence_pagerank(graph)
    assert found.keys() == exact.keys()
    assert all(abs(found[n] - exact[n]) < 1e-9 for n in exact)


def test_degree_counts__equal_counting_each_node_s_edges(seeds_graph):
    counts = analysis.degree_counts(seeds_graph)
    for node in list(counts)[:80]:
        for kind in PAPER_KINDS:
            assert counts[node][f"in_{kind}"] == sum(1 for _, _, k in seeds_graph.in_edges(node, keys=True) if k == kind)
            assert counts[node][f"out_{kind}"] == sum(1 for _, _, k in seeds_graph.out_edges(node, keys=True) if k == kind)


def test_communities__same_as_from_a_networkx_graph(seeds_graph):
    # The conversion the shared one replaced: a collapsed, weighted nx.Graph read into igraph.
    simple = nx.Graph()
    simple.add_nodes_from(sorted(n for n, t in seeds_graph.nodes(data="node_type") if t == "paper"))
    for u, v, weight in sorted(seeds_graph.edges(data="weight", default=1.0), key=lambda e: (e[0], e[1])):
        if u in simple and v in simple and u != v:
            simple.add_edge(u, v, weight=simple.get_edge_data(u, v, {}).get("weight", 0.0) + float(weight))
    converted = analysis.paper_igraph(seeds_graph)
    index = {name: i for i, name in enumerate(converted.names)}
    assert converted.names == list(simple.nodes)
    assert converted.undirected.get_edgelist() == [(index[u], index[v]) for u, v in simple.edges]
    assert converted.weights == [w for _, _, w in simple.edges(data="weight")]
    assert analysis.communities(seeds_graph, converted) == analysis.communities(seeds_graph)


def test_parquet__papers_table_is_the_graph_s_paper_nodes(offline_seeds, seeds_graph):
    table = read_parquet(_written(offline_seeds, "papers.parquet"))
    papers = sorted(n for n, t in seeds_graph.nodes(data="node_type") if t == "paper")
    assert table.num_rows == len(papers) == 306
    assert table.column("id").to_pylist() == papers
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("pagerank").type == pa.float64()
    assert table.schema.field("year").type == pa.int64()
    assert table.schema.field("methods").type == pa.list_(pa.string())
    rows = table.to_pylist()
    for row in rows[::17]:
        data = seeds_graph.nodes[row["id"]]
        assert row["title"] == data["title"] and row["pagerank"] == data["pagerank"] and row["year"] == data["year"]
        assert row["methods"] == split_list(data["methods"]) and row["date_text"] == data["date"]
        assert row["date"] == (dt.date.fromisoformat(data["date"]) if len(data["date"]) == 10 else None)
    assert any(row["date"] is not None for row in rows)


def test_parquet__edges_table_is_the_graph_s_edges_with_evidence(offline_seeds, seeds_graph):
    table = read_parquet(_written(offline_seeds, "edges.parquet"))
    edges = sorted(seeds_graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    assert table.num_rows == seeds_graph.number_of_edges() > 0
    columns = table.to_pydict()
    assert list(zip(columns["source"], columns["target"], columns["key"])) == [(u, v, k) for u, v, k, _ in edges]
    assert columns["evidence"] == [d["evidence"] for *_, d in edges]
    assert columns["weight"] == [d["weight"] for *_, d in edges]
    assert table.schema.field("names").type == pa.list_(pa.string())
    first = next(i for i, (*_, d) in enumerate(edges) if EVIDENCE_SEPARATOR in d["evidence"] or d.get("names"))
    assert columns["names"][first] == split_list(edges[first][3].get("names", ""))


def test_parquet__an_attribute_named_like_an_endpoint_keeps_its_value(tmp_path: Path):
    graph = nx.MultiDiGraph()
    graph.add_nodes_from("ab", node_type="paper", date="Jun 16")
    graph.add_edge("a", "b", key="cites", kind="cites", source="openalex", evidence="reference list (openalex)")
    write_edges_parquet(graph, tmp_path / "e.parquet")
    row = read_parquet(tmp_path / "e.parquet").to_pylist()[0]
    assert (row["source"], row["target"], row["attr_source"]) == ("a", "b", "openalex")
    write_papers_parquet(graph, tmp_path / "p.parquet")
    assert read_parquet(tmp_path / "p.parquet").to_pylist()[0]["date"] is None  # yearless: no date, text kept


def test_parquet__two_writes_are_byte_identical(seeds_graph, tmp_path: Path):
    for name, writer in (("papers", write_papers_parquet), ("edges", write_edges_parquet)):
        writer(seeds_graph, tmp_path / f"{name}1.parquet")
        writer(seeds_graph.copy(), tmp_path / f"{name}2.parquet")
        assert (tmp_path / f"{name}1.parquet").read_bytes() == (tmp_path / f"{name}2.parquet").read_bytes()
