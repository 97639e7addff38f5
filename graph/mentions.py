"""`mentions` edges: one paper's text names a method another paper introduced.

Built on the one-pass `enrich.text.scan.scan`, so the cost is linear in the text. The rules are
about names and dates, never about particular papers:

- a name two papers introduce is a collision: it links nothing, unless the mentioning paper
  cites exactly one of them (then the citation says which is meant);
- a name that corpus papers dated well before its "introducer" already use was not introduced
  there (the paper used an existing method and the text read like a claim): it links nothing;
- one paper is the source of at most :data:`MAX_FAN_OUT` edges for a name that is not in its
  own title: a name that many papers use and one abstract merely mentions is not that paper's;
- a name family (``SageAttention`` → ``SageAttention2``, ``EAGLE`` → ``EAGLE-2``, ``Qwen2`` →
  ``Qwen2.5``, ``ZeRO`` → ``ZeRO-Infinity``) links the earlier name's paper to the later one's
  when the dates agree, even when the later abstract never spells the earlier name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from paperlineage.enrich.models import Paper
from paperlineage.enrich.text.scan import ScanResult
from paperlineage.enrich.text.vocabulary import MethodEntry

# A paper cannot build on one published well after it; the slack absorbs listing-date noise.
_MAX_DAYS_BACKWARDS = 90
#: At most this many papers may build on one paper through one name it did not put in its title.
MAX_FAN_OUT = 10
# What may follow a name to make its successor: a version ('2', '-2', '.5', ' v2', ' a4.8'), '++',
# a short capitalised tag ('-R', '-VL', '-NeXT', '-Infinity'); one or two of them.
_FAMILY_SUFFIX = re.compile(
    r"^(?:(?:[\s-]?[a-z]?\d+(?:\.\d+)*[a-z]?|\.\d+|\+\+|[\s-][A-Z][A-Za-z]{0,11})){1,2}$"
)
_MIN_FAMILY_BASE = 3
# ... or before it, a short capital tag on a long name: 'MMInference' of 'MInference', 'Q-GaLore'
# of 'GaLore' (a short base like 'LoRA' is too common a stem: 'CURLoRA' is not LoRA's successor).
_FAMILY_PREFIX = re.compile(r"^[A-Z]{1,3}-?$")
_MIN_PREFIXED_BASE = 6


@dataclass
class Mention:
    """Paper `target` names `names`, which paper `source` introduced: source → target."""

    source: str
    target: str
    names: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class MentionReport:
    """Names we refused to link on, with the reason, for the run report."""

    ambiguous_names: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    too_common_methods: dict[str, int] = field(default_factory=dict)
    too_common_for_one_paper: dict[str, dict[str, int]] = field(default_factory=dict)
    """Name → {introducer: papers naming it}: more than MAX_FAN_OUT, and not in its title."""
    settled_by_citation: list[str] = field(default_factory=list)


def _late(source: Paper, target: Paper) -> bool:
    """True when `target` is dated well before `source` (it cannot build on it)."""
    return bool(source.date and target.date and (source.date - target.date).days > _MAX_DAYS_BACKWARDS)


def family_suffix(base: str, name: str) -> bool:
    """Whether `name` is a later member of `base`'s name family.

    >>> [family_suffix("SageAttention", n) for n in ("SageAttention2", "SageAttention2++", "SageAttention")]
    [True, True, False]
    >>> [family_suffix("Qwen2", "Qwen2.5"), family_suffix("ZeRO", "ZeRO-Infinity"), family_suffix("LoRA", "CURLoRA")]
    [True, True, False]
    >>> family_suffix("MInference", "MMInference"), family_suffix("GaLore", "Q-GaLore")
    (True, True)
    """
    if len(base) < _MIN_FAMILY_BASE or name == base:
        return False
    if name.endswith(base) and len(base) >= _MIN_PREFIXED_BASE:
        return bool(_FAMILY_PREFIX.match(name[: -len(base)]))
    if not name.startswith(base):
        return False
    rest = name[len(base):]
    if base[-1].isdigit() and rest[0].isdigit():  # 'Qwen2' → 'Qwen23' is another number, not a successor
        return False
    return bool(_FAMILY_SUFFIX.match(rest))


def _owners(vocabulary: list[MethodEntry], report: MentionReport) -> dict[str, list[str]]:
    owners = {e.name: list(e.introduced_by) for e in vocabulary if e.introduced_by}
    report.ambiguous_names = {name: ids for name, ids in owners.items() if len(ids) > 1}
    return owners


def find_mentions(
    papers: list[Paper],
    vocabulary: list[MethodEntry],
    scanned: ScanResult,
    cited: set[tuple[str, str]] | None = None,
) -> tuple[list[Mention], MentionReport]:
    """Every (introducer → mentioner) pair with the names and sentences that link them.

    `cited` holds (cited, citing) paper-id pairs known from reference lists; they settle which
    of two papers introducing the same name a citing paper means.
    """
    report = MentionReport(rejected=list(scanned.rejected))
    owners = _owners(vocabulary, report)
    by_id = {p.id: p for p in papers}
    cited = cited or set()
    hits_by_name: dict[str, list] = defaultdict(list)
    for hit in scanned.occurrences:
        hits_by_name[hit.method].append(hit)

    void: set[str] = set()  # names whose 'introducer' came after the corpus was using them
    for name, ids in owners.items():
        if len(ids) != 1:
            continue
        owner = by_id[ids[0]]
        earlier = sorted({h.paper_id for h in hits_by_name.get(name, []) if h.paper_id != owner.id and _late(owner, by_id[h.paper_id])})
        if earlier:
            void.add(name)
            report.rejected.append(
                f"{owner.id}: its text reads as introducing '{name}', but {len(earlier)} earlier papers already name it "
                f"({', '.join(earlier[:3])}); not linked"
            )

    links: dict[tuple[str, str], Mention] = {}

    def link(source_id: str, target_id: str, name: str, evidence: str) -> None:
        mention = links.setdefault((source_id, target_id), Mention(source_id, target_id))
        if name not in mention.names:
            mention.names.append(name)
        if evidence not in mention.evidence:
            mention.evidence.append(evidence)

    for hit in scanned.occurrences:
        ids = owners.get(hit.method, [])
        if hit.method in void or not ids or hit.paper_id in ids:
            continue
        if len(ids) > 1:
            meant = [i for i in ids if (i, hit.paper_id) in cited]
            if len(meant) != 1:
                continue
            report.settled_by_citation.append(f"{hit.paper_id}: '{hit.method}' is {meant[0]}'s (it cites that paper)")
            ids = meant
        source, target = by_id[ids[0]], by_id[hit.paper_id]
        if _late(source, target):
            report.rejected.append(f"{target.id}: names '{hit.method}' but predates {source.id}")
            continue
        link(source.id, target.id, hit.method, hit.sentence)

    _limit_fan_out(links, by_id, report)
    for base, later in _families(owners, void, by_id):
        source, target = by_id[owners[base][0]], by_id[owners[later][0]]
        link(source.id, target.id, base, f"name family: {later} continues {base} ({target.title})")
    return [links[key] for key in sorted(links)], report


def _limit_fan_out(links: dict[tuple[str, str], Mention], by_id: dict[str, Paper], report: MentionReport) -> None:
    """Drop a name from every edge of a paper that it would fan out from more than MAX_FAN_OUT times."""
    fan: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, mention in links.items():
        for name in mention.names:
            fan[(mention.source, name)].append(key)
    for (source, name), keys in sorted(fan.items()):
        if len(keys) <= MAX_FAN_OUT or name.casefold() in by_id[source].title.casefold():
            continue
        report.too_common_for_one_paper.setdefault(name, {})[source] = len(keys)
        for key in keys:
            mention = links[key]
            kept = [n for n in mention.names if n != name]
            if not kept:
                del links[key]
            else:
                mention.names = kept


def _families(owners: dict[str, list[str]], void: set[str], by_id: dict[str, Paper]) -> list[tuple[str, str]]:
    """(base, later) name pairs of one family, each introduced by one paper, dates in order."""
    single = sorted(n for n, ids in owners.items() if len(ids) == 1 and n not in void)
    known = set(single)
    pairs = []
    for later in single:
        # A base is a prefix of the later name, or (with a capital tag) its tail: look those up
        # instead of testing every name against every other (quadratic in the corpus's names).
        stems = {later[:k] for k in range(_MIN_FAMILY_BASE, len(later))} | {later[k:] for k in range(1, len(later))}
        for base in sorted(b for b in stems & known if family_suffix(b, later)):  # every ancestor: SageAttention → 2 → 2++
            source, target = by_id[owners[base][0]], by_id[owners[later][0]]
            if source.id != target.id and not (source.date and target.date and source.date > target.date):
                pairs.append((base, later))
    return pairs
