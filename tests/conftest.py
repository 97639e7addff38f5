"""Fixtures shared across test modules."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperlineage.cache import HttpConfig
from paperlineage.pipeline import BuildResult, BuildOptions, run_build

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def offline_seeds(tmp_path_factory) -> BuildResult:
    """One offline build of ``seeds/`` for every module that only reads it (outputs in ``.written``).

    Modules take ``.graph.copy()`` where they change the graph, so one module cannot leak into another.
    """
    out = tmp_path_factory.mktemp("offline-seeds")
    return run_build([SEEDS], BuildOptions(out=out, http=HttpConfig(offline=True, cache_path=out / "c.sqlite")))


@pytest.fixture
def logs() -> Iterator[list[logging.LogRecord]]:
    """Every record at DEBUG and up that reaches the root logger.

    Not ``caplog``: this works with pytest's logging plugin off (``-p no:logging``) too.
    """
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(level)
