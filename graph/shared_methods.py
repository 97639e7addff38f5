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

from paperlineage.enrich.models import Paper

MAX_SHARE = 0.03  # methods used by more than 3% of the papers (at least 3) are too common to link on
MIN_COMMON_CAP = 3


@dataclass
class SharedMethod:
    """Papers `source` (older) and `target` both use `names`."""

    source: str
    target: str
    names: list[str] = field(default_factory=list)
    weight: float = 0.0


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
