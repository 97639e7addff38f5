"""The one exception type of the ingest and enrichment stages.

Like ``arxiv.ArxivError`` it carries its context (file and line) so the CLI can
print one clear line, and it pickles cleanly (multiprocessing, pytest-xdist).
"""

from __future__ import annotations


class ListingError(Exception):
    """A file that is not a usable listing: binary, empty, badly encoded, no papers.

    Attributes:
        path: the file as the user named it.
        line: 1-based line the problem was found on.
        message: what is wrong, in words a user can act on.
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(path, line, message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def __reduce__(self):  # keep pickling symmetric with __init__
        return (type(self), (self.path, self.line, self.message))


class NoPapers(ListingError):
    """A readable text file in which a parser found no paper at all: the format detector tries
    the next reading, or rejects the file naming the formats it accepts.

    Attributes:
        problems: what the parser rejected on the way (each entry with its line and reason),
            so a file of nothing but malformed entries still names each of them.
    """

    def __init__(self, path: str, line: int, message: str, problems: list | None = None) -> None:
        super().__init__(path, line, message)
        self.problems = list(problems or [])
