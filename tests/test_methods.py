from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from paperlineage.enrich.text.names import abstract_names, introduced_methods, is_word_like, title_name
from tests.listings import LONG, block, listing

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection", "GaLore"),
        ("Natural GaLore: Accelerating GaLore for memory-efficient LLM Training", "Natural GaLore"),
        ("Sparse MeZO: Less Parameters for Better Performance", "Sparse MeZO"),
        ("Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?", "Fira"),
        ("Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law", None),
        ("Achieving Peak Performance for Large Language Models: A Systematic Review", None),
        ("Efficient N:M Sparse DNN Training Using Algorithm", None),
        ("Symbolic Discovery of Optimization Algorithms", None),
        ("LLM Augmented LLMs: Expanding Capabilities", None),
    ],
)
def test_title_name__coined_prefix_only(title: str, name: str | None):
    assert title_name(title) == name


def test_abstract_names__acronym_defined_by_the_authors():
    text = (
        "Recent approaches such as low-rank adaptation (LoRA (Hu et al., 2021)) and GaLore have been proposed. "
        "In this paper, we introduce FRUGAL (Full-Rank Updates with GrAdient spLitting), a new framework."
    )
    assert [n.name for n in abstract_names(text)] == ["FRUGAL"]


def test_abstract_names__others_work_is_not_introduced():
    text = "By combining with a recently proposed memory-efficient training technique called LISA, our algorithm scales."
    assert abstract_names(text) == []
    text = "Inspired by the success of Parameter-Efficient Fine-Tuning (PEFT), this paper introduces Sparse MeZO, a method."
    assert [n.name for n in abstract_names(text)] == ["Sparse MeZO"]  # PEFT is the others' work, Sparse MeZO is theirs


def test_abstract_names__the_presenting_verb_names_it():
    text = "To address these limitations, we introduce RPC, a hybrid method that leverages our insights."
    assert [n.name for n in abstract_names(text)] == ["RPC"]
    text = "In this work, we propose Gradient Low-Rank Projection (GaLore), a strategy."
    assert [n.name for n in abstract_names(text)] == ["GaLore"]  # not 'Gradient Low-Rank'
    text = "We propose Half Fine-Tuning (HFT) for large language models."
    assert [n.name for n in abstract_names(text)] == ["HFT"]


def test_abstract_names__plain_word_starting_a_longer_name_is_not_the_name():
    text = "Furthermore, we propose a novel calibration method called Calibration by Marginalization (CBM) that is orthogonal."
    assert [n.name for n in abstract_names(text)] == ["CBM"]
    text = "We propose a new optimizer called Sophia (SOPH) for pre-training."
    assert [n.name for n in abstract_names(text)] == ["SOPH"]
    # 'called Fira, as the first attempt' (a name with nothing after it) is in test_abstract_names__called_and_parenthesised


def test_abstract_names__called_and_parenthesised():
    text = "In this paper, we propose a new plug-and-play training framework for LLMs called Fira, as the first attempt."
    assert [n.name for n in abstract_names(text)] == ["Fira"]
    text = "In this work, we propose Gradient Low-Rank Projection (GaLore), a training strategy."
    assert [n.name for n in abstract_names(text)] == ["GaLore"]


def test_introduced_methods__title_first_no_duplicates():
    found = introduced_methods("GaLore: X", "we propose Gradient Low-Rank Projection (GaLore), a strategy.")
    assert [(m.name, m.source) for m in found] == [("GaLore", "title")]


def test_is_word_like():
    assert [is_word_like(n) for n in ["COSMOS", "LISA", "Sophia", "GaLore", "Sparse MeZO", "DistZO2"]] == [
        True, True, True, False, False, False,
    ]


# 100 KB abstracts that made a regex scan to the end of the text from every position: 'we' looked
# for its verb up to the next period, URL masking rescanned 'a-a-a-...' from every word start.
# Each one ends in a real sentence, which must still be read.
HOSTILE_ABSTRACTS = {
    "we": "we " * 33000,
    "parens": "(" * 50000,
    "hyphens": "a-" * 50000,
    "capital-hyphens": "we propose " + "A-" * 50000,
    "we-propose": "we propose " * 9000,
    "list": "COSMOS, " * 12500,
    "dots": "a." * 50000,
    "link": "see github.com/o/r" + "x" * 100000,
}
REAL_SENTENCE = " We propose FooNet, a method for training."


