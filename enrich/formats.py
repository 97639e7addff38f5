"""Which input format a file is, read from its content (a suffix can lie, and pasted lists
rarely have one), and the parser for it.

The order of the questions is what keeps one format from swallowing another:

1. BibTeX entries and Markdown paper links are unmistakable; when a file has both (a README
   with a citation block), whichever names more papers wins.
2. A Daily Papers page's furniture (its chrome lines, '• N authors', dates) makes a listing,
   whatever identifiers its abstracts mention.
3. Lines naming arXiv IDs, DOIs or Hugging Face paper links make an identifier list, unless
   title-and-abstract paragraphs without any identifier outnumber them (a listing copied
   without its page furniture, an abstract citing an arXiv ID).
4. Otherwise the listing parser decides.

When the likeliest reading finds no paper, the next one with a signal is tried; a file no
reading finds a paper in is rejected with the likeliest reading's line, reason and problems.
"""

from __future__ import annotations

from collections.abc import Callable

from paperlineage.enrich.bibtex import count_entries, parse_bibtex
from paperlineage.enrich.errors import NoPapers
from paperlineage.enrich.idlist import count_id_lines, line_ids, parse_idlist
from paperlineage.enrich.listing import MAX_TITLE_CHARS, decode_listing, has_listing_furniture, parse_listing
from paperlineage.enrich.markdown import count_paper_links, parse_markdown
from paperlineage.enrich.models import ListingEntry, Problem

Parser = Callable[[bytes, str], tuple[list[ListingEntry], list[Problem]]]
PARSERS: dict[str, Parser] = {
    "listing": parse_listing,
    "bibtex": parse_bibtex,
    "markdown": parse_markdown,
    "ids": parse_idlist,
}
ACCEPTED = "a Hugging Face Daily Papers listing, BibTeX, a Markdown list of paper links, or arXiv IDs/DOIs/paper URLs"
_ABSTRACT_WORDS = 20  # an abstract runs far longer; a note next to an identifier rarely does


def _listing_pairs(text: str) -> int:
    """Title-like paragraphs followed by an abstract-like one that names no identifier."""
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return sum(
        1 for title, abstract in zip(paragraphs, paragraphs[1:])
        if len(title) <= MAX_TITLE_CHARS and len(abstract.split()) >= _ABSTRACT_WORDS and not line_ids(abstract)
    )


def candidates(text: str) -> list[str]:
    """The formats `text` may be, likeliest first; ``listing`` always comes last or first.

    A stray ``@article{`` line in a list of IDs makes BibTeX the likeliest reading, but when
    the BibTeX parser finds no paper the IDs are still read: every reading with a signal is
    tried in turn.
    """
    entries, links, id_lines = count_entries(text), count_paper_links(text), count_id_lines(text)
    order: list[str] = []
    if entries or links:
        order.append("bibtex" if entries >= links else "markdown")
    elif has_listing_furniture(text):
        order.append("listing")
    elif id_lines and id_lines >= _listing_pairs(text):
        order.append("ids")
    else:
        order.append("listing")
    for name, signal in (("bibtex", entries), ("markdown", links), ("ids", id_lines)):
        if signal and name not in order:
            order.append(name)
    return order if "listing" in order else [*order, "listing"]


def detect(text: str) -> str:
    """The name of the likeliest format in `PARSERS` for `text` (``listing`` when nothing else fits).

    >>> detect("2403.03507\\nhttps://huggingface.co/papers/2401.00001\\n"), detect("@misc{k, title={T}}")
    ('ids', 'bibtex')
    >>> detect("- [GaLore](https://arxiv.org/abs/2403.03507)"), detect("Title\\n\\n" + "word " * 30)
    ('markdown', 'listing')
    """
    return candidates(text)[0]


def parse_input(data: bytes, path: str) -> tuple[str, list[ListingEntry], list[Problem]]:
    """Detect the format of one file and parse it.

    Returns:
        The format's name, the entries and the problems.

    Raises:
        ListingError: the file is not text (empty, binary, not UTF-8), or holds no paper in
        any accepted format (`NoPapers`: the likeliest reading's reason and problems).
    """
    first: NoPapers | None = None
    for name in candidates(decode_listing(data, path)):
        try:
            entries, problems = PARSERS[name](data, path)
        except NoPapers as exc:
            first = first or exc
            continue
        return name, entries, problems
    assert first is not None  # every candidate raised
    raise NoPapers(first.path, first.line, f"{first.message}; accepted: {ACCEPTED}", first.problems) from None
