"""Command line for a built graph: ``paperlineage query ...`` and ``paperlineage export``.

Every command reads ``--graph PATH`` (default: ``outputs/graph.graphml``, the last
build's file) and prints a plain table, or with ``--json`` the records of
`graph.records` for scripts. Exit codes: 0 success, 1 when nothing matches (an
unknown or ambiguous name, no path, nothing to rank), 2 for usage errors (a path
from a paper to itself, an ``--out`` that is a folder) and a graph file that is
missing or not a graph. Errors are one line on stderr; an ambiguous name adds one
line per candidate. Under ``--json`` every error, usage errors included, is also a
JSON object on stdout, ``{"error": "..."}`` (plus ``candidates`` and ``total`` for
an ambiguous name), with the same exit code, so a script always gets JSON.

``export --out -`` writes to standard output, like no ``--out`` at all (``./-``
is a file named ``-``).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from paperlineage.graph.errors import GraphFileError, GraphQueryError, LookupAmbiguous, NotFound, UsageError
from paperlineage.graph.export_formats import FORMATS, export_graph, format_for, nodes_csv_path
from paperlineage.graph.kinds import UNDIRECTED_KINDS
from paperlineage.graph.query import (
    EDGE_KINDS, INFLUENCE_KINDS, RANKINGS, ego_subgraph, find_paper, influence_path, lineage, lineage_subgraph, load_graph,
    match_paper, neighbors, paper_ref, top_papers,
)
from paperlineage.graph.records import Hop, NeighborRow, PaperRef
from paperlineage.terminal import echo, visible

DEFAULT_GRAPH = Path("outputs/graph.graphml")
STDOUT = "-"
TITLE_WIDTH = 60
EVIDENCE_WIDTH = 110


def _kinds(text: str) -> tuple[str, ...]:
    """``--kind`` value: comma-separated edge kinds, or ``influence`` (cites,mentions), or ``all``."""
    kinds: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part == "influence":
            kinds.extend(INFLUENCE_KINDS)
        elif part == "all":
            kinds.extend(EDGE_KINDS)
        elif part in EDGE_KINDS:
            kinds.append(part)
        else:
            raise argparse.ArgumentTypeError(f"unknown edge kind {part!r} (choose from {', '.join(EDGE_KINDS)}, influence, all)")
    return tuple(dict.fromkeys(kinds))


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (depths, counts, workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _wants_json(args: list[str]) -> bool:
    """Whether a command line asks for --json (argparse also accepts a prefix such as --js)."""
    return any(len(a) >= 4 and "--json".startswith(a) for a in args)


class _QuestionParser(argparse.ArgumentParser):
    """The parser of each ``query`` question: with --json, a usage error is also a JSON object on stdout.

    argparse reports a bad value through `error` before the namespace exists, so
    the command line itself is checked for --json. Arguments the question does not
    know are reported here too (with its own usage), not left to the top-level parser.
    """

    _json = False

    def parse_known_args(self, args=None, namespace=None):
        self._json = _wants_json(list(sys.argv[1:] if args is None else args))
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras

    def error(self, message: str):
        if self._json:
            _print_json({"error": message})
        super().error(message)


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, metavar="PATH",
                        help=f"graph file, .graphml or .json (default: {DEFAULT_GRAPH})")
    return common


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``query`` (find, neighbors, lineage, path, top) and ``export`` to the ``paperlineage`` parser."""
    common = _common()
    output = argparse.ArgumentParser(add_help=False, parents=[common])
    output.add_argument("--json", action="store_true", help="print JSON records instead of a table")
    query = commands.add_parser("query", help="ask a built graph: find, neighbors, lineage, path, top",
                                description="Ask questions of a built graph. An arrow u → v means v builds on, uses or cites u.")
    queries = query.add_subparsers(dest="query", required=True, metavar="QUESTION", parser_class=_QuestionParser)

    find = queries.add_parser("find", parents=[output], help="which paper a name means",
                              description="Find a paper by id, arXiv ID, method name or (fuzzy) title.")
    find.add_argument("name", help="paper id, arXiv ID, method name or title")
    find.set_defaults(handler=_find)

    near = queries.add_parser("neighbors", aliases=["neighbours"], parents=[output], help="papers linked to a paper",
                              description="Papers within --depth edges of a paper. 'out': what builds on it; 'in': what it builds on.")
    near.add_argument("name", help="paper id, arXiv ID, method name or title")
    near.add_argument("--kind", type=_kinds, metavar="KINDS",
                      help=f"comma-separated edge kinds to follow ({', '.join(EDGE_KINDS)}, influence, all; default: all)")
    near.add_argument("--direction", choices=("out", "in", "both"), default="both", help="default: both")
    near.add_argument("--depth", type=positive, default=1, metavar="N", help="how many edges away (default: 1)")
    near.set_defaults(handler=_neighbors)

    line = queries.add_parser("lineage", parents=[output], help="what a paper builds on and what builds on it",
                              description="Ancestors and descendants of a paper along influence edges (cites, mentions).")
    line.add_argument("name", help="paper id, arXiv ID, method name or title")
    line.add_argument("--depth", type=positive, metavar="N", help="how many edges away (default: no limit)")
    line.add_argument("--confirmed", action="store_true",
                      help="only confirmed edges: cites, and mentions that a citation on the same pair backs (not text only)")
    line.set_defaults(handler=_lineage)

    path = queries.add_parser("path", parents=[output], help="how two papers are connected",
                              description="Shortest influence path (cites, mentions) between two papers, either way, with the evidence of each hop.")
    path.add_argument("source", help="first paper")
    path.add_argument("target", help="second paper")
    path.add_argument("--any-edge", action="store_true",
                      help="without an influence path, allow any edge kind (shares_method too) in any direction; not lineage")
    path.set_defaults(handler=_path)

    top = queries.add_parser("top", parents=[output], help="the highest-ranked papers",
                             description="Papers ranked by influence PageRank, citations inside the corpus, GitHub stars or upvotes.")
    top.add_argument("--by", choices=RANKINGS, default="pagerank", help="default: pagerank")
    top.add_argument("-n", type=positive, default=10, metavar="N", help="how many (default: 10)")
    top.set_defaults(handler=_top)

    export = commands.add_parser("export", parents=[common], help="write the graph, the part around a paper or a lineage, as graphml, json, gexf, csv or bibtex",
                                 description="Write the graph (or the ego graph around a paper, or a paper's lineage) in a portable format. "
                                             "csv writes two files: the edges to --out and the nodes next to it (edges.csv -> nodes.csv); "
                                             "bibtex writes one @misc entry per paper, to cite what you read.")
    export.add_argument("--format", choices=FORMATS, help="default: from the --out suffix")
    export.add_argument("--out", metavar="FILE", help="file to write; '-' or none: standard output (csv needs a file)")
    export.add_argument("--around", metavar="NAME", help="only the papers within --depth edges of this paper (any kind, either direction)")
    export.add_argument("--lineage", metavar="NAME",
                        help="only this paper, what it builds on and what builds on it (cites, mentions), and the edges among them")
    export.add_argument("--depth", type=positive, metavar="N", help="with --around (default: 1) or --lineage (default: no limit)")
    export.set_defaults(handler=_export, command_parser=export)


