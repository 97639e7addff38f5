"""What a build adds to the previous one in its folder: ``whats_new.json`` and the summary lines.

A paper is new when no paper of the previous build is the same paper: the same id, a shared
identifier (arXiv ID, DOI, Semantic Scholar id), or the same normalised title and symbols, the
rules ingest merges by (`enrich.grouping`). An edge is new when the previous graph had no edge of
its kind between the same two papers (ids mapped through those matches, so a paper whose id
changed keeps its edges). The document depends only on the two builds, never on the clock, so
an update with nothing new writes the same bytes every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from paperlineage.enrich.models import Paper
from paperlineage.enrich.titles import normalise_title, symbols
from paperlineage.graph.kinds import INFLUENCE_KINDS, split_list
from paperlineage.previous import PreviousBuild

__all__ = ["WhatsNew", "compare", "match_previous", "write_whats_new"]

#: How many "N new papers build on X" lines the terminal shows (whats_new.json has them all).
SHOWN = 10


@dataclass
class WhatsNew:
    """New papers and edges since the previous build, and which existing papers they build on."""

    previous: tuple[int, int] | None = None
    """(papers, edges) of the previous build; None when there was none to compare with."""
    new_papers: list[dict[str, str]] = field(default_factory=list)
    new_edges: list[dict[str, str]] = field(default_factory=list)
    removed_edges: list[dict[str, str]] = field(default_factory=list)
    built_on: list[dict[str, Any]] = field(default_factory=list)
    """Per existing paper that new papers build on (an influence edge to a new paper): the new papers."""

    @property
    def new_ids(self) -> set[str]:
        return {p["id"] for p in self.new_papers}

    def document(self) -> dict[str, Any]:
        """The ``whats_new.json`` document: every list present, empty when nothing is new."""
        previous = {"papers": self.previous[0], "edges": self.previous[1]} if self.previous else None
        return {
            "previous_build": previous, "new_papers": self.new_papers, "new_edges": self.new_edges,
            "removed_edges": self.removed_edges, "built_on_by_new_papers": self.built_on,
        }

    def lines(self) -> list[str]:
        """The summary lines for the terminal (untrusted titles: print them through `terminal.echo`)."""
        if self.previous is None:
            return ["what's new: no previous build in this folder to compare with (whats_new.json lists nothing)"]
        removed = f", {len(self.removed_edges)} edges gone" if self.removed_edges else ""
        lines = [
            f"what's new since the previous build ({self.previous[0]} papers, {self.previous[1]} edges): "
            f"{len(self.new_papers)} new papers, {len(self.new_edges)} new edges{removed} (details: whats_new.json)"
        ]
        for row in self.built_on[:SHOWN]:
            n = len(row["new_papers"])
            lines.append(f"  {n} new {'paper builds' if n == 1 else 'papers build'} on {row['name']}")
        if len(self.built_on) > SHOWN:
            lines.append(f"  ... and {len(self.built_on) - SHOWN} more papers built on (whats_new.json)")
        return lines


def _title_key(paper: Paper) -> tuple[str, str]:
    return normalise_title(paper.title), symbols(paper.title)


def match_previous(previous: list[Paper], papers: list[Paper]) -> dict[str, str]:
    """For each paper that was in the previous build: its id now -> its id then."""
    by_id = {p.id for p in previous}
    by_key: dict[str, str] = {}
    by_title: dict[tuple[str, str], str] = {}
    for paper in sorted(previous, key=lambda p: p.id):
        for key in paper.ids.keys():
            by_key.setdefault(key, paper.id)
        if paper.title and not paper.id_only:
            by_title.setdefault(_title_key(paper), paper.id)
    matched: dict[str, str] = {}
    for paper in papers:
        if paper.id in by_id:
            matched[paper.id] = paper.id
            continue
        old = next((by_key[k] for k in paper.ids.keys() if k in by_key), None)
        if old is None and paper.title and not paper.id_only:
            old = by_title.get(_title_key(paper))
        if old is not None:
            matched[paper.id] = old
    return matched


def _name(data: dict) -> str:
    """How a summary line names a paper: the method it introduces, else its title cut short."""
    methods = split_list(data.get("methods", ""))
    title = " ".join(str(data.get("title", "")).split())
    return methods[0] if methods else (title if len(title) <= 60 else title[:59] + "…")


def _kind(key: object, data: dict) -> str:
    return str(data.get("kind", key))


def compare(previous: PreviousBuild | None, papers: list[Paper], graph: nx.MultiDiGraph) -> WhatsNew:
    """What `graph` (built from `papers`) adds to `previous`; nothing at all without a previous build."""
    if previous is None:
        return WhatsNew()
    matched = match_previous(previous.papers, papers)
    now = {old: new for new, old in sorted(matched.items())}  # previous id -> its id in this build
    before = {(now.get(u, u), now.get(v, v), k) for u, v, k in previous.edges}
    new_ids = {p.id for p in papers if p.id not in matched}
    title = {n: str(d.get("title", "")) for n, d in graph.nodes(data=True)}
    news = WhatsNew(previous=(len(previous.papers), len(previous.edges)))
    news.new_papers = [{"id": n, "title": title.get(n, "")} for n in sorted(new_ids)]
    current = set()
    built_on: dict[str, set[str]] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        kind = _kind(key, data)
        current.add((u, v, kind))
        if (u, v, kind) in before:
            continue
        news.new_edges.append({"u": u, "v": v, "kind": kind, "evidence": str(data.get("evidence", ""))})
        if kind in INFLUENCE_KINDS and v in new_ids and u not in new_ids and graph.nodes[u].get("node_type") == "paper":
            built_on.setdefault(u, set()).add(v)
    news.new_edges.sort(key=lambda e: (e["u"], e["v"], e["kind"]))
    news.removed_edges = [{"u": u, "v": v, "kind": k} for u, v, k in sorted(before - current)]
    rows = [
        {"id": u, "title": title.get(u, ""), "name": _name(graph.nodes[u]),
         "new_papers": [{"id": v, "title": title.get(v, "")} for v in sorted(vs)]}
        for u, vs in built_on.items()
    ]
    news.built_on = sorted(rows, key=lambda r: (-len(r["new_papers"]), r["name"].casefold(), r["id"]))
    return news


def write_whats_new(news: WhatsNew, path: Path) -> None:
    """Write ``whats_new.json``: sorted keys, UTF-8, the same bytes for the same two builds."""
    path.write_text(json.dumps(news.document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
