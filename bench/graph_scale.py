"""Benchmark: the whole offline build of a SYNTHETIC corpus of N papers, stage by stage.

The corpus is generated here (synthetic, not real papers): every paper introduces a coined
name (``Zx000042Net``), and its abstract names a few earlier papers' methods and two curated
methods, so the text enrichment, scan, mentions, shared methods and analysis all do realistic
work. It is written as Hugging Face Daily Papers listing files (the text format of ``seeds/``,
10,000 papers a file) into a temporary folder and read back through ``enrich.ingest``, so the
build measured is the one ``paperlineage build --offline`` runs:

    ingest -> text enrichment -> vocabulary -> scan -> mentions -> uses + shared methods
    -> build graph (nodes, edges, confirmed flags) -> communities -> PageRank -> degrees
    -> every output file (the list `pipeline.output_writers` gives the build, in its order)

Per stage it prints the wall time and the peak RSS seen during the stage. Memory is sampled
with psutil (the process's RSS every 5 ms from a thread, plus once at each stage's start and
end); a stage that holds the GIL in C for long can peak between two samples, so the last row
also gives ``ru_maxrss`` (the kernel's true peak for the process). Each size runs in a fresh
subprocess, so one size's peak does not carry into the next.

    PYTHONPATH=. .venv/bin/python bench/graph_scale.py 1000 10000 100000
    PYTHONPATH=. .venv/bin/python bench/graph_scale.py --no-html 1000000   # 1M: skip graph.html
    PYTHONPATH=. .venv/bin/python bench/graph_scale.py --compare 100000    # old/new ratio per speed-up

Run under ``flock /work/heavy.lock`` on the shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

CURATED = ["LoRA", "speculative decoding", "KV cache", "GPTQ", "AdamW", "FlashAttention", "MeZO", "ZeRO", "DPO", "RoPE"]
WORDS = "memory efficient training of large language models with low rank updates and sparse attention".split()
PAPERS_PER_FILE = 10_000
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def synthetic_blocks(n: int, seed: int = 7):
    """(title, abstract, date) of N synthetic papers (made up here, not real data)."""
    rng = random.Random(seed)
    names = [f"Zx{i:06d}Net" for i in range(n)]
    start = dt.date(2018, 1, 1)
    for i in range(n):
        cited = [names[j] for j in rng.sample(range(i), min(i, 3))]
        used = rng.sample(CURATED, 2)
        filler = " ".join(rng.choice(WORDS) for _ in range(120))
        abstract = (
            f"In this paper, we propose {names[i]}, a new method. It outperforms baselines such as "
            f"{', '.join(cited) or 'prior work'} and combines {used[0]} with {used[1]}. {filler}."
        )
        title = f"{names[i]}: {' '.join(rng.choice(WORDS) for _ in range(6))}"
        yield title, abstract, start + dt.timedelta(days=i * 3000 // n)


def write_listings(n: int, folder: Path) -> list[Path]:
    """The synthetic corpus as listing files in the seeds' format (title, abstract, metadata paragraph)."""
    paths, chunk = [], []
    for i, (title, abstract, date) in enumerate(synthetic_blocks(n)):
        chunk.append(f"{title}\n\n{abstract}\n\n  • 4 authors\n·\n{MONTHS[date.month - 1]} {date.day}, {date.year}\n\n")
        if len(chunk) == PAPERS_PER_FILE or i == n - 1:
            path = folder / f"synthetic_{len(paths):04d}.txt"
            path.write_text("Daily Papers\n\n" + "".join(chunk), encoding="utf-8")
            paths.append(path)
            chunk = []
    return paths


