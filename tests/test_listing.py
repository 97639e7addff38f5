from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.listing import parse_listing
from tests.listings import LONG, block, listing

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_parse_listing__title_abstract_shape():
    data = listing(block("Alpha: One", "Alpha abstract. " + LONG), block("Beta Two", "Beta abstract. " + LONG))
    entries, problems = parse_listing(data, "x.txt")
    assert [e.title for e in entries] == ["Alpha: One", "Beta Two"]
    assert entries[0].abstract.startswith("Alpha abstract.")
    assert entries[0].authors is None and entries[0].date is None
    assert entries[0].location.line == 11  # after the chrome lines
    reasons = sorted({p.reason for p in problems})
    assert reasons == ["page chrome", "page date"]


def test_parse_listing__metadata_shape():
    data = listing(
        block("FRUGAL: X", LONG, "  • 4 authors\n·\nNov 12, 2024"),
        block("DACTYL: Y", LONG, "  • 2 authors\n·\nAug 1"),
        block("APOLLO: Z", LONG, "  • 10 authors\n·\nDec 6, 2024 2"),
        block("BGPO: W", LONG, "zai-org Z.ai\n·\nOct 13 2"),
    )
    entries, _ = parse_listing(data, "x.txt")
    frugal, dactyl, apollo, bgpo = entries
    assert (frugal.authors, frugal.date_text, frugal.date, frugal.upvotes) == (4, "Nov 12, 2024", dt.date(2024, 11, 12), None)
    assert (dactyl.authors, dactyl.date_text, dactyl.date) == (2, "Aug 1", None)
    assert (apollo.authors, apollo.date, apollo.upvotes) == (10, dt.date(2024, 12, 6), 2)
    assert (bgpo.authors, bgpo.organization, bgpo.date_text, bgpo.upvotes) == (None, "zai-org Z.ai", "Oct 13", 2)


def test_parse_listing__every_seed_block_accounted_for():
    for path in sorted(SEEDS.iterdir()):
        data = path.read_bytes()
        entries, problems = parse_listing(data, path.name)
        non_blank = [n for n, line in enumerate(data.decode().splitlines(), 1) if line.strip()]
        used = {e.location.line for e in entries} | {p.line for p in problems}
        # every paragraph is a title, an abstract (the line after a title), metadata, or a reported problem
        assert entries, path
        assert not [p for p in problems if p.reason not in {"page chrome", "page date"}], path
        titles = {e.location.line for e in entries}
        assert titles <= set(non_blank) and used <= set(non_blank)
        # and the other way round: every non-blank line's text is in a record, or is its metadata, or is reported
        kept = [f"{e.title}\n{e.abstract}\n{e.organization or ''}\n{e.date_text or ''}" for e in entries]
        problem_lines = {p.line for p in problems}
        for number, raw in enumerate(data.decode().splitlines(), 1):
            line = " ".join(raw.split())
            if not line or number in problem_lines or line in {"·", "•"} or re.fullmatch(r"• ?\d+ authors?", line):
                continue
            if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}(, \d{4})?( \d+)?", line):
                line = line.rsplit(" ", 1)[0] if re.search(r"( \d+){2}$|\d{4} \d+$", line) else line
            assert any(line in text for text in kept), f"{path.name}:{number} not accounted for: {line[:60]}"


def test_parse_listing__seed_counts():
    counts = [len(parse_listing(p.read_bytes(), p.name)[0]) for p in sorted(SEEDS.iterdir())]
    assert counts == [77, 45, 38, 82, 96]


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "empty"),
        (b"   \n\n  ", 1, "empty"),
        (b"Title\n\nabstract\x00\x01binary", 3, "binary"),
        (b"Title one\n\nAn abstract that is fine.\n\nBad \xff\xfe byte here\n", 5, "not UTF-8"),
        (b"just some notes\n", 1, "no paper"),
        ("Title\n\nAbstract.\n".encode("utf-16"), 1, "UTF-16"),
    ],
)
def test_parse_listing__not_a_listing(data: bytes, line: int, words: str):
    with pytest.raises(ListingError) as info:
        parse_listing(data, "bad.txt")
    assert info.value.path == "bad.txt" and info.value.line == line
    assert words in str(info.value) and str(info.value).startswith(f"bad.txt:{line}: ")


