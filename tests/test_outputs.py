"""Outputs switch as one set: a failed, killed or concurrent build never leaves a broken or mixed folder."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from paperlineage.cache import HttpConfig
from paperlineage.outputs import OutputError, output_lock
from paperlineage.pipeline import BuildOptions, run_build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FILES = ("papers.json", "graph.graphml", "graph.html", "graph.json", "report.json", "papers.parquet", "edges.parquet", "whats_new.json")


def _run(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAPERLINEAGE_CACHE": str(cwd / "c.sqlite")}
    return subprocess.Popen([sys.executable, "-m", "paperlineage.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _set(out: Path) -> tuple[str, ...]:
    """The sha256 of every output, in order (a missing file is '-')."""
    return tuple(hashlib.sha256((out / n).read_bytes()).hexdigest() if (out / n).is_file() else "-" for n in FILES)


def _build(paths: list[Path], out: Path, tmp: Path):
    return run_build(paths, BuildOptions(out=out, http=HttpConfig(offline=True, cache_path=tmp / "c.sqlite")))


def test_outputs__failed_build_leaves_the_previous_set(tmp_path: Path):
    out = tmp_path / "out"
    _build([SEEDS / "000_0e7f6b59274e8d02.txt"], out, tmp_path)
    before = _set(out)
    (tmp_path / "empty.txt").write_text("")
    done = _run("build", str(tmp_path / "empty.txt"), "--out", str(out), "--offline", cwd=tmp_path)
    _, err = done.communicate(timeout=120)
    assert done.returncode == 1 and "left as they were" in err
    assert _set(out) == before and "-" not in before


def test_outputs__files_not_ours_are_kept(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".gitkeep").write_text("")
    (out / "notes").mkdir()
    (out / "notes" / "mine.txt").write_text("keep me")
    _build([SEEDS / "000_0e7f6b59274e8d02.txt"], out, tmp_path)
    assert (out / ".gitkeep").exists() and (out / "notes" / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir() if "staging" in p.name) == []


def test_outputs__a_write_error_names_the_file_and_changes_nothing(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    _build([SEEDS / "000_0e7f6b59274e8d02.txt"], out, tmp_path)
    before = _set(out)

    def disk_full(graph, path):
        Path(path).write_bytes(b"<graphml")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("paperlineage.pipeline.write_graphml", disk_full)
    with pytest.raises(OutputError) as error:
        _build([SEEDS], out, tmp_path)
    assert str(error.value) == f"{out / 'graph.graphml'}: No space left on device"
    assert _set(out) == before


def test_outputs__a_second_build_into_the_same_folder_is_refused(tmp_path: Path):
    out = tmp_path / "out"
    with output_lock(out):
        done = _run("build", str(SEEDS / "000_0e7f6b59274e8d02.txt"), "--out", str(out), "--offline", cwd=tmp_path)
        _, err = done.communicate(timeout=120)
    assert done.returncode == 1 and "another paperlineage build is writing here" in err and "Traceback" not in err
    assert not out.exists() or _set(out) == ("-",) * len(FILES)


def _complete(out: Path) -> bool:
    json.loads((out / "papers.json").read_text(encoding="utf-8"))
    json.loads((out / "graph.json").read_text(encoding="utf-8"))
    json.loads((out / "report.json").read_text(encoding="utf-8"))
    json.loads((out / "whats_new.json").read_text(encoding="utf-8"))
    ET.parse(out / "graph.graphml")
    return (out / "graph.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def _start_of_writing(build: subprocess.Popen, out: Path) -> float:
    """Wait until the build starts staging its files beside `out`; the time it did (or ended)."""
    while build.poll() is None and not list(out.parent.glob(f".{out.name}.staging-*")):
        time.sleep(0.002)
    return time.monotonic()


def test_outputs__sigkill_during_the_write_phase_leaves_one_whole_set(tmp_path: Path):
    """22 SIGKILLs at random moments of the write phase of a build replacing set A by set B:
    the folder always holds set A or set B, whole, never a mix or a cut file."""
    a_out, b_out, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    small = [SEEDS / "000_0e7f6b59274e8d02.txt"]
    _build(small, a_out, tmp_path)
    _build(small, b_out, tmp_path)  # set B is what a build of the seeds writes over set A (whats_new.json compares with A)
    reference = _run("build", str(SEEDS), "--out", str(b_out), "--offline", cwd=tmp_path)
    writing = _start_of_writing(reference, b_out)
    reference.communicate(timeout=300)
    write_phase = time.monotonic() - writing
    sets = {_set(a_out): "A", _set(b_out): "B"}
    rng = random.Random(20261204)
    seen = []
    for _ in range(22):
        if sets.get(_set(out)) != "A":  # back to set A as first built (a build over B would mark its own papers new)
            shutil.rmtree(out, ignore_errors=True)
            _build(small, out, tmp_path)
        build = _run("build", str(SEEDS), "--out", str(out), "--offline", cwd=tmp_path)
        _start_of_writing(build, out)
        time.sleep(rng.uniform(0.2, 1.6) * write_phase)
        build.send_signal(signal.SIGKILL)
        build.communicate(timeout=60)
        state = sets.get(_set(out))
        assert state in ("A", "B") and _complete(out), f"mixed or broken set after a kill: {_set(out)}"
        seen.append(state)
    print("states after each kill:", "".join(seen), f"(write phase {write_phase:.2f} s)")
    assert "A" in seen  # kills while files were being written left the old set whole
