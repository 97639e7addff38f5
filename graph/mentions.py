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
import datetime as dt
from dataclasses import dataclass, field

from paperlineage.enrich.models import Paper
from paperlineage.enrich.text.scan import Occurrence, ScanResult
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


@dataclass(frozen=True)
class Introducer:
    """What the linking needs of a paper that introduces a name: its date and title."""

    id: str
    date: dt.date | None
    title: str


def _late(source: dt.date | None, target: dt.date | None) -> bool:
    """True when `target` is dated well before `source` (it cannot build on it)."""
    return bool(source and target and (source - target).days > _MAX_DAYS_BACKWARDS)


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


def introduced_by(vocabulary: list[MethodEntry]) -> dict[str, list[str]]:
    """Per corpus-introduced name, the ids of the papers introducing it."""
    return {e.name: list(e.introduced_by) for e in vocabulary if e.introduced_by}


def introducers(papers: list[Paper], owners: dict[str, list[str]]) -> dict[str, Introducer]:
    """The papers that introduce a name, by id (all that the corpus-wide decisions need to know)."""
    ids = {i for owned in owners.values() for i in owned}
    return {p.id: Introducer(p.id, p.date, p.title) for p in papers if p.id in ids}


def find_mentions(
    papers: list[Paper],
    vocabulary: list[MethodEntry],
    scanned: ScanResult,
    cited: set[tuple[str, str]] | None = None,
) -> tuple[list[Mention], MentionReport]:
    """Every (introducer → mentioner) pair with the names and sentences that link them.

    `cited` holds (cited, citing) paper-id pairs known from reference lists; they settle which
    of two papers introducing the same name a citing paper means. The per-paper halves
    (:func:`earlier_users`, :func:`hit_links`) read only the hits of their own papers; the
    corpus-wide decisions (:func:`void_names`, :func:`settle_links`) read what those returned,
    so the Dask engine runs the same functions over partitions.
    """
    report = MentionReport(rejected=list(scanned.rejected))
    owners = introduced_by(vocabulary)
    intro = introducers(papers, owners)
    dates = {p.id: p.date for p in papers}
    void = void_names(owners, earlier_users(owners, intro, scanned.occurrences, dates), report)
    links, rejected, settled = hit_links(scanned.occurrences, owners, void, intro, dates, cited or set())
    report.rejected += [message for _, message in rejected]
    report.settled_by_citation += [message for _, message in settled]
    return settle_links(links, owners, void, intro, report), report


def earlier_users(
    owners: dict[str, list[str]], intro: dict[str, Introducer], hits: list[Occurrence], dates: dict[str, dt.date | None]
) -> dict[str, set[str]]:
    """Per name one paper introduces, the papers among `hits` that name it but are dated well before it.

    `dates` covers the papers of `hits`.
    """
    earlier: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        ids = owners.get(hit.method)
        if ids and len(ids) == 1 and hit.paper_id != ids[0] and _late(intro[ids[0]].date, dates[hit.paper_id]):
            earlier[hit.method].add(hit.paper_id)
    return earlier


def void_names(owners: dict[str, list[str]], earlier: dict[str, set[str]], report: MentionReport) -> set[str]:
    """Names whose 'introducer' came after the corpus was using them; fills the report's collisions too."""
    report.ambiguous_names = {name: ids for name, ids in owners.items() if len(ids) > 1}
    void: set[str] = set()
    for name, ids in owners.items():
        if len(ids) != 1 or not earlier.get(name):
            continue
        found = sorted(earlier[name])
        void.add(name)
        report.rejected.append(
            f"{ids[0]}: its text reads as introducing '{name}', but {len(found)} earlier papers already name it "
            f"({', '.join(found[:3])}); not linked"
        )
    return void


def hit_links(
    hits: list[Occurrence],
    owners: dict[str, list[str]],
    void: set[str],
    intro: dict[str, Introducer],
    dates: dict[str, dt.date | None],
    cited: set[tuple[str, str]],
) -> tuple[dict[tuple[str, str], Mention], list[tuple[str, str]], list[tuple[str, str]]]:
    """The links `hits` make, and the (paper id, message) hits refused and settled by a citation.

    A link's target is the hit's paper, so partitions of papers give disjoint links.
    """
    links: dict[tuple[str, str], Mention] = {}
    rejected: list[tuple[str, str]] = []
    settled: list[tuple[str, str]] = []
    for hit in hits:
        ids = owners.get(hit.method, [])
        if hit.method in void or not ids or hit.paper_id in ids:
            continue
        if len(ids) > 1:
            meant = [i for i in ids if (i, hit.paper_id) in cited]
            if len(meant) != 1:
                continue
            settled.append((hit.paper_id, f"{hit.paper_id}: '{hit.method}' is {meant[0]}'s (it cites that paper)"))
            ids = meant
        if _late(intro[ids[0]].date, dates[hit.paper_id]):
            rejected.append((hit.paper_id, f"{hit.paper_id}: names '{hit.method}' but predates {ids[0]}"))
            continue
        _link(links, ids[0], hit.paper_id, hit.method, hit.sentence)
    return links, rejected, settled


def _link(links: dict[tuple[str, str], Mention], source_id: str, target_id: str, name: str, evidence: str) -> None:
    mention = links.setdefault((source_id, target_id), Mention(source_id, target_id))
    if name not in mention.names:
        mention.names.append(name)
    if evidence not in mention.evidence:
        mention.evidence.append(evidence)


def settle_links(
    links: dict[tuple[str, str], Mention],
    owners: dict[str, list[str]],
    void: set[str],
    intro: dict[str, Introducer],
    report: MentionReport,
) -> list[Mention]:
    """The corpus-wide end: the fan-out limit, then the name families; the mentions sorted."""
    _limit_fan_out(links, intro, report)
    for base, later in _families(owners, void, intro):
        source, target = intro[owners[base][0]], intro[owners[later][0]]
        _link(links, source.id, target.id, base, f"name family: {later} continues {base} ({target.title})")
    return [links[key] for key in sorted(links)]


def _limit_fan_out(links: dict[tuple[str, str], Mention], by_id: dict[str, Introducer], report: MentionReport) -> None:
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


def _families(owners: dict[str, list[str]], void: set[str], by_id: dict[str, Introducer]) -> list[tuple[str, str]]:
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
