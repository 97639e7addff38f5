"""Title normalisation and the stable paper id derived from it.

Numbers are never dropped: litstudy's ``canonical()`` drops digit tokens, which
makes "Llama 2" equal "Llama 3". Here ``GaLore`` and ``GaLore 2`` stay apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# LaTeX that shows up in arXiv and Hugging Face titles: H$_2$O, E$^2$, Nystr\"om, \textbf{x}.
_LATEX_ACCENT = re.compile(r"""\\["'`^~=.uvHckbdr]\s*\{?([A-Za-z])\}?""")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
_NON_WORD = re.compile(r"[^\w]+")
_ASCII_SYMBOLS = re.compile(r"[+<=>|~]")  # category S in ASCII is $+<=>^`|~; $ ^ ` are LaTeX here


def normalise_title(title: str) -> str:
    """Return a comparison key: case-folded, accents and LaTeX stripped, punctuation as spaces.

    >>> normalise_title("GaLore:  Memory-Efficient\\n LLM Training")
    'galore memory efficient llm training'
    >>> normalise_title("H$_2$O: Heavy-Hitter Oracle") == normalise_title("H2O: Heavy Hitter Oracle")
    True
    >>> normalise_title("Llama 2") == normalise_title("Llama 3")
    False
    """
    text = _LATEX_ACCENT.sub(r"\1", title)
    text = _LATEX_COMMAND.sub("", text)
    text = text.replace("$", "").replace("^", "").replace("_", "").replace("{", "").replace("}", "")
    if not text.isascii():  # ASCII has no accents to strip (the per-character pass is the cost here)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.casefold())
    return " ".join(text.split())


def symbols(title: str) -> str:
    """The symbols a title carries besides words and punctuation (``C++`` has ``++``, emoji count).

    Normalising drops them, so ``C++: ...`` and ``C: ...`` share a key; this tells them apart.
    LaTeX markup (``$``, ``^``, ``_``) is not a symbol: ``H$_2$O`` is ``H2O``.

    >>> symbols("C++: A Language"), symbols("SpecDec++ 🚀"), symbols("H$_2$O: E$^2$")
    ('++', '++🚀', '')
    """
    text = _LATEX_COMMAND.sub("", _LATEX_ACCENT.sub(r"\1", title))
    if text.isascii():  # the ASCII symbols (Unicode category S*) but the LaTeX ones, in one regex pass
        return "".join(_ASCII_SYMBOLS.findall(text))
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("S") and ch not in "$^_{}`")


def paper_id(title: str, identity: str | None = None) -> str:
    """A stable, readable id: a slug of the first words plus a short hash of the full key.

    The hash keeps two long titles that share a prefix apart; the slug keeps ids readable on the
    command line. `identity` (an id key such as ``arxiv:2403.03507``, see
    :class:`paperlineage.enrich.ids.PaperIds`) replaces the title as what is hashed when the
    paper is known by an identifier before its title. A title with no words at all hashes its
    raw text, so two different emoji-only titles stay two papers.

    >>> paper_id("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection")
    'galore-memory-efficient-llm-training-by-1807540d'
    >>> paper_id("🚀") != paper_id("🛸")
    True
    """
    key = normalise_title(title)
    hashed = identity or key or unicodedata.normalize("NFC", " ".join(title.split()))
    words = key.split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 40 and slug:
            break
        slug = candidate
    digest = hashlib.sha1(hashed.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:40]}-{digest}" if slug else f"untitled-{digest}"
