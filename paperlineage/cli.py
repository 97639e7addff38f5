"""Command line: ``paperlineage build [PATH ...] [--out DIR] [--offline]``, ``paperlineage update``
(the same inputs and options, added to the previous build in ``--out``), plus
``paperlineage query ...`` and ``paperlineage export`` on a built graph (`graph.cli_query`).

Errors the user can fix come out as one line and an exit code, never a traceback:
0 success, 1 nothing to build (or, for queries, nothing matches), 2 usage errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sqlite3
import sys
from pathlib import Path

import paperlineage
from paperlineage.cache import ForeignCacheFile, default_cache_path
from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.hf_daily import RangeError, parse_range, summary as daily_summary
from paperlineage.enrich.hydrate import FIELD as HYDRATE_FIELD
from paperlineage.enrich.resolve import DEFAULT_MIN_CONFIDENCE
from paperlineage.enrich.citations import CONTEXT_CALLS
from paperlineage.enrich.outcomes import kinds_text
from paperlineage.graph.build import confirmed_counts, edge_counts
from paperlineage.graph.mentions import MAX_FAN_OUT
from paperlineage.cli_query import positive, register as register_query_commands, run as run_query_command
from paperlineage.graph.export_html import LAYOUTS, SIZE_BY
from paperlineage.outputs import OutputError
from paperlineage.pipeline import BuildResult
from paperlineage.terminal import echo, setup_streams

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("outputs")


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _build_arguments() -> argparse.ArgumentParser:
    """The inputs and options `build` and `update` share (one parent parser, so they never drift apart)."""
    build = argparse.ArgumentParser(add_help=False)
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="listing files or folders (build default: seeds/; update default: none, only the previous papers)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: outputs/)")
    build.add_argument("--offline", action="store_true", help="never touch the network; use the text and the HTTP cache only")
    build.add_argument("--refresh", action="store_true", help="fetch again even what the cache still holds")
    build.add_argument("--cache", type=Path, metavar="FILE", help="HTTP cache file (default: $PAPERLINEAGE_CACHE or ~/.cache/paperlineage/http.sqlite)")
    build.add_argument(
        "--min-confidence", type=_confidence, default=DEFAULT_MIN_CONFIDENCE, metavar="X",
        help=f"leave a field empty below this confidence, 0..1 (default: {DEFAULT_MIN_CONFIDENCE})",
    )
    build.add_argument("--methods", type=Path, metavar="FILE", help="extra method vocabulary (JSON, same format as enrich/data/methods.json)")
    build.add_argument("--view", choices=("papers", "methods"), default="papers", help="'methods' adds method nodes with introduces/uses edges")
    build.add_argument(
        "--layout", choices=LAYOUTS, default="force",
        help="graph.html start positions: 'force' (seeded spring layout) or 'timeline' (x by publication date)",
    )
    build.add_argument(
        "--engine", choices=("local", "dask"), default="local",
        help="'local': in this process; 'dask': the corpus-wide stages as Dask jobs, same outputs (docs/DISTRIBUTED.md)",
    )
    build.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: a running Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    build.add_argument("--workers", type=positive, default=2, metavar="N", help="with --engine dask and no --scheduler: local worker processes (default: 2)")
    build.add_argument(
        "--dump", choices=("s2", "openalex"), metavar="{s2,openalex}",
        help="the PATHs are bulk-dump shards (.jsonl[.gz], .parquet; folders searched): 's2' Semantic Scholar "
        "datasets (papers, abstracts, citations), 'openalex' a works snapshot",
    )
    build.add_argument("--size-by", choices=SIZE_BY, default="pagerank", help="graph.html node size: influence PageRank or GitHub stars")
    build.add_argument(
        "--hf-daily", metavar="RANGE",
        help="also read Hugging Face Daily Papers: YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD, YYYY-Www, YYYY-MM, today or yesterday "
        "(one request per day; without PATHs, only these)",
    )
    return build


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperlineage", description="Turn lists of ML papers into a method-lineage graph.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    inputs = _build_arguments()
    commands.add_parser(
        "build", parents=[inputs],
        help="read listings, enrich the papers and write papers.json, graph.graphml and graph.html",
        description="Read Hugging Face Daily Papers listings, resolve arXiv IDs and repositories, build the lineage graph. "
                    "Into a folder holding a previous build, whats_new.json says what this build adds to it.",
    )
    commands.add_parser(
        "update", parents=[inputs],
        help="add papers to the build in --out: keep its papers, add the inputs, write whats_new.json",
        description="Read the previous build back from --out, add the papers of the inputs (the previous papers stay, "
                    "whether or not their files are given again), recompute the graph and write every output plus "
                    "whats_new.json: the new papers, the new edges and the existing papers they build on.",
    )
    register_query_commands(commands)
    return parser


def _name_problems(result: BuildResult) -> list[str]:
    """Method names that made no edge on purpose: collisions and names too common for one paper."""
    mentions = result.mentions
    lines = []
    if mentions.ambiguous_names:
        shown = ", ".join(sorted(mentions.ambiguous_names)[:5]) + (", …" if len(mentions.ambiguous_names) > 5 else "")
        lines.append(
            f"names introduced by several papers (not linked unless a citation says which): "
            f"{len(mentions.ambiguous_names)} ({shown}); see report.json ambiguous_method_names"
        )
    if mentions.too_common_for_one_paper:
        lines.append(
            f"names too widely used to be one paper's (more than {MAX_FAN_OUT} papers, not in its title): "
            + ", ".join(sorted(mentions.too_common_for_one_paper))
        )
    return lines


def summary_lines(result: BuildResult) -> list[str]:
    """The short summary printed after a build."""
    report = result.ingest
    merged = report.entries + report.previous - len(result.papers)
    kept = f" (with the {report.previous} papers of the previous build)" if report.previous else ""
    lines = [
        f"read {len(report.files)} files"
        + (f" and {len(report.daily.read)} Hugging Face daily pages" if report.daily else "")
        + f": {report.entries} entries, {len(result.papers)} unique papers{kept}, "
        f"{merged} duplicates merged, {len(report.skipped_blocks)} blocks skipped, {len(report.file_errors)} files rejected"
        + (f", {len(report.warnings)} warnings (above)" if report.warnings else ""),
    ]
    formats = sorted(report.formats.values())
    if any(f != "listing" for f in formats):  # listings alone: the line above says it all, as it always did
        lines.append("formats: " + ", ".join(f"{formats.count(f)} {f}" for f in sorted(set(formats))))
    if report.daily:
        lines += daily_summary(report.daily)
    id_only = [p for p in result.papers if p.id_only]
    if id_only:
        reasons: dict[str, int] = {}
        for paper in id_only:
            key = kinds_text(result.outcomes.reasons_for(HYDRATE_FIELD, paper.id)) or ("offline" if result.offline else "not asked")
            reasons[key] = reasons.get(key, 0) + 1
        why = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{len(id_only)} papers known only by an ID, not hydrated ({why})")
    kinds = edge_counts(result.graph)
    confirmed = confirmed_counts(result.graph)  # mentions a citation backs
    by_kind = ", ".join(
        f"{k} {n}" + (f" ({confirmed[k][0]} confirmed by a citation)" if k in confirmed else "") for k, n in kinds.items()
    ) or "none"
    lines.append(f"graph: {result.graph.number_of_nodes()} nodes, {result.graph.number_of_edges()} edges ({by_kind})")
    lines += _name_problems(result)
    rows = result.outcomes.table()
    if rows:
        lines.append(f"  {'field':<9} {'source':<16} {'resolved':>8} {'ambiguous':>9} {'not found':>9} {'failed':>6} {'not asked':>9}")
        for row in rows:
            lines.append(
                f"  {row['field']:<9} {row['source']:<16} {row['resolved']:>8} {row['ambiguous']:>9} {row['not_found']:>9} {row['failed']:>6}"
                f" {row['not_asked']:>9}"
            )
    if result.requests:
        made = sum(s["network"] for s in result.requests.values())
        cached = sum(s["cache"] for s in result.requests.values())
        per = ", ".join(f"{src} {s['network']}+{s['cache']}" for src, s in result.requests.items())
        lines.append(f"requests: {made} over the network, {cached} from cache ({per})")
    if CONTEXT_CALLS in result.outcomes.calls:
        n = result.outcomes.calls[CONTEXT_CALLS]
        lines.append(f"citation contexts: {n} Semantic Scholar /references calls (one per citing paper with corpus references)")
    if result.html:
        lines.append(result.html.message)
    for note in result.outcomes.notes:
        lines.append(f"note: {note}")
    if result.dead_hosts:
        lines.append(
            "hint: some APIs could not be reached, so those links come from the text alone; "
            "run again when online (answers are cached), or pass --offline to skip lookups"
        )
    for name, missing in result.unresolved.items():
        resolved = len(result.papers) - len(missing)
        reasons: dict[str, int] = {}
        for reason in missing.values():
            key = kinds_text(reason)
            reasons[key] = reasons.get(key, 0) + 1
        why = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{name}: {resolved} resolved, {len(missing)} unresolved" + (f" ({why})" if why else ""))
    return lines


def _build(args: argparse.Namespace) -> int:
    update = args.command == "update"
    paths = args.paths or ([] if args.hf_daily or update else [DEFAULT_SEEDS])
    if args.hf_daily is not None:
        try:
            parse_range(args.hf_daily, dt.datetime.now(dt.timezone.utc).date())
        except RangeError as exc:
            echo(f"paperlineage: error: --hf-daily: {exc}", err=True)
            return 2
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            echo(f"paperlineage: error: {path}: no such file or folder", err=True)
        return 2
    if args.out.exists() and not args.out.is_dir():
        echo(f"paperlineage: error: --out {args.out}: is a file; give a folder for the outputs", err=True)
        return 2
    if args.engine != "dask" and (args.scheduler or args.workers != 2):
        echo("paperlineage: error: --scheduler and --workers need --engine dask", err=True)
        return 2
    if args.cache and args.cache.is_dir():
        echo(f"paperlineage: error: --cache {args.cache}: is a folder; give the cache file's path (e.g. {args.cache / 'http.sqlite'})", err=True)
        return 2
    try:
        result = paperlineage.build(
            paths, out=args.out, offline=args.offline, refresh=args.refresh, cache=args.cache,
            min_confidence=args.min_confidence, methods=args.methods, method_view=args.view == "methods",
            layout=args.layout, size_by=args.size_by, hf_daily=args.hf_daily, update=update, engine=args.engine,
            scheduler=args.scheduler, workers=args.workers, dump=args.dump,
        )
    except ForeignCacheFile as exc:
        echo(f"paperlineage: error: HTTP cache: {exc.message}", err=True)
        return 2
    except sqlite3.Error as exc:  # only the HTTP cache is SQLite
        cache = args.cache or default_cache_path()
        echo(f"paperlineage: error: HTTP cache {cache}: {exc} (pass --cache with another file, or delete this one)", err=True)
        return 2
    for error in result.ingest.file_errors:
        echo(f"error: {error}", err=True)
    for problem in [*result.ingest.skipped_blocks, *result.ingest.warnings]:
        echo(f"{problem}", err=True)
    for line in summary_lines(result):
        echo(line)
    if not result.papers:
        kept = f"; the previous outputs in {args.out} are left as they were" if args.out.is_dir() else ""
        daily = result.ingest.daily
        if daily and not daily.read:
            echo(f"paperlineage: no Hugging Face daily page could be fetched (see above){kept}", err=True)
        else:
            echo(f"paperlineage: no papers found in the given inputs{kept}", err=True)
        return 1
    if result.previous_problem:
        echo(f"note: the previous outputs could not be read, so nothing is marked new: {result.previous_problem}", err=True)
    for line in result.whats_new.lines():
        echo(line)
    echo("wrote " + ", ".join(str(p) for p in result.written) + "  (details: report.json)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``paperlineage`` command."""
    setup_streams()  # before anything is printed, argparse's help and errors included
    args = _parser().parse_args(argv)
    # The summary says what failed; urllib3's retry chatter would only bury it.
    logging.basicConfig(level=logging.ERROR, format="paperlineage: %(message)s")
    try:
        if args.command in ("build", "update"):
            return _build(args)
        if args.command in ("query", "export"):
            return run_query_command(args)
    except (ListingError, OutputError) as exc:  # a file named, and what is wrong with it
        echo(f"paperlineage: error: {exc}", err=True)
        return 1
    except OSError as exc:
        echo(f"paperlineage: error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
