"""Input formats besides listings: BibTeX, Markdown link lists, identifier lists, Hugging Face
paper URLs; detection from content; merging across formats; ID-only papers through a build.

The fixtures in tests/fixtures/inputs/ are handmade (their names say so), not real exports.
"""

from __future__ import annotations

import html.parser
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import paperlineage
from paperlineage import cli
from paperlineage.enrich.errors import NoPapers
from paperlineage.enrich.formats import detect, parse_input
from paperlineage.enrich.ingest import ingest, merge_entries
from paperlineage.enrich.models import ListingEntry, SourceLocation
from paperlineage.enrich.ids import PaperIds
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.graph.export_json import papers_document
from paperlineage.graph.query import find_paper, neighbors
from tests.listings import LONG, block, listing

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "tests" / "fixtures" / "inputs"
SEED = ROOT / "seeds" / "000_0e7f6b59274e8d02.txt"
GALORE = "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection"
GALORE_ID = "galore-memory-efficient-llm-training-by-1807540d"  # the seeds' id: merging renames nothing


def _parse(name: str):
    return parse_input((INPUTS / name).read_bytes(), name)


def test_bibtex__entries_ids_titles_and_every_rejected_entry_named():
    fmt, entries, problems = _parse("papers__handmade.bib")
    assert fmt == "bibtex"
    assert [(e.location.line, e.title, e.ids.keys()) for e in entries] == [
        (3, GALORE, ["arxiv:2403.03507"]),
        (12, "FRUGAL: Memory-Efficient Optimization by Reducing State Overhead for Scalable Training",
         ["arxiv:2412.07752", "doi:10.48550/arxiv.2412.07752"]),
        (18, "Nyström-LoRA: A Handmade Method & Its Test", ["arxiv:2305.00001"]),  # Google Scholar's journal field
        (25, "A Handmade Journal Paper", ["doi:10.1000/handmade.42"]),
        (30, "", ["arxiv:2401.00002"]),  # url only: ID-only
        (41, "Handmade Paper With A Broken Eprint", []),
        (53, "A Handmade Book", []),
    ]
    assert entries[2].abstract == "We study a handmade problem for the purpose of this test."
    assert [(p.line, p.kind, p.reason.split(":")[0]) for p in problems] == [
        (34, "skipped", "@article{junk} has neither a title nor an arXiv ID or DOI"),
        (36, "skipped", "@article{authoronly} has neither a title nor an arXiv ID or DOI"),
        (41, "warning", "eprint 'not-an-id' is not an arXiv ID; ignored"),
        (49, "error", "malformed BibTeX entry"),
    ]
    assert "Was still looking for field-value closing" in problems[-1].reason


def test_bibtex__only_junk_is_rejected_naming_the_formats(tmp_path: Path):
    data = b"@article{junk}\n@misc{x, author = {A}}\n"
    with pytest.raises(NoPapers) as error:
        parse_input(data, "junk.bib")
    assert error.value.line == 1 and "no BibTeX entry with a title, arXiv ID or DOI" in str(error.value)
    assert "accepted:" in str(error.value)


def test_markdown__paper_links_titles_and_non_paper_items():
    fmt, entries, problems = _parse("awesome__handmade.md")
    assert fmt == "markdown"
    assert [(e.location.line, e.title, e.ids.keys()) for e in entries] == [
        (8, GALORE, ["arxiv:2403.03507"]),
        (9, "Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?", ["arxiv:2410.01623"]),  # bold text
        (10, "", ["arxiv:2401.00003"]),  # the link text is the ID itself: ID-only
        (11, "A Handmade Hub Paper", ["arxiv:2401.00004"]),
        (12, "A Handmade DOI Paper", ["doi:10.1000/handmade.7"]),
        (22, "A Handmade Table Paper", ["arxiv:2401.00005"]),
    ]  # the badge, the guide link, headings, prose and the fenced citation block give nothing
    assert [(p.line, p.kind, p.reason) for p in problems] == [
        (16, "skipped", "list item links to no paper (arXiv, Hugging Face papers, DOI)"),
        (17, "skipped", "list item links to no paper (arXiv, Hugging Face papers, DOI)"),
    ]


def test_markdown__one_paper_per_line_however_many_links_name_it():
    data = (
        "- **GaLore: A Title** [[paper](https://arxiv.org/abs/2403.03507)] [[hf](https://huggingface.co/papers/2403.03507)]\n"
        "- [[pdf](https://arxiv.org/pdf/2401.00001)] [[pdf](https://arxiv.org/pdf/2401.00002)] **Which Of The Two?**\n"
        "- ![badge](https://arxiv.org/abs/2401.00009)\n"  # an image is not a link
        "- [![arXiv](https://img.shields.io/badge/arXiv-2401.00008-b31b1b.svg)](https://arxiv.org/abs/2401.00008)\n"
    ).encode()
    _, entries, problems = parse_input(data, "handmade.md")
    assert [(e.location.line, e.title, e.ids.arxiv) for e in entries] == [
        (1, "GaLore: A Title", "2403.03507"),
        (2, "", "2401.00001"),  # two papers on a line: its bold text names neither for sure
        (2, "", "2401.00002"),
        (4, "", "2401.00008"),  # a badge's text is its alt text, 'arXiv': ID-only
    ]
    assert problems == []


