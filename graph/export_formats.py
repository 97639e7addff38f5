"""GEXF and CSV exports, and `export_graph`, which writes any of the formats (BibTeX: `graph.export_bibtex`).

GraphML (`graph.export_graphml`) and node-link JSON (`graph.export_json`) are the
build's own files; GEXF is Gephi's native format and CSV is for spreadsheets and
pandas. Like the build's files, the bytes depend only on the graph:

- GEXF: networkx's `GEXFWriter` stamps a ``lastmodifieddate`` on the file, so we
  drop it; node labels are the titles (Gephi shows ``label``).
- CSV: two files, because a graph is two tables. ``edges.csv`` holds
  ``source,target,kind`` and the edge attributes; the nodes go next to it, in the
  same name with ``edges`` replaced by ``nodes`` (``out/edges.csv`` →
  ``out/nodes.csv``, ``galore-edges.csv`` → ``galore-nodes.csv``), or with
  ``-nodes`` added when the name has no ``edges`` (``galore.csv`` → ``galore-nodes.csv``).
  A text cell that a spreadsheet would run as a formula gets a leading ``'`` (`csv_cell`).

See https://networkx.org/documentation/stable/reference/readwrite/gexf.html and
https://gexf.net/ for the format.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from paperlineage.graph.export_bibtex import write_bibtex
from paperlineage.graph.export_graphml import write_graphml, xml_text
from paperlineage.graph.export_json import write_graph_json
from paperlineage.graph.kinds import join_list

FORMATS = ("graphml", "json", "gexf", "csv", "bibtex")
SUFFIXES = {".graphml": "graphml", ".json": "json", ".gexf": "gexf", ".csv": "csv", ".bib": "bibtex"}


def _scalar(value: object) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return join_list(str(v) for v in (sorted(value, key=str) if isinstance(value, (set, frozenset)) else value))
    return str(value)


# Excel, LibreOffice and Google Sheets treat a cell starting with one of these as a formula, and a
# title is untrusted text ("=HYPERLINK(...)"); OWASP's advice is a leading ' so the cell stays text.
# https://owasp.org/www-community/attacks/CSV_Injection
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str | int | float | bool:
    r"""`value` as a CSV cell: a scalar, with a ``'`` before text a spreadsheet would run as a formula.

    Numbers stay numbers (a negative PageRank or year is not text). A carriage return inside
    text becomes a line feed: the writer ends rows with ``\n`` and so quotes a cell holding
    ``\n`` but not one holding a lone ``\r``, which a reader takes for the end of the row,
    and the rest of the cell would start a new row (formula and all).

    >>> csv_cell("=1+2"), csv_cell("-1"), csv_cell(-1), csv_cell("GaLore"), csv_cell("a\r=1")
    ("'=1+2", "'-1", -1, 'GaLore', 'a\n=1')
    """
    cell = _scalar(value)
    if not isinstance(cell, str):
        return cell
    if cell.startswith(_FORMULA_START):
        cell = f"'{cell}"
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `graph` ready for GEXF: XML-safe scalar attributes, titles as labels, no graph-level dicts."""
    copy = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {k: xml_text(_scalar(v)) for k, v in data.items()}
        attrs["label"] = xml_text(str(data.get("title", node)))
        copy.add_node(xml_text(node), **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(xml_text(u), xml_text(v), key=xml_text(key), **{k: xml_text(_scalar(v)) for k, v in data.items()})
    return copy


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write `graph` as GEXF 1.2 for Gephi; the bytes depend only on the graph."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(gexf_graph(graph))
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.write(path)


def read_gexf(path: Path) -> nx.MultiDiGraph:
    """Read a graph written by `write_gexf` (labels become the node ids' ``label`` attribute)."""
    return nx.MultiDiGraph(nx.read_gexf(path, relabel=False))


def nodes_csv_path(edges_path: Path) -> Path:
    """Where `write_csv` puts the nodes for an edges file.

    >>> str(nodes_csv_path(Path("out/edges.csv")))
    'out/nodes.csv'
    >>> str(nodes_csv_path(Path("galore.csv")))
    'galore-nodes.csv'
    """
    stem = edges_path.stem
    if "edges" in stem:
        head, _, tail = stem.rpartition("edges")
        return edges_path.with_name(f"{head}nodes{tail}{edges_path.suffix}")
    return edges_path.with_name(f"{stem}-nodes{edges_path.suffix or '.csv'}")


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    columns = list(first)
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


def _write_table(path: Path, rows: list[dict], first: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=_columns(rows, first), lineterminator="\n", restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})


def _renamed(data: dict, fixed: tuple[str, ...]) -> dict:
    """`data` with attributes named like a fixed column as ``attr_<name>`` (``kind`` is its own column)."""
    return {(f"attr_{key}" if key in fixed else key): value for key, value in data.items() if key != "kind"}


def write_csv(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    """Write the edges to `path` and the nodes to `nodes_csv_path(path)`; returns both paths.

    Columns are ``source,target,kind`` (edges) and ``id`` (nodes), then every
    attribute in order of first appearance; a missing attribute is an empty cell. An attribute
    named like a fixed column (a ``cites`` edge's ``source``, the API it came from) is written as
    ``attr_<name>``, so it never overwrites the paper ids.
    """
    edges = [
        {"source": u, "target": v, "kind": d.get("kind", k), **_renamed(d, ("source", "target"))}
        for u, v, k, d in graph.edges(keys=True, data=True)
    ]
    nodes = [{"id": n, **_renamed(d, ("id",))} for n, d in graph.nodes(data=True)]
    nodes_path = nodes_csv_path(path)
    _write_table(path, edges, ["source", "target", "kind"])
    _write_table(nodes_path, nodes, ["id"])
    return [path, nodes_path]


def format_for(path: Path) -> str | None:
    """The export format a file name implies, or None.

    >>> format_for(Path("lineage.GEXF"))
    'gexf'
    """
    return SUFFIXES.get(path.suffix.lower())


def export_graph(graph: nx.MultiDiGraph, fmt: str, path: Path) -> list[Path]:
    """Write `graph` to `path` in `fmt` (graphml, json, gexf, csv or bibtex); returns the files written.

    Raises:
        ValueError: `fmt` is not one of `FORMATS`.
        OSError: the file cannot be written.
    """
    if fmt == "graphml":
        write_graphml(graph, path)
    elif fmt == "json":
        write_graph_json(graph, path)
    elif fmt == "gexf":
        write_gexf(graph, path)
    elif fmt == "csv":
        return write_csv(graph, path)
    elif fmt == "bibtex":
        write_bibtex(graph, path)
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return [path]
