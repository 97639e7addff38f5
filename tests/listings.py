"""Hand-written listing snippets for tests (NOT real Hugging Face data).

They follow the exact shapes of the real dumps in ``seeds/``: title, blank line,
abstract, and optionally the metadata paragraph ('  • N authors', '·', date).
"""

from __future__ import annotations

CHROME = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 14\n\n"


def block(title: str, abstract: str, meta: str | None = None) -> str:
    """One paper block; `meta` is e.g. '  • 4 authors\\n·\\nNov 12, 2024'."""
    text = f"{title}\n\n{abstract}\n\n"
    if meta:
        text += f"{meta}\n\n"
    return text


def listing(*blocks: str, chrome: bool = True) -> bytes:
    return ((CHROME if chrome else "") + "".join(blocks)).encode("utf-8")


LONG = (
    "We study a synthetic problem for the purpose of this test and report results on several "
    "benchmarks, showing that the approach is competitive while using less memory. "
)
