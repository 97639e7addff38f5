"""Decide which candidate, if any, is the paper: title similarity plus consistency checks.

A wrong link is worse than a missing one, so a decision is either one clear
winner above the threshold or nothing plus the candidates we saw (STYLE: decide,
then act). Numbers in titles must agree exactly: ``GaLore 2`` is not ``GaLore``,
``Llama 2`` is not ``Llama 3``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from enrich.models import Candidate, Paper
from enrich.titles import normalise_title

DEFAULT_MIN_CONFIDENCE = 0.7
# Whatever dates and author counts say, a title less similar than this is another paper.
TITLE_FLOOR = 0.9
# A runner-up this close means two papers fit about equally well: refuse to pick.
MIN_MARGIN = 0.08
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Found:
    """One paper a source returned for a query, reduced to what matching needs."""

    arxiv_id: str
    title: str
    source: str
    published: dt.date | None = None
    authors: int | None = None
    github: str | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Decision:
    """The outcome for one field: a value with its confidence and evidence, or None and the candidates."""

    value: str | None
    source: str = ""
    confidence: float = 0.0
    evidence: str = ""
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""
    winner: Found | None = None


def numbers(title: str) -> list[str]:
    """The numbers of a normalised title, in order ('GaLore 2' -> ['2'])."""
    return _NUMBER.findall(normalise_title(title))


def title_similarity(a: str, b: str) -> float:
    """0..1 similarity of two titles; titles whose numbers differ score at most 0.5."""
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    score = fuzz.ratio(na, nb) / 100.0
    if numbers(a) != numbers(b):
        score = min(score, 0.5)
    return score


def score(paper: Paper, found: Found) -> tuple[float, list[str]]:
    """Confidence that `found` is `paper`, with the reasons that moved it."""
    similarity = title_similarity(paper.title, found.title)
    notes = [f"title similarity {similarity:.2f}"]
    value = similarity
    if paper.date and found.published:
        days = abs((paper.date - found.published).days)
        if days <= 45:
            value += 0.05
            notes.append(f"dates agree ({found.published})")
        elif days > 400:
            value -= 0.25
            notes.append(f"dates {paper.date} vs {found.published} disagree")
    if paper.authors and found.authors:
        if paper.authors == found.authors:
            value += 0.03
            notes.append(f"{found.authors} authors agree")
        elif abs(paper.authors - found.authors) > 1:
            value -= 0.15
            notes.append(f"authors {paper.authors} vs {found.authors}")
    return max(0.0, min(1.0, value)), notes


def decide(paper: Paper, found: list[Found], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Decision:
    """Pick the arXiv ID among what sources returned for `paper`'s title.

    Candidates with the same arXiv ID (from several sources) count once, and their
    agreement raises the confidence a little.
    """
    best: dict[str, tuple[float, list[str], Found, set[str]]] = {}
    for item in found:
        value, notes = score(paper, item)
        current = best.get(item.arxiv_id)
        sources = (current[3] if current else set()) | {item.source}
        if current is None or value > current[0]:
            best[item.arxiv_id] = (value, notes, item, sources)
        else:
            best[item.arxiv_id] = (current[0], current[1], current[2], sources)
    ranked = []
    for arxiv_id, (value, notes, item, sources) in best.items():
        if len(sources) > 1:
            value = min(1.0, value + 0.03 * (len(sources) - 1))
            notes = [*notes, "agreed by " + ", ".join(sorted(sources))]
        ranked.append((value, arxiv_id, notes, item, sources))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    candidates = tuple(
        Candidate(value=aid, source=",".join(sorted(src)), score=round(v, 3), evidence=f"{_clean(it.title)} ({'; '.join(n)})")
        for v, aid, n, it, src in ranked[:5]
    )
    if not ranked:
        return Decision(None, reason="not found: no candidate")
    top_value, top_id, top_notes, top_item, top_sources = ranked[0]
    if title_similarity(paper.title, top_item.title) < TITLE_FLOOR:
        return Decision(None, candidates=candidates, reason=f"not found: no title close enough (best: {_clean(top_item.title)!r})")
    if top_value < min_confidence:
        return Decision(None, candidates=candidates, reason=f"below threshold: best {top_value:.2f} < {min_confidence}")
    if len(ranked) > 1 and top_value - ranked[1][0] < MIN_MARGIN:
        return Decision(None, candidates=candidates, reason=f"ambiguous: {ranked[1][1]} scores {ranked[1][0]:.2f}")
    evidence = f"'{_clean(top_item.title)}' ({'; '.join(top_notes)})"
    return Decision(top_id, ",".join(sorted(top_sources)), round(top_value, 3), evidence, candidates, winner=top_item)


def _clean(title: str) -> str:
    """Titles from feeds keep arXiv's hard line breaks; evidence reads better without."""
    return " ".join(title.split())
