"""Parse a Markdown list of paper links, as awesome-lists and reading lists write them::

    ## Optimizers                                           <- headings, prose: structure, ignored
    - [GaLore: Memory-Efficient LLM Training](https://arxiv.org/abs/2403.03507)
    - **FRUGAL: Memory-Efficient Optimization** [[paper](https://arxiv.org/pdf/2412.07752)] [[code](https://github.com/x/y)]
    | [Fira](https://huggingface.co/papers/2410.01623) | 2024 |   <- table rows too
    - [A blog post](https://example.com/post)                 <- a list item linking no paper: reported

A link whose URL names a paper (arXiv abs/pdf, Hugging Face papers, doi.org, an arXiv DOI)
gives the paper's identifier; its link text is the title, unless the text is generic
(``paper``, ``pdf``, ``arXiv``, the identifier itself), when the line's bold text is, else the
entry is ID-only. An identifier written outside a link (``arXiv:2403.03507``) is read the same
way. Text in fenced code blocks is not read: a README's citation block is not its list.

The parser is pure (``bytes -> (entries, problems)``), like :mod:`.listing`.
"""

from __future__ import annotations

import re

from paperlineage.enrich.errors import NoPapers
from paperlineage.enrich.ids import PaperIds, find_paper_ids
from paperlineage.enrich.listing import decode_listing
from paperlineage.enrich.models import ListingEntry, Problem, SourceLocation, snippet

#: ``[text](url "title")``; the text may hold one level of brackets (``[GaLore [ICML'24]](...)``),
#: and an image (``![badge](...)``) is never a paper link.
LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
#: An image (a badge) counts as its alt text: ``[![arXiv](shields.io/...)](arxiv.org/abs/...)`` is a
#: paper link whose text says 'arXiv', and an image's own URL is never a paper.
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()\s]*\)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,4}[.)]|\|)\s*")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKUP = re.compile(r"[*_`\\]|<[^>]*>")
#: Link texts that name the kind of link, not the paper.
GENERIC = frozenset(
    "paper papers pdf arxiv abs abstract link here hf huggingface hugging face doi code project page "
    "website preprint html web site url openreview".split()
)


def _clean(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split()).strip(" -–—:")


def _generic(text: str) -> bool:
    """True for a link text that says what the link is rather than which paper ('[PDF]', 'arXiv:2403.03507')."""
    words = re.sub(r"[^\w\s]", " ", text.casefold()).split()
    if find_paper_ids(text) or re.fullmatch(r"[\d.v/\s]*", text):
        return True
    return not words or all(w in GENERIC for w in words)


def paper_links(line: str) -> list[tuple[PaperIds, str]]:
    """The (identifier, link text) of every link on `line` whose URL names a paper.

    >>> [(i.arxiv, t) for i, t in paper_links("- [GaLore](https://arxiv.org/abs/2403.03507v1) [code](https://github.com/a/b)")]
    [('2403.03507', 'GaLore')]
    """
    found = []
    for match in LINK.finditer(line):
        ids = find_paper_ids(match.group(2))
        if ids:
            found.append((ids[0][0], match.group(1)))
    return found


def _bold_title(line: str) -> str:
    match = _BOLD.search(LINK.sub("", line))
    return _clean(match.group(1) or match.group(2)) if match else ""


def count_paper_links(text: str) -> int:
    """Links to papers outside code fences (the format detector weighs this)."""
    return sum(len(paper_links(line)) for _, line in _lines_outside_fences(text))


def _lines_outside_fences(text: str) -> list[tuple[int, str]]:
    lines, fenced = [], False
    for number, raw in enumerate(text.splitlines(), 1):
        if _FENCE.match(raw):
            fenced = not fenced
        elif not fenced:
            lines.append((number, _IMAGE.sub(r"\1", raw)))
    return lines


def _line_entries(line: str) -> list[tuple[PaperIds, str]]:
    """One (ids, title) per distinct paper on a line; the title may be empty (ID-only)."""
    linked = paper_links(line)
    bare = [(ids, "") for ids, _, _ in find_paper_ids(LINK.sub(" ", line))]
    distinct: dict[str, tuple[PaperIds, str]] = {}
    for ids, text in linked + bare:  # [paper](arXiv) [hf](HF papers): one paper, the first link's text
        distinct.setdefault(ids.keys()[0], (ids, text))
    bold = _bold_title(line) if len(distinct) == 1 else ""  # the bold text names the line's only paper
    return [(ids, ("" if _generic(text) else _clean(text)) or bold) for ids, text in distinct.values()]


def parse_markdown(data: bytes, path: str) -> tuple[list[ListingEntry], list[Problem]]:
    """Parse a Markdown link list.

    Returns:
        One entry per paper link (file order), and a problem for each list item that links
        to something that is not a paper.

    Raises:
        ListingError: the file is empty, binary or not UTF-8; `NoPapers` when no line links a paper.
    """
    entries: list[ListingEntry] = []
    problems: list[Problem] = []
    for number, raw in _lines_outside_fences(decode_listing(data, path)):
        found = _line_entries(raw)
        for ids, title in found:
            entries.append(ListingEntry(title=title, ids=ids, location=SourceLocation(file=path, line=number)))
        if not found and _LIST_ITEM.match(raw) and LINK.search(raw):
            problems.append(Problem(
                file=path, line=number, kind="skipped",
                reason="list item links to no paper (arXiv, Hugging Face papers, DOI)", text=snippet(raw),
            ))
    if not entries:
        raise NoPapers(path, 1, "no link to a paper (arXiv, Hugging Face papers, DOI) in the Markdown", problems)
    return entries, problems
