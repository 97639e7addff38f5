from __future__ import annotations

import pytest

from paperlineage.enrich.text.names import abstract_names, introduced_methods, is_word_like, title_name


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection", "GaLore"),
        ("Natural GaLore: Accelerating GaLore for memory-efficient LLM Training", "Natural GaLore"),
        ("Sparse MeZO: Less Parameters for Better Performance", "Sparse MeZO"),
        ("Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?", "Fira"),
        ("Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law", None),
        ("Achieving Peak Performance for Large Language Models: A Systematic Review", None),
        ("Efficient N:M Sparse DNN Training Using Algorithm", None),
        ("Symbolic Discovery of Optimization Algorithms", None),
        ("LLM Augmented LLMs: Expanding Capabilities", None),
    ],
)
def test_title_name__coined_prefix_only(title: str, name: str | None):
    assert title_name(title) == name


def test_abstract_names__acronym_defined_by_the_authors():
    text = (
        "Recent approaches such as low-rank adaptation (LoRA (Hu et al., 2021)) and GaLore have been proposed. "
        "In this paper, we introduce FRUGAL (Full-Rank Updates with GrAdient spLitting), a new framework."
    )
    assert [n.name for n in abstract_names(text)] == ["FRUGAL"]


def test_abstract_names__others_work_is_not_introduced():
    text = "By combining with a recently proposed memory-efficient training technique called LISA, our algorithm scales."
    assert abstract_names(text) == []
    text = "Inspired by the success of Parameter-Efficient Fine-Tuning (PEFT), this paper introduces Sparse MeZO, a method."
    assert [n.name for n in abstract_names(text)] == ["Sparse MeZO"]  # PEFT is the others' work, Sparse MeZO is theirs


def test_abstract_names__the_presenting_verb_names_it():
    text = "To address these limitations, we introduce RPC, a hybrid method that leverages our insights."
    assert [n.name for n in abstract_names(text)] == ["RPC"]
    text = "In this work, we propose Gradient Low-Rank Projection (GaLore), a strategy."
    assert [n.name for n in abstract_names(text)] == ["GaLore"]  # not 'Gradient Low-Rank'
    text = "We propose Half Fine-Tuning (HFT) for large language models."
    assert [n.name for n in abstract_names(text)] == ["HFT"]


def test_abstract_names__plain_word_starting_a_longer_name_is_not_the_name():
    text = "Furthermore, we propose a novel calibration method called Calibration by Marginalization (CBM) that is orthogonal."
    assert [n.name for n in abstract_names(text)] == ["CBM"]
    text = "We propose a new optimizer called Sophia (SOPH) for pre-training."
    assert [n.name for n in abstract_names(text)] == ["SOPH"]
    # 'called Fira, as the first attempt' (a name with nothing after it) is in test_abstract_names__called_and_parenthesised


def test_abstract_names__called_and_parenthesised():
    text = "In this paper, we propose a new plug-and-play training framework for LLMs called Fira, as the first attempt."
    assert [n.name for n in abstract_names(text)] == ["Fira"]
    text = "In this work, we propose Gradient Low-Rank Projection (GaLore), a training strategy."
    assert [n.name for n in abstract_names(text)] == ["GaLore"]


def test_introduced_methods__title_first_no_duplicates():
    found = introduced_methods("GaLore: X", "we propose Gradient Low-Rank Projection (GaLore), a strategy.")
    assert [(m.name, m.source) for m in found] == [("GaLore", "title")]


def test_is_word_like():
    assert [is_word_like(n) for n in ["COSMOS", "LISA", "Sophia", "GaLore", "Sparse MeZO", "DistZO2"]] == [
        True, True, True, False, False, False,
    ]
