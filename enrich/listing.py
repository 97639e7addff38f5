"""Parse one Hugging Face "Daily Papers" listing dump into entries and problems.

The dumps are the text a browser copies from https://huggingface.co/papers. Two
shapes occur: blocks of title + abstract, and the same blocks followed by a
metadata paragraph::

    FRUGAL: Memory-Efficient Optimization ...      <- title (one line)
                                                   
    With the increase in the number of ...         <- abstract (one paragraph)
                                                   
      • 4 authors                                  <- or an organisation line
    ·
    Nov 12, 2024                                   <- 'Aug 1' when the year is omitted,
                                                      optionally followed by upvotes

The parser is pure (``bytes -> (entries, problems)``, as ``arxiv/_feed.py``):
every paragraph ends up as part of an entry or as a `Problem` with its line, and
only a file that is not a listing at all raises `ListingError`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from paperlineage.enrich.errors import ListingError, NoPapers
from paperlineage.enrich.models import ListingEntry, Problem, SourceLocation, snippet

# Page furniture copied along with the papers; never a paper.
CHROME = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "trending papers",
    }
)
MAX_TITLE_CHARS = 300  # the longest seed title is ~200 characters; abstracts are far longer
MAX_ORG_CHARS = 120
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_DATE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2})(?:, (\d{4}))?(?: (\d+))?$")
_AUTHORS = re.compile(r"^•\s*(\d+)\s+authors?$")
_SEPARATOR = frozenset({"·", "•"})
_SENTENCE_ENDS = (".", "!", "?", ")", "]", '"', "”", "'")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")  # C0 controls but tab, LF, VT, FF, CR
_TRAILING_URL = re.compile(r"(?:https?://|www\.|github\.com/)\S+$")

Kind = Literal["text", "chrome", "authors", "sep", "date"]


@dataclass(frozen=True)
class _Token:
    kind: Kind
    line: int
    text: str


def _cut_mid_character(data: bytes) -> int | None:
    """Where the last character starts when the file ends inside it (a multi-byte UTF-8
    character cut off), else None."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data) - bom:
            return bom + exc.start
    return None


