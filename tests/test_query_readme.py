"""The README's "Querying" examples run as written and print what the README shows.

Each ``sh`` block in the section holds one ``paperlineage query|export`` command,
optionally ending in ``# exit N``; the ``text`` block right after it (if any) is the
whole output (blank lines aside), or its first lines when the block ends with a line ``…``. The ``python`` block is a doctest.
All run in a folder whose ``outputs/`` holds the offline build of ``seeds/``.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from paperlineage.cache import HttpConfig
from paperlineage.pipeline import BuildOptions, run_build

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"```(sh|text|python)\n(.*?)```", re.DOTALL)
_EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## Querying\n" in readme
    return readme.split("\n## Querying\n", 1)[1].split("\n## ", 1)[0]


def _examples() -> list[tuple[str, int, list[str]]]:
    """(command, expected exit code, expected lines) per sh block of the section."""
    blocks = _BLOCK.findall(_section())
    examples = []
    for index, (language, body) in enumerate(blocks):
        if language != "sh":
            continue
        command = body.strip()
        exit_code = 0
        if found := _EXIT.search(command):
            exit_code, command = int(found.group(1)), command[: found.start()]
        following = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
        expected = following[1].splitlines() if following[0] == "text" else []
        examples.append((command, exit_code, [line for line in expected if line.strip()]))
    return examples


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("readme-query")
    run_build([ROOT / "seeds"], BuildOptions(out=cwd / "outputs", http=HttpConfig(offline=True, cache_path=cwd / "c.sqlite")))
    return cwd


def test_readme_query__section_has_examples():
    commands = [command for command, _, _ in _examples()]
    assert len(commands) >= 6
    assert all(c.startswith(("paperlineage query ", "paperlineage export ")) for c in commands)
    for needed in ("query neighbors", "query lineage", "query path", "query top", "query find", "export "):
        assert any(needed in c for c in commands), needed


@pytest.mark.parametrize("command, exit_code, expected", _examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_readme_query__example_output(home: Path, command: str, exit_code: int, expected: list[str]):
    argv = shlex.split(command)
    assert argv[0] == "paperlineage"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAPERLINEAGE_CACHE": str(home / "http.sqlite")}
    done = subprocess.run([sys.executable, "-m", "paperlineage.cli", *argv[1:]], cwd=home, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == exit_code, done.stderr
    lines = [line.rstrip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    want = [line.rstrip() for line in expected]
    if want and want[-1] == "…":  # the README shows the first lines only, and says so
        assert lines[: len(want) - 1] == want[:-1], "\n".join(lines)
    else:
        assert lines == want, f"output of {command!r}:\n" + "\n".join(lines)


def test_readme_query__python_example(home: Path, monkeypatch: pytest.MonkeyPatch):
    [source] = [body for language, body in _BLOCK.findall(_section()) if language == "python"]
    monkeypatch.chdir(home)
    test = doctest.DocTestParser().get_doctest(source, {}, "README Querying", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0 and test.examples
