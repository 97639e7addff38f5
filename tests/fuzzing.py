"""What every fuzz test does with one mutated input: a whole offline build under an alarm, then
the checks a hostile input must pass (no hang, no traceback, nothing raw on the terminal, every
output parses)."""

from __future__ import annotations

import html.parser
import json
import signal
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from paperlineage import cli

PER_CASE_SECONDS = 60
#: Bytes that must never reach a terminal raw: ESC, BEL, CSI, NUL.
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x00")


class _Alarm(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ARG001
    raise _Alarm()


def build_under_alarm(case: int, inputs: Path, out: Path, capsys) -> tuple[int, str]:
    """Run ``paperlineage build INPUTS --out OUT --offline``; fail the case if it hangs.

    Returns the exit code and everything printed (stdout and stderr).
    """
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(PER_CASE_SECONDS)
    try:
        code = cli.main(["build", str(inputs), "--out", str(out), "--offline", "--cache", str(out.parent / "c.sqlite")])
    except _Alarm:
        pytest.fail(f"case {case}: the build hung for {PER_CASE_SECONDS} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert code in (0, 1), (code, captured.err[-500:])
    assert "Traceback" not in printed
    assert not any(ch in printed for ch in RAW_CONTROLS), printed[-300:]
    return code, printed


def check_outputs(out: Path) -> None:
    """Every output parses: JSON, XML through ElementTree, HTML through html.parser."""
    for name in ("papers.json", "graph.json", "report.json"):
        json.loads((out / name).read_text(encoding="utf-8"))
    ET.parse(out / "graph.graphml")
    page = (out / "graph.html").read_text(encoding="utf-8")
    html.parser.HTMLParser().feed(page)
    assert page.rstrip().endswith("</html>")
