"""The Dask engine gives the in-process engine's outputs byte for byte (seeds/, a 2-worker LocalCluster)."""

from __future__ import annotations

from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from paperlineage.cache import HttpConfig
from paperlineage.enrich.ingest import ingest
from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.pipeline import BuildOptions, link_papers, run_build
from paperlineage import engine_dask
from paperlineage.cli import main
from paperlineage.graph.kinds import CITES, MENTIONS, SHARES_METHOD

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


def _output_names() -> list[str]:
    """Every file a build writes, as `pipeline.output_writers` lists them (the writers are not called)."""
    from paperlineage.pipeline import output_writers

    return sorted(name for name, _ in output_writers(None, BuildOptions()))  # type: ignore[arg-type]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_dask_engine__seeds_outputs_identical(tmp_path, client, monkeypatch):
    # The build's own cluster is the module's: one cluster for the whole file keeps it fast.
    monkeypatch.setattr(engine_dask, "dask_client", lambda scheduler, workers: _borrowed(client))
    http = HttpConfig(offline=True, cache_path=tmp_path / "http.sqlite")
    run_build([SEEDS], BuildOptions(out=tmp_path / "local", http=http))
    run_build([SEEDS], BuildOptions(out=tmp_path / "dask", http=http, engine="dask"))
    local, dask = _files(tmp_path / "local"), _files(tmp_path / "dask")
    assert sorted(local) == _output_names()
    assert local.keys() == dask.keys()
    for name in local:
        assert local[name] == dask[name], name


def test_dask_engine__dump_outputs_identical(tmp_path, client, monkeypatch):
    # A dump is read one shard per task; its citations (cites edges) must come out the same.
    monkeypatch.setattr(engine_dask, "dask_client", lambda scheduler, workers: _borrowed(client))
    http = HttpConfig(offline=True, cache_path=tmp_path / "http.sqlite")
    dump = Path(__file__).resolve().parent / "fixtures" / "dumps" / "s2"
    run_build([dump], BuildOptions(out=tmp_path / "local", http=http, dump="s2"))
    run_build([dump], BuildOptions(out=tmp_path / "dask", http=http, engine="dask", dump="s2"))
    local, dask = _files(tmp_path / "local"), _files(tmp_path / "dask")
    assert local == dask and f'"{CITES}"'.encode() in local["graph.json"]


def test_dask_engine__small_partitions_same_links(client):
    # Many partitions (7 papers each) must still give the in-process edges and report, in order.
    papers, _ = ingest([SEEDS])
    papers = [enrich_from_text(p) for p in papers]
    graph, report = link_papers(papers)
    parts = engine_dask.partition(client, papers, size=7)
    assert len(parts) > 10
    links = engine_dask.link_dask(client, parts)
    assert links.report == report
    expected = sorted((u, v, k) for u, v, k in graph.edges(keys=True) if k in {MENTIONS, SHARES_METHOD})
    found = sorted([(m.source, m.target, MENTIONS) for m in links.mentions] + [(s.source, s.target, SHARES_METHOD) for s in links.shared])
    assert found == expected and found


class _borrowed:
    def __init__(self, client: Client) -> None:
        self.client = client

    def __enter__(self) -> Client:
        return self.client

    def __exit__(self, *exc: object) -> None:
        return None


def test_cli__dask_options_checked(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["build", "--engine", "dask", "--workers", "0", str(SEEDS)])
    assert "must be 1 or more" in capsys.readouterr().err
    assert main(["build", "--scheduler", "tcp://127.0.0.1:1", "--out", str(tmp_path / "o"), str(SEEDS)]) == 2
    assert "--scheduler and --workers need --engine dask" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
