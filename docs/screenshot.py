"""Regenerate ``docs/seeds-graph.png``, the README's picture of the seeds graph.

Builds ``seeds/`` offline into a temporary folder (no network, empty cache, so the
picture does not depend on what your cache holds), opens ``graph.html`` in headless
Debian Chromium through Playwright, turns on lineage mode on GaLore, frames the
linked papers and saves a screenshot::

    PYTHONPATH=. python docs/screenshot.py [--layout force|timeline] [--out docs/seeds-graph.png]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from cache import HttpConfig
from graph.export_html import write_html
from graph.pipeline import run_build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layout", choices=("force", "timeline"), default="force")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "seeds-graph.png")
    parser.add_argument("--focus", default="GaLore", help="paper to search and show in lineage mode ('' for none)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        result = run_build([ROOT / "seeds"], out, HttpConfig(offline=True, cache_path=out / "c.sqlite"))
        page_path = out / "page.html"
        write_html(result.graph, page_path, heading="paperlineage: seeds", layout=args.layout)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.lineage && window.lineage.ready", timeout=60_000)
            if args.focus:
                page.evaluate("window.lineage.setLineageMode(true)")
                page.evaluate("q => window.lineage.search(q)", args.focus)
            # Frame the papers that have links; the unlinked ones are a grid underneath.
            page.evaluate(
                """() => {
                  const linked = new Set();
                  window.lineage.edges.forEach(e => { linked.add(e.from); linked.add(e.to); });
                  window.lineage.network.fit({nodes: [...linked].sort(), animation: false});
                }"""
            )
            page.wait_for_timeout(300)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
