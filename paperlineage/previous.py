"""Read the previous build back from its output folder, for ``paperlineage update`` and `whats_new`.

``papers.json`` is the record of the papers (every field an input gave is in it, see
`enrich.ingest.as_input`) and ``graph.json`` the record of the edges. Both are checked before
anything is written: a folder holding something else (a foreign or hand-edited ``papers.json``,
a cut-off file) is an error naming the file, and the folder is left as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from paperlineage.enrich.models import Paper
from paperlineage.outputs import OutputError

__all__ = ["PAPERS", "GRAPH", "PreviousBuild", "PreviousBuildError", "read_previous"]

PAPERS = "papers.json"
GRAPH = "graph.json"
_PAPERS = TypeAdapter(list[Paper])


class PreviousBuildError(OutputError):
    """The output folder holds no readable previous build; names the file and says why."""


@dataclass(frozen=True)
class PreviousBuild:
    """What the previous build in a folder wrote: its papers and its edges."""

    papers: list[Paper]
    edges: frozenset[tuple[str, str, str]]
    """(u, v, kind) of every edge of its graph."""


def _json(path: Path, kept: str) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PreviousBuildError(path, f"no such file, so no previous build to read{kept}") from None
    except UnicodeDecodeError:
        raise PreviousBuildError(path, f"not UTF-8 text, so not a paperlineage output{kept}") from None
    except OSError as exc:
        raise PreviousBuildError(path, f"cannot read it: {exc.strerror or exc}{kept}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PreviousBuildError(path, f"not valid JSON (line {exc.lineno}: {exc.msg}), so not a paperlineage output{kept}") from None


def _papers(path: Path, data: object, kept: str) -> list[Paper]:
    try:
        papers = _PAPERS.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(part) for part in first["loc"])
        raise PreviousBuildError(path, f"not a paperlineage papers.json (at {where or 'the top'}: {first['msg']}){kept}") from None
    if len({p.id for p in papers}) < len(papers):
        raise PreviousBuildError(path, f"not a paperlineage papers.json (a paper id appears twice){kept}")
    return papers


def _edges(path: Path, data: object, ids: set[str], kept: str) -> frozenset[tuple[str, str, str]]:
    edges = data.get("edges") if isinstance(data, dict) else None
    if not isinstance(edges, list) or not all(isinstance(e, dict) and {"source", "target"} <= e.keys() for e in edges):
        raise PreviousBuildError(path, f"not a paperlineage graph.json (no node-link 'edges' list){kept}")
    found = frozenset((str(e["source"]), str(e["target"]), str(e.get("kind", e.get("key", "")))) for e in edges)
    stray = sorted({end for u, v, _ in found for end in (u, v) if end not in ids and not end.startswith("method:")})
    if stray:
        raise PreviousBuildError(path, f"its edges name paper {stray[0]!r}, which papers.json does not hold{kept}")
    return found


def read_previous(out: Path) -> PreviousBuild:
    """The previous build in folder `out`.

    Raises:
        PreviousBuildError: ``papers.json`` or ``graph.json`` is missing, unreadable or not ours.
    """
    kept = f"; {out} is left as it is"
    papers_path, graph_path = out / PAPERS, out / GRAPH
    papers = _papers(papers_path, _json(papers_path, kept), kept)
    edges = _edges(graph_path, _json(graph_path, kept), {p.id for p in papers}, kept)
    return PreviousBuild(papers=papers, edges=edges)
