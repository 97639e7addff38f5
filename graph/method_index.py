"""Find every method name in every paper's text in one pass.

All spellings of all methods go into one Aho-Corasick automaton over
lower-cased text; `iter_long` keeps the longest name at each place, so
``Natural GaLore`` is not also read as ``GaLore``. Names written with capitals
must match case exactly (``LoRA`` but not ``lora``); all-lower-case phrases
(``speculative decoding``) match in any case. Cost is linear in the text, never
a scan per pair of papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from enrich.models import Paper
from enrich.textlinks import sentence_around
from enrich.vocabulary import MethodEntry

# Words that show a name is used as a method in its sentence. Names that are also
# ordinary words (COSMOS, LISA, Sophia) need one of them to count.
_METHOD_CONTEXT = re.compile(
    r"\b(?:optimi[sz]ers?|methods?|approach(?:es)?|algorithms?|techniques?|baselines?|frameworks?|"
    r"variants?|such as|e\.g\.|outperforms?|compared|including|based on|built on|builds on|extends?|"
    r"inspired|memory[- ]efficient|fine-tuning|training|adapters?|projection|quantization|decoding)\b",
    re.IGNORECASE,
)
# Short acronyms (SST, RPC) collide with datasets and other fields' terms: they need a
# comparison or usage cue, and no data-set word next to them.
_STRONG_CONTEXT = re.compile(
    r"\b(?:than|over|outperforms?|compared|such as|like|baselines?|including|e\.g\.|built on|based on|"
    r"builds on|extends?|combin\w+|integrat\w+|variants? of|replacement for)\b",
    re.IGNORECASE,
)
_NOT_A_METHOD_NEARBY = re.compile(
    r"\b(?:datasets?|benchmarks?|corpus|corpora|telescopes?|observator\w+|missions?|galax\w+|patients?)\b",
    re.IGNORECASE,
)
_CITATION_AFTER = re.compile(r"^\s*\(\s*[A-Z][\w-]+ et al\.?,? \d{4}\)")


@dataclass(frozen=True)
class Occurrence:
    """Method `method` is named in paper `paper_id` at [start, end) of its text."""

    paper_id: str
    method: str
    start: int
    end: int
    sentence: str


@dataclass
class ScanResult:
    """All occurrences, plus the ones refused because the name was not used as a method."""

    occurrences: list[Occurrence] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def paper_text(paper: Paper) -> str:
    """The text scanned for a paper: its title, then its abstract."""
    return f"{paper.title}. {paper.abstract}"


def _lower_same_length(text: str) -> str:
    # str.lower() can lengthen a few characters ('İ'); offsets must stay aligned.
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _automaton(vocabulary: list[MethodEntry]) -> ahocorasick.Automaton:
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


def _at_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def used_as_method(name: str, text: str, start: int, end: int, sentence: str) -> bool:
    """Whether a word-like name is used, in this sentence, as the method of that name."""
    if _CITATION_AFTER.match(text[end:]):
        return True
    if _NOT_A_METHOD_NEARBY.search(text[max(0, start - 40) : end + 40]):
        return False
    cue = _STRONG_CONTEXT if name.isupper() and len(name) <= 4 else _METHOD_CONTEXT
    return bool(cue.search(sentence))


def scan(papers: list[Paper], vocabulary: list[MethodEntry]) -> ScanResult:
    """Every occurrence of a vocabulary method in every paper, in paper then text order."""
    result = ScanResult()
    if not vocabulary:
        return result
    entries = {e.name: e for e in vocabulary}
    automaton = _automaton(vocabulary)
    for paper in sorted(papers, key=lambda p: p.id):
        text = paper_text(paper)
        lowered = _lower_same_length(text)
        for end_index, (key, spellings) in automaton.iter_long(lowered):
            end = end_index + 1
            start = end - len(key)
            if not _at_word_boundary(text, start, end):
                continue
            written = text[start:end]
            method = next((name for form, name in spellings if form == written or form.islower()), None)
            if method is None:
                continue  # 'lora' where only 'LoRA' counts
            sentence = sentence_around(text, start, end)
            if entries[method].word_like and not used_as_method(written, text, start, end, sentence):
                result.rejected.append(f"{paper.id}: '{written}' not used as a method in: {sentence[:80]}")
                continue
            result.occurrences.append(Occurrence(paper.id, method, start, end, sentence))
    return result
