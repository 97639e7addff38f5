"""Fixtures shared across test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from cache import HttpConfig
from graph.pipeline import BuildResult, run_build

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def offline_seeds(tmp_path_factory) -> BuildResult:
    """One offline build of ``seeds/`` for every module that only reads it (outputs in ``.written``).

    Modules take ``.graph.copy()`` where they change the graph, so one module cannot leak into another.
    """
    out = tmp_path_factory.mktemp("offline-seeds")
    return run_build([SEEDS], out, HttpConfig(offline=True, cache_path=out / "c.sqlite"))