class Meter:
    """Wall time and sampled peak RSS per stage (psutil RSS every 5 ms from a thread)."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.rows: list[tuple[str, float, float]] = []
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        rss = self.process.memory_info().rss
        self.peak = max(self.peak, rss)
        return rss

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self._rss()

    @contextmanager
    def stage(self, name: str):
        self.peak = 0
        self._rss()
        began = time.perf_counter()
        yield
        elapsed = time.perf_counter() - began
        self._rss()
        self.rows.append((name, elapsed, self.peak / 2**20))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def run_one(n: int, html: bool) -> dict:
    """Build the synthetic corpus of `n` papers stage by stage; the rows and totals as a dict."""
    from paperlineage.enrich.ingest import ingest
    from paperlineage.enrich.outcomes import Outcomes
    from paperlineage.enrich.text.from_text import enrich_from_text
    from paperlineage.enrich.text.scan import scan, uses
    from paperlineage.enrich.text.vocabulary import corpus_vocabulary, curated_vocabulary
    from paperlineage.graph import analysis
    from paperlineage.graph.build import add_citations, add_mentions, add_shared_methods, build_graph, mark_confirmed
    from paperlineage.graph.mentions import find_mentions
    from paperlineage.graph.shared_methods import shared_methods
    from paperlineage.outputs import OutputSet
    from paperlineage.pipeline import BuildOptions, BuildResult, output_writers, unresolved_fields

    meter = Meter()
    with tempfile.TemporaryDirectory(prefix="paperlineage-bench-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        paths = write_listings(n, folder / "in")
        began = time.perf_counter()
        with meter.stage("ingest"):
            papers, ingest_report = ingest(paths)
        with meter.stage("text enrichment"):
            papers = [enrich_from_text(p) for p in papers]
        with meter.stage("vocabulary"):
            _, curated = curated_vocabulary(None)
            vocabulary = corpus_vocabulary(papers, curated)
        with meter.stage("scan"):
            scanned = scan(papers, vocabulary)
        with meter.stage("mentions"):
            mentions, mention_report = find_mentions(papers, vocabulary, scanned, set())
        with meter.stage("uses + shared methods"):
            used = uses(papers, vocabulary, scanned)
            shared, mention_report.too_common_methods = shared_methods(papers, used)
        with meter.stage("build graph"):
            graph = build_graph(papers, used)
            add_citations(graph, [])
            add_mentions(graph, mentions)
            add_shared_methods(graph, shared)
            mark_confirmed(graph)
        del scanned, mentions, shared
        if hasattr(analysis, "paper_igraph"):  # the split analysis: one igraph conversion shared
            with meter.stage("igraph conversion"):
                shared_ig = analysis.paper_igraph(graph)
            with meter.stage("communities"):
                community = analysis.communities(graph, shared_ig)
            with meter.stage("pagerank"):
                rank = analysis.influence_pagerank(graph, shared_ig)
            with meter.stage("degrees + set attributes"):
                analysis.set_analysis(graph, community, rank)
        else:
            with meter.stage("analysis (communities, pagerank, degrees)"):
                analysis.add_analysis(graph)
        result = BuildResult(papers, graph, ingest_report, mention_report, Outcomes())
        result.unresolved = unresolved_fields(papers, result.outcomes)
        options = BuildOptions(out=folder / "out")
        outputs = OutputSet(options.out)
        sizes = {}
        for name, writer in output_writers(result, options):
            if name == "graph.html" and not html:
                continue
            with meter.stage(name):
                outputs.write(name, writer)
            sizes[name] = (outputs.staging / name).stat().st_size
        with meter.stage("commit"):
            outputs.commit()
        total = time.perf_counter() - began
    meter.close()
    return {
        "papers": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "rows": meter.rows,
        "total": total,
        "total_without_html": total - sum(t for name, t, _ in meter.rows if name == "graph.html"),
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
        "sizes": sizes,
    }


def print_one(n: int, result: dict) -> None:
    print(f"\n== {n:,} synthetic papers: {result['papers']:,} nodes, {result['edges']:,} edges ==")
    print(f"{'stage':<42} {'s':>8} {'peak RSS MiB':>13}")
    for name, elapsed, peak in result["rows"]:
        size = result["sizes"].get(name)
        note = f"  ({size / 2**20:,.1f} MiB)" if size is not None else ""
        print(f"{name:<42} {elapsed:>8.2f} {peak:>13.0f}{note}")
    print(f"{'WHOLE BUILD':<42} {result['total']:>8.2f} {result['maxrss_mib']:>13.0f}  (ru_maxrss, whole process)")
    print(f"{'whole build without graph.html':<42} {result['total_without_html']:>8.2f}", flush=True)


def fit_exponent(points: list[tuple[int, float]]) -> float:
    """Slope of log(time) over log(papers), least squares."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-html", action="store_true", help="skip graph.html (its own helper benches it)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # one size, in this process
    parser.add_argument("--compare", action="store_true", help="time each speed-up against the old code, one run")
    args = parser.parse_args(argv)
    if args.compare:
        from bench.compare_speedups import compare

        for n in args.sizes:
            compare(n)
        return
    if args.one:
        print(json.dumps(run_one(args.sizes[0], html=not args.no_html)))
        return
    summary = []
    for n in args.sizes:
        command = [sys.executable, __file__, "--one", str(n)] + (["--no-html"] if args.no_html else [])
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"\n== {n:,} papers: failed ==\n{done.stderr[-2000:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print_one(n, result)
        summary.append((n, result))
    print(f"\n{'papers':>10} {'edges':>11} {'build s':>9} {'without html s':>15} {'peak RSS MiB':>13}")
    for n, r in summary:
        print(f"{n:>10,} {r['edges']:>11,} {r['total']:>9.1f} {r['total_without_html']:>15.1f} {r['maxrss_mib']:>13.0f}")
    if len(summary) >= 2:
        exponent = fit_exponent([(n, r["total_without_html"]) for n, r in summary])
        print(f"fitted scaling exponent (log-log least squares, build without graph.html): {exponent:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
