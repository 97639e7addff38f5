"""The edge kinds: one entry per kind, read by every module, export and the page.

An edge u → v always means *v builds on, uses or cites u*. Each kind says whether it is
influence (lineage: "v builds on u"), whether its relation has a direction at all, whether it
orders papers in time (the timeline layout), whether it joins two papers (degree counts per
kind on paper nodes), how the page draws it, and what it means. A new kind is one entry here
plus the function that computes its edges.

>>> [k.name for k in KINDS if k.influence]
['cites', 'mentions']
>>> kind("shares_method").directed
False
>>> kind("mentions").confirmed_by
'cites'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CITES",
    "CONFIRMABLE_KINDS",
    "CONFIRMED",
    "INTRODUCES",
    "MENTIONS",
    "SHARES_METHOD",
    "USES",
    "EDGE_KINDS",
    "INFLUENCE_KINDS",
    "KINDS",
    "LIST_ATTRIBUTES",
    "LIST_SEPARATOR",
    "EVIDENCE_SEPARATOR",
    "PAPER_KINDS",
    "TIME_ORDERING_KINDS",
    "UNDIRECTED_KINDS",
    "EdgeKind",
    "join_list",
    "kind",
    "split_list",
    "style",
]

#: How list-valued attributes (method names, intents) are flattened into one GraphML string.
LIST_SEPARATOR = "; "
#: The node and edge attributes stored joined with LIST_SEPARATOR (the Parquet tables give them as lists).
LIST_ATTRIBUTES = frozenset({"methods", "uses", "names", "intents", "aliases"})
#: How several evidence sentences are joined on one edge.
EVIDENCE_SEPARATOR = " | "


@dataclass(frozen=True)
class EdgeKind:
    """One kind of edge and everything the code needs to know about it."""

    name: str
    """The edge key and its ``kind`` attribute."""
    description: str
    """What an edge of this kind means, in one line (help texts, docs)."""
    label: str
    """The page legend's text."""
    influence: bool
    """True when u → v means v builds on u (lineage, PageRank, ``query lineage``)."""
    directed: bool = True
    """False for a relation with no direction: stored older → newer, drawn and walked both ways."""
    orders_time: bool = True
    """True when the timeline layout places v after u."""
    between_papers: bool = True
    """True for paper–paper kinds (degree counts per kind); False for the method view's kinds."""
    style: dict = field(default_factory=dict)
    """vis-network style on the page: color, width, dashes, arrows."""
    confirmed_by: str = ""
    """The kind whose edge on the same (u, v) backs an edge of this one (``mentions`` by
    ``cites``): such an edge gets the boolean attribute :data:`CONFIRMED`, True when backed
    ("confirmed by a citation"), False when it rests on the text alone. Empty: not confirmable."""
    text_only_style: dict = field(default_factory=dict)
    """What changes in `style` for an edge that is not confirmed (drawn dashed and lighter)."""


KINDS: tuple[EdgeKind, ...] = (
    EdgeKind(
        "cites", "v's reference list contains u (Semantic Scholar, OpenAlex)", "cites (Semantic Scholar)",
        influence=True, style={"color": "#3b6fb6", "width": 2, "dashes": False, "arrows": "to"},
    ),
    EdgeKind(
        "mentions", "v names a method that u introduced", "mentions a method it introduced",
        influence=True, style={"color": "#d9622b", "width": 2, "dashes": False, "arrows": "to"},
        confirmed_by="cites", text_only_style={"color": "rgba(217,98,43,0.6)", "width": 1.5, "dashes": [7, 5]},
    ),
    EdgeKind(
        "shares_method", "u and v both use a rare method that neither introduced", "shares a rare method",
        influence=False, directed=False, orders_time=False,
        style={"color": "rgba(110,110,110,0.22)", "width": 1, "dashes": [4, 4], "arrows": ""},
    ),
    EdgeKind(
        "introduces", "paper u introduces method v (method view)", "introduces (method view)",
        influence=False, between_papers=False,
        style={"color": "#2a9d8f", "width": 1.5, "dashes": False, "arrows": "to"},
    ),
    EdgeKind(
        "uses", "paper v uses method u (method view)", "uses (method view)",
        influence=False, between_papers=False,
        style={"color": "#8d6cab", "width": 1, "dashes": [2, 3], "arrows": "to"},
    ),
)
_BY_NAME = {k.name: k for k in KINDS}

#: The names as constants, so code that computes one kind never spells it again.
CITES, MENTIONS, SHARES_METHOD, INTRODUCES, USES = (k.name for k in KINDS)
_OTHER_STYLE = {"color": "#666666", "width": 1, "dashes": False, "arrows": "to", "label": ""}

#: Every kind, in order of preference when several join the same two papers.
EDGE_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS)
INFLUENCE_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.influence)
UNDIRECTED_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if not k.directed)
TIME_ORDERING_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.orders_time)
PAPER_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.between_papers)
#: Kinds whose edges carry :data:`CONFIRMED` (a ``mentions`` edge a ``cites`` edge backs).
CONFIRMABLE_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.confirmed_by)
#: The boolean edge attribute of a confirmable kind: True when an edge of its `confirmed_by` kind joins the same (u, v).
CONFIRMED = "confirmed"


def kind(name: str) -> EdgeKind:
    """The registry entry of `name`.

    Raises:
        KeyError: `name` is not a known edge kind.
    """
    return _BY_NAME[name]


def style(name: str, confirmed: bool | None = None) -> dict:
    """The page style of a kind (an unknown kind gets a neutral grey), legend label included.

    ``confirmed=False`` gives a confirmable kind its text-only look; other kinds ignore it.

    >>> style("mentions")["dashes"], style("mentions", confirmed=False)["dashes"]
    (False, [7, 5])
    """
    entry = _BY_NAME.get(name)
    if entry is None:
        return dict(_OTHER_STYLE)
    text_only = entry.text_only_style if confirmed is False and entry.confirmed_by else {}
    return {**entry.style, **text_only, "label": entry.label}


def join_list(values) -> str:
    """A list attribute as one GraphML string.

    >>> join_list(["GaLore", "LoRA"])
    'GaLore; LoRA'
    """
    return LIST_SEPARATOR.join(values)


def split_list(text: str) -> list[str]:
    """The inverse of :func:`join_list`; an empty string is an empty list.

    >>> split_list("GaLore; LoRA"), split_list("")
    (['GaLore', 'LoRA'], [])
    """
    return [part for part in str(text).split(LIST_SEPARATOR) if part]