def run(args: argparse.Namespace) -> int:
    """Run a ``query`` or ``export`` command; errors become one line (plus candidates) and an exit code.

    With --json the same error is also printed as a JSON object on stdout.
    """
    try:
        return args.handler(args)
    except GraphQueryError as exc:
        echo(f"paperlineage: error: {exc}", err=True)
        error: dict[str, Any] = {"error": str(exc)}
        if isinstance(exc, LookupAmbiguous):
            for match in exc.candidates:
                echo(f"  {match.paper.id}  {_short(match.paper.title)}  ({match.how}, {match.score:g})", err=True)
            if exc.total > len(exc.candidates):
                echo(f"  ... and {exc.total - len(exc.candidates)} more", err=True)
            error.update(candidates=[m.model_dump(mode="json") for m in exc.candidates], total=exc.total)
        if getattr(args, "json", False):
            _print_json(error)
        return 2 if isinstance(exc, (GraphFileError, UsageError)) else 1
    except BrokenPipeError:  # `... | head`: the reader has gone; say nothing more (Python docs, "SIGPIPE")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    text = visible(" ".join(text.split()))  # before measuring, so table columns count the escapes
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in [headers, *cells]]


def _print_json(data: Any) -> None:
    # Under a stdout that is not UTF-8, \u escapes keep the JSON valid where the stream's
    # backslashreplace would write \U0001f600 for a character outside the BMP.
    ascii_only = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name != "utf-8"
    # json.dumps escapes C0 controls itself but not DEL or C1 (with ensure_ascii=False).
    print(visible(json.dumps(data, ensure_ascii=ascii_only, indent=2), json=True))


