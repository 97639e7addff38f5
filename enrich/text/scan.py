"""Find every method name in every paper's text in one pass.

All spellings of all methods go into one Aho-Corasick automaton over
lower-cased text; `iter_long` keeps the longest name at each place, so
``Natural GaLore`` is not also read as ``GaLore``. Names written with capitals
must match case exactly (``LoRA`` but not ``lora``); all-lower-case phrases
(``speculative decoding``) match in any case. URLs are blanked first. Cost is
linear in the text, never a scan per pair of papers.
"""

from __future__ import annotations

from collections import defaultdict

import re
from dataclasses import dataclass, field

import ahocorasick

from paperlineage.enrich.models import Paper
from paperlineage.enrich.text.names import abbreviates, is_method_keyword, is_word_like
from paperlineage.enrich.text.links import sentence_around
from paperlineage.enrich.text.vocabulary import MethodEntry

# A word-like name (COSMOS, LISA, Sophia, APOLLO) counts only with a cue right next to it, never
# because 'training' or 'approach' appears somewhere in its sentence ("the humanoid robot Sophia
# ... during training sessions"). The cues: a comparison or example just before it ('such as X',
# 'than X', 'the state-of-the-art method X', 'a technique called X', also across a list
# 'such as A, B, and X'), a method noun just after it ('X optimizer', 'X-based', 'X (..), a new
# optimizer'), a citation ('X (Author et al., 2024)', 'X [12]'), or a list with another method
# ('A and X', 'A, X'; see `scan`).
_LIST_ITEM = (
    r"(?:[\w.+-]+(?:\s*\([^()]{0,60}\))?(?:\s+[\w.+-]+(?:\s*\([^()]{0,60}\))?){0,3}"  # up to 4 words: 'mixture of expert (MoE) models'
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*))"
)
_MODIFIERS = r"(?:(?:the|a|an|both|plain|vanilla|standard|popular|original|widely used|recent|[a-z]+(?:-[a-z0-9]+)+)\s+){0,3}"
_CUE_BEFORE = re.compile(
    r"\b(?:such as|e\.g\.,?|like|including|than|over|versus|vs\.|against|compared (?:to|with)|comparing|"
    r"outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beats?|based on|built (?:up)?on|builds on|extend(?:s|ed|ing)?|"
    r"extensions? of|variants? of|versions? of|inspired by|exemplified by|replacements? for|replac(?:es|ing)|"
    r"combin(?:e|es|ed|ing)(?: with)?|integrat(?:e|es|ed|ing)(?: with)?|appl(?:y|ies|ied|ying)|adopt(?:s|ed|ing)?|"
    r"employ(?:s|ed|ing)?|leverag(?:e|es|ed|ing)|"
    r"(?:optimi[sz]er|method|algorithm|technique|approach|framework|baseline)s?(?:\s+(?:called|named|dubbed|termed))?)"
    r"\s+" + _MODIFIERS + _LIST_ITEM + r"{0,4}$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^(?:-(?:based|style|related|type|family)\b|\)?\s*(?:\([^()]{0,80}\)\s*)?"
    r"(?:(?:,|\s+is|\s+was|\s+as)\s+(?:a|an|the)\s+(?:[a-z][\w-]*\s+){0,4}|(?:[a-z][\w-]*\s+){0,2})"
    r"(?:optimi[sz]ers?|methods?|algorithms?|approach(?:es)?|techniques?|frameworks?|baselines?|variants?|updates?|"
    r"outperform\w*|surpass\w*|converge\w*)\b)"
)
_CITATION_AFTER = re.compile(
    r"^\s*(?:\(\s*[A-Z][\w-]+(?:\s+et al\.?|\s+(?:and|&)\s+[A-Z][\w-]+)?,?\s+\d{4}[a-z]?\s*[);]|\[\d+(?:\s*[,\u2013-]\s*\d+)*\])"
)
# Words that show the name means something else: a data set or a benchmark anywhere close by,
# and right next to it a robot, a space programme, a sky field ('COSMOS field', 'COSMOS-Web').
_NOT_A_METHOD_NEARBY = re.compile(
    r"\b(?:datasets?|benchmarks?|corpus|corpora|telescopes?|observator\w+|missions?|galax\w+|patients?|"
    r"astronauts?|spacecraft|lunar|humanoid)\b",
    re.IGNORECASE,
)
_NOT_A_METHOD_AFTER = re.compile(
    r"^(?:-Web\b|[\s-]+(?:program(?:me)?s?|robots?|fields?|survey|missions?|project|rockets?|landers?|moon|"
    r"samples?|imaging|team|company|city|statue|goddess)\b)",
    re.IGNORECASE,
)
_NOT_A_METHOD_BEFORE = re.compile(
    r"\b(?:robots?|humanoid|program(?:me)?s?|missions?|astronauts?|project|goddess|saint|named after|queen|princess)\s+$",
    re.IGNORECASE,
)
# A list joint between two names: 'A and X', 'A, X', 'A/X', 'A (..), and X'.
_LIST_JOINT = re.compile(r"^\s*(?:\([^()]{0,60}\)\s*)?(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+|/\s*)$")

