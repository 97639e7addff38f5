"""Typed results of the graph queries (pydantic v2), ready for a DataFrame.

Every record has ``model_dump()`` and `Record.flat`, which spells nested records
with dotted keys, so a list of results becomes a table in one line::

    import pandas as pd
    pd.DataFrame([row.flat() for row in neighbors(G, "galore-...")])

The same records are what ``paperlineage query ... --json`` prints.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Direction = Literal["out", "in", "undirected"]


class Record(BaseModel):
    """Base of the query records: frozen, with a flat dict view."""

    model_config = ConfigDict(frozen=True)

    def flat(self) -> dict[str, Any]:
        """``model_dump()`` with nested records spelt as dotted keys.

        >>> PaperRef(id="x", title="X").flat()["title"]
        'X'
        >>> sorted(Hop(source=PaperRef(id="a", title="A"), target=PaperRef(id="b", title="B"), kind="mentions").flat())[:3]
        ['along', 'confirmed', 'evidence']
        """
        return _flatten(self.model_dump(mode="json"))


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class PaperRef(Record):
    """A node as a query shows it: the fields that identify a paper and rank it."""

    id: str = Field(description="Node id: the stable paper id, or 'method:<name>' for a method node.")
    title: str = Field(description="Paper title, or the method name for a method node.")
    node_type: str = Field(default="paper", description="'paper' or 'method'.")
    arxiv_id: str = Field(default="", description="arXiv ID without version; empty when unresolved.")
    github: str = Field(default="", description="Official repository as 'owner/name'; empty when unknown.")
    date: str = Field(default="", description="ISO date or the date as the listing wrote it.")
    community: int = Field(default=-1, description="Louvain community number (0 = largest); -1 for none.")
    pagerank: float = Field(default=0.0, description="PageRank over influence edges (cites, mentions).")


class Match(Record):
    """One answer to a name look-up, with how it matched."""

    paper: PaperRef
    how: Literal["id", "arxiv_id", "method", "title", "title prefix", "fuzzy title"] = Field(
        description="The look-up step that found it."
    )
    score: float = Field(default=100.0, description="100 for exact steps; the rapidfuzz score for fuzzy titles.")


class Hop(Record):
    """One edge of a path, in walking order, with the evidence it rests on."""

    source: PaperRef = Field(description="Where the hop starts (walking order).")
    target: PaperRef = Field(description="Where the hop ends (walking order).")
    kind: str = Field(description="Edge kind: cites, mentions, shares_method, introduces or uses.")
    evidence: str = Field(default="", description="The sentences or reason the edge was drawn from.")
    along: bool = Field(
        default=True, description="True when the stored edge points source → target (target builds on source)."
    )
    confirmed: bool | None = Field(
        default=None,
        description="For a mentions edge: True when a cites edge on the same pair backs it (confirmed by a citation), "
        "False when it rests on the text alone; None for other kinds.",
    )


class PathResult(Record):
    """How two papers are connected: the hops from the upstream end to the other."""

    source: PaperRef = Field(description="The first paper asked about.")
    target: PaperRef = Field(description="The second paper asked about.")
    mode: Literal["influence", "any-edge"] = Field(
        description="'influence': directed cites/mentions edges (lineage); 'any-edge': any kind, direction ignored (not lineage)."
    )
    direction: Literal["forward", "backward", "undirected"] = Field(
        description="'forward': target builds on source; 'backward': source builds on target; 'undirected' for any-edge."
    )
    hops: list[Hop] = Field(default_factory=list)


class NeighborRow(Record):
    """A paper reached from the start paper, at a depth, through an edge of some kind."""

    paper: PaperRef
    depth: int = Field(description="Number of edges from the start paper (1 = direct neighbour).")
    via: str = Field(description="Id of the node it was reached from (the start paper at depth 1).")
    via_kind: str = Field(description="'; '-joined kinds of the edges between `via` and this paper that were followed.")
    direction: Direction = Field(
        description="'out': this paper builds on `via`; 'in': `via` builds on it; 'undirected': shares_method and the like."
    )
    evidence: str = Field(default="", description="Evidence of the first followed edge.")
    confirmed: bool | None = Field(
        default=None,
        description="For a row reached over a mentions edge: True when a cites edge on the same pair backs it (confirmed by a citation), "
        "False when it rests on the text alone; None for other kinds.",
    )


class Lineage(Record):
    """What a paper builds on (ancestors) and what builds on it (descendants), along influence edges."""

    paper: PaperRef
    ancestors: list[NeighborRow] = Field(default_factory=list)
    descendants: list[NeighborRow] = Field(default_factory=list)
    confirmed_only: bool = Field(
        default=False, description="True when only confirmed edges were followed: cites, and mentions a citation backs."
    )


class RankRow(Record):
    """A paper's place in a ranking."""

    rank: int = Field(description="1-based place.")
    paper: PaperRef
    by: str = Field(description="pagerank, citations, stars or upvotes.")
    value: float = Field(description="The value ranked by.")