def test_idlist__one_per_line_and_in_running_text():
    fmt, entries, problems = _parse("ids__handmade.txt")
    assert fmt == "ids"
    assert [(e.location.line, e.title, e.ids.keys()) for e in entries] == [
        (2, "", ["arxiv:2403.03507"]),
        (3, "", ["arxiv:2412.07752"]),
        (4, "", ["arxiv:2401.00003"]),
        (5, "", ["arxiv:2305.00001"]),
        (6, "", ["doi:10.1000/handmade.7"]),
        (8, "", ["arxiv:2401.00006"]),
        (9, "", ["doi:10.1000/handmade.8"]),  # the sentence's full stop is not part of the DOI
    ]
    assert [(p.line, p.reason) for p in problems] == [(11, "no arXiv ID, DOI or Hugging Face paper link in this paragraph")]


def test_hf_urls__each_is_its_arxiv_id():
    fmt, entries, problems = _parse("hf_urls__handmade.txt")
    assert fmt == "ids" and not problems
    assert [e.ids.arxiv for e in entries] == ["2403.03507", "2401.00004", "2401.00007"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2403.03507\n", "ids"),
        ("@inproceedings{k,\n title={T}}\n", "bibtex"),
        ("* [T](https://arxiv.org/abs/2403.03507)\n", "markdown"),
        (listing(block("Alpha: One", LONG)).decode(), "listing"),
        # a listing whose abstract cites an arXiv ID is still a listing: its page furniture says so
        (listing(block("Alpha: One", LONG + " See arXiv:2403.03507.")).decode(), "listing"),
        # and so is one copied without the furniture, when abstracts outnumber identifiers
        (listing(block("Alpha: One", LONG + " arXiv:2403.03507."), block("Beta: Two", LONG), block("Gamma: Three", LONG),
                 chrome=False).decode(), "listing"),
        # a note around an identifier is not a listing (it would make 'Reading list' a paper)
        ("Reading list\n\nGaLore (arXiv:2403.03507) is neat, it projects gradients to save memory when "
         "we train large models on the small cluster we have this term.\n", "ids"),
        # a README's citation block does not outweigh its list of links
        ("- [A](https://arxiv.org/abs/2403.03507)\n- [B](https://arxiv.org/abs/2401.00001)\n```\n@misc{c, title={C}}\n```\n", "markdown"),
    ],
)
def test_detect__from_content(text: str, expected: str):
    assert detect(text) == expected


def test_detect__content_not_suffix(tmp_path: Path):
    shutil.copy(INPUTS / "papers__handmade.bib", tmp_path / "refs.txt")
    shutil.copy(INPUTS / "awesome__handmade.md", tmp_path / "list.bib")
    (tmp_path / "ids.md").write_text("2403.03507\n2401.00001\n", encoding="utf-8")
    papers, report = ingest([tmp_path])
    names = {Path(k).name: v for k, v in report.formats.items()}
    assert names == {"refs.txt": "bibtex", "list.bib": "markdown", "ids.md": "ids"}
    assert not report.file_errors and len(papers) == 7 + 6 + 2 - 2  # GaLore in all three


