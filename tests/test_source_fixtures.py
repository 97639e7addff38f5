"""Guards on ``tests/fixtures/``: no fixture goes unused, and hand-written ones say so.

Like arxiv.py's ``pytest_sessionfinish`` check (STYLE practice 14), but static and conftest-free:
each fixture's name (as the loaders in ``tests/samples.py`` take it) must appear as a quoted
string in a ``test_source_*.py`` module.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests import samples

TESTS = Path(__file__).parent
#: Loader name -> the part of the file name tests pass to it.
_LOADER_NAME = [
    (re.compile(r"^arxivpy-fixture__(.+)\.json$"), r"\1"),
    (re.compile(r"^s2py-cassette__(.+)\.yaml$"), r"\1"),
    (re.compile(r"^pygithub-replay__(.+)\.txt$"), r"\1"),
]


#: Not API recordings, so not held to "a test_source_* file uses it": the listings derived from
#: shared/hf-daily and their labels (the lineage benchmark, tests/test_lineage_labels.py), and the
#: hand-written input files (tests/test_inputs.py).
_NOT_API_SAMPLES = ("hf_daily", "inputs", "dumps")


def _fixtures() -> list[Path]:
    return sorted(
        p for p in samples.FIXTURES.rglob("*")
        if p.is_file() and p.relative_to(samples.FIXTURES).parts[0] not in _NOT_API_SAMPLES
    )


def _referenced_name(fixture: Path) -> str:
    for pattern, repl in _LOADER_NAME:
        if pattern.match(fixture.name):
            return pattern.sub(repl, fixture.name)
    return fixture.name


def test_fixtures__every_fixture_is_used() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_source_*.py"))
    sources += (TESTS / "samples.py").read_text(encoding="utf-8")
    unused = [
        str(f.relative_to(samples.FIXTURES))
        for f in _fixtures()
        if f'"{_referenced_name(f)}"' not in sources
    ]
    assert unused == [], f"fixtures no test uses: {unused}"


def test_fixtures__handmade_ones_say_so() -> None:
    handmade = [f for f in samples.FIXTURES.rglob("*__handmade*") if f.is_file()]
    assert handmade, "expected the hand-written fixtures to exist"
    for f in handmade:
        assert "HAND-WRITTEN FIXTURE" in f.read_text(encoding="utf-8"), f


def test_fixtures__recorded_ones_are_not_marked_handmade() -> None:
    for f in _fixtures():
        if "__handmade" not in f.name:
            assert b"HAND-WRITTEN" not in f.read_bytes(), f
