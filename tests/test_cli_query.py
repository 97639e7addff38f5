"""``paperlineage query ...`` and ``paperlineage export`` through a real subprocess, on the seeds graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from cache import HttpConfig
from graph.pipeline import run_build
from graph.query import load_graph

ROOT = Path(__file__).resolve().parent.parent
GALORE = "galore-memory-efficient-llm-training-by-1807540d"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A working folder whose outputs/ holds the offline seeds build, as after ``paperlineage build``."""
    cwd = tmp_path_factory.mktemp("cli-query")
    run_build([ROOT / "seeds"], cwd / "outputs", HttpConfig(offline=True, cache_path=cwd / "c.sqlite"))
    return cwd


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAPERLINEAGE_CACHE": str(cwd / "http.sqlite")}
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_cli_query__every_new_command_has_help(tmp_path: Path):
    for args in (["query"], ["query", "find"], ["query", "neighbors"], ["query", "lineage"], ["query", "path"], ["query", "top"], ["export"]):
        done = run(*args, "--help", cwd=tmp_path)
        assert done.returncode == 0 and f"usage: paperlineage {' '.join(args)}" in done.stdout, args
    assert "query" in run("--help", cwd=tmp_path).stdout and "export" in run("--help", cwd=tmp_path).stdout


def test_cli_query__neighbors_table_reads_default_graph(home: Path):
    done = run("query", "neighbors", "GaLore", "--direction", "out", cwd=home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection ({GALORE})"
    assert lines[1] == "5 neighbours (direction out, kinds all, depth 1):"
    assert lines[2].split() == ["depth", "direction", "via", "title", "id"]
    assert len(lines) == 8 and all(line.startswith("1      out") for line in lines[3:])


def test_cli_query__neighbors_json_kind_and_depth(home: Path):
    done = run("query", "neighbors", "GaLore", "--kind", "cites,mentions", "--depth", "2", "--json", cwd=home)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["paper"]["id"] == GALORE and data["kinds"] == "cites,mentions" and data["depth"] == 2
    assert [(r["depth"], r["direction"]) for r in data["neighbors"]] == [(1, "out")] * 5 + [(2, "in")]
    assert all(r["via_kind"] == "mentions" for r in data["neighbors"])


def test_cli_query__neighbors_nothing_exit_1(home: Path):
    done = run("query", "neighbors", "Sophia", "--kind", "influence", cwd=home)
    assert done.returncode == 1 and "no neighbours" in done.stdout


def test_cli_query__lineage(home: Path):
    done = run("query", "lineage", "Lion", "--json", cwd=home)
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["ancestors"] == [] and [r["paper"]["title"][:25] for r in data["descendants"]] == ["Lion Secretly Solves Cons"]
    assert run("query", "lineage", "Sophia", cwd=home).returncode == 1


def test_cli_query__path_with_evidence(home: Path):
    done = run("query", "path", "GaLore", "Fira", cwd=home)
    assert done.returncode == 0, done.stderr
    assert "-[mentions]->" in done.stdout and "Previous methods either rely" in done.stdout
    data = json.loads(run("query", "path", "Fira", "GaLore", "--json", cwd=home).stdout)
    assert data["mode"] == "influence" and data["direction"] == "backward" and len(data["hops"]) == 1


def test_cli_query__path_none_exit_1_then_any_edge(home: Path):
    done = run("query", "path", "Sophia", "APOLLO", cwd=home)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("paperlineage: error: no influence path") and len(done.stderr.splitlines()) == 1
    assert "--any-edge" in done.stderr
    done = run("query", "path", "Sophia", "APOLLO", "--any-edge", cwd=home)
    assert done.returncode == 0 and "any-edge connection (not lineage), 2 hops" in done.stdout
    data = json.loads(run("query", "path", "Sophia", "APOLLO", "--any-edge", "--json", cwd=home).stdout)
    assert data["mode"] == "any-edge" and [h["kind"] for h in data["hops"]] == ["shares_method", "shares_method"]


def test_cli_query__top(home: Path):
    done = run("query", "top", "--by", "pagerank", "-n", "3", cwd=home)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 4
    assert done.stdout.splitlines()[1].split()[:2] == ["1", "0.015343"]
    rows = json.loads(run("query", "top", "-n", "2", "--json", cwd=home).stdout)
    assert [r["rank"] for r in rows] == [1, 2] and rows[0]["paper"]["id"] == GALORE
    done = run("query", "top", "--by", "citations", cwd=home)
    assert done.returncode == 1 and "no paper has any citations" in done.stderr


def test_cli_query__find(home: Path):
    done = run("query", "find", "galore", cwd=home)
    assert done.returncode == 0 and GALORE in done.stdout and "matched by: method" in done.stdout
    assert json.loads(run("query", "find", "Fira", "--json", cwd=home).stdout)["how"] == "method"


def test_cli_query__ambiguous_name_lists_candidates_exit_1(home: Path):
    done = run("query", "neighbors", "low rank", cwd=home)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("paperlineage: error: 'low rank' is ambiguous")
    assert len(lines) >= 3 and all(line.startswith("  ") for line in lines[1:])
    data = json.loads(run("query", "find", "low rank", "--json", cwd=home).stdout)
    assert len(data["candidates"]) >= 2 and data["error"].startswith("'low rank' is ambiguous")


def test_cli_query__unknown_name_exit_1(home: Path):
    for args in (["query", "find", "qwerty zxcv"], ["query", "path", "GaLore", "qwerty zxcv"], ["export", "--format", "json", "--around", "qwerty zxcv"]):
        done = run(*args, cwd=home)
        assert done.returncode == 1 and done.stderr == "paperlineage: error: no paper matches 'qwerty zxcv' (tried id, arXiv ID, method name and title)\n"


@pytest.mark.parametrize(
    "args",
    [
        ["query", "neighbors", "GaLore", "--kind", "friends"],
        ["query", "neighbors", "GaLore", "--depth", "0"],
        ["query", "neighbors", "GaLore", "--direction", "up"],
        ["query", "top", "--by", "karma"],
        ["query", "top", "-n", "x"],
        ["query", "path", "GaLore"],
        ["query"],
        ["export", "--out", "x.txt"],
        ["export", "--format", "csv"],
        ["export", "--format", "json", "--depth", "2"],
    ],
)
def test_cli_query__usage_errors_exit_2(home: Path, args: list[str]):
    done = run(*args, cwd=home)
    assert done.returncode == 2 and "usage:" in done.stderr and "Traceback" not in done.stderr


def test_cli_query__missing_or_bad_graph_exit_2(home: Path, tmp_path: Path):
    done = run("query", "top", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("paperlineage: error: outputs/graph.graphml: no such file")
    (tmp_path / "bad.json").write_text("[1, 2]")
    done = run("query", "top", "--graph", str(tmp_path / "bad.json"), cwd=tmp_path)
    assert done.returncode == 2 and "not a paperlineage graph" in done.stderr and len(done.stderr.splitlines()) == 1


def test_cli_query__graph_json_works_too(home: Path):
    a = run("query", "neighbors", "GaLore", cwd=home)
    b = run("query", "neighbors", "GaLore", "--graph", "outputs/graph.json", cwd=home)
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout


def test_cli_export__formats_around_a_paper(home: Path, tmp_path: Path):
    for fmt in ("graphml", "json", "gexf"):
        out = tmp_path / f"ego.{fmt}"
        done = run("export", "--format", fmt, "--around", "GaLore", "--depth", "1", "--out", str(out), cwd=home)
        assert done.returncode == 0 and done.stdout == f"wrote {out} (6 nodes, 18 edges)\n"
    assert load_graph(tmp_path / "ego.graphml").number_of_nodes() == 6
    assert nx.read_gexf(tmp_path / "ego.gexf").number_of_edges() == 18
    done = run("export", "--around", GALORE, "--out", str(tmp_path / "edges.csv"), cwd=home)
    assert done.returncode == 0 and (tmp_path / "nodes.csv").read_text().count("\n") == 7


def test_cli_export__whole_graph_equals_the_build_and_stdout(home: Path, tmp_path: Path):
    done = run("export", "--out", str(tmp_path / "all.graphml"), cwd=home)
    assert done.returncode == 0
    assert (tmp_path / "all.graphml").read_bytes() == (home / "outputs" / "graph.graphml").read_bytes()
    done = run("export", "--format", "json", cwd=home)
    assert done.returncode == 0 and done.stdout == (home / "outputs" / "graph.json").read_text(encoding="utf-8")
    done = run("export", "--format", "json", "--out", str(tmp_path / "no" / "such" / "g.json"), cwd=home)
    assert done.returncode == 2 and "folder does not exist" in done.stderr


def test_cli_export__same_bytes_across_hash_seeds(home: Path, tmp_path: Path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        for fmt in ("gexf", "csv"):
            args = ["export", "--around", "Fira", "--depth", "2", "--format", fmt, "--out", str(out / f"edges.{fmt}")]
            done = subprocess.run([sys.executable, "-m", "graph.cli", *args], cwd=home, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        outputs.append([(out / name).read_bytes() for name in ("edges.gexf", "edges.csv", "nodes.csv")])
    assert outputs[0] == outputs[1]
