"""The Python query API on the seeds graph: look-up, neighbours, lineage, paths, rankings, ego graphs."""

from __future__ import annotations

import pickle
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.cache import HttpConfig
from paperlineage.graph.errors import GraphFileError, LookupAmbiguous, NotFound
from paperlineage.pipeline import BuildOptions, run_build
from paperlineage.graph.query import (
    INFLUENCE_KINDS, ego_subgraph, find_paper, influence_path, lineage, load_graph, match_paper, neighbors,
    paper_ref, top_papers,
)
from paperlineage.graph.records import Match, NeighborRow

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GALORE = "galore-memory-efficient-llm-training-by-1807540d"
MINIMALIST = "a-minimalist-optimizer-design-for-llm-d17103f4"
APOLLO = "apollo-sgd-like-memory-adamw-level-8d323178"
SOPHIA = "sophia-a-scalable-stochastic-second-4a7c0fd5"
FIRA = "fira-can-we-achieve-full-rank-training-ce4ba51e"
LION = "symbolic-discovery-of-optimization-eee61c96"


@pytest.fixture(scope="module")
def built(offline_seeds) -> Path:
    return offline_seeds.written[0].parent


@pytest.fixture(scope="module")
def G(built: Path) -> nx.MultiDiGraph:
    return load_graph(built / "graph.graphml")


def _titles(rows: list[NeighborRow]) -> list[str]:
    return [row.paper.title.split(":")[0] for row in rows]


def test_load_graph__graphml_and_json_are_the_same_graph(built: Path, G):
    other = load_graph(str(built / "graph.json"))
    assert list(G.nodes(data=True)) == list(other.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(other.edges(keys=True, data=True))
    assert G.graph == other.graph == {}


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("missing.graphml", None, "no such file"),
        ("graph.txt", b"x", "unknown graph format"),
        ("broken.graphml", b"<graphml><graph", "not a graphml graph file"),
        ("broken.json", b"{", "not a json graph file"),
        ("papers.json", b'[{"id": "x"}]', "not a paperlineage graph"),
        ("other.json", b'{"directed": true, "multigraph": true, "graph": {}, "nodes": [{"id": "a"}], "edges": []}', "no node has a node_type"),
    ],
)
def test_load_graph__bad_files_raise_graph_file_error(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GraphFileError) as caught:
        load_graph(path)
    assert reason in str(caught.value) and str(path) in str(caught.value)


def test_errors__pickle_with_their_context():
    match = Match(paper=paper_ref(nx.MultiDiGraph([("a", "b")]), "a"), how="id")
    for error in (GraphFileError("g.graphml", "no such file"), NotFound("x", "no paper"), LookupAmbiguous("q", [match], 4)):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error) and copy.__dict__ == error.__dict__


@pytest.mark.parametrize(
    "query, node, how",
    [
        (GALORE, GALORE, "id"),
        ("GaLore", GALORE, "method"),
        ("galore", GALORE, "method"),
        ("Lion", LION, "method"),
        ("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection", GALORE, "title"),
        ("gradient low rank projection galore memory efficient llm training by", GALORE, "fuzzy title"),
        ("A minimalist optimizer design for LLM pretraining", MINIMALIST, "title"),
        ("Lion Secretly Solves", "lion-secretly-solves-constrained-6b453cf1", "title prefix"),
        ("Sophia a scalable stochastic second order optimiser", SOPHIA, "fuzzy title"),
        ("Minimalist Optimizer", MINIMALIST, "fuzzy title"),
    ],
)
def test_find_paper__by_id_method_title_and_fuzzy_title(G, query, node, how):
    assert find_paper(G, query) == node
    assert [m.how for m in match_paper(G, query)] == [how]


def test_find_paper__exact_title_step(G):
    title = G.nodes[MINIMALIST]["title"]
    assert match_paper(G, title.upper())[0].how == "title"


@pytest.mark.parametrize("query", ["optimizer", "low rank", "LoRA", "galore memory eficient llm trainng"])
def test_find_paper__ambiguous_names_list_candidates(G, query):
    with pytest.raises(LookupAmbiguous) as caught:
        find_paper(G, query)
    candidates = caught.value.candidates
    assert 2 <= len(candidates) <= caught.value.total
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert "ambiguous" in str(caught.value)


@pytest.mark.parametrize("query", ["qwerty zxcv", "adam", "", "2401.99999"])
def test_find_paper__unknown_names_raise_not_found(G, query):
    with pytest.raises(NotFound):
        find_paper(G, query)
    assert match_paper(G, query) == []


def test_find_paper__arxiv_id_with_or_without_version_and_prefix(G):
    H = G.copy()
    H.nodes[GALORE]["arxiv_id"] = "2403.03507"
    for query in ("2403.03507", "2403.03507v2", "arXiv:2403.03507", "https://arxiv.org/abs/2403.03507v1"):
        assert find_paper(H, query) == GALORE
        assert match_paper(H, query)[0].how == "arxiv_id"


