"""Precision and recall of the text rules on real listings nobody here tuned them for.

The listings in ``tests/fixtures/hf_daily/`` are derived from ``../shared/hf-daily/`` (real
Hugging Face daily papers; ``make_listings.py`` says how). The labels beside them were made by
reading the abstracts, each with a quote (``LABELS.md``). By default only the dev labels are
scored; ``--holdout`` scores the third kept aside, to be run once the rules are done.

    PYTHONPATH=. .venv/bin/python bench/lineage_quality.py [--holdout] [--show]

Per listing and kind: TP, FP, FN over the labelled pairs (an edge of that kind between the two
papers: u → v for mentions, either way for shares_method), precision and recall; and for the
introduced names, precision and recall of each paper's ``methods`` against the labels. Each
split is scored twice: on the text alone (an offline build) and with the Hub's ``ai_keywords``
(``keywords.json``, what an online build gets from Hugging Face for the newer papers).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from paperlineage.enrich.ingest import ingest
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.titles import normalise_title
from paperlineage.graph.kinds import MENTIONS, SHARES_METHOD
from paperlineage.pipeline import link_papers

SHOW = "--show" in sys.argv[1:]  # print each miss and each wrong edge (dev labels only: keep the held-out third unread)
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "hf_daily"


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def score(split: str, with_keywords: bool) -> None:
    pairs = json.loads((FIXTURES / f"labels_pairs_{split}.json").read_text(encoding="utf-8"))
    names = json.loads((FIXTURES / f"labels_introduces_{split}.json").read_text(encoding="utf-8"))
    listings = sorted({p["listing"] for p in pairs} | {n["listing"] for n in names})
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    keywords = json.loads((FIXTURES / "keywords.json").read_text(encoding="utf-8")) if with_keywords else {}
    mode = "text + Hub ai_keywords (as online)" if with_keywords else "text only (as offline)"
    print(f"split: {split} ({len(pairs)} labelled pairs, {len(names)} labelled papers), {mode}")
    print(f"{'listing':34} {'kind':14} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>5} {'recall':>6}  produced")
    name_counts = [0, 0, 0]
    for listing in listings:
        papers = [enrich_from_text(p) for p in ingest([FIXTURES / listing])[0]]
        for paper in papers:
            paper.keywords = keywords.get(paper.title, [])
        by_title = {normalise_title(p.title): p for p in papers}
        graph, _ = link_papers(papers)
        edges = {(u, v, k) for u, v, k in graph.edges(keys=True)}
        produced = defaultdict(int)
        for _, _, k in edges:
            produced[k] += 1
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for pair in (p for p in pairs if p["listing"] == listing):
            u, v = by_title.get(normalise_title(pair["u_title"])), by_title.get(normalise_title(pair["v_title"]))
            if u is None or v is None:
                print(f"  (pair {pair['id']}: a title is not in the listing)", file=sys.stderr)
                continue
            kind = pair["kind"]
            if kind == MENTIONS:
                found = (u.id, v.id, MENTIONS) in edges
            else:
                found = (u.id, v.id, SHARES_METHOD) in edges or (v.id, u.id, SHARES_METHOD) in edges
            cell = counts[kind]
            if SHOW and found != pair["label"] and (kind == MENTIONS or found):
                print(f"  {'FP' if found else 'FN'} {kind} {pair['name']!r}: {pair['u_title'][:45]} -> {pair['v_title'][:45]}")
            if found and pair["label"]:
                cell[0] += 1
            elif found:
                cell[1] += 1
            elif pair["label"]:
                cell[2] += 1
        for kind, (tp, fp, fn) in sorted(counts.items()):
            print(f"{listing:34} {kind:14} {tp:>4} {fp:>4} {fn:>4} {_ratio(tp, tp + fp):>5} {_ratio(tp, tp + fn):>6}  {produced[kind]}")
            for i, n in enumerate((tp, fp, fn)):
                totals[kind][i] += n
        for label in (n for n in names if n["listing"] == listing):
            paper = by_title.get(normalise_title(label["title"]))
            if paper is None:
                continue
            truth = {n["name"].casefold() for n in label["introduces"]}
            got = {m.casefold() for m in paper.methods}
            name_counts[0] += len(truth & got)
            name_counts[1] += len(got - truth)
            name_counts[2] += len(truth - got)
    for kind, (tp, fp, fn) in sorted(totals.items()):
        print(f"{'all listings':34} {kind:14} {tp:>4} {fp:>4} {fn:>4} {_ratio(tp, tp + fp):>5} {_ratio(tp, tp + fn):>6}")
    tp, fp, fn = name_counts
    print(f"{'all listings':34} {'introduces':14} {tp:>4} {fp:>4} {fn:>4} {_ratio(tp, tp + fp):>5} {_ratio(tp, tp + fn):>6}")


if __name__ == "__main__":
    if SHOW and "--holdout" in sys.argv[1:]:
        sys.exit("--show is for the dev labels; the held-out third is scored, never read")
    for online in (False, True):
        score("holdout" if "--holdout" in sys.argv[1:] else "dev", online)
        print()
