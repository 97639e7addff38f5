"""Each issue-16 speed-up timed against the code it replaced (``bench/legacy.py``), in one run,
on the same SYNTHETIC corpus and graph as ``bench/graph_scale.py``. Prints old s, new s, the
ratio old/new, and whether the results are equal (bytes for files, values otherwise).

    PYTHONPATH=. .venv/bin/python bench/graph_scale.py --compare 100000
"""

from __future__ import annotations

import gc
import json
import tempfile
import time
from pathlib import Path

from bench import legacy


def _timed(function):
    gc.collect()
    began = time.perf_counter()
    value = function()
    return time.perf_counter() - began, value


def _row(name: str, old, new, same) -> None:
    (t_old, _), (t_new, _) = old, new
    print(f"{name:<46} {t_old:>8.2f} {t_new:>8.2f} {t_old / max(t_new, 1e-9):>7.1f}x  {same}", flush=True)


def compare(n: int) -> None:
    from bench.graph_scale import write_listings
    from paperlineage.enrich.idlist import bare_ids
    from paperlineage.enrich.ingest import ingest
    from paperlineage.enrich.text import from_text
    from paperlineage.enrich.text.links import github_repos
    from paperlineage.enrich.text.scan import mask_urls, paper_text
    from paperlineage.enrich.titles import normalise_title, symbols
    from paperlineage.graph import analysis
    from paperlineage.graph.export_graphml import write_graphml
    from paperlineage.graph.export_json import write_graph_json, write_papers_json
    from paperlineage.pipeline import link_papers

    with tempfile.TemporaryDirectory(prefix="paperlineage-compare-") as tmp:
        folder = Path(tmp)
        paths = write_listings(n, folder)
        papers, _ = ingest(paths)
        texts = [p.abstract for p in papers]
        lines = [line for p in papers for line in (p.title, p.abstract)]
        raw = "".join(path.read_text(encoding="utf-8") for path in paths)
        print(f"\n== {n:,} synthetic papers: old vs new, same input, one run ==")
        print(f"{'speed-up':<46} {'old s':>8} {'new s':>8} {'ratio':>8}  same result")
        old, new = _timed(lambda: [legacy.control_count(raw)]), _timed(lambda: [len(__import__("paperlineage.enrich.listing", fromlist=["_CONTROLS"])._CONTROLS.findall(raw))])
        _row("ingest: control characters (regex count)", old, new, old[1] == new[1])
        old, new = _timed(lambda: [legacy.bare_ids(x) for x in lines]), _timed(lambda: [bare_ids(x) for x in lines])
        _row("ingest: ID-line detection (stop at 1st word)", old, new, old[1] == new[1])
        titles = [p.title for p in papers]
        old = _timed(lambda: [(legacy.normalise_title(t), legacy.symbols(t)) for t in titles])
        new = _timed(lambda: [(normalise_title(t), symbols(t)) for t in titles])
        _row("ingest: title keys (ASCII fast path)", old, new, old[1] == new[1])
        old, new = _timed(lambda: [legacy.copy_paper(p) for p in papers]), _timed(lambda: [from_text._copy(p) for p in papers])
        _row("text: paper copy (no deepcopy)", old, new, [p.model_dump() for p in old[1]] == [p.model_dump() for p in new[1]])
        old, new = _timed(lambda: [legacy.github_repos(t) for t in texts]), _timed(lambda: [github_repos(t) for t in texts])
        _row("text: GitHub links (literal cue first)", old, new, old[1] == new[1])
        scanned = [paper_text(p) for p in papers]
        old, new = _timed(lambda: [legacy.mask_urls(t) for t in scanned]), _timed(lambda: [mask_urls(t) for t in scanned])
        _row("scan: URL masking ('/' or 'www.' cue first)", old, new, old[1] == new[1])
        del texts, lines, raw, scanned
        papers = [from_text.enrich_from_text(p) for p in papers]
        graph, _ = link_papers(papers)
        converted = analysis.paper_igraph(graph)
        old = _timed(lambda: legacy.communities(graph))
        new = _timed(lambda: analysis.communities(graph, analysis.paper_igraph(graph)))
        _row("communities (conversion + Louvain)", old, new, old[1] == new[1])
        old, new = _timed(lambda: legacy.influence_pagerank(graph)), _timed(lambda: analysis.influence_pagerank(graph, converted))
        worst = max(abs(old[1][k] - new[1][k]) for k in old[1])
        _row("PageRank: nx.pagerank -> igraph PRPACK", old, new, f"max |diff| {worst:.1e}")
        old, new = _timed(lambda: legacy.degrees(graph)), _timed(lambda: analysis.degree_counts(graph))
        _row("degrees per kind: one pass", old, new, old[1] == new[1])
        for name, old_writer, new_writer in (
            ("papers.json: json -> orjson", lambda p: legacy.write_papers_json(papers, p), lambda p: write_papers_json(papers, p)),
            ("graph.json: json -> orjson", lambda p: legacy.write_graph_json(graph, p), lambda p: write_graph_json(graph, p)),
            ("graph.graphml: ElementTree -> streaming", lambda p: legacy.write_graphml(graph, p), lambda p: write_graphml(graph, p)),
        ):
            a, b = folder / "old.out", folder / "new.out"
            old, new = _timed(lambda: old_writer(a)), _timed(lambda: new_writer(b))
            if a.read_bytes() == b.read_bytes():
                same = "bytes equal"
            elif a.suffix == ".out" and name.endswith("orjson"):  # orjson writes 5e-6 where json wrote 5e-06
                same = "same JSON value, bytes differ" if json.loads(a.read_bytes()) == json.loads(b.read_bytes()) else "VALUES DIFFER"
            else:
                same = "bytes DIFFER"
            _row(name, old, new, same)
            a.unlink()
            b.unlink()
