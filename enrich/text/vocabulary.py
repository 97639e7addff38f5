"""The method vocabulary: names papers of the corpus introduce plus a curated list.

The curated list (``enrich/data/methods.json``) is versioned and hand-written;
users extend it with ``--methods FILE`` in the same format. Each entry has a
canonical name, aliases, ``word_like`` for names that are also ordinary words
or short acronyms (Adam, SOAP, LISA), which count only where used as a method, and
``linkable: false`` for names nearly every paper uses (Transformer, BERT), which are
still found but never make a ``shares_method`` edge.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.text.names import is_word_like, looks_coined
from paperlineage.enrich.models import Paper


# A coined name ending in its version number: 'Qwen2', 'Qwen2.5', 'SageAttention2'.
_VERSIONED = re.compile(r"^([A-Za-z][A-Za-z]*[a-z][A-Za-z]*)(\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class MethodEntry:
    """One method the scanner looks for."""

    name: str
    aliases: tuple[str, ...] = ()
    word_like: bool = False
    introduced_by: tuple[str, ...] = ()  # paper ids; empty for curated methods
    linkable: bool = True  # False: an architecture or base model most papers name (Transformer, BERT): no shares_method

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every spelling that counts as this method: its name, its aliases, and a versioned name
        with its number set apart, as people write it (``Qwen2`` is also ``Qwen 2`` and ``Qwen-2``).

        >>> MethodEntry("Qwen2.5").surfaces
        ('Qwen2.5', 'Qwen 2.5', 'Qwen-2.5')
        """
        spaced = _VERSIONED.match(self.name)
        forms = (f"{spaced[1]} {spaced[2]}", f"{spaced[1]}-{spaced[2]}") if spaced else ()
        return tuple(dict.fromkeys((self.name, *self.aliases, *forms)))

    @property
    def generic(self) -> bool:
        """A curated method named in ordinary words (in-context learning, data selection, Bayesian optimization).

        Naming one is not using it ('applications like RAG'), so `shares_method` asks the
        sentence for more (`enrich.text.scan.used_in_sentence`); coined names (AdamW,
        FlashAttention, GaLore) are specific enough on their own.

        >>> [MethodEntry(n).generic for n in ["in-context learning", "Bayesian optimization", "KV cache", "AdamW"]]
        [True, True, False, False]
        """
        return (
            not self.introduced_by
            and not self.word_like  # those have their own guard (`enrich.text.scan.used_as_method`)
            and not any(looks_coined(word) for word in re.split(r"[\s-]+", self.name))
        )


def _entries(document: dict, origin: str) -> list[MethodEntry]:
    methods = document.get("methods")
    if not isinstance(methods, list):
        raise ListingError(origin, 1, "method vocabulary must be a JSON object with a 'methods' list")
    entries = []
    for index, item in enumerate(methods):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise ListingError(origin, 1, f"methods[{index}] needs a non-empty 'name'")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ListingError(origin, 1, f"methods[{index}] ('{item['name']}'): 'aliases' must be a list of strings")
        if not isinstance(item.get("linkable", True), bool):
            raise ListingError(origin, 1, f"methods[{index}] ('{item['name']}'): 'linkable' must be true or false")
        entries.append(
            MethodEntry(
                item["name"].strip(),
                tuple(a.strip() for a in aliases),
                bool(item.get("word_like", False)),
                linkable=item.get("linkable", True),
            )
        )
    return entries


def curated_vocabulary(extra: Path | None = None) -> tuple[str, list[MethodEntry]]:
    """The packaged vocabulary (and its version), extended by a user file if given.

    Raises:
        ListingError: the user file is missing, not JSON, or not in the vocabulary format.
    """
    packaged = json.loads(resources.files("paperlineage.enrich").joinpath("data/methods.json").read_text(encoding="utf-8"))
    entries = _entries(packaged, "enrich/data/methods.json")
    if extra is not None:
        try:
            document = json.loads(extra.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ListingError(str(extra), 1, f"cannot read method vocabulary: {exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise ListingError(str(extra), exc.lineno, f"not valid JSON: {exc.msg}") from None
        except UnicodeDecodeError as exc:
            line = extra.read_bytes()[: exc.start].count(b"\n") + 1
            raise ListingError(str(extra), line, f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8") from None
        if not isinstance(document, dict):
            raise ListingError(str(extra), 1, "method vocabulary must be a JSON object with a 'methods' list")
        entries += _entries(document, str(extra))
    return str(packaged.get("version", "unversioned")), entries


def introduced_names(papers: list[Paper]) -> dict[str, list[str]]:
    """Per method name, the ids of the papers that introduce it (the per-partition half of the reduce)."""
    owners: dict[str, list[str]] = {}
    for paper in papers:
        for name in paper.methods:
            owners.setdefault(name, []).append(paper.id)
    return owners


def merge_introduced(parts: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    """Fold per-partition :func:`introduced_names` into one (the order of ids does not matter)."""
    owners: dict[str, list[str]] = {}
    for part in parts:
        for name, ids in part.items():
            owners.setdefault(name, []).extend(ids)
    return owners


def vocabulary_from(owners: dict[str, list[str]], curated: list[MethodEntry]) -> list[MethodEntry]:
    """Curated methods plus the corpus's introduced names (`owners`), sorted by name."""
    merged: dict[str, MethodEntry] = {e.name: e for e in curated}
    for name, ids in owners.items():
        base = merged.get(name)
        merged[name] = MethodEntry(
            name,
            base.aliases if base else (),
            (base.word_like if base else False) or is_word_like(name),
            tuple(sorted(set(ids))),
            base.linkable if base else True,
        )
    return [merged[name] for name in sorted(merged)]


def corpus_vocabulary(papers: list[Paper], curated: list[MethodEntry]) -> list[MethodEntry]:
    """Curated methods plus every name a corpus paper introduces, sorted by name.

    A curated method that a corpus paper introduces (the MeZO paper in the corpus)
    becomes that paper's, keeping the curated aliases. A map (:func:`introduced_names`)
    then a reduce (:func:`vocabulary_from`), so the Dask engine runs the same two halves.
    """
    return vocabulary_from(introduced_names(papers), curated)