def _heading(paper: PaperRef) -> str:
    return f"{paper.title} ({paper.id})"


def _with_confirmed(kinds: str, confirmed: bool | None) -> str:
    """``mentions (confirmed)`` for a mention a citation backs; text-only mentions and other kinds as they are."""
    return f"{kinds} (confirmed)" if confirmed else kinds


def _rows_table(rows: list[NeighborRow]) -> list[str]:
    return _table(["depth", "direction", "via", "title", "id"],
                  [[r.depth, r.direction, _with_confirmed(r.via_kind, r.confirmed), _short(r.paper.title), r.paper.id] for r in rows])


def _find(args: argparse.Namespace) -> int:
    graph = load_graph(args.graph)
    node = find_paper(graph, args.name)
    match = match_paper(graph, args.name)[0]
    if args.json:
        _print_json(match.model_dump(mode="json"))
        return 0
    data = graph.nodes[node]
    echo(_heading(match.paper))
    fields = [("matched by", f"{match.how} ({match.score:g})"), ("arxiv_id", match.paper.arxiv_id), ("github", match.paper.github),
              ("date", match.paper.date), ("methods", data.get("methods", "")), ("community", match.paper.community),
              ("pagerank", match.paper.pagerank)]
    for label, value in fields:
        echo(f"  {label + ':':<12}{value if value != '' else '-'}")
    return 0


def _neighbors(args: argparse.Namespace) -> int:
    graph = load_graph(args.graph)
    node = find_paper(graph, args.name)
    rows = neighbors(graph, node, args.direction, args.kind, args.depth)
    kinds = ",".join(args.kind) if args.kind else "all"
    if args.json:
        _print_json({"paper": paper_ref(graph, node).model_dump(mode="json"), "direction": args.direction, "kinds": kinds,
                     "depth": args.depth, "neighbors": [r.model_dump(mode="json") for r in rows]})
        return 0 if rows else 1
    echo(_heading(paper_ref(graph, node)))
    if not rows:
        echo(f"no neighbours (direction {args.direction}, kinds {kinds}, depth {args.depth})")
        return 1
    echo(f"{len(rows)} neighbours (direction {args.direction}, kinds {kinds}, depth {args.depth}):")
    for line in _rows_table(rows):
        echo(line)
    return 0


def _lineage(args: argparse.Namespace) -> int:
    graph = load_graph(args.graph)
    result = lineage(graph, find_paper(graph, args.name), args.depth, confirmed_only=args.confirmed)
    found = bool(result.ancestors or result.descendants)
    if args.json:
        _print_json(result.model_dump(mode="json"))
        return 0 if found else 1
    echo(_heading(result.paper))
    if args.confirmed:
        echo("confirmed edges only: cites, and mentions a citation backs")
    for label, rows in (("builds on", result.ancestors), ("built on by", result.descendants)):
        echo(f"{label}: {len(rows) or 'nothing'}")
        if rows:
            for line in _rows_table(rows):
                echo("  " + line)
    return 0 if found else 1


def _hop_line(hop: Hop) -> str:
    a, b = _short(hop.source.title, 45), _short(hop.target.title, 45)
    kind = _with_confirmed(hop.kind, hop.confirmed)
    if hop.kind in UNDIRECTED_KINDS:
        return f"{a} -[{kind}]- {b}"
    return f"{a} -[{kind}]-> {b}" if hop.along else f"{a} <-[{kind}]- {b}"


