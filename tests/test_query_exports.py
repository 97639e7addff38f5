"""Round trips and portable exports: GraphML, JSON, GEXF and CSV of the seeds graph."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.cli import main
from paperlineage.graph.export_formats import FORMATS, export_graph, format_for, nodes_csv_path, read_gexf, write_gexf
from paperlineage.graph.export_graphml import write_graphml
from paperlineage.graph.export_json import write_graph_json
from paperlineage.graph.query import ego_subgraph, load_graph

GALORE = "galore-memory-efficient-llm-training-by-1807540d"


@pytest.fixture(scope="module")
def built(offline_seeds) -> Path:
    return offline_seeds.written[0].parent


@pytest.mark.parametrize(
    ("source", "write", "target"),
    [
        ("graph.graphml", write_graphml, "graph.graphml"),
        ("graph.json", write_graph_json, "graph.json"),
        ("graph.graphml", write_graph_json, "graph.json"),
        ("graph.json", write_graphml, "graph.graphml"),
    ],
    ids=["graphml-graphml", "json-json", "graphml-json", "json-graphml"],
)
def test_round_trip__load_then_write_equals_the_build_file(built: Path, tmp_path: Path, source: str, write, target: str):
    """Whatever file a graph was loaded from, writing it again gives the build's bytes."""
    write(load_graph(built / source), tmp_path / target)
    assert (tmp_path / target).read_bytes() == (built / target).read_bytes()


def test_export__graphml_bytes_ignore_attribute_order(tmp_path: Path):
    one, other = nx.MultiDiGraph(), nx.MultiDiGraph()
    one.graph.update(name="g", version=1)
    other.graph.update(version=1, name="g")
    one.add_node("a", node_type="paper", title="A", year=2024, pagerank=0.5)
    other.add_node("a", pagerank=0.5, year=2024, title="A", node_type="paper")
    one.add_node("b", title="B", stars=3)
    other.add_node("b", stars=3, title="B")
    one.add_edge("a", "b", key="mentions", kind="mentions", evidence="e", weight=1.0)
    other.add_edge("a", "b", key="mentions", weight=1.0, evidence="e", kind="mentions")
    write_graphml(one, tmp_path / "one.graphml")
    write_graphml(other, tmp_path / "other.graphml")
    text = (tmp_path / "one.graphml").read_text(encoding="utf-8")
    assert text == (tmp_path / "other.graphml").read_text(encoding="utf-8")
    keys = re.findall(r'<key id="([^"]+)" for="(\w+)"', text)
    assert keys == sorted(keys, key=lambda k: (["graph", "node", "edge"].index(k[1]), k[0]))
    assert re.findall(r'<data key="(\w+)"', text)[:4] == ["node_type", "pagerank", "title", "year"]  # node "a", in name order
    again = load_graph(tmp_path / "one.graphml")
    assert dict(again.nodes(data=True)) == dict(one.nodes(data=True)) and again.graph == one.graph


