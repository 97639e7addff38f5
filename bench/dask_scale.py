"""Benchmark the Dask engine on a SYNTHETIC corpus (bench/graph_scale.py's, not real papers).

The corpus is written as a Semantic Scholar datasets dump (papers, abstracts and citations
shards, gzipped JSONL), so the run reads it the way a real bulk dump is read.

    python bench/dask_scale.py equal 10000     # both engines, full outputs; are the files identical?
    python bench/dask_scale.py scale 1000000   # --engine dask only, Parquet tables; time and memory per worker

``equal`` runs ``run_build`` (what ``paperlineage build --dump s2 --offline`` runs) with
``engine="local"`` and ``engine="dask"`` into two folders and compares every file's bytes.
``scale`` runs the same stages on a LocalCluster and, above the size one networkx graph holds,
writes papers/edges as partitioned Parquet (:mod:`paperlineage.tables_dask`) instead of the graph
files. Worker memory is sampled every half second with psutil on each worker process.
"""

from __future__ import annotations

import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from distributed import Client

from bench.graph_scale import synthetic_corpus
from paperlineage.cache import HttpConfig
from paperlineage.pipeline import BuildOptions, run_build

SHARD = 50_000
_NAME = re.compile(r"Zx(\d{6,7})Net")


def write_dump(n: int, folder: Path) -> Path:
    """The synthetic corpus as S2 dataset shards: papers, abstracts, and citations (each paper
    cites the earlier papers whose names its abstract gives)."""
    papers = synthetic_corpus(n)
    for dataset in ("papers", "abstracts", "citations"):
        (folder / dataset).mkdir(parents=True, exist_ok=True)
    for start in range(0, n, SHARD):
        chunk = papers[start : start + SHARD]
        shard = f"part-{start // SHARD:04d}.jsonl.gz"
        with gzip.open(folder / "papers" / shard, "wt", compresslevel=1) as out:
            for i, p in enumerate(chunk, start):
                out.write(json.dumps({"corpusid": i + 1, "externalids": {}, "title": p.title, "year": p.date.year,
                                      "publicationdate": p.date.isoformat(), "authors": []}) + "\n")
        with gzip.open(folder / "abstracts" / shard, "wt", compresslevel=1) as out:
            for i, p in enumerate(chunk, start):
                out.write(json.dumps({"corpusid": i + 1, "abstract": p.abstract, "openaccessinfo": None}) + "\n")
        with gzip.open(folder / "citations" / shard, "wt", compresslevel=1) as out:
            for i, p in enumerate(chunk, start):
                for cited in sorted({int(m) for m in _NAME.findall(p.abstract)} - {i}):
                    out.write(json.dumps({"citingcorpusid": i + 1, "citedcorpusid": cited + 1, "isinfluential": False,
                                          "contexts": [], "intents": []}) + "\n")
    return folder


def equal(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        dump = write_dump(n, root / "dump")
        print(f"synthetic S2 dump of {n} papers written in {time.perf_counter() - began:.1f} s")
        http = HttpConfig(offline=True, cache_path=root / "http.sqlite")
        timings = {}
        for engine in ("local", "dask"):
            began = time.perf_counter()
            run_build([dump], BuildOptions(out=root / engine, http=http, engine=engine, dump="s2"))
            timings[engine] = time.perf_counter() - began
        local = {p.name: p.read_bytes() for p in sorted((root / "local").iterdir())}
        dask = {p.name: p.read_bytes() for p in sorted((root / "dask").iterdir())}
        same = [name for name in local if dask.get(name) == local[name]]
        print(f"local build {timings['local']:.1f} s, dask build (2 workers, incl. cluster start) {timings['dask']:.1f} s")
        for name in sorted(local.keys() | dask.keys()):
            print(f"  {name:15} {len(local.get(name, b'')):>12} bytes  {'identical' if name in same else 'DIFFERENT'}")
        print("outputs identical:", sorted(same) == sorted(local) == sorted(dask))


class WorkerMemory:
    """Peak RSS per worker process, sampled in a thread through the scheduler's worker list."""

    def __init__(self, client: Client, every: float = 0.5) -> None:
        self.pids = client.run(lambda: psutil.Process().pid)  # worker address -> pid (same machine)
        self.peak = {address: 0 for address in self.pids}
        self.every, self.done = every, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.is_set():
            for address, pid in self.pids.items():
                try:
                    rss = psutil.Process(pid).memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                self.peak[address] = max(self.peak[address], rss)
            self.done.wait(self.every)

    def stop(self) -> dict[str, int]:
        self.done.set()
        self.thread.join()
        return self.peak


def scale(n: int, workers: int = 2) -> None:
    from paperlineage import engine_dask
    from paperlineage.tables_dask import write_tables

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        dump = root / "dump"
        # In a child process: the generator's million Paper objects would stay in this one's heap.
        subprocess.run([sys.executable, __file__, "dump", str(n), str(dump)], check=True)
        print(f"synthetic S2 dump of {n} papers written in {time.perf_counter() - began:.1f} s (not timed below)", flush=True)
        stages: dict[str, float] = {}
        with engine_dask.dask_client(None, workers) as client:
            memory = WorkerMemory(client)
            began = last = time.perf_counter()

            def lap(stage: str) -> None:
                nonlocal last
                now = time.perf_counter()
                stages[stage], last = now - last, now
                print(f"  {stage:28} {stages[stage]:8.1f} s", flush=True)

            papers, citations, report = engine_dask.read_inputs_dask(client, [dump], "s2")
            lap("ingest (shards + join)")
            parts = engine_dask.partition(client, papers)
            del papers
            parts = engine_dask.text_dask(client, parts)
            client.gather(client.map(len, parts))
            lap("text (names, links)")
            links = engine_dask.link_dask(client, parts, citations=citations, clock=time.perf_counter)
            for stage, seconds in links.stages.items():
                stages[stage] = seconds
                print(f"  {stage:28} {seconds:8.1f} s", flush=True)
            last = time.perf_counter()
            written = write_tables(client, parts, links.used, links.mentions, links.shared, citations, root / "tables")
            lap("Parquet tables")
            wall = time.perf_counter() - began
            peak = memory.stop()
        client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        edges = len(links.mentions) + len(links.shared) + len(citations)
        size = sum(p.stat().st_size for p in written)
        print(f"papers {n}, edges {edges} (mentions {len(links.mentions)}, shares_method {len(links.shared)}, "
              f"cites {len(citations)}), problems {len(report.problems)}, Parquet {size / 2**20:.0f} MiB in {len(written)} files")
        print(f"wall time {wall:.1f} s with {workers} workers; peak RSS per worker (MiB): "
              + ", ".join(f"{rss / 2**20:.0f}" for rss in peak.values()) + f"; client peak RSS {client_peak:.0f} MiB")


if __name__ == "__main__":
    mode, size = (sys.argv[1], int(sys.argv[2])) if len(sys.argv) > 2 else ("equal", 10_000)
    if mode == "dump":
        write_dump(size, Path(sys.argv[3]))
    else:
        {"equal": equal, "scale": scale}[mode](size)