def _path(args: argparse.Namespace) -> int:
    graph = load_graph(args.graph)
    source, target = find_paper(graph, args.source), find_paper(graph, args.target)
    if source == target:
        said = f"{args.source!r} is at both ends" if args.source == args.target else f"{args.source!r} and {args.target!r} name the same paper"
        raise UsageError(f"{said} ({source}); a path needs two different papers")
    try:
        result = influence_path(graph, source, target, args.any_edge)
    except NotFound as exc:
        hint = "" if args.any_edge else " (--any-edge looks for any connection, shares_method included)"
        raise NotFound(exc.query, exc.reason + hint) from None
    if args.json:
        _print_json(result.model_dump(mode="json"))
        return 0
    count = f"{len(result.hops)} hop" + ("" if len(result.hops) == 1 else "s")
    if result.mode == "any-edge":
        echo(f"no influence path; any-edge connection (not lineage), {count}:")
    elif result.direction == "forward":
        echo(f"{_short(result.target.title, 45)} builds on {_short(result.source.title, 45)} ({count}):")
    else:
        echo(f"{_short(result.source.title, 45)} builds on {_short(result.target.title, 45)} ({count}):")
    for number, hop in enumerate(result.hops, 1):
        echo(f"  {number}. {_hop_line(hop)}")
        evidence = hop.evidence.split(" | ")[0] if hop.evidence else "(no evidence recorded)"
        echo(f"     {_short(evidence, EVIDENCE_WIDTH)}")
    return 0


def _top(args: argparse.Namespace) -> int:
    graph = load_graph(args.graph)
    rows = top_papers(graph, args.by, args.n)
    if not rows:
        raise NotFound(args.by, f"no paper has any {args.by} in this graph")
    if args.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return 0
    values = [f"{r.value:g}" if args.by == "pagerank" else f"{int(r.value)}" for r in rows]
    for line in _table(["rank", args.by, "title", "id"], [[r.rank, v, _short(r.paper.title), r.paper.id] for r, v in zip(rows, values)]):
        echo(line)
    return 0


def _export_target(parser: argparse.ArgumentParser, text: str | None, fmt: str | None) -> tuple[str, Path | None]:
    """The format and the file to write (None: standard output); anything else is a usage error (exit 2)."""
    out = None if text in (None, STDOUT) else Path(text)
    fmt = fmt or (format_for(out) if out else None)
    if fmt is None:
        parser.error("give --format (graphml, json, gexf, csv, bibtex) or an --out file with one of those suffixes (.bib for bibtex)")
    if fmt == "csv" and out is None:
        parser.error("csv writes two files (edges and nodes), so it cannot go to standard output; give --out FILE.csv")
    if out is None:
        return fmt, None
    example = out / ("edges.csv" if fmt == "csv" else f"graph.{fmt}")
    if out.is_dir():
        parser.error(f"--out {text}: is a folder; give a file name, e.g. {example}")
    if not out.parent.is_dir():
        parser.error(f"--out {text}: the folder {out.parent} does not exist")
    if fmt == "csv" and nodes_csv_path(out).is_dir():
        parser.error(f"--out {text}: the nodes file {nodes_csv_path(out)} is a folder; give another name")
    return fmt, out


def _export(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.command_parser
    fmt, out = _export_target(parser, args.out, args.format)
    if args.depth is not None and args.around is None and args.lineage is None:
        parser.error("--depth needs --around or --lineage")
    if args.around is not None and args.lineage is not None:
        parser.error("give --around or --lineage, not both")
    graph = load_graph(args.graph)
    if args.around is not None:
        graph = ego_subgraph(graph, find_paper(graph, args.around), args.depth or 1)
    elif args.lineage is not None:
        graph = lineage_subgraph(graph, find_paper(graph, args.lineage), args.depth)
    if out is None:
        with tempfile.TemporaryDirectory() as folder:
            written = export_graph(graph, fmt, Path(folder) / f"graph.{fmt}")
            sys.stdout.flush()
            sys.stdout.buffer.write(written[0].read_bytes())
            sys.stdout.buffer.flush()
        return 0
    written = export_graph(graph, fmt, out)
    echo(f"wrote {', '.join(str(p) for p in written)} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
    return 0
