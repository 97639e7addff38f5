"""`mentions` edges: one paper's text names a method another paper introduced.

All names go into one Aho-Corasick automaton and every title and abstract is
scanned once (`iter_long` keeps the longest name at each place, so
``Natural GaLore`` is not also read as ``GaLore``). The cost is linear in the
text, not in the number of paper pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from enrich.methods import is_word_like
from enrich.models import Paper
from enrich.textlinks import sentence_around

# Words that show a name is used as a method in the sentence around it. Names that are
# also ordinary words (COSMOS, LISA, Sophia) need one of them to count as a mention.
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
# A later paper cannot build on a much later one; a small slack absorbs listing-date noise.
_MAX_DAYS_BACKWARDS = 90


@dataclass
class Mention:
    """Paper `target` names `name`, which paper `source` introduced: source → target."""

    source: str
    target: str
    names: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class MentionReport:
    """Names we refused to link on, with the reason, for the run report."""

    ambiguous_names: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


def _owners(papers: Iterable[Paper]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        for name in paper.methods:
            owners[name].append(paper.id)
    return owners


def _automaton(names: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, name)
        if " " in name:  # 'Sparse MeZO' is also written 'Sparse-MeZO'
            automaton.add_word(name.replace(" ", "-"), name)
    automaton.make_automaton()
    return automaton


def _at_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _used_as_method(name: str, text: str, start: int, end: int, sentence: str) -> bool:
    """Whether a word-like name is used, in this sentence, as the method of that name."""
    if _CITATION_AFTER.match(text[end:]):
        return True
    if _NOT_A_METHOD_NEARBY.search(text[max(0, start - 40) : end + 40]):
        return False
    cue = _STRONG_CONTEXT if name.isupper() and len(name) <= 4 else _METHOD_CONTEXT
    return bool(cue.search(sentence))


def find_mentions(papers: list[Paper]) -> tuple[list[Mention], MentionReport]:
    """Every (introducer → mentioner) pair with the names and sentences that link them.

    Names introduced by more than one paper are not linked: we cannot tell which is meant.
    """
    report = MentionReport()
    owners = _owners(papers)
    unique = {name: ids[0] for name, ids in owners.items() if len(set(ids)) == 1}
    report.ambiguous_names = {name: sorted(set(ids)) for name, ids in owners.items() if len(set(ids)) > 1}
    by_id = {p.id: p for p in papers}
    if not unique:
        return [], report
    automaton = _automaton(unique)
    links: dict[tuple[str, str], Mention] = {}
    for paper in papers:
        text = f"{paper.title}. {paper.abstract}"
        for end_index, name in automaton.iter_long(text):
            owner = unique[name]
            end = end_index + 1
            start = end - len(name)  # the hyphenated alias has the same length as the name
            if owner == paper.id or not _at_word_boundary(text, start, end):
                continue
            sentence = sentence_around(text, start, end)
            if is_word_like(name) and not _used_as_method(name, text, start, end, sentence):
                report.rejected.append(f"{paper.id}: '{name}' not used as a method in: {sentence[:80]}")
                continue
            source = by_id[owner]
            if source.date and paper.date and (source.date - paper.date).days > _MAX_DAYS_BACKWARDS:
                report.rejected.append(f"{paper.id}: names '{name}' but predates {owner}")
                continue
            link = links.setdefault((owner, paper.id), Mention(owner, paper.id))
            if name not in link.names:
                link.names.append(name)
            if sentence not in link.evidence:
                link.evidence.append(sentence)
    return [links[key] for key in sorted(links)], report

