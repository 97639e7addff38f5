from __future__ import annotations

import math
from pathlib import Path

import pytest

from enrich.from_text import enrich_from_text
from enrich.ingest import ingest
from enrich.vocabulary import corpus_vocabulary, curated_vocabulary
from graph.method_index import scan
from graph.pipeline import link_papers
from graph.shared_methods import shared_methods, uses
from tests.listings import LONG, block, listing


def _papers(tmp_path: Path, *blocks: str):
    (tmp_path / "l.txt").write_bytes(listing(*blocks))
    return [enrich_from_text(p) for p in ingest([tmp_path])[0]]


def test_scan__case_and_boundaries(tmp_path: Path):
    papers = _papers(
        tmp_path,
        block("Paper A", "We fine-tune with LoRA and Speculative Decoding on explorative tasks with lora. " + LONG),
    )
    _, curated = curated_vocabulary()
    found = {o.method for o in scan(papers, corpus_vocabulary(papers, curated)).occurrences}
    assert {"LoRA", "speculative decoding"} <= found
    assert "Transformer" not in found


def test_shared_methods__rare_shared_method_links_pair(tmp_path: Path):
    filler = [block(f"Filler Paper {i}", f"Filler text number {i}. " + LONG) for i in range(40)]
    papers = _papers(
        tmp_path,
        block("Paper A", "We accelerate inference with speculative decoding and a KV cache. " + LONG, "  • 2 authors\n·\nJan 5, 2024"),
        block("Paper B", "Speculative decoding helps; we also use GPTQ. " + LONG, "  • 2 authors\n·\nFeb 5, 2024"),
        block("Paper C", "We quantize with GPTQ. " + LONG, "  • 2 authors\n·\nMar 5, 2024"),
        *filler,
    )
    _, curated = curated_vocabulary()
    vocabulary = corpus_vocabulary(papers, curated)
    used = uses(papers, vocabulary, scan(papers, vocabulary))
    edges, too_common = shared_methods(papers, used)
    by_title = {p.id: p.title for p in papers}
    pairs = {(by_title[e.source], by_title[e.target]): e for e in edges}
    assert set(pairs) == {("Paper A", "Paper B"), ("Paper B", "Paper C")}
    assert pairs[("Paper A", "Paper B")].names == ["speculative decoding"]
    assert pairs[("Paper A", "Paper B")].weight == pytest.approx(math.log(1 + len(papers) / 2))
    assert too_common == {}


def test_shared_methods__too_common_method_is_not_linked(tmp_path: Path):
    papers = _papers(tmp_path, *[block(f"Paper {i}", f"Paper {i} uses LoRA adapters. " + LONG) for i in range(6)])
    _, curated = curated_vocabulary()
    vocabulary = corpus_vocabulary(papers, curated)
    used = uses(papers, vocabulary, scan(papers, vocabulary))
    edges, too_common = shared_methods(papers, used)
    assert edges == [] and too_common["LoRA"] == 6


def test_link_papers__analysis_and_method_view(tmp_path: Path):
    papers = _papers(
        tmp_path,
        block("GaLore: Memory-Efficient Training", "In this work, we propose Gradient Low-Rank Projection (GaLore), a strategy. " + LONG, "  • 6 authors\n·\nMar 6, 2024"),
        block("FRUGAL: Full-Rank Updates", "Methods such as GaLore reduce memory; we introduce FRUGAL. " + LONG, "  • 4 authors\n·\nNov 12, 2024"),
        block("Fira: Full-rank Training", "Fira outperforms GaLore, a method for training. " + LONG, "  • 5 authors\n·\nOct 1, 2024"),
        block("Unrelated: Another Topic", "Something about vision. " + LONG, "  • 2 authors\n·\nJan 1, 2024"),
    )
    graph, _ = link_papers(papers, method_view=True)
    galore = next(n for n, d in graph.nodes(data=True) if d.get("title", "").startswith("GaLore:"))
    data = graph.nodes[galore]
    assert data["out_mentions"] == 2 and data["in_mentions"] == 0 and data["year"] == 2024
    ranks = {d["title"].split(":")[0]: d["pagerank"] for _, d in graph.nodes(data=True) if d["node_type"] == "paper"}
    assert max(ranks, key=ranks.get) == "GaLore"
    communities = {d["title"].split(":")[0]: d["community"] for _, d in graph.nodes(data=True) if d["node_type"] == "paper"}
    assert communities["GaLore"] == communities["FRUGAL"] == communities["Fira"] != communities["Unrelated"]
    assert graph.has_edge(galore, "method:GaLore", key="introduces")
    users = {graph.nodes[v]["title"].split(":")[0] for _, v, k in graph.out_edges("method:GaLore", keys=True) if k == "uses"}
    assert users == {"FRUGAL", "Fira"}


def test_link_papers__deterministic_communities(tmp_path: Path):
    papers = _papers(tmp_path, *[block(f"Paper {i}", f"Paper {i} uses speculative decoding. " + LONG) for i in range(3)])
    first = [d.get("community") for _, d in link_papers(papers)[0].nodes(data=True)]
    second = [d.get("community") for _, d in link_papers(list(reversed(papers)))[0].nodes(data=True)]
    assert first == second


def test_uses__hugging_face_keywords_shared_by_two_papers(tmp_path: Path):
    papers = _papers(tmp_path, block("Paper A", "Text A. " + LONG), block("Paper B", "Text B. " + LONG), block("Paper C", "Text C. " + LONG))
    papers[0].keywords = ["gradient low-rank projection", "reasoning", "KV cache"]
    papers[1].keywords = ["Gradient Low-Rank Projection", "reasoning"]
    papers[2].keywords = ["kv cache"]
    _, curated = curated_vocabulary()
    vocabulary = corpus_vocabulary(papers, curated)
    used = uses(papers, vocabulary, scan(papers, vocabulary))
    by_title = {p.title: used[p.id] for p in papers}
    assert by_title["Paper A"] == ["KV cache", "low-rank gradient projection"]  # aliases map to the curated name
    assert by_title["Paper B"] == ["low-rank gradient projection"]
    assert "reasoning" not in by_title["Paper A"]  # a single plain word is a topic, not a method
    assert "KV cache" in by_title["Paper C"] and "KV cache" in by_title["Paper A"]
