"""Parse a text of paper identifiers: arXiv IDs and links, DOIs, Hugging Face paper links.

Two shapes occur and both are read::

    2403.03507                                  <- one identifier per line, bare IDs allowed
    arXiv:2401.00001v2, 10.1145/3442188.3445922
    - https://huggingface.co/papers/2403.03507  (bullets, numbering, trailing '# notes')

    Worth reading: GaLore (arXiv:2403.03507),   <- identifiers anywhere in running text
    see https://doi.org/10.1000/xyz123.

A bare ``2403.03507`` counts only on a line made of identifiers alone: in running text a
number like that can be anything (``ids.find_paper_ids`` wants a cue there). Every identifier
becomes an ID-only entry (no title, no abstract): the text around an identifier is not
reliably its title. A paragraph holding no identifier is reported, never a paper. Lines that
start with ``#`` are comments.

The parser is pure (``bytes -> (entries, problems)``), like :mod:`.listing`.
"""

from __future__ import annotations

import re

from paperlineage.enrich.errors import NoPapers
from paperlineage.enrich.ids import PaperIds, find_paper_ids, normalise_arxiv
from paperlineage.enrich.listing import decode_listing
from paperlineage.enrich.models import ListingEntry, Problem, SourceLocation, snippet

_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,4}[.)])\s+")
_SEPARATORS = re.compile(r"[\s,;|]+")


def bare_ids(line: str) -> list[PaperIds]:
    """The arXiv IDs of a line made only of bare IDs (after a bullet, before a ``#`` comment), else [].

    >>> [i.arxiv for i in bare_ids("- 2403.03507v2, hep-th/9901001  # GaLore and an old one")]
    ['2403.03507', 'hep-th/9901001']
    >>> bare_ids("Table 2403.03507 shows")
    []
    """
    body = _BULLET.sub("", line.split(" #", 1)[0]).strip()
    head = _SEPARATORS.split(body, maxsplit=2)  # a leading separator run leaves one empty part first
    first = head[0] or (head[1] if len(head) > 1 else "")
    if not first or normalise_arxiv(first) is None:  # prose fails on its first word: split no further
        return []
    tokens = [t for t in _SEPARATORS.split(body) if t]
    found = []
    for token in tokens:  # stop at the first word that is not an ID: prose lines fail on their first word
        arxiv = normalise_arxiv(token)
        if arxiv is None:
            return []
        found.append(PaperIds(arxiv=arxiv))
    return found


def line_ids(line: str) -> list[PaperIds]:
    """Every identifier on one line: bare IDs when the line is only IDs, else the cued ones."""
    return bare_ids(line) or [ids for ids, _, _ in find_paper_ids(line)]


def count_id_lines(text: str) -> int:
    """How many lines name at least one identifier (the format detector weighs this)."""
    return sum(1 for line in text.splitlines() if not line.lstrip().startswith("#") and line_ids(line))


def parse_idlist(data: bytes, path: str) -> tuple[list[ListingEntry], list[Problem]]:
    """Parse a text of identifiers.

    Returns:
        One ID-only entry per identifier (file order; repeats are merged later by ingest) and
        a problem for each paragraph that holds no identifier.

    Raises:
        ListingError: the file is empty, binary or not UTF-8; `NoPapers` when no line has an identifier.
    """
    entries: list[ListingEntry] = []
    problems: list[Problem] = []
    paragraph: list[tuple[int, str]] = []
    paragraph_found = False

    def close() -> None:
        if paragraph and not paragraph_found:
            number, first = paragraph[0]
            problems.append(Problem(
                file=path, line=number, kind="skipped",
                reason="no arXiv ID, DOI or Hugging Face paper link in this paragraph", text=snippet(first),
            ))

    for number, raw in enumerate(decode_listing(data, path).splitlines(), 1):
        if not raw.strip():
            close()
            paragraph, paragraph_found = [], False
            continue
        if raw.lstrip().startswith("#"):
            continue
        paragraph.append((number, raw))
        for ids in line_ids(raw):
            paragraph_found = True
            entries.append(ListingEntry(title="", ids=ids, location=SourceLocation(file=path, line=number)))
    close()
    if not entries:
        raise NoPapers(path, problems[0].line if problems else 1, "no arXiv ID, DOI or Hugging Face paper link in the file", problems)
    return entries, problems
