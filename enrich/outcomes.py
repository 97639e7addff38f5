"""What an online enrichment run did, per field and per source, for the summary table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("resolved", "ambiguous", "not_found", "failed", "not_asked")
# Failure categories that mean the source was never asked (a normal condition, not an error).
NOT_ASKED = frozenset({"offline", "unreachable", "rate-limited", "skipped"})


def outcome_of_failure(failure: str) -> str:
    """'not_asked' for an offline, unreachable, rate-limited or skipped source, else 'failed'.

    >>> outcome_of_failure("offline: not cached"), outcome_of_failure("failed: HTTP 500")
    ('not_asked', 'failed')
    """
    return "not_asked" if failure.split(":", 1)[0] in NOT_ASKED else "failed"


@dataclass
class Outcomes:
    """Counts of outcomes per (field, source), notes said once, and per-paper reasons."""

    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0)))
    notes: list[str] = field(default_factory=list)
    reasons: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(dict))

    def count(self, field_name: str, source: str, outcome: str) -> None:
        self.counts[(field_name, source)][outcome] += 1

    def note(self, text: str) -> None:
        """Record a run-level remark once (a skipped source, a host that failed)."""
        if text not in self.notes:
            self.notes.append(text)

    def why(self, field_name: str, paper_id: str, source: str, reason: str) -> None:
        """Add why a source left `field_name` of a paper empty; `reason` is 'category: detail'."""
        self.reasons[field_name].setdefault(paper_id, []).append(f"{source}: {reason}")

    def reason(self, field_name: str, paper_id: str) -> str | None:
        """Every source's reason for one paper, joined, or None when no source said anything."""
        found = self.reasons.get(field_name, {}).get(paper_id)
        return "; ".join(found) if found else None


    def table(self) -> list[dict[str, object]]:
        """Rows sorted by field and source, for printing and for report.json."""
        return [
            {"field": f, "source": s, **self.counts[(f, s)]}
            for f, s in sorted(self.counts)
        ]


def category(reason: str) -> str:
    """The short kind of a joined reason: 'offline', 'unreachable', 'not found', 'ambiguous/not found'...

    >>> category("huggingface: not found: no candidate; arxiv: ambiguous: 1 vs 2")
    'ambiguous/not found'
    """
    kinds = {part.split(": ")[1] if part.count(": ") >= 1 else part for part in reason.split("; ")}
    return "/".join(sorted(kinds))
