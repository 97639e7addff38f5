"""BibTeX export: escaping that reads back to the same text, stable keys, and the round trip
listing -> graph -> .bib -> build -> the same papers."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import bibtexparser
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperlineage.cache import HttpConfig
from paperlineage.cli import main
from paperlineage.enrich.bibtex import latex_text, parse_bibtex
from paperlineage.graph.export_bibtex import bibtex_text, citation_keys, generate_bibtex
from paperlineage.pipeline import BuildOptions, run_build

ROOT = Path(__file__).resolve().parent.parent
LISTING = sorted((ROOT / "seeds").iterdir())[0]
IDS = ROOT / "tests" / "fixtures" / "inputs" / "ids__handmade.txt"
HOSTILE = [
    r"{GaLore}: 50% of \alpha & #1_best $x^2$ ~ fast",
    "Unbalanced { brace and } a \\ backslash",
    "Dashes -- and --- and quotes ``like'' this !` ?`",
    "Control\x1b]0;pwned\x07 chars\x9b and\ttabs",
    "Nyström-LoRA: naïve Ünïcode — 日本語 😀",
]


def _expected(text: str) -> str:
    """What the text should read as: control characters as spaces, whitespace collapsed."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def _graph(titles: list[str]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i, title in enumerate(titles):
        graph.add_node(f"p{i}", node_type="paper", title=title, abstract=f"About {title}", year=2024, date="2024-03-06",
                       arxiv_id=f"2403.0{3500 + i}")
    return graph


def test_export_bibtex__hostile_titles_parse_back_to_the_same_text():
    text = generate_bibtex(_graph(HOSTILE))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    read = {e["eprint"]: (latex_text(e["title"]), latex_text(e["abstract"])) for e in library.entries}
    assert len(read) == len(HOSTILE)
    for i, title in enumerate(HOSTILE):
        assert read[f"2403.0{3500 + i}"] == (_expected(title), _expected(f"About {title}"))
    assert "\x1b" not in text and "\x9b" not in text and "日本語" in text  # controls gone, non-ASCII kept as UTF-8
    entries, problems = parse_bibtex(text.encode("utf-8"), "x.bib")  # our own reader agrees
    assert [e.title for e in entries] == [read[e.ids.arxiv][0] for e in entries] and not problems


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_export_bibtex__any_text_reads_back(text: str):
    assert latex_text(bibtex_text(text)) == _expected(text)


def test_export_bibtex__keys_are_unique_stable_and_sorted():
    graph = _graph(["GaLore: one", "GaLore: two", "The GaLore three", "1.5-Pints report"])
    keys = citation_keys(graph)
    assert len(set(keys.values())) == len(keys) == 4
    assert keys == citation_keys(graph.copy())
    assert keys["p0"] == "galore2024a" and keys["p1"] == "galore2024b" and keys["p2"] == "galore2024c"  # id order
    assert keys["p3"] == "pints2024"  # a key starts with a word, not a number
    text = generate_bibtex(graph)
    assert [e.key for e in bibtexparser.parse_string(text).entries] == sorted(keys.values())
    assert text == generate_bibtex(graph)


def _papers(out: Path) -> set[tuple[str, str, str | None]]:
    return {(p["id"], p["title"], p["arxiv_id"]) for p in json.loads((out / "papers.json").read_text("utf-8"))}


def test_export_bibtex__round_trip_gives_the_same_papers(tmp_path: Path, capsys):
    http = HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite")
    first = run_build([LISTING, IDS], BuildOptions(out=tmp_path / "first", http=http))
    assert any(p.id_only for p in first.papers) and any(not p.id_only for p in first.papers)
    bib = tmp_path / "papers.bib"
    assert main(["export", "--graph", str(tmp_path / "first" / "graph.graphml"), "--out", str(bib)]) == 0
    assert f"wrote {bib}" in capsys.readouterr().out
    again = run_build([bib], BuildOptions(out=tmp_path / "again", http=http))
    assert again.ingest.formats == {str(bib): "bibtex"} and not again.ingest.problems
    assert _papers(tmp_path / "again") == _papers(tmp_path / "first")
    assert {p.doi for p in again.papers} == {p.doi for p in first.papers}


def test_export_bibtex__lineage_and_around_keep_to_their_papers(tmp_path: Path, capsys, offline_seeds):
    graph = offline_seeds.written[0].parent / "graph.graphml"
    assert main(["export", "--graph", str(graph), "--lineage", "GaLore", "--format", "bibtex"]) == 0
    lineage = bibtexparser.parse_string(capsys.readouterr().out)
    titles = {latex_text(e["title"]) for e in lineage.entries}
    from paperlineage.graph.query import find_paper, lineage as lineage_of, load_graph

    G = load_graph(graph)
    found = lineage_of(G, find_paper(G, "GaLore"))
    assert titles == {found.paper.title} | {r.paper.title for r in [*found.ancestors, *found.descendants]}
    with pytest.raises(SystemExit) as usage:
        main(["export", "--graph", str(graph), "--around", "GaLore", "--lineage", "GaLore", "--format", "bibtex"])
    assert usage.value.code == 2 and "not both" in capsys.readouterr().err
