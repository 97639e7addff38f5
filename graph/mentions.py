"""`mentions` edges: one paper's text names a method another paper introduced.

Built on the one-pass `enrich.text.scan.scan`, so the cost is linear in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from paperlineage.enrich.models import Paper
from paperlineage.enrich.text.vocabulary import MethodEntry
from paperlineage.enrich.text.scan import ScanResult

# A paper cannot build on one published well after it; the slack absorbs listing-date noise.
_MAX_DAYS_BACKWARDS = 90


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


def find_mentions(
    papers: list[Paper], vocabulary: list[MethodEntry], scanned: ScanResult
) -> tuple[list[Mention], MentionReport]:
    """Every (introducer → mentioner) pair with the names and sentences that link them.

    Names introduced by more than one paper are not linked: we cannot tell which is meant.
    """
    report = MentionReport(rejected=list(scanned.rejected))
    owner = {e.name: e.introduced_by[0] for e in vocabulary if len(e.introduced_by) == 1}
    report.ambiguous_names = {e.name: list(e.introduced_by) for e in vocabulary if len(e.introduced_by) > 1}
    by_id = {p.id: p for p in papers}
    links: dict[tuple[str, str], Mention] = {}
    for hit in scanned.occurrences:
        source_id = owner.get(hit.method)
        if source_id is None or source_id == hit.paper_id:
            continue
        source, target = by_id[source_id], by_id[hit.paper_id]
        if source.date and target.date and (source.date - target.date).days > _MAX_DAYS_BACKWARDS:
            report.rejected.append(f"{target.id}: names '{hit.method}' but predates {source.id}")
            continue
        link = links.setdefault((source_id, hit.paper_id), Mention(source_id, hit.paper_id))
        if hit.method not in link.names:
            link.names.append(hit.method)
        if hit.sentence not in link.evidence:
            link.evidence.append(hit.sentence)
    return [links[key] for key in sorted(links)], report
