from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from paperlineage.enrich.text.links import _SENTENCE, SENTENCE_REACH, arxiv_ids, github_repos, sentence_around


def test_github_repos__normalised_forms():
    text = (
        "Code: https://github.com/selfsupervised-ai/Natural-GaLore.git. "
        "See https://github.com/modelscope/agentscope/tree/main/examples/x. "
        "Also (https://github.com/YuchuanTian/RethinkTinyLM). "
        "And github.com/wenhaoli-xmu/seco{here}. Mirror http://www.github.com/Owner/Repo/blob/main/README.md."
    )
    assert [f.value for f in github_repos(text)] == [
        "selfsupervised-ai/Natural-GaLore",
        "modelscope/agentscope",
        "YuchuanTian/RethinkTinyLM",
        "wenhaoli-xmu/seco",
        "Owner/Repo",
    ]


def test_github_repos__duplicates_and_non_repos():
    text = "https://github.com/A/b and https://github.com/a/B.git and https://github.com/orgs/x and https://a.github.io/page"
    assert [f.value for f in github_repos(text)] == ["A/b"]


def test_github_repos__evidence_is_the_sentence():
    found = github_repos("We study X. Our code is available at https://github.com/o/r. Thanks.")
    assert found[0].evidence == "Our code is available at https://github.com/o/r."


def test_arxiv_ids__only_with_an_arxiv_cue():
    text = "Results improve by 2401.12345 points. See arXiv:2403.03507v2, arxiv.org/abs/1707.08567 and arXiv hep-th/9901001."
    assert [f.value for f in arxiv_ids(text)] == ["2403.03507", "1707.08567", "hep-th/9901001"]


def test_arxiv_ids__invalid_month_ignored():
    assert arxiv_ids("arXiv:2413.00001") == []


def _sentence_by_scanning(text: str, start: int, end: int) -> str:
    """The first implementation: every boundary, from the start of the text, at every call."""
    begin = 0
    for match in _SENTENCE.finditer(text):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end:
            return text[begin : match.start()].strip()
    return text[begin:].strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aA. !?(\n", max_size=80), st.data())
def test_sentence_around__same_as_scanning_every_boundary(text: str, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentence_around(text, start, end) == _sentence_by_scanning(text, start, end)


def test_sentence_around__long_sentence_is_a_window():
    text = "x " * 50000 + "GaLore here " + "y " * 50000  # no sentence end anywhere
    start = text.index("GaLore")
    evidence = sentence_around(text, start, start + 6)
    assert "GaLore here" in evidence and len(evidence) <= 2 * SENTENCE_REACH + 6
