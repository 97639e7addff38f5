"""Every docstring example in the package runs, under the names users import (``paperlineage.*``)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import paperlineage


def _modules() -> list[str]:
    names = ["paperlineage"]
    for info in pkgutil.walk_packages(paperlineage.__path__, "paperlineage."):
        names.append(info.name)
    for sub in ("cache", "enrich", "graph"):
        package = importlib.import_module(f"paperlineage.{sub}")
        names += [info.name for info in pkgutil.walk_packages(package.__path__, f"paperlineage.{sub}.")]
    return sorted(set(names))


MODULES = _modules()


def test_doctests__modules_found():
    assert {"paperlineage.enrich.listing", "paperlineage.graph.lookup", "paperlineage.cache.limits"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests__module_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, name
