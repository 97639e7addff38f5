"""Hydration of papers known only by an ID, and merging again once the APIs have spoken, through
the real HTTP layer against the SYNTHETIC world of tests/fake_apis.py (made-up papers and IDs,
recorded response formats)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from paperlineage import cli
from paperlineage.cache import HttpConfig
from paperlineage.enrich.sources import SOURCES
from paperlineage.pipeline import BuildOptions, run_build
from tests.fake_apis import ENV, World, WorldPaper, aim
from tests.listings import CHROME, block

# SYNTHETIC papers: made-up titles, IDs and abstracts.
ON_ARXIV = WorldPaper("ZetaNorm: Normalising Layers Without Statistics", "2501.00101", dt.date(2025, 1, 2),
                      authors=4, abstract="We propose ZetaNorm, a normalisation layer that trains faster than LayerNorm.")
ALSO_ON_ARXIV = WorldPaper("Sparse Mixture Routing for Long Context Models", "2501.00102", dt.date(2025, 1, 3),
                           abstract="We study routing tokens to experts over long contexts.")
HF_ONLY = WorldPaper("OmegaQuant: Two-Bit Weights for Small Models", "2501.00103", dt.date(2025, 1, 4), authors=2,
                     on_arxiv=False, abstract="We introduce OmegaQuant, a two-bit weight quantisation scheme.")
BY_DOI = WorldPaper("Kappa Attention in Journal Form", "2501.00104", dt.date(2025, 1, 5), on_arxiv=False, on_hf=False,
                    doi="10.1000/synthetic.4", abstract="We present Kappa attention for graphs.")
IDS = "\n".join(["2501.00101", "arXiv:2501.00102v2", "https://huggingface.co/papers/2501.00103",
                 "doi:10.1000/synthetic.4", "2501.00199"]) + "\n"  # the last one no API knows


def _build(tmp_path: Path, monkeypatch, httpserver: HTTPServer, world: World, files: dict[str, str], offline: bool = False):
    aim(monkeypatch, httpserver, world)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    http = HttpConfig(cache_path=tmp_path / "c.sqlite", offline=offline, rate_limits=dict.fromkeys(SOURCES, 1000.0), backoff_factor=0.01)
    return run_build([tmp_path / n for n in files], BuildOptions(out=tmp_path / "out", http=http))


def test_hydrate__mixed_id_list_online(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    world = World(papers=[ON_ARXIV, ALSO_ON_ARXIV, HF_ONLY, BY_DOI])
    result = _build(tmp_path, monkeypatch, httpserver, world, {"ids.txt": IDS})
    by_title = {p.title: p for p in result.papers}
    assert len(result.papers) == 5
    assert sorted(t for t in by_title if t) == sorted(p.title for p in world.papers)
    assert by_title[ON_ARXIV.title].provenance["title"].source == "arxiv"
    assert by_title[ON_ARXIV.title].abstract == ON_ARXIV.abstract and by_title[ON_ARXIV.title].authors == 4
    assert by_title[ON_ARXIV.title].date == ON_ARXIV.published
    assert by_title[HF_ONLY.title].provenance["title"].source == "huggingface"
    doi_paper = by_title[BY_DOI.title]
    assert doi_paper.provenance["title"].source == "semanticscholar" and doi_paper.arxiv_id == BY_DOI.arxiv_id
    assert "ZetaNorm" in by_title[ON_ARXIV.title].methods and "OmegaQuant" in by_title[HF_ONLY.title].methods
    assert not any(p.id_only for p in result.papers if p.title)
    (left,) = [p for p in result.papers if p.id_only]
    assert left.arxiv_id == "2501.00199"
    assert {r.failure.kind for r in result.outcomes.reasons_for("title", left.id)} == {"not found"}
    # Batches: one id_list for hydration (the confirmation stage asks its own), one S2 batch for hydration.
    id_lists = [r for r, _ in httpserver.log if r.path == "/arxiv/api/query" and "id_list" in r.args]
    assert len(id_lists) == 2 and "2501.00101" in id_lists[0].args["id_list"] and "2501.00199" in id_lists[0].args["id_list"]
    batches = [json.loads(r.get_data())["ids"] for r, _ in httpserver.log if r.path == "/s2/graph/v1/paper/batch"]
    assert batches[0] == ["ARXIV:2501.00199", "DOI:10.1000/synthetic.4"]
    searches = [r for r, _ in httpserver.log if "search" in r.path or "search_query" in r.args]
    assert searches == []  # hydrated papers are not searched by title


def test_hydrate__offline_stays_id_only_and_is_counted(tmp_path: Path, monkeypatch, httpserver: HTTPServer, capsys):
    aim(monkeypatch, httpserver, World(papers=[ON_ARXIV]))
    (tmp_path / "ids.txt").write_text(IDS, encoding="utf-8")
    code = cli.main(["build", str(tmp_path / "ids.txt"), "--offline", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite")])
    out = capsys.readouterr().out
    assert code == 0
    assert "5 papers known only by an ID, not hydrated (5 offline)" in out
    papers = json.loads((tmp_path / "out" / "papers.json").read_text(encoding="utf-8"))
    assert len(papers) == 5 and all(p["id_only"] and p["title"] == "" for p in papers)
    assert httpserver.log == []


def test_hydrate__unreachable_hosts_say_so(tmp_path: Path, monkeypatch, capsys):
    for variable in ENV.values():
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    (tmp_path / "ids.txt").write_text("2501.00101\n", encoding="utf-8")
    code = cli.main(["build", str(tmp_path / "ids.txt"), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite")])
    assert code == 0
    assert "1 papers known only by an ID, not hydrated (1 unreachable)" in capsys.readouterr().out


@pytest.mark.parametrize("with_bib", [False, True], ids=["id-only", "id-only-and-bibtex"])
def test_remerge__listing_paper_and_id_only_paper_with_the_id_found_online(tmp_path: Path, monkeypatch, httpserver: HTTPServer, with_bib: bool):
    # Nothing knows 2501.00201 by its ID (so it stays ID-only through hydration), but arXiv's title
    # search finds the listing's paper under that ID: after resolution they are one paper. The
    # BibTeX entry spells the title otherwise, so only the ID ties it in.
    hidden = WorldPaper("Lambda Schedules for Warmup-Free Training", "2501.00201", dt.date(2025, 1, 9),
                        on_arxiv=False, on_hf=False, on_s2=False, on_openalex=False)
    files = {"l.txt": CHROME + block(hidden.title, "We propose Lambda schedules, which remove warmup from training."), "ids.txt": "2501.00201\n"}
    if with_bib:
        files["refs.bib"] = "@article{other, title = {Lambda schedules for warmup-free training (extended preprint)}, eprint = {2501.00201}, archivePrefix = {arXiv}}\n"
    result = _build(tmp_path, monkeypatch, httpserver, World(papers=[hidden]), files)
    assert result.ingest.entries == len(files) and len(result.papers) == 1
    (paper,) = result.papers
    assert paper.title == hidden.title and paper.arxiv_id == "2501.00201" and not paper.id_only
    assert paper.provenance["arxiv_id"].source.startswith("arxiv")  # found by the listing's title search
    assert sorted(loc.file.rsplit("/", 1)[-1] for loc in paper.locations) == sorted(files)
    assert paper.id.startswith("lambda-schedules")  # the listing's title id, not the identifier's
    again = _build(tmp_path, monkeypatch, httpserver, World(papers=[hidden]), files)
    assert [p.id for p in again.papers] == [paper.id]  # deterministic


def test_remerge__hydrated_title_meets_its_listing_paper(tmp_path: Path, monkeypatch, httpserver: HTTPServer):
    listing = CHROME + block(ON_ARXIV.title, ON_ARXIV.abstract)
    result = _build(tmp_path, monkeypatch, httpserver, World(papers=[ON_ARXIV]), {"l.txt": listing, "ids.txt": "2501.00101\n"})
    (paper,) = result.papers
    assert paper.arxiv_id == "2501.00101" and len(paper.locations) == 2
    assert not [r for r, _ in httpserver.log if "search" in r.path or "search_query" in r.args]  # its ID came with its twin
