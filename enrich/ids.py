"""Paper identifiers: arXiv (old and new style, versions, abs/pdf URLs, DataCite DOIs), DOI,
Semantic Scholar and OpenAlex, parsed in one place with one set of rules.

Why one module: the same arXiv ID arrives as ``2403.03507``, ``arXiv:2403.03507v2``,
``https://arxiv.org/pdf/2403.03507v1.pdf`` or ``10.48550/arXiv.2403.03507``; every comparison
must turn all of them into the same key, or a citation or a merge is missed.

Canonical forms: an arXiv ID without version, old-style archive in lower case with its subject
class as arXiv writes it (``math.GT/0309136``); a DOI in lower case without resolver prefix; an
OpenAlex work as ``W123``.

>>> [normalise_arxiv(s) for s in ("arXiv:2403.03507v2", "https://arxiv.org/pdf/2403.03507v1.pdf", "10.48550/arXiv.2403.03507")]
['2403.03507', '2403.03507', '2403.03507']
>>> normalise_arxiv("Astro-Ph/0601001v3"), normalise_arxiv("2413.00001"), normalise_arxiv("12345")
('astro-ph/0601001', None, None)
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

__all__ = [
    "PaperIds",
    "arxiv_doi",
    "arxiv_from_doi",
    "arxiv_month",
    "find_arxiv_ids",
    "find_paper_ids",
    "is_requestable_arxiv_id",
    "normalise_arxiv",
    "normalise_doi",
    "normalise_openalex",
    "split_version",
]

#: new style ``2104.12255`` (4 digits after the dot until 2014-12, 5 since) or old
#: ``astro-ph/0601001`` with an optional subject class (``math.GT/0309136``).
_NEW = r"\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}"
_OLD = r"[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7}"
_ID = re.compile(rf"^(?P<id>{_NEW}|{_OLD})(?:v(?P<v>\d+))?$", re.IGNORECASE)
#: What may be sent in an ``id_list``: the shape of an ID, month unchecked (arXiv itself answers
#: for an impossible one; one malformed id, though, turns the whole batch into an error feed).
_REQUESTABLE = re.compile(rf"^(?:\d{{4}}\.\d{{4,5}}|{_OLD})(?:v\d+)?$", re.IGNORECASE)
_PREFIX = re.compile(
    r"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\."
    r"|(?:https?://)?(?:www\.)?(?:huggingface|hf)\.co/papers/)",
    re.IGNORECASE,
)
_VERSION = re.compile(r"^(?P<id>.+?)(?:v(?P<v>\d+))?$")
#: In free text an ID counts only with an arXiv cue: a bare '2401.12345' can be a number in a table.
_IN_TEXT = re.compile(rf"(?:arxiv(?:\.org/(?:abs|pdf)/|:\s*|\s+))({_NEW}|{_OLD})(?:v\d+)?", re.IGNORECASE)
#: A Hugging Face paper page is keyed by the paper's arXiv ID.
_HF_PAPER = re.compile(rf"(?:huggingface|hf)\.co/papers/({_NEW}|{_OLD})(?:v\d+)?", re.IGNORECASE)
#: A DOI in running text; what may end one is trimmed by `_trim_doi` (a DOI can hold parentheses).
_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>\[\]{}|\\^`]+")
#: What each of `_IN_TEXT`, `_HF_PAPER` and `_DOI_IN_TEXT` must contain, with their case rules.
_ID_CUE = re.compile(r"arxiv|\.co/papers/|10\.", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)
_OPENALEX = re.compile(r"^(?:https?://openalex\.org/)?(?P<id>W\d+)$", re.IGNORECASE)
_S2 = re.compile(r"^[0-9a-f]{40}$")


def split_version(arxiv_id: str) -> tuple[str, int | None]:
    """``("2104.12255", 1)`` for ``2104.12255v1``; ``(id, None)`` without a version.

    >>> split_version("2104.12255v1"), split_version("astro-ph/0601001")
    (('2104.12255', 1), ('astro-ph/0601001', None))
    """
    m = _VERSION.match(arxiv_id.strip())
    assert m is not None  # the pattern matches any non-empty string
    return m["id"], int(m["v"]) if m["v"] else None


def is_requestable_arxiv_id(text: str) -> bool:
    """True for a bare arXiv ID shape (version allowed) that arXiv's ``id_list`` accepts.

    >>> is_requestable_arxiv_id("0000.0000"), is_requestable_arxiv_id("arXiv:2403.03507"), is_requestable_arxiv_id("abc")
    (True, False, False)
    """
    return bool(_REQUESTABLE.match(text))


def _canonical(bare: str) -> str:
    if "/" not in bare:
        return bare
    archive, number = bare.split("/", 1)
    name, _, subject = archive.partition(".")
    return f"{name.lower()}.{subject.upper()}/{number}" if subject else f"{name.lower()}/{number}"


def normalise_arxiv(text: str | None) -> str | None:
    """The canonical arXiv ID in `text` (an ID, ``arXiv:`` form, abs/pdf URL or DataCite DOI), or None."""
    if not text:
        return None
    value = _PREFIX.sub("", text.strip())
    if value.lower().endswith(".pdf"):
        value = value[:-4]
    match = _ID.match(value)
    return _canonical(match["id"]) if match else None


def find_arxiv_ids(text: str) -> list[tuple[str, int, int]]:
    """Every arXiv ID written in `text` with a cue, canonical, with its span, in order.

    >>> [i for i, _, _ in find_arxiv_ids("see arXiv:2403.03507v2 and https://arxiv.org/abs/hep-th/9901001")]
    ['2403.03507', 'hep-th/9901001']
    """
    return [(_canonical(m.group(1)), m.start(), m.end()) for m in _IN_TEXT.finditer(text)]


def _trim_doi(doi: str) -> str:
    """A DOI as written in text, without the punctuation that ends the sentence or the link around it."""
    while doi and (doi[-1] in ".,;:!?*_" or (doi[-1] == ")" and doi.count("(") < doi.count(")"))):
        doi = doi[:-1]
    return doi


def find_paper_ids(text: str) -> list[tuple[PaperIds, int, int]]:
    """Every paper identifier written in `text` with a cue, with its span, in order: arXiv IDs
    (``arXiv:``, abs/pdf links), Hugging Face paper links, DOIs (an arXiv DataCite DOI gives the
    arXiv ID too). Bare numbers like ``2403.03507`` are not taken: in text they can be anything.

    >>> [(i.keys(), s) for i, s, _ in find_paper_ids("huggingface.co/papers/2403.03507, see doi:10.1000/x1(2).")]
    [(['arxiv:2403.03507'], 0), (['doi:10.1000/x1(2)'], 42)]
    """
    found: list[tuple[PaperIds, int, int]] = []
    if not _ID_CUE.search(text):  # none of the three patterns can match: skip them (format detection asks per line)
        return found
    for arxiv_id, start, end in find_arxiv_ids(text):
        found.append((PaperIds(arxiv=arxiv_id), start, end))
    for match in _HF_PAPER.finditer(text):
        found.append((PaperIds(arxiv=_canonical(match.group(1))), match.start(), match.end()))
    for match in _DOI_IN_TEXT.finditer(text):
        doi = _trim_doi(match.group(0))
        ids = PaperIds.of(doi=doi)
        if ids.doi:
            found.append((ids, match.start(), match.start() + len(doi)))
    found.sort(key=lambda f: (f[1], -f[2]))
    kept: list[tuple[PaperIds, int, int]] = []
    for item in found:  # an arXiv link inside a DOI link (or the reverse) is one identifier
        if not kept or item[1] >= kept[-1][2]:
            kept.append(item)
    return kept


def arxiv_month(arxiv_id: str) -> dt.date | None:
    """The first day of the month a new-style arXiv ID was issued in.

    >>> arxiv_month("2403.03507"), arxiv_month("hep-th/9901001")
    (datetime.date(2024, 3, 1), None)
    """
    match = re.match(r"^(\d{2})(\d{2})\.\d{4,5}$", arxiv_id)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return dt.date(2000 + int(match.group(1)), int(match.group(2)), 1)


def normalise_doi(text: str | None) -> str | None:
    """A DOI in lower case without resolver prefix, or None when `text` is not one.

    >>> normalise_doi("https://doi.org/10.48550/arXiv.2403.03507"), normalise_doi("not a doi")
    ('10.48550/arxiv.2403.03507', None)
    """
    if not text:
        return None
    value = _DOI_PREFIX.sub("", text.strip()).lower()
    return value if _DOI.match(value) else None


def arxiv_doi(arxiv_id: str) -> str:
    """The DataCite DOI arXiv registers for an ID (lower case, as :func:`normalise_doi` gives)."""
    return f"10.48550/arxiv.{(normalise_arxiv(arxiv_id) or arxiv_id).lower()}"


def arxiv_from_doi(doi: str | None) -> str | None:
    """The arXiv ID behind a DataCite arXiv DOI, else None."""
    match = _ARXIV_DOI.match(normalise_doi(doi) or "")
    return normalise_arxiv(match["id"]) if match else None


def normalise_openalex(text: str | None) -> str | None:
    """``W123`` from ``W123`` or ``https://openalex.org/W123``, else None."""
    match = _OPENALEX.match((text or "").strip())
    return match["id"].upper() if match else None


