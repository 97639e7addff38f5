"""BibTeX export: one ``@misc`` entry per paper node, for a reference manager (people cite what they read).

Each entry has what the graph knows: ``title``, ``year`` and ``month`` (from the date, when it
has a year), ``eprint`` with ``archivePrefix = {arXiv}`` for an arXiv ID, ``doi``, ``url`` (the
arXiv page, else the DOI's) and ``abstract``. The graph holds author counts, not names, so there
is no ``author`` field. A paper known only by its ID gets no title (its placeholder is not one):
read back, it is the same ID-only paper.

Citation keys are plain ASCII, the first word of the title and the year (``galore2024``); papers
that would share a key get ``a``, ``b``, ... in id order. Entries are sorted by key, so the bytes
depend only on the graph.

Text is escaped so that a LaTeX reader, and our own BibTeX input (`enrich.bibtex.latex_text`,
pylatexenc), gives the same text back: ``\\ { } % & # _ $ ~ ^`` are escaped, the ligatures
LaTeX would make (``--``, ````` ``, ``''``, ``!```, ``?```) are broken with ``{}``, control
characters become spaces, and other characters, non-ASCII ones included, stay as UTF-8.
bibtexparser (v2) lays the entries out; its default middleware would wrap the values in braces
without escaping them, so the values are written enclosed and escaped here, and the writer's
unparse stack is left empty.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import bibtexparser
import networkx as nx
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

__all__ = ["bibtex_text", "citation_keys", "generate_bibtex", "write_bibtex"]

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "$": r"\$",
    "~": r"\textasciitilde{}", "^": "{^}",
}
_LIGATURE_PAIRS = {("-", "-"), ("`", "`"), ("'", "'"), ("!", "`"), ("?", "`")}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISO = re.compile(r"^(\d{4})-(\d{2})-\d{2}$")
_WORD = re.compile(r"[a-z0-9]+")
_SKIPPED_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "towards", "toward"})


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def bibtex_text(text: str) -> str:
    r"""`text` escaped for a braced BibTeX value (see the module docstring).

    >>> bibtex_text(r"50% of {C++} & \o -- fast_net")
    '50\\% of \\{C++\\} \\& \\textbackslash{}o -{}- fast\\_net'
    """
    chars = [" " if _is_control(c) else c for c in " ".join(text.split())]
    out = []
    for i, char in enumerate(chars):
        out.append(_SPECIAL.get(char, char))
        if i + 1 < len(chars) and (char, chars[i + 1]) in _LIGATURE_PAIRS:
            out.append("{}")
    return "".join(out)


def _braced(text: str) -> str:
    return "{" + bibtex_text(text) + "}"


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _WORD.findall(folded)


def _base_key(node: str, data: dict) -> str:
    if data.get("id_only") or not data.get("title"):
        words = _ascii_words(str(data.get("arxiv_id") or data.get("doi") or node))
        return ("arxiv" if data.get("arxiv_id") else "doi" if data.get("doi") else "paper") + "".join(words)
    words = [w for w in _ascii_words(str(data["title"])) if w not in _SKIPPED_WORDS and not w.isdigit()] or ["paper"]
    year = int(data.get("year", 0) or 0)
    return words[0] + (str(year) if year else "")


def citation_keys(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A unique, stable citation key per paper node (see the module docstring)."""
    groups: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("node_type", "paper") == "paper":
            groups.setdefault(_base_key(node, data), []).append(node)
    keys: dict[str, str] = {}
    used = set(groups)
    for base, nodes in sorted(groups.items()):
        if len(nodes) == 1:
            keys[nodes[0]] = base
            continue
        number = 0
        for node in sorted(nodes):
            while True:  # a, b, ..., z, aa, ab, ... skipping a key another paper already has
                suffix, n = "", number
                while True:
                    suffix = chr(ord("a") + n % 26) + suffix
                    n = n // 26 - 1
                    if n < 0:
                        break
                number += 1
                if base + suffix not in used:
                    break
            used.add(base + suffix)
            keys[node] = base + suffix
    return keys


def _fields(data: dict) -> list[Field]:
    fields = []
    if data.get("title") and not data.get("id_only"):
        fields.append(Field("title", _braced(str(data["title"]))))
    year = int(data.get("year", 0) or 0)
    if year:
        fields.append(Field("year", str(year)))
        match = _ISO.match(str(data.get("date", "")))
        if match and match.group(1) == str(year) and 1 <= int(match.group(2)) <= 12:
            fields.append(Field("month", _MONTHS[int(match.group(2)) - 1]))  # the BibTeX month macro, unbraced
    arxiv, doi = str(data.get("arxiv_id", "") or ""), str(data.get("doi", "") or "")
    if arxiv:
        fields += [Field("eprint", _braced(arxiv)), Field("archivePrefix", "{arXiv}")]
    if doi:
        fields.append(Field("doi", _braced(doi)))
    url = f"https://arxiv.org/abs/{arxiv}" if arxiv else f"https://doi.org/{doi}" if doi else ""
    if url:
        fields.append(Field("url", _braced(url)))
    if data.get("abstract"):
        fields.append(Field("abstract", _braced(str(data["abstract"]))))
    return fields


def generate_bibtex(graph: nx.MultiDiGraph) -> str:
    """The BibTeX text of every paper node of `graph` (method nodes are not papers), sorted by key."""
    keys = citation_keys(graph)
    entries = [Entry("misc", key, _fields(graph.nodes[node])) for node, key in sorted(keys.items(), key=lambda kv: kv[1])]
    if not entries:
        return ""
    layout = bibtexparser.BibtexFormat()
    layout.indent, layout.block_separator, layout.trailing_comma = "  ", "\n", False
    return bibtexparser.write_string(Library(entries), unparse_stack=[], bibtex_format=layout)


def write_bibtex(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write `generate_bibtex` to `path` (UTF-8)."""
    Path(path).write_text(generate_bibtex(graph), encoding="utf-8")