def decode_listing(data: bytes, path: str) -> str:
    """Return the text of a listing, or raise `ListingError` naming the line at fault.

    A file cut off inside its last multi-byte character (a download or copy that stopped) keeps
    everything before that character; :func:`parse_listing` warns about it.
    """
    cut = _cut_mid_character(data)
    if cut is not None:
        data = data[:cut]
    if not data.strip():
        raise ListingError(path, 1, "empty file: no paper listing in it")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ListingError(path, 1, "UTF-16 text (byte-order mark); save the listing as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ListingError(path, line, "binary data (NUL byte): not a text listing")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ListingError(
            path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); save the listing as UTF-8"
        ) from None
    controls = len(_CONTROLS.findall(text))  # one regex pass: a Python loop per character took 20 s at 100k papers
    if controls > max(8, len(text) // 100):
        raise ListingError(path, 1, "binary data (control characters): not a text listing")
    return text


def _tokenise(text: str) -> list[_Token]:
    """Classify lines; consecutive plain-text lines (no blank between) form one paragraph."""
    tokens: list[_Token] = []
    previous_blank = True
    for number, raw in enumerate(text.splitlines(), 1):
        line = " ".join(raw.split())
        if not line:
            previous_blank = True
            continue
        if line.casefold() in CHROME:
            kind: Kind = "chrome"
        elif line in _SEPARATOR:
            kind = "sep"
        elif _AUTHORS.match(line):
            kind = "authors"
        elif _DATE.match(line):
            kind = "date"
        else:
            kind = "text"
        if kind == "text" and not previous_blank and tokens and tokens[-1].kind == "text":
            last = tokens[-1]
            tokens[-1] = _Token("text", last.line, f"{last.text} {line}")
        else:
            tokens.append(_Token(kind, number, line))
        previous_blank = False
    return tokens


def _parse_date(token: _Token, path: str, problems: list[Problem]) -> tuple[str, dt.date | None, int | None]:
    match = _DATE.match(token.text)
    assert match is not None  # only called on 'date' tokens
    month, day, year, upvotes = match.groups()
    written = f"{month} {day}" + (f", {year}" if year else "")
    parsed = None
    if year:
        try:
            parsed = dt.date(int(year), _MONTHS[month], int(day))
        except ValueError:
            problems.append(Problem(file=path, line=token.line, kind="warning", reason="impossible date kept as text", text=written))
    return written, parsed, int(upvotes) if upvotes else None


def has_listing_furniture(text: str) -> bool:
    """True when the text carries what only a Daily Papers page shows: its chrome lines, an
    '• N authors' line or a date line. The format detector trusts this over everything else."""
    return any(token.kind in ("chrome", "authors", "date") for token in _tokenise(text))


def yearless_month_day(date_text: str) -> tuple[int, int] | None:
    """Month and day of a date written without its year, as listings often do.

    >>> yearless_month_day("Jun 16"), yearless_month_day("Jun 16, 2024"), yearless_month_day("soon")
    ((6, 16), None, None)
    """
    match = _DATE.match(date_text)
    if not match or match.group(3):
        return None
    return _MONTHS[match.group(1)], int(match.group(2))


def _title_like(text: str) -> bool:
    """Short and not ending a sentence, as titles are; abstracts end with a full stop or run long."""
    return len(text) <= MAX_TITLE_CHARS and not text.endswith((".", "!", "?"))


def parse_listing(data: bytes, path: str) -> tuple[list[ListingEntry], list[Problem]]:
    """Parse a listing dump.

    Returns:
        The paper entries in file order and the problems (skipped blocks with reasons).

    Raises:
        ListingError: the file is empty, binary, not UTF-8, or holds no paper at all.
    """
    tokens = _tokenise(decode_listing(data, path))
    entries: list[ListingEntry] = []
    problems: list[Problem] = []
    if _cut_mid_character(data) is not None:
        problems.append(Problem(
            file=path, line=data.count(b"\n") + 1, kind="warning",
            reason="the file ends inside a UTF-8 character: is it truncated? (the cut character was dropped)",
        ))

    def skip(token: _Token, reason: str, kind: Literal["skipped", "error", "warning"] = "skipped") -> None:
        problems.append(Problem(file=path, line=token.line, kind=kind, reason=reason, text=snippet(token.text)))

    page_date: dt.date | None = None  # the Daily Papers day the page shows, when it writes the year
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "chrome":
            skip(token, "page chrome")
            i += 1
            continue
        if token.kind == "date" and not entries:
            skip(token, "page date")
            page_date = _parse_date(token, path, problems)[1]
            i += 1
            continue
        if token.kind != "text":
            skip(token, "metadata line with no paper before it")
            i += 1
            continue
        if len(token.text) > MAX_TITLE_CHARS:
            skip(token, "text paragraph without a title (too long to be one)")
            i += 1
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is None:
            skip(token, "title with no abstract at the end of the file: is the file truncated?", "error")
            i += 1
            continue
        if after.kind != "text":
            skip(token, "title with no abstract")
            i += 1
            continue
        following = tokens[i + 2] if i + 2 < len(tokens) else None
        if _title_like(after.text) and following is not None and following.kind == "text" and not _title_like(following.text):
            # Title, title, abstract: the first title lost its abstract.
            skip(token, "title with no abstract")
            i += 1
            continue
        i += 2
        authors = organization = None
        date_text = date = upvotes = None
        meta_start = tokens[i] if i < len(tokens) else None
        if i < len(tokens) and tokens[i].kind == "authors":
            authors = int(_AUTHORS.match(tokens[i].text).group(1))  # type: ignore[union-attr]
            i += 1
        elif (
            i + 1 < len(tokens)
            and tokens[i].kind == "text"
            and tokens[i + 1].kind == "sep"
            and len(tokens[i].text) <= MAX_ORG_CHARS
        ):
            organization = tokens[i].text
            i += 1
        if i < len(tokens) and tokens[i].kind == "sep":
            i += 1
        if i < len(tokens) and tokens[i].kind == "date":
            date_text, date, upvotes = _parse_date(tokens[i], path, problems)
            i += 1
        elif (authors is not None or organization is not None) and meta_start is not None:
            skip(meta_start, "metadata without a date: is the file truncated?", "warning")
        entries.append(
            ListingEntry(
                title=token.text,
                abstract=after.text,
                authors=authors,
                organization=organization,
                date_text=date_text,
                date=date,
                upvotes=upvotes,
                page_date=page_date,
                location=SourceLocation(file=path, line=token.line),
            )
        )
    if not entries:
        line = tokens[0].line if tokens else 1
        raise NoPapers(path, line, "no paper blocks found: not a Hugging Face Daily Papers listing")
    last = entries[-1]
    if last.date_text is None and _cut_off(last.abstract):
        problems.append(
            Problem(
                file=path, line=last.location.line, kind="warning",
                reason="the last abstract stops mid-sentence: is the file truncated? (paper kept as it is)",
                text=snippet(last.title),
            )
        )
    return entries, problems


def _cut_off(abstract: str) -> bool:
    """An abstract that ends neither a sentence nor with a link (abstracts often end 'Code: URL')."""
    return not abstract.endswith(_SENTENCE_ENDS) and not _TRAILING_URL.search(abstract)
