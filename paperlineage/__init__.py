"""paperlineage: lists of ML papers in, a method-lineage graph out.

The stages live in :mod:`paperlineage.enrich` (ingest, ids, text analysis, API clients,
resolution), :mod:`paperlineage.cache` (the one HTTP layer) and :mod:`paperlineage.graph` (the
graph, its queries and exports). This package is the application on top of them: :func:`build`,
:func:`load` and the ``paperlineage`` command. See ``docs/ARCHITECTURE.md``.

In a notebook::

    import paperlineage
    result = paperlineage.build(["seeds"], out="outputs", offline=True)
    G = paperlineage.load("outputs/graph.graphml")

    from paperlineage.graph import query
    galore = query.find_paper(G, "GaLore")
    [row.paper.title for row in query.neighbors(G, galore, direction="out")]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the stages are imported on first use, so `import paperlineage` stays light
    import networkx as nx

    from paperlineage.pipeline import BuildResult

__all__ = ["build", "load"]


def build(
    paths: list[str | Path] | None = None,
    *,
    out: str | Path = "outputs",
    offline: bool = False,
    refresh: bool = False,
    cache: str | Path | None = None,
    min_confidence: float | None = None,
    methods: str | Path | None = None,
    method_view: bool = False,
    layout: str = "force",
    size_by: str = "pagerank",
    hf_daily: str | None = None,
    update: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    dump: str | None = None,
) -> BuildResult:
    """Build the lineage graph from listing files or folders and write every output into `out`.

    The same run as ``paperlineage build``: `paths` defaults to ``seeds/``; `offline` uses the
    text and the HTTP cache only; `cache` is the HTTP cache file (default
    ``$PAPERLINEAGE_CACHE`` or ``~/.cache/paperlineage/http.sqlite``); `min_confidence` leaves
    weaker links empty; `methods` extends the method vocabulary; `method_view` adds method
    nodes; `layout` and `size_by` shape ``graph.html``; `hf_daily` adds the Hugging Face Daily
    Papers of a RANGE (``2025-03-03``, ``2025-03-03..2025-03-05``, ``2025-W10``, ``2025-03``,
    ``today``, ``yesterday``), and with it `paths` defaults to none; `update` keeps the papers of
    the previous build in `out` and adds these to them (``paperlineage update``); `engine`
    ``dask`` runs the corpus-wide stages on the Dask cluster at `scheduler` (or a local one of
    `workers` processes); `dump` (``s2`` or ``openalex``) reads `paths` as bulk-dump shards. Returns the
    :class:`~paperlineage.pipeline.BuildResult` (papers, graph, reports, files written).

    Raises:
        paperlineage.enrich.hf_daily.RangeError: `hf_daily` is not a RANGE (nothing was fetched).
    """
    import datetime as dt

    from paperlineage.cache import HttpConfig
    from paperlineage.enrich.hf_daily import parse_range
    from paperlineage.pipeline import BuildOptions, run_build

    days = parse_range(hf_daily, dt.datetime.now(dt.timezone.utc).date()) if hf_daily else []

    http = HttpConfig(offline=offline, refresh=refresh, **({"cache_path": Path(cache)} if cache else {}))
    options = BuildOptions(
        out=Path(out), http=http, methods_file=Path(methods) if methods else None, method_view=method_view,
        layout=layout, size_by=size_by, hf_daily=days, update=update, engine=engine, scheduler=scheduler,
        workers=workers, dump=dump, **({"min_confidence": min_confidence} if min_confidence is not None else {}),
    )
    # No inputs: the seeds, unless daily pages are asked for or an update recomputes the previous papers.
    if not paths:
        paths = [] if days or update else ["seeds"]
    return run_build([Path(p) for p in paths], options)


def load(path: str | Path = "outputs/graph.graphml") -> nx.MultiDiGraph:
    """Read a built graph (``graph.graphml`` or ``graph.json``) for :mod:`paperlineage.graph.query`.

    Raises:
        paperlineage.graph.errors.GraphFileError: missing, unreadable or not a graph.
    """
    from paperlineage.graph.lookup import load_graph

    return load_graph(path)
