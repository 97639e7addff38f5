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

from paperlineage.enrich.text.links import sentence_span

# Acronyms that name a field, a device or a unit, never one paper's method.
GENERIC_ACRONYMS = frozenset(
    """AI ML NLP NLU NLG LLM LLMs LM LMs VLM VLMs MLLM MLLMs GPU GPUs CPU TPU RL RLHF SGD SOTA PEFT
    ZO FO KV MoE QA VQA OOD SVD API DNN DNNs CNN RNN GNN MLP MLM CV IR ASR TTS OCR GAN GANs VAE BERT
    GPT FLOPs FLOP TFLOPs HBM DRAM SRAM FP BF FP8 FP16 INT4 INT8 CoT ICL SFT DPO PPO GRPO RAG MCTS SLR""".split()
)
# The presenting verb must come within 400 characters of its subject (the seeds' longest match is
# 357): unbounded, every 'we' in a text without a period scanned to its end, quadratic in the text.
_PRESENT = re.compile(
    r"\b(?:we|our|this (?:paper|work|study|article)|in this paper|here)\b[^.]{0,400}?"
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
# A name is a capital and at most 60 word characters or hyphens. (It was written
# '[A-Z][\w-]*(?:[A-Z0-9][\w-]*)?', the same names, but the two stars backtrack into each other:
# quadratic in the length of a long hyphenated word, at every capital in it.)
_NAME = r"[A-Z][\w-]{0,60}"
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Za-z][\w-]*[A-Z][\w-]*)\s*\)")
# 'called Fira,' names Fira; 'called Divergent N-Gram Analysis' does not name 'Divergent'.
_CALLED = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+(" + _NAME + r")(?=\s*[,.;:(]|\s+[a-z]|$)")
# Bounded runs (a name is not 40 letters long) so a long word after the verb cannot make the three
# runs backtrack against each other.
_VERB_NAME = re.compile(
    r"\b(?:propose[sd]?|introduce[sd]?|present(?:s|ed)?)\s+"
    r"((?:[A-Z][a-z]{1,40}\s)?[A-Za-z]{0,40}[A-Z][\w-]{0,40}[A-Z0-9][\w-]{0,40})(?=[\s,(])"
)
# 'called Calibration by Marginalization (CBM)': a plain word that only starts a longer name, or
# one followed by its acronym, is not the name ('CBM' is).
_NAME_GOES_ON = re.compile(r"^(?:\s+(?:[a-z]+\s+){0,2}[A-Z]|\s*\(\s*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*\s*\))")
# 'we propose Gradient Low-Rank Projection (GaLore)', 'we propose Half Fine-Tuning (HFT)': capitals
# going on, or an acronym after it, mean the match is only (the start of) a spelled-out name.
_MORE_CAPITALS = re.compile(r"^(?:\s+[A-Z]|\s*\(\s*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*\s*\))")
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


# Hugging Face ai_keywords name data sets, benchmarks, metrics, tasks and fields as often as
# methods ('Natural Questions (NQ) dataset', 'NDCG@10', 'MRR', 'machine translation',
# 'large language models'); none of those says two papers share a method.
_NOT_METHOD_KEYWORD_WORDS = re.compile(
    r"\b(?:data ?sets?|benchmarks?|corpus|corpora|sub-corpus|metrics?|scores?|accuracy|rates?|evaluations?|exams?|"
    r"tests?|leaderboards?|tasks?|pairs|questions|answers?|settings?|performances?|baselines?|languages?|"
    r"models? size|risks?|capabilities|abilities|contexts?|tokens?|prompts?|experiments?|time|"
    r"chrF|BLEU|ROUGE\S*|METEOR|CIDEr|BERTScore|perplexity|win rate)\b"
    # model families, a checkpoint rather than a method ('Llama 3', 'Claude 3 Opus', 'ChatGPTv3.5')
    r"|^(?:llama|gpt|chatgpt|claude|palm|gemini|mistral|mixtral|qwen|t5|opt|bloom|falcon|phi|vicuna|alpaca|deepseek)"
    r"|(?:Bench|Eval|QA)\b|@\d|-\d+(?:\.\d+)?[BMK]\b",
    re.IGNORECASE,
)
# Tasks ('question answering', 'speech recognition'), named by what is produced, not how.
_TASK_ENDINGS = re.compile(
    r"(?:answering|comprehension|translation|recognition|classification|detection|segmentation|summari[sz]ation|"
    r"generation|understanding|retrieval|search|extraction|moderation|calling|usage|following|modell?ing)"
    r"(?:\s*\([^()]*\))?$",
    re.IGNORECASE,
)
# A keyword made only of these words names a field, not a method ('large language models', 'multimodal LLM').
_FIELD_WORDS = frozenset(
    """a an the of and for large small language languages model models llm llms lm lms mllm mllms vlm vlms neural
    network networks deep machine learning ai artificial intelligence foundation pre-trained pretrained open
    generative multimodal multi-modal vision visual text state-of-the-art sota transformer transformers agents
    agent multilingual""".split()
)
_GENERIC_ACRONYMS_LOWER = frozenset(a.lower() for a in GENERIC_ACRONYMS)


def is_method_keyword(keyword: str) -> bool:
    """Whether a Hugging Face ai_keyword can name a method, by its shape alone.

    Data sets, benchmarks, metrics (any bare upper-case acronym: 'MRR', 'EM', 'F1'),
    tasks and field names are refused; single plain words ('reasoning') too. A keyword
    that is in the method vocabulary is accepted before this is asked (``DPO``).

    >>> [is_method_keyword(k) for k in ["gradient low-rank projection", "GaLore", "MRR", "NDCG@10"]]
    [True, True, False, False]
    >>> [is_method_keyword(k) for k in ["Natural Questions (NQ) dataset", "large language models", "machine translation", "reasoning"]]
    [False, False, False, False]
    """
    keyword = " ".join(keyword.split())
    if not keyword or _NOT_METHOD_KEYWORD_WORDS.search(keyword) or _TASK_ENDINGS.search(keyword):
        return False
    bare = re.sub(r"\s*\([^()]*\)", "", keyword)
    words = bare.casefold().split()
    if all(word in _FIELD_WORDS or word in _GENERIC_ACRONYMS_LOWER for word in words):
        return False
    if len(words) == 1:
        token = bare.strip()
        # Metrics and data sets are bare capitals ('MRR', 'BLEU', 'MATH', 'F1'); a method acronym
        # only counts when the vocabulary knows it.
        if re.fullmatch(r"[A-Z0-9-]+", token):
            return False
        return looks_coined(token)
    return True


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

    A report named after its model names it (``Qwen2 Technical Report``, ``SageAttention2
    Technical Report: ...``), and a version number after the name is not part of it
    (``MInference 1.0: ...`` introduces MInference).

    >>> title_name("Qwen2 Technical Report"), title_name("MInference 1.0: Accelerating Pre-filling")
    ('Qwen2', 'MInference')
    """
    head, sep, _ = title.partition(": ")
    report = _REPORT.match(head)
    if report:
        head, sep = report.group(1), ": "
    if not sep:
        return None
    head = _TRAILING_VERSION.sub("", head)
    words = head.split()
    if not 1 <= len(words) <= 2 or len(head) > 40:
        return None
    if len(words) == 1:
        name = words[0]
        return name if _acceptable(name) and name[0].isalnum() else None
    coined = any(looks_coined(w) and _acceptable(w) for w in words)
    return head if coined and all(w[0].isalnum() for w in words) else None


# '<Name> Technical Report', '<Name> Report' (a model's own report).
_REPORT = re.compile(
    r"^(?!(?:technical|a|an|the|our|final|annual|progress|status|interim)\b)(\S+(?:\s\S+)??)\s+(?:Technical\s+)?Report$",
    re.IGNORECASE,
)
_TRAILING_VERSION = re.compile(r"\s+v?\d+(?:\.\d+)+$|\s+v\d+$")


def _is_plain_word(name: str) -> bool:
    """A capitalised dictionary-shaped word (``Calibration``), not an acronym or a coined name."""
    return name.isalpha() and name[0].isupper() and name[1:].islower()


def abbreviates(name: str, expansion: str) -> bool:
    """True when the capitals of `name` appear, in order, among the capitals of `expansion`.

    >>> abbreviates("FRUGAL", "Full-Rank Updates with GrAdient spLitting")
    True
    >>> abbreviates("Projection", "see Section 3")
    False
    """
    letters = iter(c for c in expansion if c.isupper())
    return all(c in letters for c in name if c.isupper())


# Between the presenting verb and the acronym, a clause or a preposition means the acronym names
# something the contribution uses or acts on: 'a framework that learns a neural radiance field
# (NeRF)', 'synthesis of human-object interactions (HOIs)', 'combining ... fields (NeRFs)'.
_NOT_THE_OBJECT = re.compile(
    r"\b(?:that|which|who|whose|where|to|of|for|with|from|on|in|into|by|via|using|combining|combines?|"
    r"learns?|learning|based|between|among|over|under|through|within|without|than)\b",
    re.IGNORECASE,
)
# What may stand right before a spelled-out name the paper presents: an article, praise, or the verb.
_BEFORE_OWN_NAME = frozenset(
    """a an the our this novel new simple effective efficient general unified lightweight scalable first
    called named termed dubbed coined and propose proposes proposed introduce introduces introduced present
    presents presented develop develops developed design designs designed devise devised build release""".split()
)


_NAME_JOINERS = frozenset({"by", "of", "for", "with", "and", "in", "on", "to", "via", "the", "a"})


def own_acronym(lead: str, acronym: str, rest: str) -> bool:
    """Whether ``<lead> (<acronym>)<rest>`` presents the acronym as the authors' own name.

    The spelled-out name before it must be the object of the presenting verb, not modified by
    another word ('a degradation-guided Low-Rank Adaptation (LoRA) module': a module built with
    LoRA), nor reached through a clause or a preposition; and the acronym must not go on into a
    longer capitalised name ('(DnD) Transformer').

    >>> own_acronym(" Gradient Low-Rank Projection", "GaLore", ", a strategy")
    True
    >>> own_acronym(" the Layer Index Rescaling (LIR) scheme, and the Target Variance Rescaling", "TVR", " strategy")
    True
    >>> own_acronym(" a degradation-guided Low-Rank Adaptation", "LoRA", " module")
    False
    >>> own_acronym(" a novel framework that learns a dynamic neural radiance field", "NeRF", " for humans")
    False
    """
    if _OTHERS_WORK.search(lead[-80:]) or re.match(r"^\s*[A-Z]", rest):
        return False
    last = lead[lead.rfind(")") + 1 :] if ")" in lead else lead  # after an earlier acronym: its own clause
    last = re.split(r",\s*(?:and\s+)?|;|\band\b", last)[-1]
    tokens = [t for t in re.split(r"[\s-]+", last) if t]
    capitals = sum(1 for c in acronym if c.isupper())
    start = len(tokens)
    while start > 0 and (  # a capitalised expansion: all of it, small words inside included ('Calibration by Marginalization')
        tokens[start - 1][:1].isupper()
        or (tokens[start - 1] in _NAME_JOINERS and start > 1 and tokens[start - 2][:1].isupper() and start < len(tokens))
    ):
        start -= 1
    if start == len(tokens):  # a lower-case expansion: as many words as the acronym has capitals
        start = max(0, len(tokens) - capitals)
    if _NOT_THE_OBJECT.search(" ".join(tokens[:start])):
        return False
    before = tokens[start - 1].casefold() if start > 0 else ""
    return before == "" or before in _BEFORE_OWN_NAME


def abstract_names(abstract: str) -> list[Introduced]:
    """Names the abstract presents as the authors' own, with the sentence as evidence."""
    found: dict[str, Introduced] = {}
    for present in _PRESENT.finditer(abstract):
        begin, stop = sentence_span(abstract, present.start(), present.end())
        sentence = abstract[begin:stop]
        after = abstract[present.end() : stop]
        names: list[str] = []
        for acronym in _PAREN_ACRONYM.finditer(after[:300]):
            if own_acronym(after[: acronym.start()], acronym.group(1), after[acronym.end() :]):
                names.append(acronym.group(1))
        # 'we introduce RPC, a ...': the verb that names it is the presenting verb itself.
        from_verb = abstract[present.start() : stop]
        for pattern in (_CALLED, _VERB_NAME, _NAME_WITH_EXPANSION):
            text = from_verb if pattern is _VERB_NAME else after
            for match in pattern.finditer(text):
                before = text[: match.start()]
                if _OTHERS_WORK.search(before[-80:]):
                    continue
                if pattern is _NAME_WITH_EXPANSION and not abbreviates(match.group(1), match.group(2)):
                    continue
                if pattern is _CALLED and _is_plain_word(match.group(1)) and _NAME_GOES_ON.match(text[match.end() :]):
                    continue
                if pattern is _VERB_NAME and _MORE_CAPITALS.match(text[match.end() :]):
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
