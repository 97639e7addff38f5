"""Links written in an abstract: GitHub repositories and arXiv IDs.

These need no network, so they are what an offline run can still resolve.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from paperlineage.enrich.ids import find_arxiv_ids

# Owner: letters, digits, single hyphens (GitHub rule). Name: letters, digits, '.', '_', '-'.
_GITHUB = re.compile(
    r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]+)",
    re.IGNORECASE,
)
# `_GITHUB` tries its optional 'https://' and 'www.' at every position of the text (70 us an
# abstract); this literal cue, matched with the same case rules, says in 10 us whether it can match.
_GITHUB_CUE = re.compile(r"github\.com/", re.IGNORECASE)
# Pages under github.com/<owner> that are not repositories.
_NOT_OWNERS = frozenset({"orgs", "topics", "features", "marketplace", "sponsors", "collections", "apps", "about"})
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")


@dataclass(frozen=True)
class Found:
    """A value found in text with the sentence it came from."""

    value: str
    evidence: str


# Evidence is at most this many characters either side of what it shows. Real sentences are far
# shorter (the seeds' longest is under 600 characters); the cap is for text with no sentence ends,
# where "the sentence" is the whole abstract and every lookup would copy and scan all of it.
SENTENCE_REACH = 500


@lru_cache(maxsize=32)
def _boundaries(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the gaps between sentences, found once per text (callers ask per match)."""
    gaps = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    return [g[0] for g in gaps], [g[1] for g in gaps]


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence of `text` containing [start, end) begins and ends, whitespace trimmed.

    At most `SENTENCE_REACH` characters either side of [start, end) (see there).

    >>> text = "One. Two three. Four."
    >>> text[slice(*sentence_span(text, 5, 8))]
    'Two three.'
    """
    gap_starts, gap_ends = _boundaries(text)
    before = bisect_right(gap_ends, start)  # gaps ending at or before `start`
    begin = gap_ends[before - 1] if before else 0
    after = bisect_left(gap_starts, end, lo=before)  # first gap starting at or after `end`
    stop = gap_starts[after] if after < len(gap_starts) else len(text)
    begin, stop = max(begin, start - SENTENCE_REACH), min(stop, end + SENTENCE_REACH)
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that contains [start, end), for evidence (see `sentence_span`)."""
    begin, stop = sentence_span(text, start, end)
    return text[begin:stop]


def normalise_repo(owner: str, name: str) -> str | None:
    """'owner/name' without '.git' or trailing punctuation, or None if it is not a repo path."""
    name = name.rstrip(".")
    if name.lower().endswith(".git"):
        name = name[:-4]
    name = name.rstrip(".")
    if not name or owner.lower() in _NOT_OWNERS:
        return None
    return f"{owner}/{name}"


def github_repos(text: str) -> list[Found]:
    """Repositories linked in `text`, first occurrence order, duplicates (any case) removed.

    >>> [f.value for f in github_repos("Code: https://github.com/selfsupervised-ai/Natural-GaLore.git")]
    ['selfsupervised-ai/Natural-GaLore']
    >>> [f.value for f in github_repos("at https://github.com/modelscope/agentscope/tree/main/x.")]
    ['modelscope/agentscope']
    """
    seen: set[str] = set()
    found: list[Found] = []
    if not _GITHUB_CUE.search(text):
        return found
    for match in _GITHUB.finditer(text):
        repo = normalise_repo(match.group(1), match.group(2))
        if repo is None or repo.lower() in seen:
            continue
        seen.add(repo.lower())
        found.append(Found(repo, sentence_around(text, match.start(), match.end())))
    return found


def arxiv_ids(text: str) -> list[Found]:
    """arXiv IDs written in `text` (version stripped), in order of first appearance.

    >>> [f.value for f in arxiv_ids("see arXiv:2403.03507v2 and https://arxiv.org/abs/hep-th/9901001")]
    ['2403.03507', 'hep-th/9901001']
    """
    seen: set[str] = set()
    found: list[Found] = []
    for value, start, end in find_arxiv_ids(text):
        if value not in seen:
            seen.add(value)
            found.append(Found(value, sentence_around(text, start, end)))
    return found
