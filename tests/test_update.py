"""``paperlineage update`` and ``whats_new.json``: adding papers to the build in an output folder.

The seeds are split: a build on some of their files, then an update with another. What the
update reports is checked against what two independent builds give (the files before, and all
the files at once), never against numbers written here.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from pytest_httpserver import HTTPServer

from paperlineage.cache import HttpConfig
from paperlineage.cli import main
from paperlineage.enrich.sources import SOURCES
from paperlineage.graph.kinds import INFLUENCE_KINDS
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import aim, seeds_world

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FILES = ("papers.json", "graph.graphml", "graph.html", "graph.json", "report.json", "whats_new.json")
FIRST, SECOND, THIRD = sorted(SEEDS.iterdir())[:3]


def _inputs(tmp_path: Path) -> list[Path]:
    """Three seed files copied under one folder, so every build names them by the same paths."""
    folder = tmp_path / "in"
    folder.mkdir()
    return [Path(shutil.copy(path, folder / path.name)) for path in (FIRST, SECOND, THIRD)]


def _bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in FILES}


def _offline(tmp_path: Path) -> HttpConfig:
    return HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite")


def _edges(out: Path) -> set[tuple[str, str, str]]:
    return {(e["source"], e["target"], e["kind"]) for e in json.loads((out / "graph.json").read_text("utf-8"))["edges"]}


def _papers(out: Path) -> dict[str, str]:
    return {p["id"]: p["title"] for p in json.loads((out / "papers.json").read_text("utf-8"))}


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_update__twice_with_nothing_new_is_byte_identical(tmp_path: Path, capsys):
    inputs = _inputs(tmp_path)
    out = tmp_path / "out"
    code, _, err = _cli(capsys, "build", *map(str, inputs[:2]), "--out", str(out), "--offline", "--cache", str(tmp_path / "c.sqlite"))
    assert code == 0, err
    built = _bytes(out)
    runs = []
    for _ in range(2):
        code, said, err = _cli(capsys, "update", "--out", str(out), "--offline", "--cache", str(tmp_path / "c.sqlite"))
        assert code == 0 and "Traceback" not in err, err
        runs.append(_bytes(out))
        assert "0 new papers, 0 new edges" in said
    assert runs[0] == runs[1]
    news = json.loads(runs[0]["whats_new.json"])
    assert news["new_papers"] == news["new_edges"] == news["removed_edges"] == news["built_on_by_new_papers"] == []
    assert news["previous_build"] == {"papers": len(_papers(out)), "edges": len(_edges(out))}
    # the graph and the page equal the build's: nothing is marked new, and every paper stayed
    for name in ("papers.json", "graph.graphml", "graph.json", "graph.html"):
        assert runs[0][name] == built[name], name


def test_update__adding_a_listing_reports_exactly_its_new_papers_and_edges(tmp_path: Path, capsys):
    inputs = _inputs(tmp_path)
    out, alone, every = tmp_path / "out", tmp_path / "alone", tmp_path / "every"
    http = _offline(tmp_path)
    run_build(inputs[:2], BuildOptions(out=out, http=http))
    run_build(inputs[:2], BuildOptions(out=alone, http=http))  # the build before, kept apart
    run_build(inputs, BuildOptions(out=every, http=http))  # a build of every file at once, into an empty folder
    # update with the third file only: the first two files' papers stay without being given again
    code, said, err = _cli(capsys, "update", str(inputs[2]), "--out", str(out), "--offline", "--cache", str(tmp_path / "c.sqlite"))
    assert code == 0, err

    assert (out / "papers.json").read_bytes() == (every / "papers.json").read_bytes()  # an update equals a build of all it has seen
    before, after = _papers(alone), _papers(out)
    expected_papers = {pid: after[pid] for pid in sorted(set(after) - set(before))}
    assert set(before) <= set(after) and expected_papers
    expected_edges = _edges(every) - _edges(alone)
    assert expected_edges
    news = json.loads((out / "whats_new.json").read_text("utf-8"))
    assert {p["id"]: p["title"] for p in news["new_papers"]} == expected_papers
    assert {(e["u"], e["v"], e["kind"]) for e in news["new_edges"]} == expected_edges
    assert {(e["u"], e["v"], e["kind"]) for e in news["removed_edges"]} == _edges(alone) - _edges(every)
    assert f"{len(expected_papers)} new papers, {len(expected_edges)} new edges" in said

    graph = json.loads((out / "graph.json").read_text("utf-8"))
    assert {n["id"] for n in graph["nodes"] if n.get("new")} == set(expected_papers)  # the graph carries the mark
    graphml = nx.read_graphml(out / "graph.graphml")
    assert {n for n, new in graphml.nodes(data="new") if new} == set(expected_papers)  # GraphML carries it too
    every_graph = json.loads((every / "graph.json").read_text("utf-8"))
    assert not any(n.get("new") for n in every_graph["nodes"])  # a first build marks nothing
    for node in graph["nodes"]:
        node.pop("new", None)
    assert graph == every_graph  # but for the mark, the graph of a build of everything

    built_on = Counter(u for u, v, k in expected_edges if k in INFLUENCE_KINDS and v in expected_papers and u not in expected_papers)
    assert {r["id"]: len(r["new_papers"]) for r in news["built_on_by_new_papers"]} == dict(built_on)
    for row in news["built_on_by_new_papers"][:10]:
        n = len(row["new_papers"])
        assert f"{n} new {'paper builds' if n == 1 else 'papers build'} on {row['name']}" in said


def test_update__a_build_into_a_used_folder_says_what_is_new_but_keeps_only_its_inputs(tmp_path: Path):
    inputs = _inputs(tmp_path)
    out, alone = tmp_path / "out", tmp_path / "alone"
    http = _offline(tmp_path)
    run_build(inputs[1:2], BuildOptions(out=alone, http=http))
    run_build(inputs[:1], BuildOptions(out=out, http=http))
    result = run_build(inputs[1:2], BuildOptions(out=out, http=http))
    assert (out / "papers.json").read_bytes() == (alone / "papers.json").read_bytes()  # build replaces, update adds
    before = {p["id"] for p in json.loads((tmp_path / "out" / "whats_new.json").read_text("utf-8"))["new_papers"]}
    first = run_build(inputs[:1], BuildOptions(out=tmp_path / "first", http=http))
    assert before == {p.id for p in result.papers} - {p.id for p in first.papers}


@pytest.mark.parametrize("damage", ["missing", "not-json", "foreign", "no-graph"])
def test_update__a_folder_without_a_readable_build_is_an_error_naming_the_file(tmp_path: Path, capsys, damage: str):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    if damage == "not-json":
        (out / "papers.json").write_text('[{"id": "x", ', encoding="utf-8")
    elif damage == "foreign":
        (out / "papers.json").write_text('[{"name": "not a paper"}]', encoding="utf-8")
    elif damage == "no-graph":
        run_build([FIRST], BuildOptions(out=out, http=_offline(tmp_path)))
        (out / "graph.json").unlink()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, said, err = _cli(capsys, "update", str(SECOND), "--out", str(out), "--offline", "--cache", str(tmp_path / "c.sqlite"))
    assert code == 1 and "Traceback" not in err
    named = out / ("graph.json" if damage == "no-graph" else "papers.json")
    assert err.startswith(f"paperlineage: error: {named}: ") and f"{out} is left as it is" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched, nothing added
    assert not list(tmp_path.glob(".out.staging-*"))


def test_update__warm_cache_with_nothing_new_asks_the_network_nothing(tmp_path: Path, monkeypatch):
    inputs = _inputs(tmp_path)
    world = seeds_world(inputs[0].parent)
    server = HTTPServer()
    server.start()
    try:
        aim(monkeypatch, server, world)
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        out = tmp_path / "out"
        run_build(inputs[:1], BuildOptions(out=out, http=http))
        run_build(inputs[1:2], BuildOptions(out=out, http=http, update=True))
        asked = Counter(world.hits)
        assert sum(asked.values()) > 0
        built = _bytes(out)
        result = run_build([], BuildOptions(out=out, http=http, update=True))
        assert world.hits == asked  # every answer came from the cache
        assert result.whats_new.new_papers == [] and result.whats_new.new_edges == []
        assert any(p.arxiv_id for p in result.papers)  # the online fields were found again, from the cache
        assert _bytes(out)["papers.json"] == built["papers.json"]
    finally:
        server.clear()
        server.stop()
