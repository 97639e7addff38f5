from __future__ import annotations

from pathlib import Path

import pytest

from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.ingest import ingest
from paperlineage.pipeline import link_papers
from tests.listings import LONG, block, listing

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _graph(paths):
    papers = [enrich_from_text(p) for p in ingest(paths)[0]]
    graph, report = link_papers(papers)
    return graph, {p.id: p.title for p in papers}, report


def _edges_by_title(graph, titles, kind="mentions"):
    return {(titles[u].split(":")[0], titles[v].split(":")[0]) for u, v, k in graph.edges(keys=True) if k == kind}


@pytest.fixture(scope="module")
def seeds_graph():
    return _graph([SEEDS])


def test_find_mentions__galore_lineage_on_seeds(seeds_graph):
    graph, titles, _ = seeds_graph
    edges = _edges_by_title(graph, titles)
    for child in ("FRUGAL", "Fira", "Natural GaLore"):
        assert ("GaLore", child) in edges
    # direction: the later work points away from GaLore, never into it
    assert not any(child == "GaLore" for _, child in edges)


def test_find_mentions__edges_carry_kind_and_evidence(seeds_graph):
    graph, titles, _ = seeds_graph
    for u, v, data in graph.edges(data=True):
        assert data["kind"] in {"mentions", "shares_method"}
        assert data["evidence"] and data["names"]
        if data["kind"] == "shares_method":
            continue
        for name in data["names"].split("; "):
            assert name in data["evidence"] or name.replace(" ", "-") in data["evidence"]


def test_find_mentions__common_word_names_need_method_use(tmp_path: Path):
    listing_bytes = listing(
        block("COSMOS: A Hybrid Adaptive Optimizer for Memory-Efficient Training", "In this paper, we propose COSMOS, a novel hybrid optimizer. " + LONG, "  • 8 authors\n·\nFeb 24, 2025"),
        block("LISA: Layerwise Importance Sampling", "We name it Layerwise Importance Sampled AdamW (LISA), an alternative for LoRA. " + LONG, "  • 7 authors\n·\nMar 26, 2024"),
        block("Deep Fields of Galaxies", "We observe galaxies in the COSMOS field with a new telescope survey. " + LONG, "  • 3 authors\n·\nMay 1, 2025"),
        block("Gravitational Waves in Space", "The LISA mission will detect waves from merging black holes. " + LONG, "  • 3 authors\n·\nMay 1, 2025"),
        block("A Study of Optimizers", "We compare AdamW with optimizers such as COSMOS and LISA on language modelling. " + LONG, "  • 3 authors\n·\nJun 1, 2025"),
    )
    (tmp_path / "l.txt").write_bytes(listing_bytes)
    graph, titles, report = _graph([tmp_path])
    edges = _edges_by_title(graph, titles)
    assert edges == {("COSMOS", "A Study of Optimizers"), ("LISA", "A Study of Optimizers")}
    assert any("COSMOS" in r for r in report.rejected) and any("LISA" in r for r in report.rejected)


def test_find_mentions__no_backwards_in_time(tmp_path: Path):
    (tmp_path / "l.txt").write_bytes(
        listing(
            block("GaLore: Memory-Efficient Training", "In this work, we propose Gradient Low-Rank Projection (GaLore), a strategy. " + LONG, "  • 6 authors\n·\nMar 6, 2024"),
            block("An Old Paper", "An old method that GaLore later compared against. " + LONG, "  • 2 authors\n·\nJan 1, 2019"),
        )
    )
    graph, titles, report = _graph([tmp_path])
    assert not _edges_by_title(graph, titles)
    # a paper dated years before the 'introducer' names it: the name was not introduced there
    assert any("earlier papers already name it" in r and "galore" in r for r in report.rejected)


def _two_apollos(folder: Path) -> Path:
    """A listing where two unrelated papers introduce 'APOLLO' and a third names it."""
    (folder / "l.txt").write_bytes(
        listing(
            block("APOLLO: SGD-like Memory, AdamW-level Performance", LONG),
            block("APOLLO: A Planetary Landing Simulator", LONG),
            block("Later Work", "We improve on the APOLLO optimizer method. " + LONG),
        )
    )
    return folder / "l.txt"


def test_find_mentions__name_claimed_by_two_papers_is_not_linked(tmp_path: Path):
    _two_apollos(tmp_path)
    graph, titles, report = _graph([tmp_path])
    assert not _edges_by_title(graph, titles)
    assert len(report.ambiguous_names["APOLLO"]) == 2


def test_find_mentions__longest_name_wins(tmp_path: Path):
    (tmp_path / "l.txt").write_bytes(
        listing(
            block("GaLore: Memory-Efficient Training", LONG),
            block("Natural GaLore: Accelerating GaLore", "This work introduces Natural GaLore, a drop-in method. " + LONG),
            block("Third Paper", "We build on Natural GaLore for fine-tuning. " + LONG),
        )
    )
    graph, titles, _ = _graph([tmp_path])
    edges = _edges_by_title(graph, titles)
    assert ("Natural GaLore", "Third Paper") in edges
    assert ("GaLore", "Third Paper") not in edges
    assert ("GaLore", "Natural GaLore") in edges


