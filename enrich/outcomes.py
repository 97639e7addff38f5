"""What an online enrichment run did, per field and per source, for the summary table.

Failures are typed (:class:`Failure`: a kind plus a detail) from where they happen to where they
are counted and printed; only ``report.json`` turns them into text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("resolved", "ambiguous", "not_found", "failed", "not_asked")
#: Failure kinds that mean the source was never asked (a normal condition, not an error).
NOT_ASKED = frozenset({"offline", "unreachable", "rate-limited", "skipped"})


@dataclass(frozen=True)
class Failure:
    """Why a source gave no value.

    ``kind`` is one of offline, unreachable, rate-limited, skipped (the source was not asked),
    failed (it was asked and broke), not found, ambiguous, below threshold or conflict (it
    answered, and the answer settles nothing).

    >>> str(Failure("offline", "not in the cache")), Failure("offline").outcome, Failure("failed", "HTTP 500").outcome
    ('offline: not in the cache', 'not_asked', 'failed')
    """

    kind: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    @property
    def outcome(self) -> str:
        """The summary column of a failed call: 'not_asked' or 'failed'."""
        return "not_asked" if self.kind in NOT_ASKED else "failed"


@dataclass(frozen=True)
class Reason:
    """One source's failure for one paper's field."""

    source: str
    failure: Failure

    def __str__(self) -> str:
        return f"{self.source}: {self.failure}"


def reason_text(reasons: list[Reason]) -> str:
    """Every reason of one paper's field, as ``report.json`` shows it."""
    return "; ".join(str(r) for r in reasons)


def kinds_text(reasons: list[Reason]) -> str:
    """The short kind of a paper's reasons: 'offline', 'ambiguous/not found', ...

    >>> kinds_text([Reason("huggingface", Failure("not found", "no candidate")), Reason("arxiv", Failure("ambiguous", "1 vs 2"))])
    'ambiguous/not found'
    """
    return "/".join(sorted({r.failure.kind for r in reasons}))


@dataclass
class Outcomes:
    """Counts of outcomes per (field, source), notes said once, per-paper reasons, and calls made
    per endpoint (the outcome counts say what came back; these say what the run asked for)."""

    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0)))
    notes: list[str] = field(default_factory=list)
    reasons: dict[str, dict[str, list[Reason]]] = field(default_factory=lambda: defaultdict(dict))
    calls: dict[str, int] = field(default_factory=dict)

    def count(self, field_name: str, source: str, outcome: str) -> None:
        self.counts[(field_name, source)][outcome] += 1

    def called(self, endpoint: str, n: int = 1) -> None:
        """Count calls to ``endpoint``; ``n=0`` marks a stage that ran but asked nothing."""
        self.calls[endpoint] = self.calls.get(endpoint, 0) + n

    def note(self, text: str) -> None:
        """Record a run-level remark once (a skipped source, a host that failed)."""
        if text not in self.notes:
            self.notes.append(text)

    def why(self, field_name: str, paper_id: str, source: str, failure: Failure) -> None:
        """Add why a source left `field_name` of a paper empty."""
        self.reasons[field_name].setdefault(paper_id, []).append(Reason(source, failure))

    def reasons_for(self, field_name: str, paper_id: str) -> list[Reason]:
        """Every source's reason for one paper's field (empty when no source said anything)."""
        return list(self.reasons.get(field_name, {}).get(paper_id, []))

    def table(self) -> list[dict[str, object]]:
        """Rows sorted by field and source, for printing and for report.json."""
        return [
            {"field": f, "source": s, **self.counts[(f, s)]}
            for f, s in sorted(self.counts)
        ]