def test_round_trip__igraph_reads_the_graphml_with_the_same_counts(built: Path):
    igraph = pytest.importorskip("igraph")
    graph = load_graph(built / "graph.graphml")
    other = igraph.Graph.Read_GraphML(str(built / "graph.graphml"))
    assert (other.vcount(), other.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert other.is_directed()
    assert sorted(other.es["kind"]) == sorted(k for _, _, k in graph.edges(data="kind"))


def test_round_trip__ego_graphml_reloads_the_same(built: Path, tmp_path: Path):
    ego = ego_subgraph(load_graph(built / "graph.graphml"), GALORE, 2)
    write_graphml(ego, tmp_path / "ego.graphml")
    again = load_graph(tmp_path / "ego.graphml")
    assert list(again.nodes(data=True)) == list(ego.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(ego.edges(keys=True, data=True))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export__same_bytes_twice_same_content_from_json(built: Path, tmp_path: Path, fmt: str):
    first = export_graph(ego_subgraph(load_graph(built / "graph.graphml"), GALORE, 1), fmt, tmp_path / f"a-edges.{fmt}")
    second = export_graph(ego_subgraph(load_graph(built / "graph.graphml"), GALORE, 1), fmt, tmp_path / f"b-edges.{fmt}")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    if fmt in ("graphml", "json"):  # both are canonical: loaded from graph.json, the same bytes
        from_json = export_graph(ego_subgraph(load_graph(built / "graph.json"), GALORE, 1), fmt, tmp_path / f"c.{fmt}")
        assert from_json[0].read_bytes() == first[0].read_bytes()


def test_export__gexf_reads_back_with_labels_and_no_date(built: Path, tmp_path: Path):
    graph = load_graph(built / "graph.graphml")
    write_gexf(graph, tmp_path / "g.gexf")
    text = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text
    again = read_gexf(tmp_path / "g.gexf")
    assert (again.number_of_nodes(), again.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert again.nodes[GALORE]["label"] == graph.nodes[GALORE]["title"]
    assert again.nodes[GALORE]["pagerank"] == graph.nodes[GALORE]["pagerank"]


def test_export__gexf_flattens_non_scalar_attributes(tmp_path: Path):
    graph = nx.MultiDiGraph()
    graph.add_node("a", title="A", tags=["x", "y"], missing=None)
    graph.add_edge("a", "a", key="mentions", kind="mentions", names=("n1", "n2"))
    write_gexf(graph, tmp_path / "g.gexf")
    again = read_gexf(tmp_path / "g.gexf")
    assert again.nodes["a"]["tags"] == "x; y" and again.nodes["a"]["missing"] == ""


def test_export__csv_writes_edges_and_nodes_next_to_them(built: Path, tmp_path: Path):
    graph = ego_subgraph(load_graph(built / "graph.graphml"), GALORE, 1)
    written = export_graph(graph, "csv", tmp_path / "edges.csv")
    assert written == [tmp_path / "edges.csv", tmp_path / "nodes.csv"]
    with written[0].open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    with written[1].open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    assert len(edges) == graph.number_of_edges() and len(nodes) == graph.number_of_nodes()
    assert list(edges[0])[:3] == ["source", "target", "kind"] and list(nodes[0])[0] == "id"
    assert [n["id"] for n in nodes] == list(graph.nodes)
    mention = next(e for e in edges if e["kind"] == "mentions")
    assert mention["evidence"] == graph.edges[mention["source"], mention["target"], "mentions"]["evidence"]


def test_export__csv_cells_that_a_spreadsheet_would_run_get_a_quote(tmp_path: Path):
    formulas = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1)", "\tx=1", "\r=1"]
    graph = nx.MultiDiGraph()
    for i, text in enumerate(formulas):
        graph.add_node(f"p{i}", node_type="paper", title=text, pagerank=-0.5)
    graph.add_node("plain", node_type="paper", title="GaLore: a - b = c", pagerank=0.25)
    graph.add_edge("p0", "plain", key="mentions", kind="mentions", evidence="=1+1 is how we cite it", weight=1.0)
    write_graph_json(graph, tmp_path / "graph.json")
    assert main(["export", "--graph", str(tmp_path / "graph.json"), "--out", str(tmp_path / "edges.csv")]) == 0
    with (tmp_path / "nodes.csv").open(encoding="utf-8", newline="") as handle:
        nodes = {row["id"]: row for row in csv.DictReader(handle)}
    with (tmp_path / "edges.csv").open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert [nodes[f"p{i}"]["title"] for i in range(len(formulas))] == [f"'{text}" for text in formulas[:-1]] + ["'\n=1"]
    assert len(nodes) == graph.number_of_nodes()  # the carriage return did not end a row
    assert nodes["plain"]["title"] == "GaLore: a - b = c"  # only the first character matters
    assert nodes["p0"]["pagerank"] == "-0.5"  # a number is not a formula
    assert edges[0]["evidence"] == "'=1+1 is how we cite it"


@pytest.mark.parametrize(
    "edges, nodes",
    [("out/edges.csv", "out/nodes.csv"), ("galore-edges.csv", "galore-nodes.csv"), ("galore.csv", "galore-nodes.csv"), ("x", "x-nodes.csv")],
)
def test_export__nodes_csv_path(edges: str, nodes: str):
    assert nodes_csv_path(Path(edges)) == Path(nodes)


def test_export__format_from_suffix_and_unknown_format(tmp_path: Path):
    assert [format_for(Path(f"g.{s}")) for s in ("graphml", "JSON", "gexf", "csv", "txt")] == ["graphml", "json", "gexf", "csv", None]
    with pytest.raises(ValueError):
        export_graph(nx.MultiDiGraph(), "dot", tmp_path / "g.dot")


def test_export__csv_attribute_named_like_a_column_does_not_overwrite_it(tmp_path: Path):
    import csv

    graph = nx.MultiDiGraph()
    graph.add_node("a", node_type="paper", title="A")
    graph.add_node("b", node_type="paper", title="B")
    graph.add_edge("a", "b", key="cites", kind="cites", source="semanticscholar", evidence="x", weight=1.0)
    edges_path, _ = export_graph(graph, "csv", tmp_path / "edges.csv")
    (row,) = list(csv.DictReader(edges_path.open(encoding="utf-8")))
    assert (row["source"], row["target"], row["kind"], row["attr_source"]) == ("a", "b", "cites", "semanticscholar")