def test_ingest__unrecognised_file_rejected_with_line_and_reason(tmp_path: Path, capsys):
    (tmp_path / "notes.txt").write_text("\n\nJust one line of prose, no paper in it.\n", encoding="utf-8")
    papers, report = ingest([tmp_path])
    assert papers == [] and report.entries == 0
    [error] = report.file_errors
    assert (error.path, error.line) == (str(tmp_path / "notes.txt"), 3)
    assert "no paper blocks found" in error.message and "BibTeX" in error.message and "arXiv IDs" in error.message
    code = cli.main(["build", str(tmp_path), "--offline", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite")])
    assert code == 1 and "no papers found" in capsys.readouterr().err


def _entry(title: str, line: int, **ids: str) -> ListingEntry:
    return ListingEntry(title=title, abstract="", ids=PaperIds.of(**ids), location=SourceLocation(file="f", line=line))


def test_merge__ids_first_then_titles():
    problems = []
    papers = merge_entries([
        _entry("", 1, arxiv="2403.03507v2"),
        _entry("GaLore: Memory-Efficient LLM Training", 2, doi="https://doi.org/10.48550/arXiv.2403.03507"),  # the arXiv DOI
        _entry("galore:  memory-efficient LLM training", 3),  # the same title, normalised
        _entry("Two Papers, One Title", 4, arxiv="2401.00001"),
        _entry("Two Papers, One Title", 5, arxiv="2401.00002"),  # same title, another arXiv ID: kept apart
        _entry("", 6, doi="10.1000/X"),
        _entry("", 7, doi="10.1000/x"),  # DOIs compare in lower case
    ], problems)
    by_line = {tuple(loc.line for loc in p.locations): p for p in papers}
    assert sorted(by_line) == [(1, 2, 3), (4,), (5,), (6, 7)]
    galore = by_line[(1, 2, 3)]
    assert galore.title == "GaLore: Memory-Efficient LLM Training" and galore.arxiv_id == "2403.03507" and not galore.id_only
    assert galore.provenance["arxiv_id"].source == "input" and galore.provenance["arxiv_id"].evidence == "written in f:1"
    assert by_line[(6, 7)].id_only and by_line[(6, 7)].doi == "10.1000/x" and by_line[(6, 7)].id.startswith("doi-10-1000-x-")
    assert by_line[(4,)].id != by_line[(5,)].id
    assert [(p.line, p.kind) for p in problems] == [(5, "warning")] and "another arXiv ID (2401.00002" in problems[0].reason


def _mixed(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder)
    for path in INPUTS.iterdir():
        shutil.copy(path, folder)
    return folder


def test_ingest__mixed_folder_merges_across_formats(tmp_path: Path):
    papers, report = ingest([_mixed(tmp_path)])
    assert sorted(report.formats.values()) == ["bibtex", "ids", "ids", "listing", "markdown"]
    assert not report.file_errors
    assert report.entries == 77 + 7 + 6 + 7 + 3 and len(papers) == 89  # listing, bib, md, ids, hf
    galore = next(p for p in papers if p.arxiv_id == "2403.03507")
    assert galore.id == GALORE_ID and galore.title == GALORE  # the listing's paper, its id unchanged
    assert sorted(Path(loc.file).name for loc in galore.locations) == [
        "000_0e7f6b59274e8d02.txt", "awesome__handmade.md", "hf_urls__handmade.txt", "ids__handmade.txt", "papers__handmade.bib",
    ]
    assert len(galore.abstract) > 500  # the listing's abstract is kept
    frugal = next(p for p in papers if p.title.startswith("FRUGAL:"))
    assert frugal.arxiv_id == "2412.07752" and len(frugal.locations) == 3  # bib's arXiv DOI + ids' arXiv: + listing title
    id_only = sorted(p.ids.keys()[0] for p in papers if p.id_only)
    assert id_only == ["arxiv:2401.00002", "arxiv:2401.00003", "arxiv:2401.00006", "arxiv:2401.00007", "doi:10.1000/handmade.8"]
    assert all(p.title == "" and p.abstract == "" for p in papers if p.id_only)
    assert all(p.title or p.ids.keys() for p in papers)  # nothing without a title or an identifier


def test_build__mixed_folder_offline_outputs_load(tmp_path: Path, capsys):
    out = tmp_path / "out"
    code = cli.main(["build", str(_mixed(tmp_path)), "--offline", "--out", str(out), "--cache", str(tmp_path / "c.sqlite")])
    captured = capsys.readouterr()
    assert code == 0, captured.err[-500:]
    assert "Traceback" not in captured.err
    assert "formats: 1 bibtex, 2 ids, 1 listing, 1 markdown" in captured.out
    assert "5 papers known only by an ID, not hydrated (5 offline)" in captured.out
    assert "papers__handmade.bib:49: error: malformed BibTeX entry" in captured.err
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    assert len(papers) == 89 and sum(1 for p in papers if p.get("id_only")) == 5
    assert next(p for p in papers if p["arxiv_id"] == "2401.00002")["title"] == ""
    ET.parse(out / "graph.graphml")
    html.parser.HTMLParser().feed((out / "graph.html").read_text(encoding="utf-8"))
    for name in ("graph.graphml", "graph.json"):
        G = paperlineage.load(out / name)
        node = find_paper(G, "2401.00002")
        assert G.nodes[node]["title"] == "arXiv:2401.00002 (known only by its ID)" and G.nodes[node]["id_only"] is True
        assert neighbors(G, node) == [] and G.nodes[find_paper(G, "GaLore")].get("id_only") is None
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["file_errors"] == []
    for fmt in ("gexf", "csv"):  # the exports take an ID-only node (and its id_only attribute) too
        assert cli.main(["export", "--graph", str(out / "graph.graphml"), "--format", fmt, "--out", str(tmp_path / f"g.{fmt}")]) == 0
    assert "arXiv:2401.00002 (known only by its ID)" in (tmp_path / "g-nodes.csv").read_text(encoding="utf-8")


def test_id_only_paper__text_analysis_is_empty_not_a_crash():
    [paper] = merge_entries([_entry("", 1, arxiv="2401.00002")])
    enriched = enrich_from_text(paper)
    assert enriched.methods == [] and enriched.arxiv_refs == [] and enriched.github is None


def test_papers_json__listing_papers_carry_no_new_fields():
    papers, _ = ingest([SEED])
    document = papers_document(papers)
    assert not any("id_only" in p or "doi" in p for p in document)  # seeds' papers.json keeps its bytes
