"""``paperlineage query ...`` and ``paperlineage export`` through a real subprocess, on the seeds graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.cache import HttpConfig
from paperlineage.pipeline import BuildOptions, run_build
from tests.listings import LONG, block, listing
from paperlineage.graph.query import INFLUENCE_KINDS, ego_subgraph, find_paper, influence_path, load_graph, neighbors, top_papers

ROOT = Path(__file__).resolve().parent.parent
GALORE = "galore-memory-efficient-llm-training-by-1807540d"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A working folder whose outputs/ holds the offline seeds build, as after ``paperlineage build``."""
    cwd = tmp_path_factory.mktemp("cli-query")
    run_build([ROOT / "seeds"], BuildOptions(out=cwd / "outputs", http=HttpConfig(offline=True, cache_path=cwd / "c.sqlite")))
    return cwd


def graph_of(home: Path) -> nx.MultiDiGraph:
    return load_graph(home / "outputs" / "graph.graphml")


def run(*args: str, cwd: Path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAPERLINEAGE_CACHE": str(cwd / "http.sqlite"), **env_vars}
    return subprocess.run([sys.executable, "-m", "paperlineage.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_cli_query__every_new_command_has_help(tmp_path: Path):
    for args in (["query"], ["query", "find"], ["query", "neighbors"], ["query", "lineage"], ["query", "path"], ["query", "top"], ["export"]):
        done = run(*args, "--help", cwd=tmp_path)
        assert done.returncode == 0 and f"usage: paperlineage {' '.join(args)}" in done.stdout, args
    assert "query" in run("--help", cwd=tmp_path).stdout and "export" in run("--help", cwd=tmp_path).stdout


def test_cli_query__neighbors_table_reads_default_graph(home: Path):
    done = run("query", "neighbors", "GaLore", "--direction", "out", cwd=home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = neighbors(graph_of(home), GALORE, "out")  # the method detection may change the count
    assert lines[0] == f"GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection ({GALORE})"
    assert lines[1] == f"{len(expected)} neighbours (direction out, kinds all, depth 1):" and len(expected) >= 3
    assert lines[2].split() == ["depth", "direction", "via", "title", "id"]
    assert len(lines) == 3 + len(expected) and all(line.startswith("1      out") for line in lines[3:])
    assert [line.split()[-1] for line in lines[3:]] == [row.paper.id for row in expected]


def test_cli_query__neighbors_json_kind_and_depth(home: Path):
    done = run("query", "neighbors", "GaLore", "--kind", "cites,mentions", "--depth", "2", "--json", cwd=home)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["paper"]["id"] == GALORE and data["kinds"] == "cites,mentions" and data["depth"] == 2
    expected = neighbors(graph_of(home), GALORE, "both", INFLUENCE_KINDS, 2)
    assert [(r["depth"], r["direction"], r["paper"]["id"]) for r in data["neighbors"]] == [(r.depth, r.direction, r.paper.id) for r in expected]
    assert {r["direction"] for r in data["neighbors"] if r["depth"] == 1} == {"out"}  # nothing before GaLore
    assert all(r["via_kind"] in ("cites", "mentions") for r in data["neighbors"])


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
    G = graph_of(home)
    expected = influence_path(G, find_paper(G, "Sophia"), find_paper(G, "APOLLO"), any_edge=True)
    done = run("query", "path", "Sophia", "APOLLO", "--any-edge", cwd=home)
    assert done.returncode == 0 and f"any-edge connection (not lineage), {len(expected.hops)} hops" in done.stdout
    data = json.loads(run("query", "path", "Sophia", "APOLLO", "--any-edge", "--json", cwd=home).stdout)
    assert data["mode"] == "any-edge" and [h["kind"] for h in data["hops"]] == [h.kind for h in expected.hops]
    assert data["hops"][0]["kind"] == "shares_method"  # Sophia has no lineage edge at all


def test_cli_query__path_to_itself_is_a_usage_error(home: Path):
    done = run("query", "path", "GaLore", "GaLore", cwd=home)
    assert done.returncode == 2 and done.stdout == "" and "0 hops" not in done.stdout
    assert done.stderr == f"paperlineage: error: 'GaLore' is at both ends ({GALORE}); a path needs two different papers\n"
    done = run("query", "path", "GaLore", GALORE, "--any-edge", "--json", cwd=home)  # two names, one paper
    assert done.returncode == 2 and json.loads(done.stdout) == {
        "error": f"'GaLore' and '{GALORE}' name the same paper ({GALORE}); a path needs two different papers"
    }
    G = load_graph(home / "outputs" / "graph.graphml")
    with pytest.raises(ValueError, match="same node"):
        influence_path(G, GALORE, GALORE)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["query", "find", "qwerty zxcv"], 1, "no paper matches 'qwerty zxcv'"),
        (["query", "neighbors", "qwerty zxcv"], 1, "no paper matches 'qwerty zxcv'"),
        (["query", "path", "Sophia", "APOLLO"], 1, "no influence path"),
        (["query", "top", "--by", "citations"], 1, "no paper has any citations"),
        (["query", "top", "--graph", "no-such.graphml"], 2, "no-such.graphml: no such file"),
        (["query", "lineage", "GaLore", "--graph", "bad.json"], 2, "bad.json: not a paperlineage graph"),
        (["query", "path", "Fira", "Fira"], 2, "'Fira' is at both ends"),
        (["query", "neighbors", "GaLore", "--kind", "friends"], 2, "argument --kind: unknown edge kind 'friends'"),
        (["query", "find"], 2, "the following arguments are required: name"),
        (["query", "find", "GaLore", "--bogus"], 2, "unrecognized arguments: --bogus"),
    ],
)
def test_cli_query__json_errors_are_json_with_the_same_exit_code(home: Path, args: list[str], code: int, message: str):
    (home / "bad.json").write_text("[1, 2]")
    plain, as_json = run(*args, cwd=home), run(*args, "--json", cwd=home)
    assert plain.returncode == as_json.returncode == code and plain.stdout == ""
    error = json.loads(as_json.stdout)
    assert list(error) == ["error"] and message in error["error"] and error["error"] in plain.stderr
    assert as_json.stderr == plain.stderr  # the human line stays on stderr


def test_cli_query__ambiguous_json_error_keeps_candidates(home: Path):
    done = run("query", "neighbors", "optimizer", "--json", cwd=home)
    error = json.loads(done.stdout)
    assert done.returncode == 1 and sorted(error) == ["candidates", "error", "total"]
    assert error["total"] == len(error["candidates"]) >= 2 and error["error"].startswith("'optimizer' is ambiguous")


def test_cli_query__top(home: Path):
    done = run("query", "top", "--by", "pagerank", "-n", "3", cwd=home)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 4
    best = top_papers(graph_of(home), "pagerank", 1)[0]
    assert done.stdout.splitlines()[1].split()[:2] == ["1", f"{best.value:g}"] and best.paper.id == GALORE
    rows = json.loads(run("query", "top", "-n", "2", "--json", cwd=home).stdout)
    assert [r["rank"] for r in rows] == [1, 2] and rows[0]["paper"]["id"] == GALORE
    done = run("query", "top", "--by", "citations", cwd=home)
    assert done.returncode == 1 and done.stderr == "paperlineage: error: no paper has any citations in this graph\n"


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
    ego = ego_subgraph(graph_of(home), GALORE, 1)
    size = f"{ego.number_of_nodes()} nodes, {ego.number_of_edges()} edges"
    for fmt in ("graphml", "json", "gexf"):
        out = tmp_path / f"ego.{fmt}"
        done = run("export", "--format", fmt, "--around", "GaLore", "--depth", "1", "--out", str(out), cwd=home)
        assert done.returncode == 0 and done.stdout == f"wrote {out} ({size})\n"
    assert list(load_graph(tmp_path / "ego.graphml").nodes) == list(ego.nodes)
    assert nx.read_gexf(tmp_path / "ego.gexf").number_of_edges() == ego.number_of_edges()
    done = run("export", "--around", GALORE, "--out", str(tmp_path / "edges.csv"), cwd=home)
    assert done.returncode == 0 and (tmp_path / "nodes.csv").read_text().count("\n") == ego.number_of_nodes() + 1


def test_cli_export__whole_graph_equals_the_build_and_stdout(home: Path, tmp_path: Path):
    done = run("export", "--out", str(tmp_path / "all.graphml"), cwd=home)
    assert done.returncode == 0
    assert (tmp_path / "all.graphml").read_bytes() == (home / "outputs" / "graph.graphml").read_bytes()
    done = run("export", "--format", "json", cwd=home)
    assert done.returncode == 0 and done.stdout == (home / "outputs" / "graph.json").read_text(encoding="utf-8")
    done = run("export", "--format", "json", "--out", str(tmp_path / "no" / "such" / "g.json"), cwd=home)
    assert done.returncode == 2 and f"the folder {tmp_path / 'no' / 'such'} does not exist" in done.stderr


def test_cli_export__out_a_folder_is_a_usage_error(home: Path, tmp_path: Path):
    for args in (["--format", "json"], ["--format", "csv"], []):
        done = run("export", *args, "--out", str(tmp_path), cwd=home)
        assert done.returncode == 2 and "usage:" in done.stderr and "Traceback" not in done.stderr, args
        assert f"--out {tmp_path}: is a folder; give a file name" in done.stderr or not args
    assert list(tmp_path.iterdir()) == []


def test_cli_export__out_dash_is_standard_output(home: Path):
    for fmt in ("graphml", "json"):
        done = run("export", "--format", fmt, "--out", "-", cwd=home)
        assert done.returncode == 0 and done.stdout == (home / "outputs" / f"graph.{fmt}").read_text(encoding="utf-8")
    assert not (home / "-").exists()
    done = run("export", "--format", "gexf", "--around", "GaLore", "--out", "-", cwd=home)
    assert done.returncode == 0 and done.stdout.startswith("<?xml") and not (home / "-").exists()
    done = run("export", "--format", "csv", "--out", "-", cwd=home)
    assert done.returncode == 2 and "csv writes two files" in done.stderr and "standard output" in done.stderr
    assert done.stdout == "" and not (home / "-").exists() and not (home / "--nodes.csv").exists()
    done = run("export", "--format", "json", "--out", "./-", cwd=home)  # the usual way to name a file '-'
    try:
        assert done.returncode == 0 and (home / "-").read_bytes() == (home / "outputs" / "graph.json").read_bytes()
    finally:
        (home / "-").unlink(missing_ok=True)


def test_cli_export__same_bytes_across_hash_seeds(home: Path, tmp_path: Path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        for fmt in ("gexf", "csv"):
            args = ["export", "--around", "Fira", "--depth", "2", "--format", fmt, "--out", str(out / f"edges.{fmt}")]
            done = subprocess.run([sys.executable, "-m", "paperlineage.cli", *args], cwd=home, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        outputs.append([(out / name).read_bytes() for name in ("edges.gexf", "edges.csv", "nodes.csv")])
    assert outputs[0] == outputs[1]


def test_cli_query__graph_json_with_a_non_numeric_attribute_is_one_json_error(home: Path, tmp_path: Path):
    data = json.loads((home / "outputs" / "graph.json").read_text(encoding="utf-8"))
    data["nodes"][3]["pagerank"] = "high"
    bad = tmp_path / "graph.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    for args in (("query", "top", "--graph", str(bad), "--json"), ("query", "find", "GaLore", "--graph", str(bad), "--json")):
        done = run(*args, cwd=home)
        assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
        error = json.loads(done.stdout or done.stderr)["error"]
        assert "'pagerank' is 'high', not a number" in error and data["nodes"][3]["id"] in error
OSC = "\x1b]0;pwned\x07"  # sets the terminal's window title when printed raw


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A graph of two papers: one whose title holds terminal escapes, one with a non-ASCII title that mentions it."""
    cwd = tmp_path_factory.mktemp("cli-hostile")
    (cwd / "evil.txt").write_bytes(listing(
        block(f"PwnNet{OSC}\x9b2J: Terminal Titles", "We propose PwnNet, a method for robust training. " + LONG),
        block("Über Café: Ünïcode Everywhere …", f"We extend PwnNet{OSC} to new domains. " + LONG),
    ))
    run_build([cwd / "evil.txt"], BuildOptions(out=cwd / "outputs", http=HttpConfig(offline=True, cache_path=cwd / "c.sqlite")))
    return cwd


@pytest.mark.parametrize("graph", ["outputs/graph.json", "outputs/graph.graphml"])  # GraphML cannot hold ESC, JSON keeps it
def test_cli_query__terminal_escapes_in_titles_are_shown_not_sent(hostile: Path, graph: str):
    shown = "PwnNet\\x1b]0;pwned\\x07\\x9b2J" if graph.endswith(".json") else "PwnNet]0;pwned\\x9b2J"
    for args in (["find", "PwnNet"], ["neighbors", "PwnNet"], ["neighbors", "Café"], ["path", "PwnNet", "Café"]):
        done = run("query", *args, "--graph", graph, cwd=hostile)
        assert done.returncode == 0, (args, done.stderr)
        for stream in (done.stdout, done.stderr):
            assert not any(ch in stream for ch in "\x1b\x07\x9b"), (args, stream)
        assert f"{shown}: Terminal Titles" in done.stdout, args
    done = run("query", "find", "PwnNet", "--json", "--graph", graph, cwd=hostile)  # JSON: escaped the JSON way, same title
    assert done.returncode == 0 and not any(ch in done.stdout for ch in "\x1b\x07\x9b")
    assert json.loads(done.stdout)["paper"]["title"] == shown.encode().decode("unicode_escape") + ": Terminal Titles"


def test_cli_query__any_stdout_encoding_works(hostile: Path):
    for args in (["find", "Café"], ["neighbors", "PwnNet"], ["top"]):
        done = run("query", *args, cwd=hostile, PYTHONIOENCODING="ascii")
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    done = run("query", "find", "Café", cwd=hostile, PYTHONIOENCODING="ascii")
    assert "\\xdcber Caf\\xe9" in done.stdout  # backslash escapes, not a crash or '?'
    done = run("query", "find", "Café", "--json", cwd=hostile, PYTHONIOENCODING="ascii")
    assert done.returncode == 0 and json.loads(done.stdout)["paper"]["title"] == "Über Café: Ünïcode Everywhere …"
