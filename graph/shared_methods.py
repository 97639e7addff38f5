"""`shares_method` edges: two papers both use a method that neither introduced.

Undirected in meaning (stored older → newer so GraphML stays a simple directed
file, with ``undirected=True``), weighted by how rare the shared methods are:
the sum of log(1 + N / papers using the method). A method used by a large share of
the corpus (Transformer, LoRA in a PEFT corpus; more than 3% of the papers) says little about kinship and
would add a clique, so it is not linked on and the report says so.
"""

from __future__ import annotations

import datetime as dt
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


def _older_first(a: tuple[str, dt.date | None], b: tuple[str, dt.date | None]) -> tuple[str, str]:
    (a_id, a_date), (b_id, b_date) = a, b
    if a_date and b_date and a_date != b_date:
        return (a_id, b_id) if a_date < b_date else (b_id, a_id)
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def method_users(used: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per method, the ids of the papers using it, in id order (the per-partition half)."""
    users: dict[str, list[str]] = defaultdict(list)
    for paper_id, methods in sorted(used.items()):
        for method in methods:
            users[method].append(paper_id)
    return users


def merge_users(parts: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    """Fold per-partition :func:`method_users` into one, each list in id order."""
    users: dict[str, list[str]] = defaultdict(list)
    for part in parts:
        for method, ids in part.items():
            users[method].extend(ids)
    return {method: sorted(ids) for method, ids in users.items()}


def shared_methods(
    papers: list[Paper], used: dict[str, list[str]], max_share: float = MAX_SHARE
) -> tuple[list[SharedMethod], dict[str, int]]:
    """The shares_method edges, and the methods left out as too common (with their counts)."""
    dates = {p.id: p.date for p in papers}
    return shared_method_edges(method_users(used), dates, max_share)


def shared_method_edges(
    users: dict[str, list[str]], dates: dict[str, dt.date | None], max_share: float = MAX_SHARE
) -> tuple[list[SharedMethod], dict[str, int]]:
    """The corpus-wide half: which methods are too common, and the weighted pairs of the rest.

    `dates` holds every corpus paper (its length is the corpus size).
    """
    cap = max(MIN_COMMON_CAP, int(max_share * len(dates)))
    too_common = {m: len(ids) for m, ids in sorted(users.items()) if len(ids) > cap}
    pairs: dict[tuple[str, str], SharedMethod] = {}
    for method in sorted(users):
        ids = users[method]
        if method in too_common or len(ids) < 2:
            continue
        rarity = math.log(1 + len(dates) / len(ids))  # smoothed: stays positive at N == users
        for a, b in combinations(ids, 2):
            older, newer = _older_first((a, dates[a]), (b, dates[b]))
            edge = pairs.setdefault((older, newer), SharedMethod(older, newer))
            edge.names.append(method)
            edge.weight += rarity
    return [pairs[k] for k in sorted(pairs)], too_common
