"""An invented graph big enough for the page's overview mode (not real papers).

`n` papers in communities of different sizes, each mentioning three earlier papers' methods
and sharing a method with a few others, about a dozen edges a paper as in the benchmark's
synthetic corpus; PageRank falls with the index, so the first papers are the top ones.
"""

from __future__ import annotations

import random

import networkx as nx

from paperlineage.graph import kinds


def big_graph(n: int, seed: int = 3, titles: dict[int, str] | None = None) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    for i in range(n):
        community = min(int((i * 7919 % n) ** 0.5 / n**0.5 * 30), 29)  # 30 communities, smaller as the number grows
        graph.add_node(
            f"p{i:05d}", node_type="paper", title=(titles or {}).get(i, f"Net{i}: memory efficient training {i}"),
            methods=f"Net{i}", community=community, pagerank=round(1.0 / (i + 1), 8), year=2018 + i * 8 // n,
            date=f"{2018 + i * 8 // n}-0{1 + i % 9}-1{i % 10}", abstract=f"We propose Net{i}.", stars=i % 50,
        )
    for i in range(1, n):
        for j in sorted(set(rng.sample(range(i), min(i, 3)))):
            graph.add_edge(f"p{j:05d}", f"p{i:05d}", key=kinds.MENTIONS, kind=kinds.MENTIONS, names=f"Net{j}",
                           evidence=f"It builds on Net{j}.", weight=1.0, confirmed=j % 5 == 0)
        for j in sorted(set(rng.sample(range(i), min(i, 9)))):
            graph.add_edge(f"p{j:05d}", f"p{i:05d}", key=kinds.SHARES_METHOD, kind=kinds.SHARES_METHOD,
                           names="LoRA", evidence="", weight=0.5, undirected=True)
    return graph