# Curated names made of ordinary words (in-context learning, RAG, data selection; also Adam, SGD)
# are named far more often than they are used. For `shares_method` their sentence must do more
# than name them as someone's application, an example, a contrast or a thing that no longer works:
# 'applications like RAG', '(e.g., in-context learning)', 'orthogonal to ... post-training
# quantization', 'faster than the state-of-the-art Bayesian optimization WeakNAS', 'previous
# studies explored In-Context Learning', 'in-context learning may no longer be effective'.
_GAP = r"(?:(?!\b(?:we|our|which|that|while|whereas|but|by|using|with)\b)[^.;:()]){0,60}$"
_NOT_USED_BEFORE = re.compile(
    r"(?:\b(?:(?:applications?|tasks?|domains?|scenarios?|use cases?|abilities|capabilities)\s+(?:like|such as|including|in)"
    r"|orthogonal to|complementary to|alternatives? to|instead of|rather than|unlike|than|versus|vs\."
    r"|while|although|though|whereas|despite"  # a concession describes the others' work: 'While the traditional SGD ...'
    r"|(?:previous|prior|earlier|existing|past)\s+(?:studies|works?|research|methods|approaches|efforts)\s+"
    r"(?:have\s+)?(?:explored|used|studied|investigated|applied|adopted|employed|relied on|focused on))" + _GAP +
    # 'recent advancements in MoE models, speculative decoding, and early exit': one item of a survey list
    r"|\b(?:advances|advancements|progress|developments) in\s+" + _LIST_ITEM + r"{1,4}$"
    r"|\b(?:traditional|conventional)\s+(?:[\w-]+\s+){0,2}$)",
    re.IGNORECASE,
)
_NOT_USED_AFTER = re.compile(
    r"^\s*(?:\([^()]*\)\s*)?(?:may|might|could|can|does|do|is|are|will)\s+(?:no longer|not|never)\b", re.IGNORECASE
)
_EXAMPLE_PARENTHESIS = re.compile(r"\(\s*(?:e\.g\.|for example|for instance|such as)", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^\s*\(\s*$")  # between 'in-context learning' and 'ICL)'
# Host labels as DNS allows them (at most 63 characters, here at most 10 of them): unbounded, a long
# run like 'a-a-a-...' or 'a.a.a...' was rescanned from every word start in it, quadratic.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:[\w-]{1,63}\.){1,10}(?:com|org|io|ai|net|edu|dev)/\S*", re.IGNORECASE)

_WWW = re.compile(r"www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Occurrence:
    """Method `method` is named in paper `paper_id` at [start, end) of its text.

    `used` is False where the sentence names a generic curated method without using it
    (an application, an example, a contrast): such a hit still shows which method is
    meant, but it does not make the paper a user of the method for `shares_method`.
    """

    paper_id: str
    method: str
    start: int
    end: int
    sentence: str
    used: bool = True


@dataclass
class ScanResult:
    """All occurrences, plus the ones refused because the name was not used as a method."""

    occurrences: list[Occurrence] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def paper_text(paper: Paper) -> str:
    """The text scanned for a paper: its title, then its abstract."""
    return f"{paper.title}. {paper.abstract}"


def mask_urls(text: str) -> str:
    """`text` with every URL blanked out, same length so offsets still hold.

    A repository path is not prose: ``.../projects/sequence-parallelism/README.md`` does not
    say the paper uses sequence parallelism.

    >>> text = "Code: https://github.com/o/sequence-parallelism/README.md. Done."
    >>> masked = mask_urls(text)
    >>> "parallelism" in masked, len(masked) == len(text), masked.endswith(" Done.")
    (False, True, True)
    """
    if "/" not in text and not _WWW.search(text):  # every URL form has a '/' or 'www.': skip the slow regex
        return text
    return _URL.sub(lambda m: " " * len(m.group()), text)


def _lower_same_length(text: str) -> str:
    # str.lower() can lengthen a few characters ('İ'); offsets must stay aligned.
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def method_automaton(vocabulary: list[MethodEntry]) -> ahocorasick.Automaton:
    """The one automaton over every spelling of `vocabulary` (built once per scan, or once per Dask worker)."""
    automaton = ahocorasick.Automaton()
    spellings: dict[str, list[tuple[str, str]]] = {}
    for entry in vocabulary:
        for surface in entry.surfaces:
            forms = {surface, surface.replace(" ", "-")} if " " in surface else {surface}
            for form in forms:
                spellings.setdefault(_lower_same_length(form), []).append((form, entry.name))
    for key in sorted(spellings):
        automaton.add_word(key, (key, tuple(spellings[key])))
    automaton.make_automaton()
    return automaton


# What turns a name into another one right after it: a version ('Qwen2' in 'Qwen2.5', 'EAGLE' in
# 'EAGLE-2', 'BitNet' in 'BitNet v2'), '++', or a short capitalised tag ('Qwen2-VL', 'SeerAttention-R').
# A size or a checkpoint tag keeps the name ('MindLLM-1.3B', 'Qwen2.5-7B-Instruct').
_OTHER_NAME_AFTER = re.compile(r"^(?:\.\d|\+\+|[ -]v\d|-\d(?!(?:\.\d+)?[BMKbmk]\b)|-[A-Z]{1,3}\b(?![.-]?\d))")


def continues_as_another_name(text: str, end: int) -> bool:
    """Whether the name ending at `end` is only the start of a longer, different name.

    >>> [continues_as_another_name(t, 5) for t in ("Qwen2.5 is", "Qwen2-VL", "Qwen2-7B", "Qwen2 and")]
    [True, True, False, False]
    """
    return bool(_OTHER_NAME_AFTER.match(text[end : end + 8]))


def _at_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _clause_before(text: str, start: int) -> str:
    """Up to 150 characters before `start`, from the start of its sentence."""
    before = text[max(0, start - 150) : start]
    cut = max(before.rfind(". "), before.rfind("? "), before.rfind("! "))
    return before[cut + 2 :] if cut >= 0 else before


def not_a_method_here(text: str, start: int, end: int) -> bool:
    """Whether the words around [start, end) show the name means something else.

    >>> not_a_method_here("The humanoid robot Sophia spoke.", 19, 25)
    True
    >>> not_a_method_here("COSMOS-Web imaging with a new approach", 0, 6)
    True
    """
    return bool(
        _NOT_A_METHOD_NEARBY.search(text[max(0, start - 40) : end + 40])
        or _NOT_A_METHOD_AFTER.match(text[end : end + 40])
        or _NOT_A_METHOD_BEFORE.search(text[max(0, start - 40) : start])
    )


def spelled_out_before(text: str, start: int, end: int) -> bool:
    """Whether the acronym at [start, end) follows its own spelled-out name in parentheses.

    'pairing Target Variance Rescaling (TVR) with ...' names the method TVR, whatever else 'TVR'
    could mean; the capitals of the words before the parenthesis must spell the acronym.

    >>> text = "pairing Target Variance Rescaling (TVR) with a bias"
    >>> spelled_out_before(text, text.index("TVR"), text.index("TVR") + 3)
    True
    >>> spelled_out_before("the film (TVR) was", 10, 13)
    False
    """
    before = text[max(0, start - 80) : start]
    if not re.search(r"\(\s*$", before) or not text[end : end + 3].lstrip().startswith(")"):
        return False
    words = re.split(r"[\s-]+", before.rstrip(" (").strip())
    capitals = "".join(w[0] for w in words if w[:1].isupper())
    return len(capitals) >= 2 and abbreviates(text[start:end], capitals[-len(text[start:end]) - 2 :])


def used_as_method(name: str, text: str, start: int, end: int) -> bool:
    """Whether a word-like name at [start, end) of `text` is, by the words right next to it, a method.

    A cue must touch the name: 'such as X', 'than X', 'method X', 'X optimizer',
    'X (Author et al., 2024)'. A list with another method ('A and X') is checked by `scan`.

    >>> text = "APOLLO program samples show an approach. SCALE outperforms the state-of-the-art method APOLLO."
    >>> used_as_method("APOLLO", text, 0, 6), used_as_method("APOLLO", text, len(text) - 7, len(text) - 1)
    (False, True)
    """
    if not_a_method_here(text, start, end):
        return False
    if spelled_out_before(text, start, end):
        return True
    after = text[end : end + 120]
    if _CITATION_AFTER.match(after) or _CUE_AFTER.match(after):
        return True
    return bool(_CUE_BEFORE.search(_clause_before(text, start)))


def used_in_sentence(text: str, start: int, end: int, examples: bool = True) -> bool:
    """Whether a generic method named at [start, end) is used, not only named, in its sentence.

    With `examples` False a parenthesised example counts as use: 'adaptive optimizers
    (e.g., Adam)' says the paper uses Adam, where '(e.g., in-context learning)' does not.

    >>> text = "Long sequences are critical for applications like RAG, long document summarization."
    >>> used_in_sentence(text, text.index("RAG"), text.index("RAG") + 3)
    False
    >>> used_in_sentence("We speed up decoding with RAG.", 26, 29)
    True
    """
    before = _clause_before(text, start)
    opened = before.rfind("(")
    if examples and opened > before.rfind(")") and _EXAMPLE_PARENTHESIS.match(before[opened:]):
        return False  # '(e.g., in-context learning)': an example of something else
    return not (_NOT_USED_BEFORE.search(before) or _NOT_USED_AFTER.match(text[end : end + 60]))


@dataclass
class _Hit:
    method: str
    start: int
    end: int
    written: str
    guarded: bool  # a word-like name that needs a cue
    accepted: bool


def _list_neighbours(hits: list[_Hit], text: str) -> None:
    """Accept guarded hits joined by a list to an accepted method: 'SGD and Adam', 'GaLore, Fira'."""
    # Acceptance spreads along a list: one sweep rightwards, then one leftwards, reach what sweeping
    # until nothing changes reaches. That took one sweep per name in 'COSMOS, COSMOS, ..., GaLore',
    # quadratic in a long list.
    pairs = list(zip(hits, hits[1:]))
    for left, right in [*pairs, *reversed(pairs)]:
        if left.accepted == right.accepted or not _LIST_JOINT.match(text[left.end : right.start]):
            continue
        waiting = right if left.accepted else left
        if waiting.guarded and not not_a_method_here(text, waiting.start, waiting.end):
            waiting.accepted = True


def scan(
    papers: list[Paper], vocabulary: list[MethodEntry], automaton: ahocorasick.Automaton | None = None
) -> ScanResult:
    """Every occurrence of a vocabulary method in every paper, in paper then text order.

    URLs are blanked before matching. Word-like names need a cue next to them
    (`used_as_method`) or a list with an accepted method; generic curated names are
    marked ``used=False`` where the sentence only names them (`used_in_sentence`).
    `automaton` is :func:`method_automaton` of `vocabulary`, when the caller keeps one
    (a Dask worker scans many partitions with one vocabulary).
    """
    result = ScanResult()
    if not vocabulary:
        return result
    entries = {e.name: e for e in vocabulary}
    automaton = automaton or method_automaton(vocabulary)
    for paper in sorted(papers, key=lambda p: p.id):
        original = paper_text(paper)
        text = mask_urls(original)
        hits: list[_Hit] = []
        for end_index, (key, spellings) in automaton.iter_long(_lower_same_length(text)):
            end = end_index + 1
            start = end - len(key)
            if not _at_word_boundary(text, start, end) or continues_as_another_name(text, end):
                continue
            written = text[start:end]
            method = next((name for form, name in spellings if form == written or form.islower()), None)
            if method is None:
                continue  # 'lora' where only 'LoRA' counts
            # The guard is for the word-like spelling: 'stochastic gradient descent' needs none, 'SGD' does.
            guarded = entries[method].word_like and is_word_like(written)
            accepted = not guarded or used_as_method(written, text, start, end)
            hits.append(_Hit(method, start, end, written, guarded, accepted))
        _list_neighbours(hits, text)
        previous: Occurrence | None = None
        for hit in hits:
            sentence = sentence_around(original, hit.start, hit.end)
            if not hit.accepted:
                result.rejected.append(f"{paper.id}: '{hit.written}' not used as a method in: {sentence[:80]}")
                continue
            if previous and previous.method == hit.method and _ABBREVIATION.match(text[previous.end : hit.start]):
                used = previous.used  # 'traditional retrieval-augmented generation (RAG)': one mention, one verdict
            elif entries[hit.method].generic:
                used = used_in_sentence(text, hit.start, hit.end)
            elif entries[hit.method].word_like and not entries[hit.method].introduced_by:  # Adam, SGD, SOAP
                used = used_in_sentence(text, hit.start, hit.end, examples=False)
            else:
                used = True  # a coined name (GaLore, FlashAttention) is specific enough: naming it links
            previous = Occurrence(paper.id, hit.method, hit.start, hit.end, sentence, used)
            result.occurrences.append(previous)
    return result


def uses(papers: list[Paper], vocabulary: list[MethodEntry], scanned: ScanResult) -> dict[str, list[str]]:
    """Per paper id, the methods it uses but did not introduce, sorted.

    From the text scan (hits that only name a generic method, ``used=False``, do not
    count, nor do methods marked ``linkable: false``), plus Hugging Face ``ai_keywords``
    (online runs) that at least two corpus papers carry: a keyword the vocabulary knows
    counts under its vocabulary name; any other must look like a method
    (`names.is_method_keyword`: no data set, benchmark, metric, task or field
    name, no single plain word). HF already judged the paper, so no text match is needed.
    The text half is per paper (:func:`text_uses`), the keyword half corpus-wide
    (:func:`keyword_uses`); the Dask engine maps the first and reduces the second.
    """
    used, extra = text_uses(vocabulary, scanned.occurrences), keyword_uses(papers, vocabulary)
    return {p.id: sorted(used.get(p.id, set()) | extra.get(p.id, set())) for p in papers}


def text_uses(vocabulary: list[MethodEntry], occurrences: list[Occurrence]) -> dict[str, set[str]]:
    """Per paper id, the methods its text uses (not introduced by it, linkable)."""
    introduced = {e.name: set(e.introduced_by) for e in vocabulary if e.introduced_by}
    unlinkable = {e.name for e in vocabulary if not e.linkable}
    used: dict[str, set[str]] = defaultdict(set)
    for hit in occurrences:
        if hit.used and hit.method not in unlinkable and hit.paper_id not in introduced.get(hit.method, ()):
            used[hit.paper_id].add(hit.method)
    return used


def keyword_uses(papers: list[Paper], vocabulary: list[MethodEntry]) -> dict[str, set[str]]:
    """Per paper id, the Hugging Face keywords it uses that at least two corpus papers carry.

    Only papers with keywords matter, so the Dask engine passes just those.
    """
    tagged_papers = sorted((p for p in papers if p.keywords), key=lambda p: p.id)
    if not tagged_papers:
        return {}
    introduced = {e.name: set(e.introduced_by) for e in vocabulary}
    unlinkable = {e.name for e in vocabulary if not e.linkable}
    known = {surface.casefold(): e.name for e in vocabulary for surface in e.surfaces}
    tagged: dict[str, set[str]] = defaultdict(set)
    for paper in tagged_papers:
        for keyword in paper.keywords:
            keyword = " ".join(keyword.split())
            if keyword.casefold() in known or is_method_keyword(keyword):
                name = known.setdefault(keyword.casefold(), keyword)  # first spelling seen names it
                tagged[name].add(paper.id)
    used: dict[str, set[str]] = defaultdict(set)
    for keyword, ids in tagged.items():
        if len(ids) >= 2 and keyword not in unlinkable:
            for paper_id in ids - introduced.get(keyword, set()):
                used[paper_id].add(keyword)
    return used
