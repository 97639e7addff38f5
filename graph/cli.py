"""Command line: ``paperlineage build [PATH ...] [--out DIR] [--offline]``.

Errors the user can fix come out as one line and an exit code, never a traceback:
0 success, 1 nothing to build, 2 usage errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from enrich.errors import ListingError
from graph.build import edge_counts
from graph.pipeline import BuildResult, run_build

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("outputs")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperlineage", description="Turn lists of ML papers into a method-lineage graph."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="read listings, enrich the papers and write papers.json, graph.graphml and graph.html",
        description="Read Hugging Face Daily Papers listings and build the lineage graph.",
    )
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="listing files or folders (default: seeds/)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: outputs/)")
    build.add_argument("--offline", action="store_true", help="never touch the network; use text and cache only")
    return parser


def summary_lines(result: BuildResult) -> list[str]:
    """The short summary printed after a build."""
    report = result.ingest
    merged = report.entries - len(result.papers)
    skipped = len(report.skipped_blocks)
    lines = [
        f"read {len(report.files)} files: {report.entries} entries, {len(result.papers)} unique papers, "
        f"{merged} duplicates merged, {skipped} blocks skipped, {len(report.file_errors)} files rejected",
    ]
    kinds = edge_counts(result.graph)
    by_kind = ", ".join(f"{k} {n}" for k, n in kinds.items()) or "none"
    lines.append(f"graph: {result.graph.number_of_nodes()} papers, {result.graph.number_of_edges()} edges ({by_kind})")
    for name, missing in result.unresolved.items():
        resolved = len(result.papers) - len(missing)
        reasons: dict[str, int] = {}
        for reason in missing.values():
            key = reason.split(":")[0] if reason.startswith("ambiguous") else reason
            reasons[key] = reasons.get(key, 0) + 1
        why = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        lines.append(f"{name}: {resolved} resolved, {len(missing)} unresolved" + (f" ({why})" if why else ""))
    return lines


def _build(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_SEEDS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"paperlineage: error: {path}: no such file or folder", file=sys.stderr)
        return 2
    result = run_build(paths, args.out, offline=args.offline)
    for error in result.ingest.file_errors:
        print(f"error: {error}", file=sys.stderr)
    for problem in result.ingest.skipped_blocks:
        print(f"{problem}", file=sys.stderr)
    for line in summary_lines(result):
        print(line)
    if not result.papers:
        print("paperlineage: no papers found in the given listings", file=sys.stderr)
        return 1
    print("wrote " + ", ".join(str(p) for p in result.written))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``paperlineage`` command."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
    except ListingError as exc:  # defensive: ingest reports these per file
        print(f"paperlineage: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"paperlineage: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
