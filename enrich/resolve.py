"""Decide which candidate, if any, is the paper: title similarity plus consistency checks.

A wrong link is worse than a missing one, so a decision is either one clear
winner above the threshold or nothing plus the candidates we saw (STYLE: decide,
then act). Numbers in titles must agree exactly: ``GaLore 2`` is not ``GaLore``,
``Llama 2`` is not ``Llama 3``. Words must agree too: one changed word
(``Training`` for ``Fine-Tuning``) leaves a high character ratio but names another
paper, so a title with a content word the other lacks never reaches the floor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from paperlineage.enrich.ids import arxiv_month
from paperlineage.enrich.models import Candidate, Paper
from paperlineage.enrich.outcomes import Failure
from paperlineage.enrich.titles import normalise_title

DEFAULT_MIN_CONFIDENCE = 0.7
# Whatever dates and author counts say, a title less similar than this is another paper.
TITLE_FLOOR = 0.9
# A runner-up this close means two papers fit about equally well: refuse to pick.
MIN_MARGIN = 0.08
# What one hard contradiction costs (an ID issued after the listing day, unrelated abstracts):
# enough on its own to take a perfect title below the default threshold.
CONTRADICTION = 0.4
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Words whose presence or absence does not make another paper ("a survey of" vs "survey on").
_STOPWORDS = frozenset("a an and as at by for from in into of on or the to via with without towards toward".split())
# Two spellings of one word (LLM/LLMs, optimisation/optimization) score above this.
_SAME_WORD = 80
# A title with a word the other lacks is capped here: below TITLE_FLOOR, so never linked on its own.
_WORD_MISMATCH_CAP = 0.85
# Abstracts are compared only when both are this long; shorter ones say too little.
_ABSTRACT_MIN_WORDS = 30


@dataclass(frozen=True)
class Found:
    """One paper a source returned for a query, reduced to what matching needs."""

    arxiv_id: str
    title: str
    source: str
    published: dt.date | None = None
    authors: int | None = None
    github: str | None = None
    abstract: str | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Decision:
    """The outcome for one field: a value with its confidence and evidence, or None and the candidates."""

    value: str | None
    source: str = ""
    confidence: float = 0.0
    evidence: str = ""
    candidates: tuple[Candidate, ...] = ()
    reason: Failure | None = None
    """Why there is no value (None when there is one)."""
    winner: Found | None = None


def numbers(title: str) -> list[str]:
    """The numbers of a normalised title, in order ('GaLore 2' -> ['2'])."""
    return _NUMBER.findall(normalise_title(title))


def unmatched_words(a: str, b: str) -> list[str]:
    """Content words of either title with no spelling of them in the other, sorted.

    Hyphenation and spacing do not count ("Fine-Tuning" = "Finetuning"), nor do
    stopwords or close spellings ("LLM" = "LLMs").

    >>> unmatched_words("Memory-Efficient LLM Training", "Memory-Efficient LLMs Fine-Tuning")
    ['fine', 'training', 'tuning']
    >>> unmatched_words("Fine-Tuning a Model", "Finetuning the Models")
    []
    """
    na, nb = normalise_title(a), normalise_title(b)
    if na.replace(" ", "") == nb.replace(" ", ""):
        return []
    wa, wb = set(na.split()) - _STOPWORDS, set(nb.split()) - _STOPWORDS
    joined_a, joined_b = na.replace(" ", ""), nb.replace(" ", "")
    missing = []
    for word, other, other_joined in [(w, wb, joined_b) for w in wa - wb] + [(w, wa, joined_a) for w in wb - wa]:
        if any(fuzz.ratio(word, o) >= _SAME_WORD for o in other):
            continue
        if len(word) >= 4 and word in other_joined:  # "fine" of "fine tuning" against "finetuning"
            continue
        missing.append(word)
    return sorted(missing)


def title_similarity(a: str, b: str) -> float:
    """0..1 similarity of two titles.

    Titles whose numbers differ score at most 0.5; titles where a content word of one
    has no counterpart in the other score at most 0.85, below :data:`TITLE_FLOOR`.
    """
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    score = fuzz.ratio(na, nb) / 100.0
    if numbers(a) != numbers(b):
        score = min(score, 0.5)
    elif unmatched_words(a, b):
        score = min(score, _WORD_MISMATCH_CAP)
    return score


def abstract_overlap(a: str, b: str) -> float | None:
    """Jaccard overlap of the content words of two abstracts, or None when either is too short to say."""
    wa = set(normalise_title(a).split()) - _STOPWORDS
    wb = set(normalise_title(b).split()) - _STOPWORDS
    if len(wa) < _ABSTRACT_MIN_WORDS or len(wb) < _ABSTRACT_MIN_WORDS:
        return None
    return len(wa & wb) / len(wa | wb)


def score(paper: Paper, found: Found) -> tuple[float, list[str]]:
    """Confidence that `found` is `paper`, with the reasons that moved it."""
    similarity = title_similarity(paper.title, found.title)
    notes = [f"title similarity {similarity:.2f}"]
    if differ := unmatched_words(paper.title, found.title):
        notes.append("words differ: " + ", ".join(differ))
    value = similarity
    issued = arxiv_month(found.arxiv_id)
    if paper.date and issued and issued > paper.date.replace(day=1) + dt.timedelta(days=45):
        # Daily Papers lists a paper after it reaches arXiv, never a month before its ID exists:
        value -= CONTRADICTION
        notes.append(f"arXiv ID {found.arxiv_id} is newer than the listing date {paper.date}")
    if found.abstract and (overlap := abstract_overlap(paper.abstract, found.abstract)) is not None:
        if overlap >= 0.6:
            value += 0.05
            notes.append(f"abstracts agree ({overlap:.0%} shared words)")
        elif overlap < 0.25:  # revised abstracts of one paper keep far more than a quarter
            value -= CONTRADICTION
            notes.append(f"abstracts differ ({overlap:.0%} shared words)")
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
        return Decision(None, reason=Failure("not found", "no candidate"))
    top_value, top_id, top_notes, top_item, top_sources = ranked[0]
    if title_similarity(paper.title, top_item.title) < TITLE_FLOOR:
        return Decision(None, candidates=candidates, reason=Failure("not found", f"no title close enough (best: {_clean(top_item.title)!r})"))
    if top_value < min_confidence:
        return Decision(None, candidates=candidates, reason=Failure("below threshold", f"best {top_value:.2f} < {min_confidence}"))
    if len(ranked) > 1 and top_value - ranked[1][0] < MIN_MARGIN:
        return Decision(None, candidates=candidates, reason=Failure("ambiguous", f"{ranked[1][1]} scores {ranked[1][0]:.2f}"))
    evidence = f"'{_clean(top_item.title)}' ({'; '.join(top_notes)})"
    return Decision(top_id, ",".join(sorted(top_sources)), round(top_value, 3), evidence, candidates, winner=top_item)


def _clean(title: str) -> str:
    """Titles from feeds keep arXiv's hard line breaks; evidence reads better without."""
    return " ".join(title.split())
