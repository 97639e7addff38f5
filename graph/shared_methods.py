"""`shares_method` edges: two papers both use a method that neither introduced.

Undirected in meaning (stored older → newer so GraphML stays a simple directed
file, with ``undirected=True``), weighted by how rare the shared methods are:
the sum of log(1 + N / papers using the method). A method used by a large share of
the corpus (Transformer, LoRA in a PEFT corpus; more than 3% of the papers) says little about kinship and
would add a clique, so it is not linked on and the report says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from enrich.methods import is_method_keyword
from enrich.models import Paper
from enrich.vocabulary import MethodEntry
from graph.method_index import ScanResult

MAX_SHARE = 0.03  # methods used by more than 3% of the papers (at least 3) are too common to link on
MIN_COMMON_CAP = 3


@dataclass
class SharedMethod:
    """Papers `source` (older) and `target` both use `names`."""

    source: str
    target: str
    names: list[str] = field(default_factory=list)
    weight: float = 0.0


def uses(papers: list[Paper], vocabulary: list[MethodEntry], scanned: ScanResult) -> dict[str, list[str]]:
    """Per paper id, the methods it uses but did not introduce, sorted.

    From the text scan (hits that only name a generic method, ``used=False``, do not
    count, nor do methods marked ``linkable: false``), plus Hugging Face ``ai_keywords``
    (online runs) that at least two corpus papers carry: a keyword the vocabulary knows
    counts under its vocabulary name; any other must look like a method
    (`enrich.methods.is_method_keyword`: no data set, benchmark, metric, task or field
    name, no single plain word). HF already judged the paper, so no text match is needed.
    """
    introduced = {e.name: set(e.introduced_by) for e in vocabulary}
    unlinkable = {e.name for e in vocabulary if not e.linkable}
    used: dict[str, set[str]] = defaultdict(set)
    for hit in scanned.occurrences:
        if hit.used and hit.method not in unlinkable and hit.paper_id not in introduced.get(hit.method, set()):
            used[hit.paper_id].add(hit.method)
    known = {surface.casefold(): e.name for e in vocabulary for surface in e.surfaces}
    tagged: dict[str, set[str]] = defaultdict(set)
    for paper in sorted(papers, key=lambda p: p.id):
        for keyword in paper.keywords:
            keyword = " ".join(keyword.split())
            if keyword.casefold() in known or is_method_keyword(keyword):
                name = known.setdefault(keyword.casefold(), keyword)  # first spelling seen names it
                tagged[name].add(paper.id)
    for keyword, ids in tagged.items():
        if len(ids) >= 2 and keyword not in unlinkable:
            for paper_id in ids - introduced.get(keyword, set()):
                used[paper_id].add(keyword)
    return {p.id: sorted(used.get(p.id, ())) for p in papers}


def _older_first(a: Paper, b: Paper) -> tuple[Paper, Paper]:
    if a.date and b.date and a.date != b.date:
        return (a, b) if a.date < b.date else (b, a)
    return (a, b) if a.id < b.id else (b, a)


def shared_methods(
    papers: list[Paper], used: dict[str, list[str]], max_share: float = MAX_SHARE
) -> tuple[list[SharedMethod], dict[str, int]]:
    """The shares_method edges, and the methods left out as too common (with their counts)."""
    by_id = {p.id: p for p in papers}
    users: dict[str, list[str]] = defaultdict(list)
    for paper_id, methods in sorted(used.items()):
        for method in methods:
            users[method].append(paper_id)
    cap = max(MIN_COMMON_CAP, int(max_share * len(papers)))
    too_common = {m: len(ids) for m, ids in sorted(users.items()) if len(ids) > cap}
    pairs: dict[tuple[str, str], SharedMethod] = {}
    for method in sorted(users):
        ids = users[method]
        if method in too_common or len(ids) < 2:
            continue
        rarity = math.log(1 + len(papers) / len(ids))  # smoothed: stays positive at N == users
        for a, b in combinations(ids, 2):
            older, newer = _older_first(by_id[a], by_id[b])
            edge = pairs.setdefault((older.id, newer.id), SharedMethod(older.id, newer.id))
            edge.names.append(method)
            edge.weight += rarity
    return [pairs[k] for k in sorted(pairs)], too_common
