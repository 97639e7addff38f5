from __future__ import annotations

import datetime as dt

import pytest

from enrich.models import Paper
from enrich.resolve import Found, decide, title_similarity

GALORE = "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection"


def paper(title: str = GALORE, date: dt.date | None = dt.date(2024, 3, 6), authors: int | None = 6) -> Paper:
    return Paper(id="p", title=title, abstract="a", date=date, authors=authors)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (GALORE, "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank\n  Projection", True),
        ("H$_2$O: Heavy-Hitter Oracle", "H2O: Heavy-Hitter Oracle", True),
        ("E$^2$-LLM: Efficient and Extreme Length Extension", "E2-LLM: Efficient and Extreme Length Extension", True),
        (GALORE, "GaLore 2: Large-Scale LLM Pre-Training by Gradient Low-Rank Projection", False),
        ("Llama 2: Open Foundation and Fine-Tuned Chat Models", "Llama 3: Open Foundation and Fine-Tuned Chat Models", False),
    ],
)
def test_title_similarity__quirks_and_numbers(a: str, b: str, same: bool):
    assert (title_similarity(a, b) >= 0.9) is same


def test_decide__clean_match_with_agreeing_sources():
    found = [
        Found("2403.03507", GALORE, "huggingface", dt.date(2024, 3, 6), 6),
        Found("2403.03507", GALORE, "arxiv", dt.date(2024, 3, 6), 6),
    ]
    decision = decide(paper(), found)
    assert decision.value == "2403.03507" and decision.source == "arxiv,huggingface"
    assert decision.confidence == 1.0 and "agreed by arxiv, huggingface" in decision.evidence


def test_decide__near_identical_distractor_alone_is_refused():
    found = [Found("2504.20437", "GaLore 2: Large-Scale LLM Pre-Training by Gradient Low-Rank Projection", "huggingface", dt.date(2025, 4, 29), 4)]
    decision = decide(paper(), found)
    assert decision.value is None and decision.candidates[0].value == "2504.20437"


def test_decide__two_papers_same_title_is_ambiguous():
    title = "APOLLO: SGD-like Memory, AdamW-level Performance"
    found = [Found("2412.05270", title, "huggingface", None, None), Found("2412.99999", title, "arxiv", None, None)]
    decision = decide(paper(title, date=None, authors=None), found)
    assert decision.value is None and decision.reason.startswith("ambiguous")
    assert {c.value for c in decision.candidates} == {"2412.05270", "2412.99999"}


def test_decide__dates_break_a_tie_between_same_titles():
    title = "APOLLO: SGD-like Memory, AdamW-level Performance"
    found = [Found("2412.05270", title, "huggingface", dt.date(2024, 12, 6), 10), Found("1812.00001", title, "arxiv", dt.date(2018, 12, 1), 3)]
    decision = decide(paper(title, date=dt.date(2024, 12, 6), authors=10), found)
    assert decision.value == "2412.05270"


def test_decide__threshold_is_respected():
    found = [Found("2403.03507", GALORE, "huggingface", dt.date(2019, 1, 1), 2)]  # dates and authors disagree
    assert decide(paper(), found, min_confidence=0.7).value is None
    assert decide(paper(), found, min_confidence=0.5).value == "2403.03507"


def test_decide__nothing_found():
    decision = decide(paper(), [])
    assert decision.value is None and decision.reason == "not found: no candidate" and decision.candidates == ()
