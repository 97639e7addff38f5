"""Benchmark: build the lineage graph for a synthetic corpus of N papers.

Prints build time and the process's peak resident memory so far (run sizes in increasing order). The corpus is generated here
(synthetic, not real papers): every paper introduces a coined name, and its
abstract names a few earlier papers' methods and a few curated methods, so the
scan, mentions, shared methods and analysis all do realistic work.

    python bench/graph_scale.py 10000 100000
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import resource

from paperlineage.enrich.models import Paper
from paperlineage.pipeline import link_papers

CURATED = ["LoRA", "speculative decoding", "KV cache", "GPTQ", "AdamW", "FlashAttention", "MeZO", "ZeRO", "DPO", "RoPE"]
WORDS = "memory efficient training of large language models with low rank updates and sparse attention".split()


def synthetic_corpus(n: int, seed: int = 7) -> list[Paper]:
    rng = random.Random(seed)
    names = [f"Zx{i:06d}Net" for i in range(n)]
    papers = []
    start = dt.date(2018, 1, 1)
    for i in range(n):
        cited = [names[j] for j in rng.sample(range(i), min(i, 3))]
        used = rng.sample(CURATED, 2)
        filler = " ".join(rng.choice(WORDS) for _ in range(120))
        abstract = (
            f"In this paper, we propose {names[i]}, a new method. It outperforms baselines such as "
            f"{', '.join(cited) or 'prior work'} and combines {used[0]} with {used[1]}. {filler}."
        )
        papers.append(
            Paper(
                id=f"p{i:07d}",
                title=f"{names[i]}: {' '.join(rng.choice(WORDS) for _ in range(6))}",
                abstract=abstract,
                date=start + dt.timedelta(days=i * 3000 // n),
                methods=[names[i]],
            )
        )
    return papers


def main(sizes: list[int]) -> None:
    print(f"{'papers':>8} {'edges':>9} {'build s':>8} {'peak RSS MiB':>13}")
    for n in sizes:
        papers = synthetic_corpus(n)
        began = time.perf_counter()
        graph, _ = link_papers(papers)
        elapsed = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(f"{n:>8} {graph.number_of_edges():>9} {elapsed:>8.1f} {peak:>13.0f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