def _cue_listing(*abstracts: str) -> bytes:
    return listing(
        block("Sophia: A Scalable Stochastic Second-order Optimizer", "We propose Sophia, a second-order optimizer. " + LONG, "  • 5 authors\n·\nMay 23, 2023"),
        block("APOLLO: SGD-like Memory, AdamW-level Performance", "We propose APOLLO, a memory-efficient optimizer. " + LONG, "  • 9 authors\n·\nDec 6, 2024"),
        block("COSMOS: A Hybrid Adaptive Optimizer", "In this paper, we propose COSMOS, a novel hybrid optimizer. " + LONG, "  • 8 authors\n·\nFeb 24, 2025"),
        *[block(f"Later Paper {n}", text + " " + LONG, "  • 3 authors\n·\nJun 1, 2025") for n, text in enumerate(abstracts)],
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The humanoid robot Sophia answered questions from the audience during training sessions.",
        "Sophia answered questions from the audience during training sessions.",  # 'training' is far from the name
        "APOLLO program samples show an approach to dating lunar rocks.",
        "APOLLO samples returned to Earth show an approach to dating rocks.",
        "COSMOS-Web imaging with a new deep-learning approach reveals faint sources.",
        "We mapped the COSMOS field with a new method.",
    ],
)
def test_find_mentions__word_like_name_without_a_cue_next_to_it(tmp_path: Path, sentence: str):
    (tmp_path / "l.txt").write_bytes(_cue_listing(sentence))
    graph, titles, report = _graph([tmp_path])
    assert not {e for e in _edges_by_title(graph, titles) if e[1] == "Later Paper 0"}
    later = next(i for i, t in titles.items() if t == "Later Paper 0")
    assert any(r.startswith(f"{later}: ") for r in report.rejected)


@pytest.mark.parametrize(
    ("sentence", "method"),
    [
        ("Second-order optimizers such as Sophia cut the number of steps.", "Sophia"),
        ("We train with the Sophia optimizer on GPT-2.", "Sophia"),
        ("Our method converges faster than Sophia on every model.", "Sophia"),
        ("Sophia (Liu et al., 2023) clips the update per coordinate.", "Sophia"),
        ("We compare with AdamW and Sophia on language modelling.", "Sophia"),  # a list with a method
        ("SCALE outperforms the state-of-the-art method APOLLO in perplexity.", "APOLLO"),
        ("While recent works such as GaLore, Fira, and APOLLO save memory, we ask why.", "APOLLO"),
        ("We apply COSMOS to the leading eigensubspace.", "COSMOS"),
    ],
)
def test_find_mentions__word_like_name_with_a_cue_next_to_it(tmp_path: Path, sentence: str, method: str):
    (tmp_path / "l.txt").write_bytes(_cue_listing(sentence))
    graph, titles, _ = _graph([tmp_path])
    assert (method, "Later Paper 0") in _edges_by_title(graph, titles)


def test_find_mentions__collision_is_named_in_the_build_summary(tmp_path: Path):
    from paperlineage.cache import HttpConfig
    from paperlineage.cli import summary_lines
    from paperlineage.pipeline import BuildOptions, run_build

    result = run_build([_two_apollos(tmp_path)], BuildOptions(out=tmp_path / "out", http=HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite")))
    line = next(l for l in summary_lines(result) if l.startswith("names introduced by several papers"))
    assert "1 (APOLLO)" in line


def test_find_mentions__fan_out_of_a_name_outside_the_title_is_capped(tmp_path: Path):
    """One abstract 'introducing' a name that a dozen papers use does not make it that paper's."""
    users = [block(f"Study Number {i} of Adapters", f"We fine-tune with the ZipAdapt method on task {i}. " + LONG) for i in range(12)]
    (tmp_path / "l.txt").write_bytes(
        listing(block("A Survey of Efficient Adapters", "In this paper, we propose ZipAdapt, a compact adapter. " + LONG), *users)
    )
    graph, titles, report = _graph([tmp_path])
    assert not _edges_by_title(graph, titles)
    assert list(report.too_common_for_one_paper) == ["ZipAdapt"]


def test_find_mentions__name_family_links_versions_in_date_order(tmp_path: Path):
    (tmp_path / "l.txt").write_bytes(
        listing(
            block("FooAttention: Accurate 8-Bit Attention", LONG, "  • 6 authors\n·\nOct 3, 2024"),
            block("FooAttention2: Accurate 4-Bit Attention", LONG, "  • 6 authors\n·\nNov 17, 2024"),
            block("FooAttention-R: Sparse Attention for Reasoning", LONG, "  • 6 authors\n·\nJun 9, 2025"),
            block("BarNet v2: Later But Unrelated Name", LONG, "  • 6 authors\n·\nJun 9, 2023"),
            block("BarNet: The Original", LONG, "  • 6 authors\n·\nJun 9, 2025"),  # dated after 'v2': no edge
        )
    )
    graph, titles, _ = _graph([tmp_path])
    edges = _edges_by_title(graph, titles)
    assert edges == {("FooAttention", "FooAttention2"), ("FooAttention", "FooAttention-R")}
