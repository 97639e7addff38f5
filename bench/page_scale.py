"""Benchmark: how big ``graph.html`` gets and how fast it paints, for synthetic corpora.

For each size the graph comes from :func:`bench.graph_scale.synthetic_corpus` and
:func:`paperlineage.pipeline.link_papers` (pickled under ``--cache``, because linking
100k papers takes minutes and is not what this measures). The page is then written by
the current :mod:`paperlineage.graph.export_html` and, with ``--before REF``, by the
export module of that git revision (loaded from ``git show``), side by side, and opened
in headless Debian Chromium through Playwright. Printed per page: file size, write
time, time to first paint (the browser's ``first-contentful-paint`` entry) and time
until the page says it is usable (``window.lineage.ready``), both from navigation start.

    PYTHONPATH=. .venv/bin/python bench/page_scale.py 1000 10000 100000 [--before main] [--screenshot docs/graph-100k.png]
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.graph_scale import synthetic_corpus
from paperlineage.graph import export_html
from paperlineage.pipeline import link_papers

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PAINT = """() => { const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null; }"""
DRAWN = """() => { const p = performance.getEntriesByName('lineage:drawn')[0]; return p ? p.startTime : null; }"""


def graph_for(n: int, cache: Path):
    """The linked synthetic graph of `n` papers, from the pickle cache when it is there."""
    path = cache / f"graph-{n}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    graph, _ = link_papers(synthetic_corpus(n))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
    return graph


def old_module(ref: str):
    """graph/export_html.py and graph/assets as they are at git revision `ref`, imported under another name."""
    show = lambda name: subprocess.run(["git", "show", f"{ref}:graph/{name}"], cwd=ROOT, check=True, capture_output=True).stdout  # noqa: E731
    folder = Path(tempfile.mkdtemp())
    (folder / "assets").mkdir()
    listed = subprocess.run(["git", "ls-tree", "--name-only", f"{ref}:graph/assets"], cwd=ROOT, check=True, capture_output=True, text=True)
    for name in listed.stdout.split():
        (folder / "assets" / name).write_bytes(show(f"assets/{name}"))
    path = folder / "export_html_before.py"
    path.write_bytes(show("export_html.py"))
    spec = importlib.util.spec_from_file_location("export_html_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def open_page(browser, path: Path, timeout_s: float, screenshot: Path | None = None) -> tuple[float | None, float | None, float | None, list[str]]:
    """(first paint s, graph drawn s, usable s, errors) for the page at `path`; None where it did not happen within `timeout_s`.

    First paint is the browser's first-contentful-paint (the sidebar's text can come before the
    graph); "drawn" is the page's ``lineage:drawn`` mark, vis-network's first frame of the graph
    (pages from before the mark existed have none); usable is ``window.lineage.ready``.
    """
    page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    paint = drawn = ready = None
    try:
        page.goto(path.as_uri(), timeout=timeout_s * 1000, wait_until="commit")
        page.wait_for_function("() => window.lineage && window.lineage.ready", timeout=timeout_s * 1000)
        ready = page.evaluate("() => performance.now()") / 1000
        found = page.evaluate(PAINT)
        paint = found / 1000 if found is not None else None
        found = page.evaluate(DRAWN)
        drawn = found / 1000 if found is not None else None
        if screenshot:
            page.wait_for_timeout(500)
            page.screenshot(path=str(screenshot))
    except Exception as error:  # a timeout or a crashed tab: reported as no paint, the bench goes on
        errors.append(type(error).__name__ + ": " + str(error).splitlines()[0])
        try:
            found = page.evaluate(PAINT)
            paint = found / 1000 if found is not None else None
        except Exception:
            pass
    finally:
        page.close()
    return paint, drawn, ready, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "paperlineage-page-scale")
    parser.add_argument("--before", help="also measure graph/export_html.py of this git revision (e.g. main)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a page to become usable")
    parser.add_argument("--open-max", type=float, default=200.0, help="MB: a bigger page is written and measured but not opened")
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the largest current page here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    exporters = [("after", export_html)] + ([(f"before ({args.before})", old_module(args.before))] if args.before else [])
    print(f"{'papers':>8} {'edges':>9} {'version':>14} {'mode':>9} {'MB':>8} {'B/paper':>8} {'write s':>8} {'paint s':>8} {'drawn s':>8} {'ready s':>8}  errors", flush=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in args.sizes:
            graph = graph_for(n, args.cache)
            for name, module in exporters:
                path = Path(tmp) / f"graph-{n}-{name.split()[0]}.html"
                began = time.perf_counter()
                summary = module.write_html(graph, path, heading=f"paperlineage: {n:,} synthetic papers")
                written = time.perf_counter() - began
                size = path.stat().st_size
                shot = args.screenshot if (name == "after" and n == max(args.sizes)) else None
                if size / 1e6 <= args.open_max:
                    paint, drawn, ready, errors = open_page(browser, path, args.timeout, shot)
                else:
                    paint, drawn, ready, errors = None, None, None, [f"not opened: over --open-max {args.open_max:g} MB"]
                show = lambda v: f"{v:8.2f}" if v is not None else f"{'-':>8}"  # noqa: E731
                mode = getattr(summary, "mode", "full")
                print(f"{n:>8} {graph.number_of_edges():>9} {name:>14} {mode:>9} {size / 1e6:8.1f} {size / n:8.0f} {written:8.1f} "
                      f"{show(paint)} {show(drawn)} {show(ready)}  {'; '.join(errors)[:200]}", flush=True)
                path.unlink()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
