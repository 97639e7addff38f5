"""Property-based: random and mutated listings never crash the parser.

The parser may return entries and problems, or raise `ListingError` for a file that
is not a listing; anything else escaping is a bug.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.listing import parse_listing

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "001_15604a13c41670b5.txt").read_bytes()
LINES = SEED.split(b"\n")


def _check(data: bytes) -> None:
    try:
        entries, problems = parse_listing(data, "fuzz.txt")
    except ListingError as exc:
        assert exc.path == "fuzz.txt" and exc.line >= 1
        return
    assert entries
    for entry in entries:
        assert entry.title and entry.abstract and entry.location.line >= 1
    for problem in problems:
        assert problem.line >= 1 and problem.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_parse_listing__random_bytes(data: bytes):
    _check(data)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["", "Nov 12, 2024", "Aug 1 3", "  • 4 authors", "·", "Subscribe", "A: B", "zai-org", "x" * 400])
        | st.text(alphabet="ab ·•\t:,.09", max_size=40),
        max_size=40,
    )
)
def test_parse_listing__random_listing_like_lines(lines: list[str]):
    _check("\n".join(lines).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["drop", "dup", "cut", "junk"]), st.integers(0, len(LINES) - 1), st.binary(max_size=20)),
        max_size=8,
    )
)
def test_parse_listing__mutated_seed(mutations):
    lines = list(LINES)
    for op, index, junk in mutations:
        index %= max(len(lines), 1)
        if not lines:
            break
        if op == "drop":
            del lines[index]
        elif op == "dup":
            lines.insert(index, lines[index])
        elif op == "cut":
            lines = lines[: index + 1]
            lines[-1] = lines[-1][: len(lines[-1]) // 2]
        else:
            lines.insert(index, junk)
    _check(b"\n".join(lines))
