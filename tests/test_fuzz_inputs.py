"""Malformed BibTeX, Markdown and identifier lists: no traceback, no junk paper, every
rejected entry named.

Mutations are drawn from a seeded generator over the handmade fixtures (a failure names its
case), like tests/test_fuzz_build.py does for listings: dropped, duplicated and swapped lines,
unbalanced braces, brackets and quotes, stray ``@`` and ``](``, hostile text, flipped bytes, cut
files. Ingest runs on every case; a few cases run a whole offline build.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from paperlineage.enrich.bibtex import ENTRY_START
from paperlineage.enrich.ingest import ingest
from paperlineage.enrich.markdown import LINK
from tests.fuzzing import build_under_alarm, check_outputs
from tests.test_fuzz_build import HOSTILE

INPUTS = Path(__file__).resolve().parent / "fixtures" / "inputs"
BASES = ["papers__handmade.bib", "awesome__handmade.md", "ids__handmade.txt"]
CASES = 60  # per base: ingest is fast
BUILDS = 4  # per base: whole builds are not
BROKEN = ["{", "}", "{{", "@", "@article{", "@misc(", "\"", "=", ",", "[", "]", "](", "(", ")", "[x](", "](https://arxiv.org/abs/",
          "arXiv:", "10.", "10.1000/", "2403.", "\\", "%", "#", "- ", "```", "|", "\\\"{o}", "$", "^"]


def mutate(rng: random.Random, base: str) -> bytes:
    lines = (INPUTS / base).read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(rng.randint(1, 8)):
        choice = rng.randrange(7)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = ["\n"]
        elif choice == 0:  # broken syntax inside a line
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(BROKEN) + lines[i][at:]
        elif choice == 1:
            del lines[i]
        elif choice == 2:
            lines.insert(i, rng.choice(lines))
        elif choice == 3:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif choice == 4:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(HOSTILE) + lines[i][at:]
        elif choice == 5:  # a character dropped: an unclosed brace or bracket, a cut URL
            if lines[i].strip():
                at = rng.randrange(len(lines[i]))
                lines[i] = lines[i][:at] + lines[i][at + 1:]
        else:
            lines.insert(i, rng.choice(BROKEN) + "\n")
    data = bytearray("".join(lines).encode("utf-8", "surrogatepass"))
    mode = rng.randrange(5)
    if mode == 0 and data:
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(32, 127)  # printable: still text, still that format
    elif mode == 1 and data:
        data = data[: rng.randrange(len(data))]
    return bytes(data)


def _named_lines(report) -> set[int]:
    return {p.line for p in report.problems}


def _check_accounted(fmt: str, text: str, papers, report) -> None:
    """Every entry-like line of the detected format is a paper's location or a named problem."""
    kept = {loc.line for p in papers for loc in p.locations}
    named = kept | _named_lines(report)
    lines = text.splitlines()
    if fmt == "bibtex":
        starts = [text.count("\n", 0, m.start()) + 1 for m in ENTRY_START.finditer(text)]
        raw = text.split("\n")  # bibtexparser counts '\n' only (an editor's lines); splitlines() also breaks at \v, \f
        typed = [(n, raw[n - 1].strip()[1:].lstrip().split("{")[0].split("(")[0].strip().casefold()) for n in starts]
        # @string/@preamble/@comment are not papers; an '@' inside a failed block is that block's
        missing = [n for n, kind in typed if kind not in ("string", "preamble", "comment") and n not in named]
        failed = sorted(p.line for p in report.problems if p.kind == "error")
        missing = [n for n in missing if not any(f < n for f in failed)]
        assert not missing, (missing, [str(p) for p in report.problems])
    elif fmt == "markdown":
        fenced, missing = False, []
        for n, line in enumerate(lines, 1):
            if re.match(r"^\s*(```|~~~)", line):
                fenced = not fenced
            elif not fenced and re.match(r"^\s*(?:[-*+]|\d{1,4}[.)])\s", line) and LINK.search(line) and n not in named:
                missing.append(n)
        assert not missing, missing
    elif fmt == "ids":
        paragraph: list[int] = []
        for n, line in enumerate([*lines, ""], 1):
            if line.strip() and not line.lstrip().startswith("#"):
                paragraph.append(n)
            elif not line.strip() and paragraph:
                assert set(paragraph) & named, paragraph
                paragraph = []


def _no_junk(papers) -> None:
    for paper in papers:
        assert paper.title or paper.ids.keys(), paper  # a paper has a title or an identifier
        assert paper.id_only == (not paper.title)
        assert "\x00" not in paper.title


@pytest.mark.parametrize("base", BASES)
def test_fuzz__ingest_malformed_inputs(base: str, tmp_path: Path):
    for case in range(CASES):
        rng = random.Random(f"inputs-{base}-{case}")
        path = tmp_path / f"case{case}"
        path.write_bytes(mutate(rng, base))
        papers, report = ingest([path])  # raises only on a bug: every bad input is a ListingError
        if report.file_errors:
            [error] = report.file_errors
            assert error.line >= 1 and error.message, case
            assert not papers
            continue
        _no_junk(papers)
        text = path.read_bytes().decode("utf-8-sig", "replace")
        _check_accounted(report.formats[str(path)], text, papers, report)


@pytest.mark.parametrize("case", range(BUILDS * len(BASES)))
def test_fuzz__build_on_malformed_inputs(case: int, tmp_path: Path, capsys):
    base = BASES[case % len(BASES)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / base).write_bytes(mutate(random.Random(f"inputs-build-{case}"), base))
    out = tmp_path / "out"
    code, _ = build_under_alarm(case, tmp_path / "in", out, capsys)
    if code == 1:
        return
    check_outputs(out)