def _in_subprocess(code: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    # A regex cannot be interrupted from inside Python (SIGALRM waits for it), so time it from outside.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("case", sorted(HOSTILE_ABSTRACTS))
def test_introduced_methods__hostile_abstract_finishes(case: str, tmp_path: Path):
    code = (
        "import json\n"
        "from paperlineage.enrich.text.names import introduced_methods\n"
        "from tests.test_methods import HOSTILE_ABSTRACTS, REAL_SENTENCE\n"
        f"found = introduced_methods('Plain Title', HOSTILE_ABSTRACTS[{case!r}] + REAL_SENTENCE)\n"
        "print(json.dumps([(m.name, len(m.evidence)) for m in found]))\n"
    )
    done = _in_subprocess(code, tmp_path, timeout=30)  # seconds now; the 'we' case took minutes before
    assert done.returncode == 0, done.stderr
    found = dict(json.loads(done.stdout))
    assert "FooNet" in found
    assert found["FooNet"] < 5000  # the evidence is a window around the name, not the 100 KB "sentence"


def test_build__hostile_abstracts_finish(tmp_path: Path):
    papers = [block("GaLore: Memory-Efficient Training", "We propose GaLore, a training strategy. " + LONG),
              block("COSMOS: A Hybrid Adaptive Optimizer", "We propose COSMOS, an optimizer. " + LONG)]
    papers += [block(f"Hostile Paper Number {i}", text + " GaLore." + REAL_SENTENCE)
               for i, text in enumerate(HOSTILE_ABSTRACTS.values())]
    (tmp_path / "hostile.txt").write_bytes(listing(*papers))
    code = (
        "from paperlineage.cli import main\n"
        "raise SystemExit(main(['build', 'hostile.txt', '--offline', '--out', 'out', '--cache', 'c.sqlite']))\n"
    )
    done = _in_subprocess(code, tmp_path, timeout=120)  # all eight at once; each took up to minutes before
    assert done.returncode == 0, done.stderr
    built = {p["title"]: p for p in json.loads((tmp_path / "out" / "papers.json").read_text())}
    assert len(built) == 2 + len(HOSTILE_ABSTRACTS)
    assert all("FooNet" in built[f"Hostile Paper Number {i}"]["methods"] for i in range(len(HOSTILE_ABSTRACTS)))
    graph = nx.read_graphml(tmp_path / "out" / "graph.graphml")
    galore = next(n for n, d in graph.nodes(data=True) if d["title"].startswith("GaLore"))
    assert graph.out_degree(galore) >= len(HOSTILE_ABSTRACTS)  # each hostile paper still mentions GaLore


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # an existing method shaped into a part of the contribution
        ("Unlike existing strategies, we designed a degradation-guided Low-Rank Adaptation (LoRA) module for SR.", []),
        # reached through a clause or a preposition: the contribution uses it
        ("We introduce a novel framework that learns a dynamic neural radiance field (NeRF) for talking humans.", []),
        ("We present DreamX, a method for zero-shot synthesis of human-object interactions (HOIs) from text.", ["DreamX"]),
        # two of the authors' own acronyms in one sentence
        ("We introduce the Layer Index Rescaling (LIR) weight initialization scheme, and the Target Variance Rescaling (TVR) variance control strategy.", ["LIR", "TVR"]),
        # a lower-case expansion straight after the verb is theirs
        ("In this paper we introduce neural radiance fields (NeRF), a representation of scenes.", ["NeRF"]),
    ],
)
def test_abstract_names__acronym_is_theirs_only_as_the_object(text: str, names: list[str]):
    assert [n.name for n in abstract_names(text)] == names


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Qwen2 Technical Report", "Qwen2"),
        ("SageAttention2 Technical Report: Accurate 4 Bit Attention", "SageAttention2"),
        ("MInference 1.0: Accelerating Pre-filling for Long-Context LLMs", "MInference"),
        ("A Technical Report", None),
        ("Annual Report", None),
    ],
)
def test_title_name__reports_and_versions(title: str, name: str | None):
    assert title_name(title) == name
