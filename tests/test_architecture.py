"""The seams the other stages build on: one namespace, one registry of edge kinds, one spec per
source, one ids module, and the Python entry points."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

import paperlineage
from paperlineage.enrich.ids import PaperIds, arxiv_doi, arxiv_from_doi, normalise_arxiv, normalise_doi
from paperlineage.enrich.ingest import merge_entries
from paperlineage.enrich.listing import parse_listing
from paperlineage.enrich.sources import SPECS
from paperlineage.graph import kinds
from tests.listings import LONG, block, listing

ROOT = Path(__file__).resolve().parents[1]
CODE = sorted(
    p for folder in ("paperlineage", "enrich", "graph", "cache") for p in (ROOT / folder).rglob("*")
    if p.suffix in (".py", ".js", ".j2")
)
TESTS = sorted((ROOT / "tests").glob("*.py")) + sorted((ROOT / "bench").glob("*.py"))


def _quoted(name: str, files: list[Path]) -> list[str]:
    """Where `name` is written as a string literal, doctest lines and dict keys (a node
    attribute may share a kind's name: a paper's ``uses`` list) aside."""
    pattern = re.compile(rf"""["']{re.escape(name)}["'](?!:)""")
    return [
        f"{path.relative_to(ROOT)}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and ">>>" not in line
    ]


@pytest.mark.parametrize("name", kinds.EDGE_KINDS)
def test_kinds__each_name_is_written_only_in_the_registry(name: str):
    assert _quoted(name, [ROOT / "graph" / "kinds.py"])  # the registry's own entry
    assert [where for where in _quoted(name, CODE) if not where.startswith("graph/kinds.py:")] == []


def test_kinds__registry_drives_the_derived_lists():
    assert kinds.INFLUENCE_KINDS == ("cites", "mentions")
    assert kinds.UNDIRECTED_KINDS == ("shares_method",)
    assert set(kinds.PAPER_KINDS) == {"cites", "mentions", "shares_method"}
    assert kinds.style("no-such-kind")["color"] == "#666666"
    assert kinds.style("mentions")["label"] == kinds.kind("mentions").label


@pytest.mark.parametrize("variable", sorted({v for s in SPECS for v in (s.url_env, s.token_env) if v}))
def test_specs__each_environment_variable_is_written_once(variable: str):
    assert len(_quoted(variable, CODE + TESTS)) == 1, _quoted(variable, CODE + TESTS)


def test_specs__one_per_source_with_base_url_and_rate(monkeypatch):
    assert len({s.name for s in SPECS}) == len(SPECS) == 5
    for spec in SPECS:
        monkeypatch.setenv(spec.url_env, "http://127.0.0.1:9/x/")
        assert spec.base_url() == "http://127.0.0.1:9/x" and spec.rate > 0 and spec.ttl.total_seconds() > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2403.03507", "2403.03507"),
        ("arXiv:2403.03507v2", "2403.03507"),
        ("https://arxiv.org/abs/2403.03507v3", "2403.03507"),
        ("http://arxiv.org/pdf/2403.03507v1.pdf", "2403.03507"),
        ("10.48550/arXiv.2403.03507", "2403.03507"),
        ("https://doi.org/10.48550/ARXIV.2403.03507", "2403.03507"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.gt/0309136", "math.GT/0309136"),
        ("2413.00001", None),
        ("GaLore", None),
        ("", None),
    ],
)
def test_ids__arxiv_forms_agree(text: str, expected: str | None):
    assert normalise_arxiv(text) == expected


def test_ids__doi_and_records():
    assert normalise_doi("doi:10.1145/3292500.3330701") == "10.1145/3292500.3330701"
    assert arxiv_from_doi(arxiv_doi("2403.03507v2")) == "2403.03507"
    one = PaperIds.of(arxiv="arXiv:2403.03507v2")
    two = PaperIds.of(doi="10.48550/arXiv.2403.03507")
    assert one.matches(two) and not one.matches(PaperIds.of(arxiv="2403.03508"))
    assert PaperIds.of(semantic_scholar="not-an-id", openalex="https://openalex.org/W123").keys() == ["openalex:W123"]


def _papers(*titles: str):
    entries, problems = parse_listing(listing(*[block(t, LONG) for t in titles]), "l.txt")
    return merge_entries(entries, problems), problems


def test_identity__titles_differing_only_in_symbols_stay_apart_and_are_reported():
    papers, problems = _papers("C++: A Language for Systems", "C: A Language for Systems", "C: A language for systems")
    assert sorted(p.title for p in papers) == ["C++: A Language for Systems", "C: A Language for Systems"]
    assert len({p.id for p in papers}) == 2
    assert any("only in symbols" in p.reason and p.line > 1 for p in problems)


def test_identity__titles_without_words_never_merge():
    papers, _ = _papers("🚀🚀🚀", "🛸🛸🛸")
    assert len(papers) == 2 and len({p.id for p in papers}) == 2


def test_identity__stable_across_runs_and_order():
    first, _ = _papers("GaLore: Memory-Efficient LLM Training", "FRUGAL: Memory-Efficient Optimization")
    second, _ = _papers("FRUGAL: Memory-Efficient Optimization", "GaLore: Memory-Efficient LLM Training")
    assert [p.id for p in first] == [p.id for p in second]


def test_entry_points__build_then_load(tmp_path: Path):
    (tmp_path / "l.txt").write_bytes(listing(block("GaLore: Memory-Efficient LLM Training", LONG)))
    result = paperlineage.build([tmp_path / "l.txt"], out=tmp_path / "out", offline=True, cache=tmp_path / "c.sqlite")
    G = paperlineage.load(tmp_path / "out" / "graph.graphml")
    assert isinstance(G, nx.MultiDiGraph) and set(G) == set(result.graph) == {p.id for p in result.papers}
    with pytest.raises(TypeError):
        paperlineage.build([tmp_path / "l.txt"], tmp_path / "out")  # options are keyword-only
