"""Parse a BibTeX file (through bibtexparser) into entries and problems.

An entry gives a paper when it has a title or an identifier:

- arXiv: ``eprint`` (with ``archivePrefix``/``eprinttype`` arXiv, or none written and the
  eprint shaped like an arXiv ID), an arXiv ``doi`` or ``url``, or Google Scholar's
  ``journal = {arXiv preprint arXiv:2403.03507}``;
- ``doi`` (also a doi.org ``url``);
- ``title`` and ``abstract``, LaTeX turned into text (``{LLM}``, ``Nystr{\\"o}m``).

An entry with neither (``@article{junk}``, one with only an author) is reported, never a
paper; so is each block bibtexparser could not parse (with its line and bibtexparser's reason),
and text outside any entry. ``@string``, ``@preamble``, ``@comment`` and ``%`` lines are not papers.
bibtexparser v2 is used for what v1 lacks: line numbers and the failed blocks with their reasons.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ImplicitComment, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from paperlineage.enrich.errors import ListingError, NoPapers
from paperlineage.enrich.ids import PaperIds, find_paper_ids, normalise_arxiv, normalise_doi
from paperlineage.enrich.listing import decode_listing
from paperlineage.enrich.models import ListingEntry, Problem, SourceLocation, snippet

# bibtexparser logs each failed block; we report each with its file and line instead (a
# NullHandler, or Python's last-resort handler would still print them).
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

#: An entry start at the beginning of a line (the format detector counts these).
ENTRY_START = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_NOT_PAPERS = frozenset({"string", "preamble", "comment"})
_LATEX = LatexNodes2Text(math_mode="verbatim", keep_comments=False)


def latex_text(value: str) -> str:
    """A BibTeX field as plain text: braces, accents and escapes resolved, whitespace collapsed.

    >>> latex_text(r"Nystr{\\"o}m-{LoRA}: Low-Rank \\& Fast")
    'Nyström-LoRA: Low-Rank & Fast'
    """
    try:
        text = _LATEX.latex_to_text(value)
    except Exception:  # pylatexenc on hostile input: fall back to dropping the braces
        text = value.replace("{", "").replace("}", "")
    return " ".join(text.split())


def _field(entry: Entry, *names: str) -> str:
    """The first of `names` the entry has (BibTeX field names are case-insensitive)."""
    fields = {key.casefold(): field for key, field in entry.fields_dict.items()}
    for name in names:
        field = fields.get(name)
        if field is not None and isinstance(field.value, str) and field.value.strip():
            return field.value.strip()
    return ""


def _ids(entry: Entry, warn) -> PaperIds:
    """The entry's arXiv ID and DOI, from whichever fields carry them; a malformed one is warned about."""
    arxiv = doi = None
    eprint = _field(entry, "eprint")
    prefix = _field(entry, "archiveprefix", "eprinttype").casefold()
    if eprint and prefix in ("", "arxiv"):
        arxiv = normalise_arxiv(eprint)
        if arxiv is None and prefix == "arxiv":
            warn(f"eprint {eprint[:40]!r} is not an arXiv ID; ignored")
    written_doi = _field(entry, "doi")
    if written_doi:
        doi = normalise_doi(written_doi)
        if doi is None:
            warn(f"doi {written_doi[:40]!r} is not a DOI; ignored")
    for name in ("url", "journal", "note", "howpublished"):  # Google Scholar: journal = {arXiv preprint arXiv:...}
        for ids, _, _ in find_paper_ids(_field(entry, name)):
            arxiv, doi = arxiv or ids.arxiv, doi or ids.doi
    return PaperIds.of(arxiv=arxiv, doi=doi)


def count_entries(text: str) -> int:
    """How many lines start a BibTeX entry (the format detector weighs this)."""
    return len(ENTRY_START.findall(text))


def parse_bibtex(data: bytes, path: str) -> tuple[list[ListingEntry], list[Problem]]:
    """Parse a BibTeX file.

    Returns:
        The paper entries in file order and the problems: malformed blocks and entries that
        are not papers (``error``/``skipped``), ignored malformed fields (``warning``).

    Raises:
        ListingError: not UTF-8 text, or bibtexparser itself failed; `NoPapers` when no entry is a paper.
    """
    text = decode_listing(data, path)
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises on states it calls its own bugs
        raise ListingError(path, 1, f"BibTeX could not be parsed ({type(exc).__name__}: {snippet(str(exc))})") from None
    entries: list[ListingEntry] = []
    problems: list[Problem] = []
    cursor = 0
    for block in library.blocks:
        # bibtexparser's own line numbers drift (a line ending in a backslash is not counted),
        # so each block is found in the text by its raw source, which is a slice of it.
        found = text.find(block.raw, cursor) if block.raw else -1
        if found >= 0:
            line, cursor = text.count("\n", 0, found) + 1, found + len(block.raw)
        else:
            line = (block.start_line or 0) + 1  # counted from 0

        def report(reason: str, kind: str = "skipped", block=block, line=line) -> None:
            problems.append(Problem(file=path, line=line, kind=kind, reason=reason, text=snippet(block.raw or "")))

        if isinstance(block, DuplicateBlockKeyBlock):
            report(f"duplicate BibTeX key {block.key!r}; the entry is read anyway", "warning")
            block = block.ignore_error_block
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or type(block.error).__name__
            report(f"malformed BibTeX entry: {' '.join(reason.split())[:200]}", "error")
            continue
        if isinstance(block, ImplicitComment):
            if any(s.strip() and not s.lstrip().startswith("%") for s in block.comment.splitlines()):
                report("text outside any BibTeX entry")
            continue
        if not isinstance(block, Entry) or block.entry_type.casefold() in _NOT_PAPERS:
            continue
        ids = _ids(block, lambda reason, report=report: report(reason, "warning"))
        title = latex_text(_field(block, "title"))
        if not re.search(r"\w", title):
            title = ""
        if not title and not ids.keys():
            report(f"@{block.entry_type}{{{block.key}}} has neither a title nor an arXiv ID or DOI: not a paper")
            continue
        entries.append(ListingEntry(
            title=title, abstract=latex_text(_field(block, "abstract")), ids=ids,
            location=SourceLocation(file=path, line=line),
        ))
    if not entries:
        raise NoPapers(path, problems[0].line if problems else 1, "no BibTeX entry with a title, arXiv ID or DOI", problems)
    return entries, problems