def test_parse_listing__truncated_file_keeps_complete_blocks():
    data = listing(block("Alpha: One", LONG)) + b"Beta: cut off here"
    entries, problems = parse_listing(data, "t.txt")
    assert [e.title for e in entries] == ["Alpha: One"]
    errors = [p for p in problems if p.kind == "error"]
    assert len(errors) == 1 and "truncated" in errors[0].reason and errors[0].line == 15


@pytest.mark.parametrize("cut", [2500, 5000, 9000])
def test_parse_listing__cut_mid_abstract_is_warned_and_kept(cut: int):
    """A seed cut off inside an abstract: the paper is kept, and the cut is named with its line."""
    data = (SEEDS / "000_0e7f6b59274e8d02.txt").read_bytes()[:cut]
    whole, _ = parse_listing((SEEDS / "000_0e7f6b59274e8d02.txt").read_bytes(), "whole.txt")
    entries, problems = parse_listing(data, "cut.txt")
    warned = [p for p in problems if "stops mid-sentence" in p.reason]
    last = entries[-1]
    if last.abstract == next(e.abstract for e in whole if e.title == last.title):
        assert warned == []  # the cut fell between blocks
    else:
        assert len(warned) == 1 and warned[0].kind == "warning" and warned[0].line == last.location.line


def test_parse_listing__abstracts_ending_in_a_link_are_not_cut():
    data = listing(block("Alpha: One", LONG + "Code: https://github.com/a/b"), block("Beta Two", LONG + "and then"))
    problems = parse_listing(data, "x.txt")[1]
    assert [p.line for p in problems if "mid-sentence" in p.reason] == [15]  # Beta only
    assert not [p for p in parse_listing(listing(block("Alpha: One", LONG + "See https://x.org/a.")), "y.txt")[1] if "mid-sentence" in p.reason]


def test_parse_listing__truncated_metadata_is_warned():
    data = listing(block("Alpha: One", LONG, "  • 3 authors"))
    entries, problems = parse_listing(data, "t.txt")
    assert entries[0].authors == 3
    assert any(p.kind == "warning" and "truncated" in p.reason for p in problems)


def test_parse_listing__orphan_blocks_are_reported_not_dropped():
    data = listing(block("Alpha: One", LONG), chrome=False) + ("x " * 200).encode() + b"\n\n  \xe2\x80\xa2 4 authors\n"
    entries, problems = parse_listing(data, "o.txt")
    assert len(entries) == 1
    reasons = [p.reason for p in problems]
    assert any("without a title" in r for r in reasons)
    assert any("metadata line with no paper" in r for r in reasons)


def test_parse_listing__title_missing_its_abstract():
    data = listing(block("Lonely Title", ""), block("Alpha: One", LONG), chrome=False).replace(b"\n\n\n\n", b"\n\n")
    entries, problems = parse_listing(data, "m.txt")
    assert [e.title for e in entries] == ["Alpha: One"]
    assert [(p.line, p.reason) for p in problems] == [(1, "title with no abstract")]


def test_parse_listing__impossible_date_kept_as_text():
    entries, problems = parse_listing(listing(block("A: B", LONG, "  • 1 authors\n·\nFeb 30, 2024")), "d.txt")
    assert entries[0].date is None and entries[0].date_text == "Feb 30, 2024"
    assert any("impossible date" in p.reason for p in problems)


def test_parse_listing__multi_line_abstract_is_one_paragraph():
    data = b"Alpha: One\n\nFirst line of the abstract\ncontinues here.\n\n  \xe2\x80\xa2 2 authors\n\xc2\xb7\nJan 2, 2024\n"
    entries, _ = parse_listing(data, "m.txt")
    assert entries[0].abstract == "First line of the abstract continues here."
    assert entries[0].authors == 2


def test_parse_listing__file_cut_inside_a_multibyte_character_keeps_its_papers():
    data = listing(block("Café: A First Paper", LONG), block("A Second Paper", LONG + " Über alles"))
    for prefix in (b"", b"\xef\xbb\xbf"):
        cut = prefix + data[: data.rindex("Ü".encode()) + 1]  # the file stops after Ü's first byte
        entries, problems = parse_listing(cut, "cut.txt")
        assert [e.title for e in entries] == ["Café: A First Paper", "A Second Paper"]
        warnings = [p for p in problems if p.kind == "warning" and "inside a UTF-8 character" in p.reason]
        assert len(warnings) == 1 and warnings[0].file == "cut.txt" and warnings[0].line == cut.count(b"\n") + 1
