"""Merging again once the APIs have spoken: papers that turn out to be one paper become one.

Ingest merges what the files themselves show (:mod:`.grouping`). Two cases only the APIs can
settle: a listing paper whose arXiv ID is found online, and an ID-only paper (or a BibTeX entry
with another spelling of the title) carrying that same ID; and an ID-only paper whose hydrated
title is a listing paper's. The rule is the ingest's: identifiers first (arXiv ID, DOI), then
normalised title and symbols, never joining two different arXiv IDs.

The merged paper keeps the id of the member whose title came from an input file (a listing's
id never changes because an API found its twin), else the smallest id; so ids stay stable and
deterministic. Every location is kept; each field keeps the survivor's value, else a member's.
"""

from __future__ import annotations

from paperlineage.enrich.grouping import ArxivSets
from paperlineage.enrich.models import Paper
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.titles import normalise_title, symbols


def _join(sets: ArxivSets, a: int, b: int) -> None:
    if sets.conflict(a, b) is None:  # two arXiv papers may share a title or a journal DOI; they stay two
        sets.join(a, b)


def _keys(paper: Paper) -> list[str]:
    return [k for k in paper.ids.keys() if k.startswith(("arxiv:", "doi:"))]


def _title_from_input(paper: Paper) -> bool:
    return bool(paper.title) and "title" not in paper.provenance  # hydrated titles carry provenance


def _fold(into: Paper, other: Paper) -> None:
    """Fold `other` into `into`, losing nothing `into` lacks."""
    into.locations += [loc for loc in other.locations if loc not in into.locations]
    if len(other.abstract) > len(into.abstract):
        into.abstract = other.abstract
        if "abstract" in other.provenance:
            into.provenance["abstract"] = other.provenance["abstract"]
    for name in ("authors", "organization", "date", "date_text", "daily_date", "arxiv_id", "doi", "semantic_scholar_id",
                 "published", "github", "repo"):
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
            if name in other.provenance:
                into.provenance[name] = other.provenance[name]
    if other.upvotes is not None:
        into.upvotes = max(into.upvotes or 0, other.upvotes)
    into.keywords = sorted(set(into.keywords) | set(other.keywords))
    for name, cands in other.candidates.items():
        if not getattr(into, name, None):
            into.candidates.setdefault(name, cands)
    if into.arxiv_id:
        into.candidates.pop("arxiv_id", None)
    into.id_only = into.id_only and other.id_only


def merge_same_papers(papers: list[Paper]) -> tuple[list[Paper], dict[str, str]]:
    """The papers with every set of one paper merged, in the given order of survivors, and the
    id each merged-away paper now goes by (``{old id: surviving id}``; empty when none merged)."""
    sets = ArxivSets([p.arxiv_id for p in papers])
    holder: dict[str, int] = {}
    for i, paper in enumerate(papers):
        for key in _keys(paper):
            _join(sets, holder.setdefault(key, i), i)
    by_title: dict[tuple[str, str], int] = {}
    for i, paper in enumerate(papers):
        if paper.title:
            _join(sets, by_title.setdefault((normalise_title(paper.title), symbols(paper.title)), i), i)
    groups: dict[int, list[int]] = {}
    for i in range(len(papers)):
        groups.setdefault(sets.root(i), []).append(i)
    renamed: dict[str, str] = {}
    merged: dict[int, Paper] = {}
    for members in groups.values():
        if len(members) == 1:
            merged[members[0]] = papers[members[0]]
            continue
        ordered = sorted((papers[i] for i in members), key=lambda p: (not _title_from_input(p), p.id_only, p.id))
        survivor = ordered[0].model_copy(deep=True)
        before = (survivor.title, survivor.abstract)
        for other in ordered[1:]:
            _fold(survivor, other)
            renamed[other.id] = survivor.id
        if (survivor.title, survivor.abstract) != before:
            survivor = enrich_from_text(survivor)  # a longer abstract may name more methods
        merged[min(i for i in members if papers[i].id == survivor.id)] = survivor
    return [merged[i] for i in sorted(merged)], renamed
