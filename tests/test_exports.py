from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest

from paperlineage.enrich.models import Paper
from paperlineage.graph.build import node_attributes
from paperlineage.cli import main
from paperlineage.graph.export_formats import write_gexf
from paperlineage.graph.export_graphml import read_graphml, write_graphml
from paperlineage.graph.export_json import read_graph_json
from tests.listings import LONG, block, listing

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HOSTILE = '<img src=x onerror=alert(1)>: </script><script>alert(2)</script> & "quotes"'


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(SEEDS), "--out", str(out), "--offline", "--cache", str(out / "http.sqlite")]) == 0
    return out


def test_build__graphml_matches_papers_json(seeds_out: Path):
    papers = json.loads((seeds_out / "papers.json").read_text())
    graph = nx.read_graphml(seeds_out / "graph.graphml")
    assert graph.number_of_nodes() == len(papers) == 306
    report = json.loads((seeds_out / "graph.json").read_text())
    assert graph.number_of_edges() == len(report["edges"]) > 0
    assert [p["id"] for p in papers] == sorted(p["id"] for p in papers)
    for paper in papers:
        assert {"id", "title", "arxiv_id", "github", "provenance"} <= paper.keys()


def test_build__graphml_attributes_are_portable_scalars(seeds_out: Path):
    graph = read_graphml(seeds_out / "graph.graphml")
    for _, data in graph.nodes(data=True):
        assert {"title", "arxiv_id", "github", "date"} <= data.keys()
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    for _, _, data in graph.edges(data=True):
        assert {"kind", "evidence"} <= data.keys()
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())


def test_build__json_graph_round_trip(seeds_out: Path):
    graph = read_graph_json(seeds_out / "graph.json")
    graphml = read_graphml(seeds_out / "graph.graphml")
    assert sorted(graph.edges(keys=True)) == sorted(graphml.edges(keys=True))


def test_build__github_provenance(seeds_out: Path):
    papers = {p["title"].split(":")[0]: p for p in json.loads((seeds_out / "papers.json").read_text())}
    natural = papers["Natural GaLore"]
    assert natural["github"] == "selfsupervised-ai/Natural-GaLore"
    prov = natural["provenance"]["github"]
    assert prov["source"] == "abstract" and prov["confidence"] >= 0.7
    assert "https://github.com/selfsupervised-ai/Natural-GaLore.git" in prov["evidence"]


def test_build__html_is_self_contained(seeds_out: Path):
    page = (seeds_out / "graph.html").read_text()
    assert 'src="http' not in page and "href=\"http" not in page
    assert "<script src=" not in page and "<link" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_build__hostile_title_is_escaped(tmp_path: Path):
    (tmp_path / "evil.txt").write_bytes(
        listing(block(HOSTILE, "We propose <b>bold</b> things & more. " + LONG), block("Plain: Paper", LONG))
    )
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "evil.txt"), "--out", str(out), "--offline", "--cache", str(tmp_path / "c.sqlite")]) == 0
    page = (out / "graph.html").read_text()
    assert "<img src=x" not in page
    assert "</script><script>alert(2)" not in page
    assert "<b>bold</b>" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # present, as inert JSON text
    graph = nx.read_graphml(out / "graph.graphml")  # XML escaping round-trips the raw title
    assert HOSTILE in {d["title"] for _, d in graph.nodes(data=True)}


def test_build__xml_invalid_characters_are_dropped_from_graphml_and_gexf(tmp_path: Path):
    igraph = pytest.importorskip("igraph")
    bad = "\x01\x08\x0e\ufffe\uffff"  # XML 1.0 cannot hold these, not even as &#1;
    (tmp_path / "evil.txt").write_bytes(listing(
        block(f"BadNet{bad}: Control Characters in Titles", "We propose BadNet, a method for\x02 robust training. " + LONG),
        block("Plain: Paper", "We extend BadNet\x03 to new domains. " + LONG),  # the mention's evidence
    ))
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "evil.txt"), "--out", str(out), "--offline", "--cache", str(tmp_path / "c.sqlite")]) == 0
    root = ElementTree.parse(out / "graph.graphml").getroot()
    texts = {element.text for element in root.iter() if element.text}
    assert "BadNet: Control Characters in Titles" in texts and "We extend BadNet to new domains." in texts
    assert igraph.Graph.Read_GraphML(str(out / "graph.graphml")).ecount() == 1
    # from graph.json, which keeps the raw text: the GEXF writer cleans it itself
    assert main(["export", "--graph", str(out / "graph.json"), "--format", "gexf", "--out", str(tmp_path / "g.gexf")]) == 0
    labels = {n.get("label") for n in ElementTree.parse(tmp_path / "g.gexf").getroot().iterfind(".//{*}node")}
    assert "BadNet: Control Characters in Titles" in labels


def test_export__lone_surrogate_is_dropped_from_xml(tmp_path: Path):
    graph = nx.MultiDiGraph()  # a surrogate can come from JSON ("\ud800"); UTF-8 cannot encode it
    graph.add_node("a", title="Half\ud800 Pair", node_type="paper")
    write_graphml(graph, tmp_path / "g.graphml")
    write_gexf(graph, tmp_path / "g.gexf")
    assert read_graphml(tmp_path / "g.graphml").nodes["a"]["title"] == "Half Pair"
    assert ElementTree.parse(tmp_path / "g.gexf").getroot().find(".//{*}node").get("label") == "Half Pair"


def test_build__deterministic_bytes(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    cache = ["--cache", str(tmp_path / "c.sqlite")]
    assert main(["build", str(SEEDS), "--out", str(first), "--offline", *cache]) == 0
    assert main(["build", str(SEEDS), "--out", str(second), "--offline", *cache]) == 0
    for name in ("papers.json", "graph.graphml", "graph.html", "graph.json", "report.json", "papers.parquet", "edges.parquet"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"date_text": "Nov 12, 2024", "date": dt.date(2024, 11, 12), "arxiv_id": "2411.07837"}, ("2024-11-12", 2024)),
        ({"date_text": "Jun 16", "arxiv_id": "2406.01234"}, ("2024-06-16", 2024)),  # the ID's year, same month
        ({"date_text": "Jun 16", "arxiv_id": "2312.01234", "published": dt.date(2023, 12, 1)}, ("2023-12-01", 2023)),
        ({"date_text": "Jun 16"}, ("Jun 16", 0)),  # offline: nothing tells the year
        ({"arxiv_id": "2403.03507", "published": dt.date(2024, 3, 6)}, ("2024-03-06", 2024)),
        ({}, ("", 0)),
    ],
)
def test_build__node_date_from_listing_then_arxiv(fields: dict, shown: tuple[str, int]):
    paper = Paper(id="p", title="T", abstract="A", **fields)
    attributes = node_attributes(paper, [])
    assert (attributes["date"], attributes["year"]) == shown
