from __future__ import annotations

import math
from pathlib import Path

import pytest

from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.ingest import ingest
from paperlineage.enrich.text.vocabulary import corpus_vocabulary, curated_vocabulary
from paperlineage.enrich.text.scan import scan
from paperlineage.pipeline import link_papers
from paperlineage.enrich.text.scan import uses
from paperlineage.graph.shared_methods import shared_methods
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


def _uses_by_title(papers):
    _, curated = curated_vocabulary()
    vocabulary = corpus_vocabulary(papers, curated)
    used = uses(papers, vocabulary, scan(papers, vocabulary))
    return {p.title: used[p.id] for p in papers}


@pytest.mark.parametrize(
    ("sentence", "method"),
    [
        ("Long sequences are critical for applications like RAG, long document summarization, multi-modality, etc.", "retrieval-augmented generation"),
        ("Large models show emergent abilities of LLMs (e.g., in-context learning) that are not present in small models.", "in-context learning"),
        ("QZO is orthogonal to both scalar-based and codebook-based post-training quantization methods.", "post-training quantization"),
        ("We demonstrate an 8x faster search result than the state-of-the-art Bayesian optimization WeakNAS approach.", "Bayesian optimization"),
        ("In light of these challenges, previous studies explored In-Context Learning (ICL) as an effective strategy.", "in-context learning"),
        ("Few-shot prompting hinders o1, suggesting that in-context learning may no longer be an effective steering approach.", "in-context learning"),
    ],
)
def test_uses__generic_phrase_named_but_not_used(tmp_path: Path, sentence: str, method: str):
    by_title = _uses_by_title(_papers(tmp_path, block("Paper A", sentence + " " + LONG)))
    assert method not in by_title["Paper A"]


@pytest.mark.parametrize(
    ("sentence", "method"),
    [
        ("We build a retrieval-augmented generation (RAG) pipeline for long documents.", "retrieval-augmented generation"),
        ("The Chronicles of RAG: The Retriever, the Chunk and the Generator.", "retrieval-augmented generation"),
        ("LLMs perform well on many tasks, primarily through in-context learning (ICL).", "in-context learning"),
        ("Post-Training Quantization (PTQ) is an effective method for reducing memory costs.", "post-training quantization"),
        ("Its parameters are optimized by Bayesian Optimization.", "Bayesian optimization"),
    ],
)
def test_uses__generic_phrase_used(tmp_path: Path, sentence: str, method: str):
    by_title = _uses_by_title(_papers(tmp_path, block("Paper A", sentence + " " + LONG)))
    assert method in by_title["Paper A"]


def test_scan__urls_are_not_scanned(tmp_path: Path):
    text = (
        "ALST is open-sourced via Deepspeed https://www.deepspeed.ai/tutorials/ulysses-alst-sequence-pallellism/ and "
        "Arctic Training https://github.com/snowflakedb/ArcticTraining/blob/main/projects/sequence-parallelism/README.md. "
    )
    papers = _papers(tmp_path, block("Paper A", text + LONG))
    _, curated = curated_vocabulary()
    occurrences = scan(papers, corpus_vocabulary(papers, curated)).occurrences
    assert [o.method for o in occurrences] == []
    papers = _papers(tmp_path, block("Paper A", "We combine sequence parallelism with offloading. " + LONG))
    assert [o.method for o in scan(papers, corpus_vocabulary(papers, curated)).occurrences] == ["sequence parallelism"]


def test_uses__unlinkable_method_found_but_not_used(tmp_path: Path):
    papers = _papers(tmp_path, *[block(f"Paper {i}", f"We fine-tune Transformer-based models such as BERT for task {i}. " + LONG) for i in range(2)])
    _, curated = curated_vocabulary()
    vocabulary = corpus_vocabulary(papers, curated)
    found = {o.method for o in scan(papers, vocabulary).occurrences}
    assert {"Transformer", "BERT"} <= found
    assert all(methods == [] for methods in uses(papers, vocabulary, scan(papers, vocabulary)).values())


@pytest.mark.parametrize(
    "keyword", ["MRR", "NDCG@10", "EM", "F1", "BLEU", "Natural Questions (NQ) dataset", "MT-Bench", "large language models",
                "language models (LMs)", "machine translation", "open-domain question answering (ODQA)", "LLaMA-13B", "Llama 3", "reasoning"],
)
def test_uses__hugging_face_keyword_that_is_no_method(tmp_path: Path, keyword: str):
    papers = _papers(tmp_path, block("Paper A", "Text A. " + LONG), block("Paper B", "Text B. " + LONG))
    for paper in papers:
        paper.keywords = [keyword, "gradient low-rank projection"]
    assert all(methods == ["low-rank gradient projection"] for methods in _uses_by_title(papers).values())


def test_uses__hugging_face_keywords_end_to_end(tmp_path: Path, monkeypatch):
    """SYNTHETIC: four papers whose HF ai_keywords differ; only a shared method keyword links two of them."""
    import datetime as dt

    from pytest_httpserver import HTTPServer

    from paperlineage.cache import HttpConfig
    from paperlineage.enrich.sources import SOURCES
    from paperlineage.pipeline import BuildOptions, run_build
    from tests.fake_apis import World, WorldPaper, aim

    noise = ["MRR", "NDCG@10", "Natural Questions (NQ) dataset", "large language models", "reading comprehension"]
    fake = World(papers=[
        WorldPaper("Projected Gradients for Pretraining", "2404.00001", dt.date(2024, 4, 1), keywords=["gradient low-rank projection", *noise]),
        WorldPaper("Subspace Optimizers Revisited", "2405.00002", dt.date(2024, 5, 1), keywords=["Gradient Low-Rank Projection", *noise[:3]]),
        WorldPaper("Dense Passage Ranking at Scale", "2406.00003", dt.date(2024, 6, 1), keywords=[*noise, "machine translation"]),
        WorldPaper("Drafting Tokens in Parallel", "2407.00004", dt.date(2024, 7, 1), keywords=["speculative decoding", "MRR"]),
    ])
    server = HTTPServer()
    server.start()
    try:
        aim(monkeypatch, server, fake)
        (tmp_path / "l.txt").write_bytes(listing(*[block(p.title, LONG) for p in fake.papers]))
        http = HttpConfig(cache_path=tmp_path / "c.sqlite", rate_limits={s: 1000.0 for s in SOURCES})
        result = run_build([tmp_path / "l.txt"], BuildOptions(out=tmp_path / "out", http=http))
    finally:
        server.clear()
        server.stop()
    by_title = {p.title: p for p in result.papers}
    assert by_title["Drafting Tokens in Parallel"].keywords == ["MRR", "speculative decoding"]  # each paper its own
    title = {n: d["title"] for n, d in result.graph.nodes(data=True)}
    shared = {(title[u], title[v]): d["names"] for u, v, k, d in result.graph.edges(keys=True, data=True) if k == "shares_method"}
    assert shared == {("Projected Gradients for Pretraining", "Subspace Optimizers Revisited"): "low-rank gradient projection"}
