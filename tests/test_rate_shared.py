"""Two processes on one cache share each host's rate: together they never go faster than the API allows."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parents[1]

CLIENT = """
import sys
from pathlib import Path
from paperlineage.cache import HttpConfig, make_session
from paperlineage.enrich.sources import SPECS
cache, base, tag = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
with make_session(HttpConfig(cache_path=cache, rate_limits={"arxiv": 2.0}), SPECS, base_urls={"arxiv": base}, tokens={}) as s:
    for i in range(3):
        assert s.get(f"{base}/api/query", params={"id_list": f"{tag}{i}"}).status_code == 200
"""


def test_rate__two_processes_sharing_a_cache_share_the_host_budget(tmp_path: Path, httpserver: HTTPServer):
    arrivals: list[float] = []

    def answer(request: Request) -> Response:
        arrivals.append(time.monotonic())
        return Response("<feed/>", content_type="application/atom+xml")

    httpserver.expect_request("/arxiv/api/query").respond_with_handler(answer)
    base = httpserver.url_for("/arxiv").rstrip("/")
    runs = [
        subprocess.Popen([sys.executable, "-c", CLIENT, str(tmp_path / "http.sqlite"), base, tag], cwd=ROOT)
        for tag in ("a", "b")
    ]
    assert [run.wait(timeout=60) for run in runs] == [0, 0]
    assert len(arrivals) == 6
    gaps = [b - a for a, b in zip(sorted(arrivals), sorted(arrivals)[1:])]
    assert min(gaps) >= 0.45, gaps  # 2 requests per second for the host, both processes together
