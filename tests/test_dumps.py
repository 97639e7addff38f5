"""Bulk-dump readers on small invented shards (tests/fixtures/dumps/README.md)."""

from __future__ import annotations

from pathlib import Path

from paperlineage.cli import main
from paperlineage.enrich.dumps import read_dump, read_shard
from paperlineage.graph.kinds import CITES, MENTIONS
from paperlineage.pipeline import BuildOptions, run_build
from paperlineage.cache import HttpConfig

DUMPS = Path(__file__).resolve().parent / "fixtures" / "dumps"


def test_read_dump__s2_joins_abstracts_and_maps_citations():
    papers, citations, report = read_dump([DUMPS / "s2"], "s2")
    by_title = {p.title.split(":")[0]: p for p in papers}
    assert sorted(by_title) == ["FRUGAL", "GaLore", "Q-GaLore"]
    galore, frugal, qgalore = by_title["GaLore"], by_title["FRUGAL"], by_title["Q-GaLore"]
    assert galore.arxiv_id == "2403.03507" and galore.authors == 2 and str(galore.date) == "2024-03-06"
    assert frugal.doi == "10.1000/frugal.2025"
    assert galore.abstract.startswith("We propose GaLore")
    assert qgalore.abstract.startswith("We present Q-GaLore")  # the Parquet paper got its JSONL abstract
    assert qgalore.date is None and qgalore.date_text == "2024"
    pairs = {(c.cited, c.citing): c for c in citations}
    assert set(pairs) == {(galore.id, frugal.id), (galore.id, qgalore.id)}
    cite = pairs[(galore.id, frugal.id)]
    assert cite.is_influential is True and cite.intents == ["methodology"] and cite.contexts
    assert report.file_errors == [] and len(report.files) == 4
    # the citation to a corpus id outside the dump is counted; the null one is reported by line
    assert any("1 citations have an end outside" in p.reason for p in report.problems)
    assert [(Path(p.file).name, p.line) for p in report.problems if "integer citingcorpusid" in p.reason] == [("part-0.jsonl.gz", 4)]


def test_read_dump__openalex_inverted_index_and_references():
    papers, citations, report = read_dump([DUMPS / "openalex"], "openalex")
    assert [p.title.split(":")[0] for p in sorted(papers, key=lambda p: p.title)] == ["FRUGAL", "GaLore"]
    galore = next(p for p in papers if p.title.startswith("GaLore"))
    assert galore.arxiv_id == "2403.03507"  # from its arXiv DOI
    assert galore.abstract == "We propose GaLore, a memory-efficient training strategy that projects gradients to a low-rank subspace."
    frugal = next(p for p in papers if p.title.startswith("FRUGAL"))  # title null: display_name
    assert [(c.cited, c.citing, c.is_influential) for c in citations] == [(galore.id, frugal.id, None)]
    truncated = [p for p in report.problems if p.reason.startswith("not a JSON line")]
    assert [(Path(p.file).parent.name, p.line) for p in truncated] == [("updated_date=2025-02-01", 2)]


def test_read_shard__malformed_lines_reported_never_papers():
    shard = read_shard(DUMPS / "bad" / "s2-mixed.jsonl", "s2")
    assert [p.title for _, p in shard.papers] == ["Valid Paper About SparseLoRA Methods", "Valid Paper About SparseLoRA Methods (again)"]
    reasons = {p.line: p.reason for p in shard.problems}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert reasons[2].startswith("not a JSON line")
    assert "openalex-works record, in a --dump s2 input" in reasons[3]
    assert "needs an integer corpusid and a title" in reasons[4]
    assert "not a record of any dump" in reasons[5]
    papers, _, report = read_dump([DUMPS / "bad"], "s2")
    assert [p.title for p in papers] == ["Valid Paper About SparseLoRA Methods"]  # the duplicate corpus id is reported
    assert any(p.line == 6 and "the same paper as" in p.reason for p in report.problems)
    assert [(Path(e.path).name, e.line) for e in report.file_errors] == [("not-gzip.gz", 1)]


def test_build__dump_cites_edges(tmp_path):
    http = HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite")
    result = run_build([DUMPS / "s2"], BuildOptions(out=tmp_path / "out", http=http, dump="s2"))
    node = {result.graph.nodes[n]["title"].split(":")[0]: n for n in result.graph}
    galore, frugal = node["GaLore"], node["FRUGAL"]
    assert result.graph.has_edge(galore, frugal, CITES)
    assert result.graph.edges[galore, frugal, MENTIONS]["confirmed"] is True  # the dump's citation backs the text
    assert (tmp_path / "out" / "graph.graphml").exists()


def test_cli__dump_malformed_file_reported_with_line(tmp_path, capsys):
    code = main(["build", "--offline", "--cache", str(tmp_path / "c.sqlite"), "--out", str(tmp_path / "o"), "--dump", "s2", str(DUMPS / "bad")])
    err = capsys.readouterr().err
    assert code == 0
    assert "s2-mixed.jsonl:2: skipped: not a JSON line" in err
    assert "not-gzip.gz:1" in err and "Traceback" not in err
