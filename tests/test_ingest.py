from __future__ import annotations

from pathlib import Path

from paperlineage.enrich.ingest import ingest
from tests.listings import LONG, block, listing

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_ingest__seeds_counts_and_merges():
    papers, report = ingest([SEEDS])
    assert report.entries == 338
    assert len(papers) == 306
    assert not report.file_errors and not report.skipped_blocks
    frugal = [p for p in papers if p.title.startswith("FRUGAL:")]
    assert len(frugal) == 1
    assert sorted(loc.file.rsplit("/", 1)[-1][:3] for loc in frugal[0].locations) == ["000", "001", "004"]
    # the merged record keeps the metadata only one listing had
    assert frugal[0].authors == 4 and str(frugal[0].date) == "2024-11-12"


def test_ingest__duplicates_merge_across_spellings(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(listing(block("Nyström-LoRA: A Method", LONG)))
    (tmp_path / "b.txt").write_bytes(listing(block('Nystr\\"om-LoRA:  A  method', LONG + "More.", "  • 3 authors\n·\nMay 2, 2024 7")))
    papers, report = ingest([tmp_path])
    assert report.entries == 2 and len(papers) == 1
    paper = papers[0]
    assert [loc.file for loc in paper.locations] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert paper.authors == 3 and paper.upvotes == 7 and paper.abstract.endswith("More.")


def test_ingest__bad_file_reported_others_load(tmp_path: Path):
    (tmp_path / "good.txt").write_bytes(listing(block("Alpha: One", LONG)))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9: A Title\n\nabstract".encode("latin-1"))
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)))
    papers, report = ingest([tmp_path])
    assert [p.title for p in papers] == ["Alpha: One"]
    errors = sorted(str(e) for e in report.file_errors)
    assert errors == [
        f"{tmp_path / 'binary.bin'}:1: binary data (NUL byte): not a text listing",
        f"{tmp_path / 'empty.txt'}:1: empty file: no paper listing in it",
        f"{tmp_path / 'latin1.txt'}:1: not UTF-8 text (byte 0xe9 at column 4); save the listing as UTF-8",
    ]