class PaperIds(BaseModel):
    """Every identifier known for one paper; two records match when any of them agree."""

    model_config = ConfigDict(frozen=True)

    arxiv: str | None = None
    """Canonical arXiv ID, no version."""
    doi: str | None = None
    """Lower-case DOI (an arXiv paper's DataCite DOI counts as its arXiv ID too)."""
    semantic_scholar: str | None = None
    """Semantic Scholar ``paperId`` (40 hex characters)."""
    openalex: str | None = None
    """OpenAlex work, ``W123``."""

    @classmethod
    def of(cls, arxiv: str | None = None, doi: str | None = None, semantic_scholar: str | None = None,
           openalex: str | None = None) -> PaperIds:
        """Parse whatever was given; what does not parse is left out.

        >>> PaperIds.of(doi="https://doi.org/10.48550/arXiv.2403.03507").keys()
        ['arxiv:2403.03507', 'doi:10.48550/arxiv.2403.03507']
        """
        doi_value = normalise_doi(doi)
        s2 = semantic_scholar if semantic_scholar and _S2.match(semantic_scholar) else None
        return cls(arxiv=normalise_arxiv(arxiv) or arxiv_from_doi(doi_value), doi=doi_value,
                   semantic_scholar=s2, openalex=normalise_openalex(openalex))

    def keys(self) -> list[str]:
        """``scheme:value`` for every id, strongest first (the first is the paper's identity)."""
        pairs = (("arxiv", self.arxiv), ("doi", self.doi), ("s2", self.semantic_scholar), ("openalex", self.openalex))
        return [f"{scheme}:{value}" for scheme, value in pairs if value]

    def matches(self, other: PaperIds) -> bool:
        """True when the two records share any identifier."""
        return bool(set(self.keys()) & set(other.keys()))
