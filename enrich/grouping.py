"""Which input entries are one paper, and the paper id of each.

Identifiers first: entries sharing an arXiv ID or a DOI are one paper (``PaperIds`` turns an
arXiv DataCite DOI into the arXiv ID, so ``10.48550/arXiv.2403.03507`` meets ``2403.03507``).
Titles second: entries whose normalised title and symbols agree are one paper too, unless
both already carry different arXiv IDs (two arXiv papers can share a title); that split is
reported. Titles that normalise alike but carry different symbols (``C++`` and ``C``) stay
two papers, as listings always did.

Paper ids: a paper with a title keeps the id its title gives (`titles.paper_id`), so adding
an identifier never renames a listing's paper; a paper known only by an identifier hashes
that identifier (``arxiv-2403-03507-<hash>``).
"""

from __future__ import annotations

from paperlineage.enrich.models import ListingEntry, Problem
from paperlineage.enrich.titles import normalise_title, paper_id, symbols


class ArxivSets:
    """Union-find over item indices, with the arXiv IDs each set carries.

    The earliest item stays a set's root, so input order decides. `conflict` tells when a join
    would put two different arXiv IDs in one set; ingest reports such a split, the re-merge
    after online resolution (:mod:`.remerge`) just does not join.
    """

    def __init__(self, arxiv_ids: list[str | None]) -> None:
        self.parent = list(range(len(arxiv_ids)))
        self.arxiv = [{a} if a else set() for a in arxiv_ids]

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            ra, rb = min(ra, rb), max(ra, rb)  # the earliest item stays the root
            self.parent[rb] = ra
            self.arxiv[ra] |= self.arxiv[rb]

    def conflict(self, a: int, b: int) -> tuple[str, str] | None:
        """Two different arXiv IDs, one on each side, else None."""
        left, right = self.arxiv[self.root(a)], self.arxiv[self.root(b)]
        if left and right and not left & right:
            return min(left), min(right)
        return None


def _title_key(entry: ListingEntry) -> tuple[str, str]:
    return normalise_title(entry.title), symbols(entry.title)


def _identity_id(entry: ListingEntry) -> str:
    key = entry.ids.keys()[0]
    return paper_id(key.replace(":", " "), identity=key)


def group_entries(entries: list[ListingEntry], problems: list[Problem]) -> list[tuple[str, list[ListingEntry]]]:
    """(paper id, the entries of that paper in file order) per paper; splits go to `problems`."""
    sets = ArxivSets([e.ids.arxiv for e in entries])
    holder: dict[str, int] = {}
    for i, entry in enumerate(entries):
        for key in entry.ids.keys():
            sets.join(holder.setdefault(key, i), i)
    first_with_title: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(entries):
        if not entry.title:
            continue
        j = first_with_title.setdefault(_title_key(entry), i)
        clash = sets.conflict(j, i)
        if clash:
            first = entries[j]
            problems.append(Problem(
                file=entry.location.file, line=entry.location.line, kind="warning",
                reason=f"same title as {first.title!r} ({first.location.file}:{first.location.line}) but another "
                f"arXiv ID ({clash[1]}, not {clash[0]}); kept as two papers",
                text=entry.title[:80],
            ))
        else:
            sets.join(j, i)
    members: dict[int, list[ListingEntry]] = {}
    for i, entry in enumerate(entries):
        members.setdefault(sets.root(i), []).append(entry)
    return _name(members, problems)


def _name(members: dict[int, list[ListingEntry]], problems: list[Problem]) -> list[tuple[str, list[ListingEntry]]]:
    """The paper id of each set (keyed by its first entry's index)."""
    by_title: dict[str, list[tuple[int, ListingEntry]]] = {}  # normalised title -> (first index, titled entry)
    named: dict[int, str] = {}
    for start, group in members.items():
        titled = next((e for e in group if e.title), None)
        if titled is None:
            named[start] = _identity_id(group[0])
        else:
            by_title.setdefault(normalise_title(titled.title), []).append((start, titled))
    for key, variants in sorted(by_title.items(), key=lambda kv: min(s for s, _ in kv[1])):
        ordered = sorted(variants, key=lambda v: (len(symbols(v[1].title)), symbols(v[1].title), v[0]))
        first = ordered[0][1]
        for rank, (start, entry) in enumerate(ordered):
            sym = symbols(entry.title)
            if rank == 0:
                named[start] = paper_id(entry.title)
            elif sym != symbols(first.title):
                named[start] = paper_id(entry.title, f"title:{key}|symbols:{sym}")
                problems.append(Problem(
                    file=entry.location.file, line=entry.location.line, kind="warning",
                    reason=f"title differs from {first.title!r} ({first.location.file}:{first.location.line}) only in symbols; kept as two papers",
                    text=entry.title[:80],
                ))
            else:  # split by arXiv ID above, already reported
                ids = next(e for e in members[start] if e.ids.keys()).ids.keys()[0]
                named[start] = paper_id(entry.title, f"title:{key}|symbols:{sym}|{ids}")
    used: set[str] = set()
    result = []
    for start, group in sorted(members.items()):
        pid = named[start]
        if pid in used:  # two arXiv-split variants that share symbols: tell them apart by position
            pid = paper_id(group[0].title, f"{pid}|{group[0].location.file}:{group[0].location.line}")
        used.add(pid)
        result.append((pid, group))
    return result
