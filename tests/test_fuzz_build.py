"""Whole builds on mutated listings: no hang, no traceback, and every output parses.

Mutations are drawn from a seeded generator (so a failure reproduces: the case number names
it), over a slice of a real seed listing: flipped and dropped bytes, cut files, control
characters, XML-forbidden code points, terminal escapes, bidi marks, emoji, huge repeated
abstracts, duplicated and shuffled blocks. Each case runs ``paperlineage build --offline`` in
process under an alarm, so a hang fails the case instead of stalling CI.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.fuzzing import build_under_alarm, check_outputs

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_0e7f6b59274e8d02.txt"
CASES = 40
HOSTILE = [
    "\x1b]0;pwned\x07", "\x1b[2J", "\x00", "\x01\x02\x08", "\x0b\x0c", "\x1b", "\x7f", "\x9b31m",
    "\ufffe", "\uffff", "\u202e", "\u200b", "🚀", "=HYPERLINK(\"http://x\")", "<script>alert(1)</script>",
    "]]>", "&amp;", "'\"", "\r", "\t", "{{ config }}", "${jndi:x}", "C++", "arXiv:2403.03507v2",
    "https://github.com/owner/repo", "we propose " * 50, "(" * 200,
]


def _base() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines[: min(len(lines), 90)]  # a dozen papers: fast, and every shape of block


def mutate(rng: random.Random) -> bytes:
    """One mutated listing."""
    lines = _base()
    for _ in range(rng.randint(1, 6)):
        choice = rng.randrange(8)
        i = rng.randrange(len(lines))
        if choice == 0:  # hostile text inside a line (titles and abstracts alike)
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(HOSTILE) + lines[i][at:]
        elif choice == 1:
            del lines[i]
        elif choice == 2:
            lines.insert(i, rng.choice(lines))
        elif choice == 3:
            lines[i] = "we " * rng.randint(1000, 20000) + "\n"
        elif choice == 4:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif choice == 5:
            lines.insert(i, rng.choice(HOSTILE) + "\n")
        elif choice == 6:
            lines[i] = "\n"
        else:
            lines[i] = lines[i].upper()
        if not lines:
            lines = ["\n"]
    data = bytearray("".join(lines).encode("utf-8", "surrogatepass"))
    mode = rng.randrange(4)
    if mode == 0 and data:  # flip bytes
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif mode == 1 and data:  # cut the file anywhere, even inside a character
        data = data[: rng.randrange(len(data))]
    return bytes(data)


@pytest.mark.parametrize("case", range(CASES))
def test_fuzz__build_on_mutated_listing(case: int, tmp_path: Path, capsys):
    rng = random.Random(f"fuzz-{case}")
    listing = tmp_path / "listing.txt"
    listing.write_bytes(mutate(rng))
    out = tmp_path / "out"
    code, _ = build_under_alarm(case, listing, out, capsys)
    if code == 1:
        assert not out.exists() or not any(out.iterdir())
        return
    check_outputs(out)