def test_find_paper__method_introduced_by_two_papers_is_ambiguous(G):
    H = G.copy()
    H.nodes[FIRA]["methods"] = "Fira; GaLore"
    with pytest.raises(LookupAmbiguous) as caught:
        find_paper(H, "GaLore")
    assert {c.paper.id for c in caught.value.candidates} == {GALORE, FIRA}
    assert {c.how for c in caught.value.candidates} == {"method"}


def test_find_paper__lone_weak_fuzzy_match_is_not_picked():
    H = nx.MultiDiGraph()
    H.add_node("p", node_type="paper", title="Sparse attention for long documents", methods="")
    [weak] = match_paper(H, "sparse transformers for long videos")
    assert weak.how == "fuzzy title" and 60 <= weak.score < 75  # offered as a suggestion, never decided
    with pytest.raises(LookupAmbiguous) as caught:
        find_paper(H, "sparse transformers for long videos")
    assert [c.paper.id for c in caught.value.candidates] == ["p"]
    assert find_paper(H, "sparse attention for videos") == "p"  # clearly ahead and above the floor


def test_neighbors__what_builds_on_galore(G):
    rows = neighbors(G, GALORE, direction="out")
    assert _titles(rows) == [
        "A Minimalist Optimizer Design for LLM Pretraining", "Fira", "FRUGAL", "Natural GaLore",
        "Scalable Parameter and Memory Efficient Pretraining for LLM",
    ]
    assert all(r.depth == 1 and r.direction == "out" and r.via == GALORE for r in rows)
    frugal = next(r for r in rows if r.paper.title.startswith("FRUGAL"))
    assert frugal.via_kind == "mentions; shares_method" and "GaLore" in frugal.evidence


def test_neighbors__in_is_what_a_paper_builds_on(G):
    rows = neighbors(G, MINIMALIST, direction="in", kinds=INFLUENCE_KINDS)
    assert [r.paper.id for r in rows] == [APOLLO, FIRA, GALORE]
    assert {r.direction for r in rows} == {"in"} and {r.via_kind for r in rows} == {"mentions"}


def test_neighbors__depth_two_both_ways(G):
    rows = neighbors(G, GALORE, direction="both", kinds=["mentions"], depth=2)
    deeper = [r for r in rows if r.depth == 2]
    assert [(r.paper.id, r.direction, r.via) for r in deeper] == [(APOLLO, "in", MINIMALIST)]
    assert len(neighbors(G, GALORE, "out", ["mentions"], depth=None)) == 5


def test_neighbors__shares_method_has_no_direction(G):
    rows = neighbors(G, SOPHIA, direction="out", kinds=["shares_method"])
    assert rows and {r.direction for r in rows} == {"undirected"}
    assert rows == neighbors(G, SOPHIA, direction="in", kinds=["shares_method"])
    assert neighbors(G, SOPHIA, direction="out", kinds=INFLUENCE_KINDS) == []


