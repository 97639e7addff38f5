"""Load the recorded API responses under ``tests/fixtures/`` by name (no conftest, no ../shared).

Every file in ``tests/fixtures/<source>/`` is a byte-for-byte copy of a file from
``shared/api-samples/<source>/`` (see SOURCES.md there for where each was recorded), except files
named ``*__handmade*``, which are hand-written and say so inside. This module only unpacks the
three container formats the recordings come in:

- arXiv: arxiv.py fixtures ``{"url", "status_code", "body"}``; the body is stored decoded as
  latin-1, so ``.encode("latin-1")`` gives back the original UTF-8 bytes.
- Semantic Scholar: vcrpy cassettes (YAML), newer ``body: {string:}`` + ``status: {code:}`` or older
  ``content:`` + ``status_code:``.
- GitHub: PyGithub ReplayData, records of 10 lines (scheme, method, host, port, path, request
  headers, request body, status, response headers as a Python list of tuples, response body).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"

#: Response headers worth replaying from GitHub records, caching headers included (GitHub's
#: ``Cache-Control: private, max-age=60``, ``ETag``, ``Last-Modified`` and ``Vary: Accept,
#: Authorization, Cookie, X-GitHub-OTP, ...``); others (Content-Encoding: gzip, Content-Length,
#: Transfer-Encoding) describe the original wire bytes, not ours.
_REPLAY_HEADERS = frozenset(
    {"content-type", "location", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
     "x-ratelimit-used", "x-ratelimit-resource", "cache-control", "etag", "last-modified", "vary"}
)


@dataclass(frozen=True)
class Recorded:
    """One recorded HTTP exchange."""

    method: str
    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""


def path(source: str, name: str) -> Path:
    """The fixture file ``tests/fixtures/<source>/<name>``; fails loudly if it is missing."""
    p = FIXTURES / source / name
    if not p.is_file():
        raise FileNotFoundError(f"fixture {source}/{name} not found under {FIXTURES}")
    return p


def raw(source: str, name: str) -> bytes:
    """The fixture's bytes, unchanged."""
    return path(source, name).read_bytes()


def json_sample(source: str, name: str) -> Any:
    """The fixture decoded as JSON."""
    return json.loads(raw(source, name))


def arxiv(name: str) -> Recorded:
    """An arxiv.py fixture ``arxivpy-fixture__<name>.json``."""
    data = json_sample("arxiv", f"arxivpy-fixture__{name}.json")
    return Recorded("GET", data["url"], data["status_code"], data["body"].encode("latin-1"))


def cassette(name: str) -> list[Recorded]:
    """The interactions of the vcrpy cassette ``s2py-cassette__<name>.yaml``.

    Needs PyYAML (test-only dependency), imported here so other sources' tests run without it.
    """
    import yaml
    data = yaml.safe_load(raw("semanticscholar", f"s2py-cassette__{name}.yaml"))
    records = []
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        body = response["body"]["string"] if "body" in response else response["content"]
        status = response["status"]["code"] if "status" in response else response["status_code"]
        headers = {k: v[0] for k, v in response.get("headers", {}).items()}
        records.append(
            Recorded(
                request["method"],
                request["uri"],
                status,
                body.encode("utf-8") if isinstance(body, str) else body,
                headers,
                request.get("body") or "",
            )
        )
    return records


def replay(name: str) -> list[Recorded]:
    """The records of the PyGithub ReplayData file ``pygithub-replay__<name>.txt``."""
    lines = raw("github", f"pygithub-replay__{name}.txt").decode("utf-8").split("\n")
    records = []
    i = 0
    while i + 10 <= len(lines):
        scheme, method, host, _port, url_path, _req_headers, req_body, status, headers, body = lines[i : i + 10]
        pairs = ast.literal_eval(headers)
        kept = {k: v for k, v in pairs if k.lower() in _REPLAY_HEADERS}
        records.append(
            Recorded(method, f"{scheme}://{host}{url_path}", int(status), body.encode("utf-8"), kept, req_body)
        )
        i += 11  # ten lines and a blank separator
    return records


def html_error_page() -> bytes:
    """The hand-written HTML error page (see the comment inside the file)."""
    return raw("common", "html_error_page__handmade.html")
