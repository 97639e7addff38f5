from __future__ import annotations

import datetime as dt

import pytest

from paperlineage.enrich.models import Paper
from paperlineage.enrich.ids import arxiv_month
from paperlineage.enrich.resolve import Found, abstract_overlap, decide, title_similarity, unmatched_words

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
        # one content word changed: a high character ratio (0.92), but another paper
        ("Memory-Efficient LLM Training with Online Subspace Descent", "Memory-Efficient LLM Fine-Tuning with Online Subspace Descent", False),
        ("Scaling Laws for Sparse Language Models", "Scaling Laws for Dense Language Models", False),
        # spelling, hyphenation, plural and stopword quirks are the same paper
        ("Fine-Tuning Language Models with Just Forward Passes", "Finetuning Language Models With Just Forward Passes", True),
        ("Efficient Optimisation of LLMs for Edge Devices", "Efficient Optimization of LLM for Edge Devices", True),
        ("A Survey on Efficient Inference for Large Language Models", "Survey of Efficient Inference for Large Language Models", True),
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
    assert decision.value is None and str(decision.reason).startswith("ambiguous")
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
    assert decision.value is None and str(decision.reason) == "not found: no candidate" and decision.candidates == ()


def test_unmatched_words__names_the_words_that_make_another_paper():
    assert unmatched_words("Sparse Attention Is All You Need", "Dense Attention Is All You Need") == ["dense", "sparse"]
    assert unmatched_words("LoRA: Low-Rank Adaptation", "LoRA: Low Rank Adaptation") == []


def test_decide__one_changed_word_is_refused_with_the_candidate():
    mine = "Memory-Efficient LLM Training with Online Subspace Descent"
    found = [Found("2408.10001", mine.replace("Training", "Fine-Tuning"), "arxiv", dt.date(2024, 8, 20), 4)]
    decision = decide(paper(mine, date=dt.date(2024, 8, 20), authors=4), found)
    assert decision.value is None and str(decision.reason).startswith("not found: no title close enough")
    assert "words differ: fine, training, tuning" in decision.candidates[0].evidence


def test_arxiv_month__new_style_ids_only():
    assert arxiv_month("2403.03507") == dt.date(2024, 3, 1)
    assert arxiv_month("hep-th/9901001") is None and arxiv_month("2413.00001") is None


def test_decide__an_id_issued_after_the_listing_date_is_refused():
    """Same title, but the ID was issued months after the day the listing showed the paper."""
    found = [Found("2409.00001", GALORE, "arxiv", None, None)]
    decision = decide(paper(), found)
    assert decision.value is None and "newer than the listing date 2024-03-06" in decision.candidates[0].evidence
    assert decide(paper(), [Found("2403.03507", GALORE, "arxiv", None, None)]).value == "2403.03507"


WORDS = " ".join(f"word{i}" for i in range(60))


def test_abstract_overlap__only_for_abstracts_long_enough_to_compare():
    assert abstract_overlap("Synthetic summary.", WORDS) is None
    assert abstract_overlap(WORDS, WORDS) == 1.0
    assert abstract_overlap(WORDS, " ".join(f"other{i}" for i in range(60))) == 0.0


def test_decide__a_different_abstract_outweighs_an_identical_title():
    """Two papers share a title (it happens: APOLLO); the abstract says which one the listing means."""
    title = "APOLLO: SGD-like Memory, AdamW-level Performance"
    mine = Paper(id="p", title=title, abstract=WORDS, date=None, authors=None)
    other = " ".join(f"other{i}" for i in range(60))
    assert decide(mine, [Found("2412.05270", title, "arxiv", abstract=other)]).value is None
    right = decide(mine, [Found("2412.05270", title, "arxiv", abstract=WORDS), Found("2412.99999", title, "huggingface", abstract=other)])
    assert right.value == "2412.05270" and "abstracts agree (100% shared words)" in right.evidence