def test_neighbors__bad_arguments(G):
    with pytest.raises(NotFound):
        neighbors(G, "no-such-paper")
    with pytest.raises(ValueError):
        neighbors(G, GALORE, direction="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        neighbors(G, GALORE, depth=0)


def test_lineage__ancestors_and_descendants(G):
    galore = lineage(G, GALORE)
    assert galore.ancestors == [] and len(galore.descendants) == 5
    minimalist = lineage(G, MINIMALIST)
    assert [r.paper.id for r in minimalist.ancestors] == [APOLLO, FIRA, GALORE] and minimalist.descendants == []
    lion = lineage(G, LION)
    assert _titles(lion.descendants) == ["Lion Secretly Solves Constrained Optimization"]


def test_influence_path__forward_and_backward_with_evidence(G):
    forward = influence_path(G, GALORE, FIRA)
    assert forward.mode == "influence" and forward.direction == "forward"
    [hop] = forward.hops
    assert (hop.source.id, hop.target.id, hop.kind, hop.along) == (GALORE, FIRA, "mentions", True)
    assert hop.evidence.startswith("Previous methods either rely on decomposing weight matrices")
    backward = influence_path(G, FIRA, GALORE)
    assert backward.direction == "backward" and backward.hops == forward.hops


def test_influence_path__none_between_sophia_and_apollo(G):
    with pytest.raises(NotFound) as caught:
        influence_path(G, SOPHIA, APOLLO)
    assert "no influence path" in str(caught.value) and "either direction" in str(caught.value)


def test_influence_path__any_edge_is_labelled_and_undirected(G):
    result = influence_path(G, SOPHIA, APOLLO, any_edge=True)
    assert result.mode == "any-edge" and result.direction == "undirected"
    assert [h.source.id for h in result.hops] == [SOPHIA, MINIMALIST]
    assert [h.target.id for h in result.hops] == [MINIMALIST, APOLLO]
    assert [h.kind for h in result.hops] == ["shares_method", "mentions"]  # APOLLO -> Minimalist is lineage, walked backwards
    assert result.hops[0].evidence == "both use Adam" and "APOLLO" in result.hops[1].evidence
    assert influence_path(G, GALORE, FIRA, any_edge=True).mode == "influence"  # lineage first when there is one


def test_influence_path__cites_preferred_and_followed_over_two_hops(G):
    H = G.copy()
    H.add_edge(SOPHIA, GALORE, key="cites", kind="cites", evidence="we build on Sophia", weight=1.0)
    H.add_edge(SOPHIA, GALORE, key="mentions", kind="mentions", evidence="Sophia", weight=1.0)
    result = influence_path(H, SOPHIA, FIRA)
    assert [(h.source.id, h.target.id, h.kind) for h in result.hops] == [(SOPHIA, GALORE, "cites"), (GALORE, FIRA, "mentions")]
    assert result.hops[0].evidence == "we build on Sophia"


def test_influence_path__unconnected_even_with_any_edge():
    H = nx.MultiDiGraph()
    H.add_node("a", node_type="paper", title="A")
    H.add_node("b", node_type="paper", title="B")
    with pytest.raises(NotFound, match="not connected by any edge"):
        influence_path(H, "a", "b", any_edge=True)


def test_top_papers__by_pagerank(G):
    rows = top_papers(G, by="pagerank", n=3)
    assert [r.rank for r in rows] == [1, 2, 3] and rows[0].paper.id == GALORE
    assert [r.value for r in rows] == sorted((r.value for r in rows), reverse=True)
    assert len(top_papers(G, n=10_000)) == G.number_of_nodes()


def test_top_papers__citations_count_outgoing_cites_inside_the_corpus(G):
    assert top_papers(G, by="citations") == []  # offline seeds have no cites edges
    H = G.copy()
    for citing in (FIRA, MINIMALIST):
        H.add_edge(GALORE, citing, key="cites", kind="cites", evidence="", weight=1.0)
    H.add_edge(APOLLO, MINIMALIST, key="cites", kind="cites", evidence="", weight=1.0)
    rows = top_papers(H, by="citations")
    assert [(r.paper.id, r.value) for r in rows] == [(GALORE, 2.0), (APOLLO, 1.0)]


def test_top_papers__stars_missing_counts_as_zero(G):
    H = G.copy()
    H.nodes[FIRA]["stars"] = 120
    del H.nodes[GALORE]["stars"]
    assert [(r.paper.id, r.value, r.by) for r in top_papers(H, by="stars")] == [(FIRA, 120.0, "stars")]
    with pytest.raises(ValueError):
        top_papers(G, by="karma")
    with pytest.raises(ValueError):
        top_papers(G, n=0)


def test_ego_subgraph__around_galore(G):
    ego = ego_subgraph(G, GALORE, depth=1)
    assert ego.number_of_nodes() == 6 and ego.number_of_edges() == 18
    order = [n for n in G.nodes if n in ego]
    assert list(ego.nodes) == order
    assert all(G.has_edge(u, v, k) for u, v, k in ego.edges(keys=True))
    assert dict(ego.nodes[GALORE]) == dict(G.nodes[GALORE])
    assert list(ego_subgraph(G, GALORE, depth=0).nodes) == [GALORE]
    assert ego_subgraph(G, GALORE, depth=2).number_of_nodes() > 6


def test_records__flat_rows_make_a_dataframe(G):
    rows = neighbors(G, GALORE, direction="out")
    flat = rows[0].flat()
    assert flat["paper.id"] == MINIMALIST and flat["depth"] == 1 and "paper" not in flat
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([row.flat() for row in rows])
    assert len(frame) == 5 and {"paper.title", "via_kind", "direction"} <= set(frame.columns)


def test_method_view__method_nodes_are_found_and_walked(tmp_path: Path):
    run_build([SEEDS], BuildOptions(out=tmp_path, http=HttpConfig(offline=True, cache_path=tmp_path / "c.sqlite"), method_view=True))
    H = load_graph(tmp_path / "graph.graphml")
    assert find_paper(H, "method:GaLore") == "method:GaLore"
    assert find_paper(H, "GaLore") == GALORE  # a method name means the paper that introduces it
    rows = neighbors(H, GALORE, direction="out", kinds=["introduces"])
    assert [(r.paper.id, r.paper.node_type) for r in rows] == [("method:GaLore", "method")]
    assert all(r.paper.node_type == "paper" for r in top_papers(H, n=1000))
