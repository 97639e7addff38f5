from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx

from tests.listings import LONG, block, listing

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path, seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed, "PAPERLINEAGE_CACHE": str(cwd / "http.sqlite")}
    return subprocess.run([sys.executable, "-m", "paperlineage.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_cli__default_build_on_seeds(tmp_path: Path):
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    done = run("build", "--offline", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    out = tmp_path / "outputs"
    graph = nx.read_graphml(out / "graph.graphml")
    summary = done.stdout
    assert f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges" in summary
    assert "338 entries, 306 unique papers, 32 duplicates merged, 0 blocks skipped" in summary
    assert "arxiv_id: 0 resolved, 306 unresolved (306 offline)" in summary
    rows = {tuple(l.split()[:2]): l.split()[2:] for l in summary.splitlines() if l.startswith("  arxiv_id")}
    assert rows[("arxiv_id", "huggingface")] == ["0", "0", "0", "0", "306"]  # offline is "not asked", not "failed"
    assert "github: 60 resolved, 246 unresolved (246 offline)" in summary  # HF's githubRepo needs the arXiv ID


def test_cli__same_bytes_across_hash_seeds(tmp_path: Path):
    for seed in ("1", "2"):
        assert run("build", str(ROOT / "seeds"), "--out", str(tmp_path / seed), "--offline", cwd=tmp_path, seed=seed).returncode == 0
    for name in ("papers.json", "graph.graphml", "graph.html"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_cli__bad_arguments_exit_2_with_usage(tmp_path: Path):
    for args in (["build", "--nope"], ["frobnicate"], []):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2 and "usage:" in done.stderr and "Traceback" not in done.stderr


def test_cli__missing_path_exit_2(tmp_path: Path):
    done = run("build", "does-not-exist.txt", "--offline", cwd=tmp_path)
    assert done.returncode == 2 and "does-not-exist.txt: no such file or folder" in done.stderr


def test_cli__bad_files_one_line_each_others_load(tmp_path: Path):
    (tmp_path / "good.txt").write_bytes(listing(block("Alpha: One", LONG)))
    (tmp_path / "bad.txt").write_bytes(b"Title\n\nok abstract\n\n\xff\xfe\n")
    done = run("build", str(tmp_path / "good.txt"), str(tmp_path / "bad.txt"), "--out", str(tmp_path / "o"), "--offline", cwd=tmp_path)
    assert done.returncode == 0
    errors = [l for l in done.stderr.splitlines() if l.startswith("error:")]
    assert errors == [f"error: {tmp_path / 'bad.txt'}:5: not UTF-8 text (byte 0xff at column 1); save the listing as UTF-8"]
    assert "1 unique papers" in done.stdout and "1 files rejected" in done.stdout


def test_cli__nothing_to_build_exit_1(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    done = run("build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o"), "--offline", cwd=tmp_path)
    assert done.returncode == 1 and "no papers found" in done.stderr and "Traceback" not in done.stderr


def test_cli__every_command_has_help(tmp_path: Path):
    for args in (["--help"], ["build", "--help"]):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 0 and "usage: paperlineage" in done.stdout


def test_cli__methods_file_extends_vocabulary_and_bad_file_is_one_line(tmp_path: Path):
    (tmp_path / "l.txt").write_bytes(
        listing(block("Paper A", "We use the WidgetNet trick. " + LONG), block("Paper B", "WidgetNet again, as a method. " + LONG))
    )
    (tmp_path / "methods.json").write_text('{"methods": [{"name": "WidgetNet", "aliases": []}]}')
    done = run("build", str(tmp_path / "l.txt"), "--out", str(tmp_path / "o"), "--offline", "--methods", str(tmp_path / "methods.json"), "--view", "methods", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    graph = nx.read_graphml(tmp_path / "o" / "graph.graphml")
    assert "method:WidgetNet" in graph
    assert sum(1 for _, _, d in graph.edges(data=True) if d["kind"] == "shares_method") == 1
    (tmp_path / "bad.json").write_text('{"methods": [{"name": "X", "aliases": "not a list"}]}')
    done = run("build", str(tmp_path / "l.txt"), "--out", str(tmp_path / "o"), "--offline", "--methods", str(tmp_path / "bad.json"), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'bad.json'}:1: methods[0] ('X'): 'aliases' must be a list of strings" in done.stderr
    (tmp_path / "broken.json").write_text('{"methods": [\n  {"name": }\n]}')
    done = run("build", str(tmp_path / "l.txt"), "--out", str(tmp_path / "o"), "--offline", "--methods", str(tmp_path / "broken.json"), cwd=tmp_path)
    assert done.returncode == 1 and f"{tmp_path / 'broken.json'}:2: not valid JSON" in done.stderr


def test_cli__layout_and_size_flags_reach_the_page_and_the_summary(tmp_path: Path):
    done = run("build", str(ROOT / "seeds"), "--out", str(tmp_path / "t"), "--offline", "--layout", "timeline", "--size-by", "stars", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    line = next(l for l in done.stdout.splitlines() if l.startswith("graph.html:"))
    assert "timeline layout, size by stars" in line and "x by date" in line
    page = (tmp_path / "t" / "graph.html").read_text(encoding="utf-8")
    assert '"layout": "timeline"' in page and '"sizeBy": "stars"' in page
    done = run("build", str(ROOT / "seeds"), "--out", str(tmp_path / "f"), "--offline", cwd=tmp_path)
    assert "force layout, size by pagerank; physics on" in done.stdout
    assert (tmp_path / "f" / "graph.html").read_bytes() != page.encode("utf-8")
    done = run("build", "--layout", "spiral", cwd=tmp_path)
    assert done.returncode == 2 and "invalid choice: 'spiral'" in done.stderr


def test_cli__bad_cache_methods_and_out_paths_are_one_line(tmp_path: Path):
    """User-supplied files that are not what they claim get one line naming them, never a traceback."""
    (tmp_path / "l.txt").write_bytes(listing(block("Paper A", LONG)))
    (tmp_path / "latin1.json").write_bytes(b'{"methods": [\n{"name": "caf\xe9"}]}')
    (tmp_path / "not-a-db.sqlite").write_bytes(b"this is not SQLite\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    cases = [
        (["--methods", str(tmp_path / "latin1.json")], 1, f"{tmp_path / 'latin1.json'}:2: not UTF-8 text (byte 0xe9)"),
        (["--cache", str(tmp_path / "not-a-db.sqlite")], 2, f"HTTP cache {tmp_path / 'not-a-db.sqlite'}: file is not a database"),
        (["--cache", str(tmp_path / "folder")], 2, f"--cache {tmp_path / 'folder'}: is a folder"),
        (["--out", str(tmp_path / "a-file")], 2, f"--out {tmp_path / 'a-file'}: is a file"),
    ]
    for extra, code, message in cases:
        args = ["build", str(tmp_path / "l.txt"), "--offline", *(["--out", str(tmp_path / "o")] if "--out" not in extra else []), *extra]
        done = run(*args, cwd=tmp_path)
        assert done.returncode == code and message in done.stderr and "Traceback" not in done.stderr, (extra, done.stderr)
