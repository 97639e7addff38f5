"""The exceptions of the graph queries: one base, each carrying its context.

Like ``arxiv.ArxivError`` (and ``enrich.errors.ListingError``) every exception keeps
the values it was raised with, so the CLI can print one clear line and an exit code,
and it pickles cleanly (``__reduce__`` mirrors ``__init__``).
"""

from __future__ import annotations

from typing import Any


class GraphQueryError(Exception):
    """Base of every error a graph query or export raises on purpose."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # keep pickling symmetric with __init__
        return (type(self), (self.message,))


class GraphFileError(GraphQueryError):
    """A graph file that is missing, unreadable or not a paperlineage graph.

    Attributes:
        path: the file as the user named it.
        reason: what is wrong, in words a user can act on.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


class UsageError(GraphQueryError):
    """A question that cannot be asked as given, such as a path from a paper to itself.

    The CLI treats it like an argparse usage error: exit 2.

    Attributes:
        reason: what is wrong and what to give instead.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)

    def __reduce__(self):
        return (type(self), (self.reason,))


class NotFound(GraphQueryError):
    """Nothing in the graph matches: an unknown name, no path, no ranked paper.

    Attributes:
        query: what the user asked for, as given.
        reason: why nothing matched.
    """

    def __init__(self, query: str, reason: str) -> None:
        self.query = query
        self.reason = reason
        super().__init__(reason)

    def __reduce__(self):
        return (type(self), (self.query, self.reason))


class LookupAmbiguous(GraphQueryError):
    """A name that matches several papers; we never pick one silently.

    Attributes:
        query: the name as given.
        candidates: `graph.records.Match` records, best first (the first few).
        total: how many papers matched in all.
    """

    def __init__(self, query: str, candidates: list[Any], total: int | None = None) -> None:
        self.query = query
        self.candidates = list(candidates)
        self.total = len(self.candidates) if total is None else total
        super().__init__(f"{query!r} is ambiguous ({self.total} candidates); give an id, an arXiv ID or more of the title")

    def __reduce__(self):
        return (type(self), (self.query, self.candidates, self.total))
