"""Citation agreement: a `mentions` edge u → v that a `cites` edge u → v backs (v cites u) is confirmed.

The corpus is hand-written (NOT real data): FRUGAL names GaLore and cites it (confirmed), Fira
names GaLore without citing it (text only), APOLLO cites GaLore without naming it (cites only).
The graph comes from the build's own `link_papers`, with the citations an online run would give.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.enrich.citations import Citation
from paperlineage.enrich.ingest import merge_entries
from paperlineage.enrich.listing import parse_listing
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.graph.build import add_citations, add_mentions, build_graph, confirmed_counts, mark_confirmed
from paperlineage.graph.export_graphml import write_graphml
from paperlineage.graph.export_json import write_graph_json
from paperlineage.graph.kinds import CITES, CONFIRMED, MENTIONS, SHARES_METHOD
from paperlineage.graph.mentions import Mention
from paperlineage.graph.query import influence_path, is_confirmed, lineage, load_graph, neighbors
from paperlineage.pipeline import link_papers
from tests.listings import LONG, block, listing

ROOT = Path(__file__).resolve().parent.parent
TITLES = {
    "GaLore": ("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection", LONG),
    "FRUGAL": ("FRUGAL: Memory-Efficient Optimization by Reducing State Overhead", "We build on GaLore and reduce the optimizer state. " + LONG),
    "Fira": ("Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint", "Unlike GaLore, Fira keeps full-rank training. " + LONG),
    "APOLLO": ("APOLLO: SGD-like Memory, AdamW-level Performance", LONG),
}


def corpus() -> tuple[nx.MultiDiGraph, dict[str, str]]:
    entries, problems = parse_listing(listing(*[block(title, abstract) for title, abstract in TITLES.values()]), "l.txt")
    papers = [enrich_from_text(p) for p in merge_entries(entries, problems)]
    ids = {p.title.split(":")[0]: p.id for p in papers}
    citations = [
        Citation(ids["GaLore"], ids["FRUGAL"], "semanticscholar", ["methodology"], True, ["FRUGAL builds on GaLore."]),
        Citation(ids["GaLore"], ids["APOLLO"], "openalex"),
    ]
    graph, _ = link_papers(papers, citations=citations)
    return graph, ids


@pytest.fixture(scope="module")
def built() -> tuple[nx.MultiDiGraph, dict[str, str]]:
    return corpus()


@pytest.fixture(scope="module")
def home(tmp_path_factory, built) -> Path:
    """A folder whose outputs/ holds the corpus graph, as after a build."""
    cwd = tmp_path_factory.mktemp("confirmed")
    (cwd / "outputs").mkdir()
    write_graphml(built[0], cwd / "outputs" / "graph.graphml")
    write_graph_json(built[0], cwd / "outputs" / "graph.json")
    return cwd


def _flags(graph: nx.MultiDiGraph, ids: dict[str, str]) -> dict[tuple[str, str, str], object]:
    name = {v: k for k, v in ids.items()}
    return {(name[u], name[v], k): d.get(CONFIRMED, "absent") for u, v, k, d in graph.edges(keys=True, data=True)}


def test_confirmed__mentions_backed_by_a_citation_and_not(built):
    graph, ids = built
    flags = _flags(graph, ids)
    assert flags[("GaLore", "FRUGAL", MENTIONS)] is True  # named and cited
    assert flags[("GaLore", "Fira", MENTIONS)] is False  # named only
    assert flags[("GaLore", "FRUGAL", CITES)] == flags[("GaLore", "APOLLO", CITES)] == "absent"  # only mentions carry it
    assert all(flag == "absent" for (_, _, kind), flag in flags.items() if kind == SHARES_METHOD)
    assert confirmed_counts(graph) == {MENTIONS: (1, 1)}


def test_confirmed__a_citation_the_other_way_does_not_confirm():
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(["a", "b", "c"], node_type="paper")
    add_mentions(graph, [Mention("a", "b", ["A"], ["b names A."]), Mention("a", "c", ["A"], ["c names A."])])
    add_citations(graph, [Citation("b", "a", "semanticscholar"), Citation("a", "c", "semanticscholar")])  # a cites b; c cites a
    assert mark_confirmed(graph) == 1
    assert graph.edges["a", "b", MENTIONS][CONFIRMED] is False  # b → a is "a cites b": not what the text says
    assert graph.edges["a", "c", MENTIONS][CONFIRMED] is True
    assert mark_confirmed(graph) == 1  # again: the same flags


def test_confirmed__offline_build_has_only_text_only_mentions(offline_seeds):
    flags = [d[CONFIRMED] for _, _, d in offline_seeds.graph.edges(data=True) if d["kind"] == MENTIONS]
    assert flags and set(flags) == {False}
    assert CITES not in {d["kind"] for _, _, d in offline_seeds.graph.edges(data=True)}


@pytest.mark.parametrize("name", ["graph.graphml", "graph.json"])
def test_confirmed__survives_the_file_round_trip(home: Path, built, name: str):
    graph, ids = built
    read = load_graph(home / "outputs" / name)
    assert _flags(read, ids) == _flags(graph, ids)
    assert read.edges[ids["GaLore"], ids["FRUGAL"], MENTIONS][CONFIRMED] is True  # a bool, not the string "true"
    if name.endswith(".graphml"):
        assert 'attr.name="confirmed" attr.type="boolean"' in (home / "outputs" / name).read_text(encoding="utf-8")


def test_confirmed__deterministic_bytes(tmp_path: Path):
    for run in ("one", "two"):
        write_graphml(corpus()[0], tmp_path / f"{run}.graphml")
    assert (tmp_path / "one.graphml").read_bytes() == (tmp_path / "two.graphml").read_bytes()


def test_confirmed__graph_without_the_attribute_answers_from_its_edges(built):
    graph, ids = built
    old = graph.copy()
    for _, _, data in old.edges(data=True):
        data.pop(CONFIRMED, None)  # a graph file written before the attribute existed
    galore, frugal, fira = ids["GaLore"], ids["FRUGAL"], ids["Fira"]
    assert is_confirmed(old, galore, frugal, MENTIONS, old.edges[galore, frugal, MENTIONS]) is True
    assert is_confirmed(old, galore, fira, MENTIONS, old.edges[galore, fira, MENTIONS]) is False
    assert is_confirmed(old, galore, frugal, CITES, old.edges[galore, frugal, CITES]) is None
    assert lineage(old, galore, confirmed_only=True) == lineage(graph, galore, confirmed_only=True)


def test_confirmed__lineage_confirmed_only_in_python(built):
    graph, ids = built
    name = {v: k for k, v in ids.items()}
    everything = lineage(graph, ids["GaLore"])
    assert {(name[r.paper.id], r.via_kind, r.confirmed) for r in everything.descendants} == {
        ("APOLLO", CITES, None), ("FRUGAL", f"{CITES}; {MENTIONS}", True), ("Fira", MENTIONS, False),
    }
    confirmed = lineage(graph, ids["GaLore"], confirmed_only=True)
    assert confirmed.confirmed_only and not everything.confirmed_only
    assert [name[r.paper.id] for r in confirmed.descendants] == ["APOLLO", "FRUGAL"]
    assert lineage(graph, ids["Fira"], confirmed_only=True).ancestors == []
    assert [name[r.paper.id] for r in lineage(graph, ids["Fira"]).ancestors] == ["GaLore"]
    # neighbors takes the same keyword; shares_method is walked as usual
    assert "Fira" not in {name[r.paper.id] for r in neighbors(graph, ids["GaLore"], "out", [MENTIONS], confirmed_only=True)}


def test_confirmed__path_hops_say_so(built):
    graph, ids = built
    hop = influence_path(graph, ids["GaLore"], ids["Fira"]).hops[0]
    assert (hop.kind, hop.confirmed) == (MENTIONS, False)
    hop = influence_path(graph, ids["GaLore"], ids["FRUGAL"]).hops[0]
    assert (hop.kind, hop.confirmed) == (CITES, None)  # the strongest edge of the pair is shown


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAPERLINEAGE_CACHE": str(cwd / "http.sqlite")}
    return subprocess.run([sys.executable, "-m", "paperlineage.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _rows(stdout: str) -> dict[str, str]:
    """Title word → via column of a lineage table."""
    rows = {}
    for line in stdout.splitlines():
        if line.startswith("  1 "):
            cells = line.split("  ")
            cells = [c.strip() for c in cells if c.strip()]
            rows[cells[3].split(":")[0]] = cells[2]
    return rows


def test_confirmed__cli_lineage_table_marks_confirmed_mentions(home: Path):
    done = run("query", "lineage", "GaLore", cwd=home)
    assert done.returncode == 0, done.stderr
    assert _rows(done.stdout) == {"APOLLO": CITES, "FRUGAL": f"{CITES}; {MENTIONS} (confirmed)", "Fira": MENTIONS}
    assert "confirmed edges only" not in done.stdout


def test_confirmed__cli_lineage_confirmed_drops_text_only(home: Path, built):
    _, ids = built
    done = run("query", "lineage", "GaLore", "--confirmed", cwd=home)
    assert done.returncode == 0, done.stderr
    assert "confirmed edges only" in done.stdout.splitlines()[1]
    assert _rows(done.stdout) == {"APOLLO": CITES, "FRUGAL": f"{CITES}; {MENTIONS} (confirmed)"}
    data = json.loads(run("query", "lineage", "GaLore", "--confirmed", "--json", cwd=home).stdout)
    assert data["confirmed_only"] is True
    assert [(r["paper"]["id"], r["confirmed"]) for r in data["descendants"]] == [(ids["APOLLO"], None), (ids["FRUGAL"], True)]
    everything = json.loads(run("query", "lineage", "GaLore", "--json", cwd=home).stdout)
    assert everything["confirmed_only"] is False
    assert {r["paper"]["id"]: r["confirmed"] for r in everything["descendants"]}[ids["Fira"]] is False
    # Fira builds on GaLore by the text alone: nothing is left
    fira = run("query", "lineage", "Fira", "--confirmed", cwd=home)
    assert fira.returncode == 1 and "builds on: nothing" in fira.stdout


def test_confirmed__cli_neighbors_and_path_show_it(home: Path):
    near = run("query", "neighbors", "GaLore", "--kind", MENTIONS, "--direction", "out", cwd=home)
    assert near.returncode == 0, near.stderr
    lines = near.stdout.splitlines()
    assert any("mentions (confirmed)" in line and "FRUGAL" in line for line in lines)
    assert any(" mentions " in line and "(confirmed)" not in line and "Fira" in line for line in lines)
    path = run("query", "path", "GaLore", "Fira", "--json", cwd=home)
    assert json.loads(path.stdout)["hops"][0]["confirmed"] is False


def test_confirmed__online_build_against_the_fake_apis(tmp_path: Path, monkeypatch):
    """The whole online build: Semantic Scholar's reference lists give the cites edges that confirm."""
    from pytest_httpserver import HTTPServer

    from paperlineage.cache import HttpConfig
    from paperlineage.cli import summary_lines
    from paperlineage.enrich.sources import SOURCES
    from paperlineage.pipeline import BuildOptions, run_build
    from tests.fake_apis import TOKEN_ENV, TOKEN_VARIABLES, serve
    from tests.test_citations import FRUGAL, LION, world

    server = HTTPServer()
    server.start()
    try:
        fake = world()  # FRUGAL cites GaLore; Lion cites nothing
        for variable, value in serve(server, fake).items():
            monkeypatch.setenv(variable, value)
        for variable in TOKEN_VARIABLES:
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv(TOKEN_ENV["openalex"], "oa-test-key")
        says = {FRUGAL: "We build on GaLore and reduce the optimizer state. ", LION: "Unlike GaLore, we study sign updates. "}
        (tmp_path / "l.txt").write_bytes(listing(*[block(p.title, says.get(p.title, "") + LONG) for p in fake.papers]))
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        result = run_build([tmp_path / "l.txt"], BuildOptions(out=tmp_path / "out", http=http))
    finally:
        server.clear()
        server.stop()
    title = {n: d["title"].split(":")[0] for n, d in result.graph.nodes(data=True)}
    mentions = {(title[u], title[v]): d[CONFIRMED] for u, v, d in result.graph.edges(data=True) if d["kind"] == MENTIONS}
    assert mentions[("GaLore", "FRUGAL")] is True and mentions[("GaLore", "Lion Secretly Solves Constrained Optimization")] is False
    written = load_graph(tmp_path / "out" / "graph.graphml")
    assert {(title[u], title[v]): d[CONFIRMED] for u, v, d in written.edges(data=True) if d["kind"] == MENTIONS} == mentions
    graph_line = next(line for line in summary_lines(result) if line.startswith("graph: "))
    assert f"{MENTIONS} {len(mentions)} ({sum(mentions.values())} confirmed by a citation)" in graph_line
