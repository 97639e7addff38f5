"""Clients for the public APIs that enrich a paper: Hugging Face, arXiv, Semantic Scholar,
OpenAlex and GitHub.

One module per API (STYLE practice 1, like litstudy ``sources/``), each with pydantic records of
what we keep, pure ``parse_*(body) -> (records, problems)`` functions, and a client that takes
any ``requests.Session`` plus a base URL and does no I/O until called::

    import requests
    from paperlineage.enrich.sources import ArxivClient

    arxiv = ArxivClient(requests.Session(), "https://export.arxiv.org")
    entries = arxiv.by_ids(["1707.08567", "astro-ph/0601001"])

In a run, pass the cached, rate-limited session from ``cache.make_session`` instead.
All failures are :class:`SourceError` subclasses (see :mod:`enrich.sources.errors`).
"""

from . import arxiv, github, huggingface, openalex, semanticscholar
from ._http import USER_AGENT, ParseProblem
from .arxiv import ArxivClient, ArxivEntry, ArxivFeed
from .errors import (
    BadResponse,
    NeedsKey,
    NotFound,
    RateLimited,
    Rejected,
    SourceError,
    Unavailable,
)
from .github import GhRepo, GitHubClient
from .huggingface import HfPaper, HuggingFaceClient
from .openalex import OaWork, OpenAlexClient
from .semanticscholar import S2Paper, S2Reference, SemanticScholarClient

#: Every source, in the order a run asks them. A new source is a module with a ``SPEC`` and a
#: client, plus one entry here (and one in the pipeline's stage list when it resolves something).
SPECS = (huggingface.SPEC, arxiv.SPEC, semanticscholar.SPEC, openalex.SPEC, github.SPEC)
SOURCES: tuple[str, ...] = tuple(spec.name for spec in SPECS)

__all__ = [
    "SOURCES",
    "SPECS",
    "USER_AGENT",
    "ArxivClient",
    "ArxivEntry",
    "ArxivFeed",
    "BadResponse",
    "GhRepo",
    "GitHubClient",
    "HfPaper",
    "HuggingFaceClient",
    "NeedsKey",
    "NotFound",
    "OaWork",
    "OpenAlexClient",
    "ParseProblem",
    "RateLimited",
    "Rejected",
    "S2Paper",
    "S2Reference",
    "SemanticScholarClient",
    "SourceError",
    "Unavailable",
]
