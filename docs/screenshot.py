"""Regenerate ``docs/seeds-graph.png``, the README's picture of the seeds graph.

Builds ``seeds/`` offline into a temporary folder (no network, empty cache, so the
picture does not depend on what your cache holds), opens ``graph.html`` in headless
Debian Chromium through Playwright and does what a reader would: ticks "Lineage
mode", types GaLore into the search box and presses Enter. It then zooms to the
lit lineage, in the part of the graph the details panel leaves free, so the labels
are readable, and saves a screenshot::

    PYTHONPATH=. .venv/bin/python docs/screenshot.py [--layout force|timeline] [--out docs/seeds-graph.png]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from paperlineage.cache import HttpConfig
from paperlineage.graph.export_html import write_html
from paperlineage.pipeline import BuildOptions, run_build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


MARGIN = 70  # px around the framed papers
MAX_SCALE = 1.3
# Zoom to the lit lineage (or, with nothing lit, to every linked paper), centred in the part
# of the canvas that the details panel does not cover.
FRAME = """({margin, max_scale}) => {
  const L = window.lineage, net = L.network;
  let ids = L.highlighted();
  if (!ids.length) {
    const linked = new Set();
    L.edges.forEach(e => { linked.add(e.from); linked.add(e.to); });
    ids = [...linked].sort();
  }
  const at = net.getPositions(ids), box = document.getElementById("mynetwork").getBoundingClientRect();
  const panel = document.getElementById("details");
  const free = panel.hidden ? box.width : panel.getBoundingClientRect().left - box.left;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  ids.forEach(id => {
    const r = net.body.nodes[id].shape.radius || 10;
    x0 = Math.min(x0, at[id].x - r); x1 = Math.max(x1, at[id].x + r);
    y0 = Math.min(y0, at[id].y - r); y1 = Math.max(y1, at[id].y + r + 24);  // the label under the dot
  });
  const scale = Math.min(max_scale, (free - 2 * margin) / (x1 - x0), (box.height - 2 * margin) / (y1 - y0));
  // the view centre sits (width - free) / 2 px right of the middle of the free part
  const cx = (x0 + x1) / 2 + (box.width - free) / 2 / scale;
  net.moveTo({position: {x: cx, y: (y0 + y1) / 2}, scale: scale, animation: false});
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layout", choices=("force", "timeline"), default="force")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "seeds-graph.png")
    parser.add_argument("--focus", default="GaLore", help="paper to search and show in lineage mode ('' for none)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        result = run_build([ROOT / "seeds"], BuildOptions(out=out, http=HttpConfig(offline=True, cache_path=out / "c.sqlite")))
        page_path = out / "page.html"
        write_html(result.graph, page_path, heading="paperlineage: seeds", layout=args.layout)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.lineage && window.lineage.ready", timeout=60_000)
            if args.focus:
                page.check("#lineage-mode")
                page.click("#search")
                page.keyboard.type(args.focus)
                page.keyboard.press("Enter")
                page.wait_for_function("() => window.lineage.highlighted().length > 0")
            page.wait_for_timeout(1500)  # let physics settle after the search moved the view
            page.evaluate(FRAME, {"margin": MARGIN, "max_scale": MAX_SCALE})
            page.wait_for_timeout(400)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
