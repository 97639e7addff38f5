"""Method names a paper introduces, read from its title and abstract.

Two places name a new method:

* the title prefix before ': ' when it looks coined (``GaLore: Memory-Efficient ...``,
  ``Natural GaLore: ...``) rather than descriptive (``Predictable Scale: Part I``);
* the abstract, in a sentence where the authors present their own work
  (``we propose ... (APOLLO)``, ``we introduce FRUGAL (Full-Rank ...)``,
  ``a training framework called Fira``).

A name mentioned as someone else's work (``a recently proposed technique called LISA``,
``(LoRA (Hu et al., 2021))``) is not introduced here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from enrich.textlinks import sentence_around

# Acronyms that name a field, a device or a unit, never one paper's method.
GENERIC_ACRONYMS = frozenset(
    """AI ML NLP NLU NLG LLM LLMs LM LMs VLM VLMs MLLM MLLMs GPU GPUs CPU TPU RL RLHF SGD SOTA PEFT
    ZO FO KV MoE QA VQA OOD SVD API DNN DNNs CNN RNN GNN MLP MLM CV IR ASR TTS OCR GAN GANs VAE BERT
    GPT FLOPs FLOP TFLOPs HBM DRAM SRAM FP BF FP8 FP16 INT4 INT8 CoT ICL SFT DPO PPO GRPO RAG MCTS SLR""".split()
)
_PRESENT = re.compile(
    r"\b(?:we|our|this (?:paper|work|study|article)|in this paper|here)\b[^.]*?"
    r"\b(?:propose[sd]?|introduce[sd]?|present(?:s|ed)?|develop(?:s|ed)?|name[sd]?|call(?:s|ed)?|"
    r"term(?:s|ed)?|dub(?:s|bed)?|design(?:s|ed)?|discover(?:s|ed)?|build|release[sd]?|devise[sd]?)\b",
    re.IGNORECASE,
)
_OTHERS_WORK = re.compile(
    r"\b(?:recently proposed|existing|previous|prior|popular|such as|like|e\.g\.|including|"
    r"introduced by|proposed by|et al|inspired by|based on|combination of|employ(?:s|ing)?|us(?:e|es|ing)|"
    r"adopt(?:s|ing)?|leverag(?:e|es|ing)|follow(?:s|ing)?|extend(?:s|ing)?)\b[^,;]*$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w-]*(?:[A-Z0-9][\w-]*)?"
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Za-z][\w-]*[A-Z][\w-]*)\s*\)")
# 'called Fira,' names Fira; 'called Divergent N-Gram Analysis' does not name 'Divergent'.
_CALLED = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+(" + _NAME + r")(?=\s*[,.;:(]|\s+[a-z]|$)")
_VERB_NAME = re.compile(
    r"\b(?:propose[sd]?|introduce[sd]?|present(?:s|ed)?)\s+((?:[A-Z][a-z]+\s)?[A-Za-z]*[A-Z][\w-]*[A-Z0-9][\w-]*)(?=[\s,(])"
)
# 'FRUGAL (Full-Rank Updates with GrAdient spLitting)': a name, then a spelled-out expansion.
_NAME_WITH_EXPANSION = re.compile(r"\b(" + _NAME + r")\s+\(([A-Z][^()\s]*(?:\s+[^()\s]+)+)\)")


@dataclass(frozen=True)
class Introduced:
    """A method name with the text that shows the paper introduces it."""

    name: str
    source: str  # 'title' or 'abstract'
    evidence: str


def looks_coined(token: str) -> bool:
    """A token shaped like a made-up name: inner capitals, capitals with digits, or all caps.

    >>> [looks_coined(t) for t in ["GaLore", "mGPT", "DistZO2", "FRUGAL", "Sophia", "Scale"]]
    [True, True, True, True, False, False]
    """
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2:
        return False
    # 'In-Context' is Title-Case across a hyphen, not a coined name; 'GaLore' is.
    inner_capital = any(c.isupper() and token[i - 1] != "-" for i, c in enumerate(token) if i > 0)
    digit_with_capital = any(c.isdigit() for c in token) and any(c.isupper() for c in token)
    return inner_capital or digit_with_capital


def is_word_like(name: str) -> bool:
    """True for names that are also ordinary words or plain acronyms (``COSMOS``, ``LISA``, ``Sophia``).

    Such names count as a mention only in a sentence that uses them as a method.

    >>> [is_word_like(n) for n in ["GaLore", "COSMOS", "Sophia", "Natural GaLore", "APOLLO"]]
    [False, True, True, False, True]
    """
    if " " in name or not name.isalpha():
        return False
    return name.isupper() or (name[0].isupper() and name[1:].islower())


def _acceptable(name: str) -> bool:
    return len(name) >= 2 and name not in GENERIC_ACRONYMS and name.rstrip("s") not in GENERIC_ACRONYMS


def title_name(title: str) -> str | None:
    """The coined name before ': ' in a title, if any.

    >>> title_name("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection")
    'GaLore'
    >>> title_name("Sophia: A Scalable Stochastic Second-order Optimizer") 
    'Sophia'
    >>> title_name("Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law") is None
    True
    """
    head, sep, _ = title.partition(": ")
    if not sep:
        return None
    words = head.split()
    if not 1 <= len(words) <= 2 or len(head) > 40:
        return None
    if len(words) == 1:
        name = words[0]
        return name if _acceptable(name) and name[0].isalnum() else None
    coined = any(looks_coined(w) and _acceptable(w) for w in words)
    return head if coined and all(w[0].isalnum() for w in words) else None


def _abbreviates(name: str, expansion: str) -> bool:
    """True when the capitals of `name` appear, in order, among the capitals of `expansion`.

    >>> _abbreviates("FRUGAL", "Full-Rank Updates with GrAdient spLitting")
    True
    >>> _abbreviates("Projection", "see Section 3")
    False
    """
    letters = iter(c for c in expansion if c.isupper())
    return all(c in letters for c in name if c.isupper())


def abstract_names(abstract: str) -> list[Introduced]:
    """Names the abstract presents as the authors' own, with the sentence as evidence."""
    found: dict[str, Introduced] = {}
    for present in _PRESENT.finditer(abstract):
        sentence = sentence_around(abstract, present.start(), present.end())
        offset = abstract.find(sentence)
        after = abstract[present.end() : offset + len(sentence)]
        names: list[str] = []
        acronym = _PAREN_ACRONYM.search(after[:200])
        if acronym and not _OTHERS_WORK.search(after[: acronym.start()][-80:]):
            names.append(acronym.group(1))
        for pattern in (_CALLED, _VERB_NAME, _NAME_WITH_EXPANSION):
            for match in pattern.finditer(after):
                before = after[: match.start()]
                if _OTHERS_WORK.search(before[-80:]):
                    continue
                if pattern is _NAME_WITH_EXPANSION and not _abbreviates(match.group(1), match.group(2)):
                    continue
                names.append(match.group(1))
        for name in names:
            name = name.strip("-")
            # Two-letter acronyms (MT, GE, AR) mean too many things to link on.
            if len(name) >= 3 and _acceptable(name) and (looks_coined(name) or is_word_like(name)) and name not in found:
                found[name] = Introduced(name, "abstract", sentence)
    return list(found.values())


def introduced_methods(title: str, abstract: str) -> list[Introduced]:
    """Every name this paper introduces: the title's first, then the abstract's."""
    result: list[Introduced] = []
    name = title_name(title)
    if name:
        result.append(Introduced(name, "title", title))
    seen = {name}
    for item in abstract_names(abstract):
        if item.name not in seen:
            seen.add(item.name)
            result.append(item)
    return result
