"""Graph page benchmark: frame times while panning and zooming a 2,000-node chart.

The real app (local mode, its CSP and static files) is served on loopback; headless
Debian Chromium (Playwright, the flags of tests/web/conftest.py) opens /graph, puts a
synthetic 2,000-node neighbourhood in the page as the page itself would carry it, and
loads the bundled explorer. The first layout is timed; then the mouse pans (drags) and
zooms (wheel) for a fixed number of steps while a requestAnimationFrame loop records
the time between frames. Goal: p95 frame time <= 50 ms while panning and zooming.

With `--compare-rev REV` the same drive runs on the old home-made SVG page of that
revision (`git show REV:threadline/web/static/graph.js`); that page drew at most 400
nodes, which the table says.

    python benchmarks/graph_page.py                    # 2,000 nodes
    python benchmarks/graph_page.py --nodes 500 --compare-rev 1d2fe7b
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _common import BENCH_DIR, git_revision, header, load, table, verdict

GOAL_P95_MS = 50.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEW_MARKUP = (
    '<div id="graph" class="graph"></div><p id="graph-status"></p><div id="panel-body"></div>'
    '<div id="type-boxes"></div><div id="graph-legend"><ul id="legend-schemas"></ul>'
    '<ul id="legend-types"></ul></div><fieldset id="time-filter"><input type="range" '
    'id="time-from"><input type="range" id="time-to"><output id="time-shown"></output>'
    '</fieldset><ul id="graph-nodes"></ul>'
)
OLD_MARKUP = (
    '<svg id="graph" class="graph" viewBox="-400 -300 800 600"></svg>'
    '<p id="graph-status"></p><div id="panel-body"></div><div id="type-boxes"></div>'
)
RECORDER = """() => {
  window.__frames = [];
  let last = performance.now();
  window.__recording = true;
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def synthetic(nodes: int, seed: int = 7) -> dict[str, Any]:
    """A start, ten hubs it links to, the rest spread over the hubs, some cross links:
    nothing folds (the start's neighbours are not leaves), so every node is drawn."""
    rng = random.Random(seed)
    schemas = ["Person", "Company", "Organization", "PublicBody", "Address"]
    types = ["Ownership", "Directorship", "Payment", "Family", "Employment"]
    made = [
        {"id": f"n{i}", "schema": rng.choice(schemas), "caption": f"Entity {i}", "datasets": ["x"]}
        for i in range(nodes)
    ]
    hubs = list(range(1, 11))
    edges = []
    for i in range(1, nodes):
        source = 0 if i in hubs else rng.choice(hubs)
        year = rng.randrange(2005, 2025)
        edges.append((source, i, rng.choice(types), f"{year}-01-01"))
    for _ in range(nodes // 10):
        a, b = rng.randrange(11, nodes), rng.randrange(11, nodes)
        if a != b:
            edges.append((a, b, rng.choice(types), None))
    wire = [
        {
            "id": f"e{k}",
            "type": t,
            "source": f"n{a}",
            "target": f"n{b}",
            "start": start,
            "end": None,
            "strength": 1.0,
            "derived": False,
            "datasets": ["x"],
        }
        for k, (a, b, t, start) in enumerate(edges)
    ]
    return {"start": "n0", "nodes": made, "edges": wire, "paths": [], "types": []}


def serve(data_dir: Path) -> tuple[str, Any]:
    """The app in local mode on a free loopback port, in a thread."""
    import uvicorn

    from threadline.api.app import create_app
    from threadline.settings import Settings

    app = create_app(Settings(data_dir=data_dir), local=True)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", (server, thread, sock)


def drive(page: Any, steps: int) -> dict[str, float]:
    """Pan and zoom with the mouse, recording frame times; their statistics in ms."""
    box = page.locator("#graph").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.evaluate(RECORDER)
    for step in range(steps):
        # Zoom: a wheel notch in, then out, around the middle.
        page.mouse.wheel(0, -120 if step % 2 == 0 else 120)
        # Pan: drag the background in a small circle.
        page.mouse.move(cx + 5, cy + 5)
        page.mouse.down()
        for k in range(6):
            page.mouse.move(cx + 5 + 12 * (k + 1), cy + 5 + (8 if step % 2 else -8) * (k + 1))
        page.mouse.up()
        page.wait_for_timeout(16)
    page.evaluate("() => { window.__recording = false; }")
    page.wait_for_timeout(50)
    frames = [f for f in page.evaluate("() => window.__frames")[1:] if f > 0]
    cuts = statistics.quantiles(frames, n=100, method="inclusive")
    return {
        "frames": float(len(frames)),
        "mean": statistics.fmean(frames),
        "p50": cuts[49],
        "p95": cuts[94],
        "max": max(frames),
    }


def run_page(
    browser: Any, url: str, markup: str, script: str, data: dict[str, Any], steps: int
) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.set_default_timeout(120_000)
    if script.startswith("old:"):
        body = script[4:]
        page.route("**/static/old-graph.js", lambda route: route.fulfill(body=body, content_type="text/javascript"))  # fmt: skip
        script_url = f"{url}/static/old-graph.js"
    else:
        script_url = f"{url}/static/vendor/graph.bundle.js"
    page.goto(f"{url}/graph")
    html = markup + (f'<script type="application/json" id="graph-data">{json.dumps(data)}</script>')
    page.evaluate("html => { document.querySelector('main').innerHTML = html; }", html)
    started = time.perf_counter()
    page.add_script_tag(url=script_url)
    page.wait_for_selector("#graph[data-ready=true]")
    first = (time.perf_counter() - started) * 1000
    drawn = page.evaluate(
        "() => window.threadlineGraph ? window.threadlineGraph.nodes().length "
        ": document.querySelectorAll('#graph .node').length"
    )
    result = drive(page, steps)
    result["first_ms"] = first
    result["drawn"] = float(drawn)
    page.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=40, help="pan+zoom gestures to make")
    parser.add_argument("--compare-rev", help="also drive the old SVG page of this revision")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    repo = BENCH_DIR.parent
    bundle = repo / "threadline/web/static/vendor/graph.bundle.js"
    if not bundle.exists():
        sys.exit(f"{bundle} is missing: run `npm ci && npm run build` (or pip install -e .)")
    header("Graph page benchmark", git_revision(repo))
    data = synthetic(args.nodes)
    print(
        f"chart: {len(data['nodes']):,} nodes, {len(data['edges']):,} links; {args.steps} pan+zoom gestures"
    )
    pages = [("bundled explorer (Cytoscape.js)", NEW_MARKUP, "new")]
    if args.compare_rev:
        old = subprocess.run(
            ["git", "show", f"{args.compare_rev}:threadline/web/static/graph.js"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append((f"old SVG page ({args.compare_rev})", OLD_MARKUP, "old:" + old))
    rows = []
    with tempfile.TemporaryDirectory(prefix="threadline-graph-bench-") as folder:
        url, (server, thread, sock) = serve(Path(folder) / "data")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for name, markup, script in pages:
                        found = run_page(browser, url, markup, script, data, args.steps)
                        rows.append((name, found))
                finally:
                    browser.close()
        finally:
            server.should_exit = True
            thread.join(30)
            sock.close()
    print()
    print(
        table(
            [
                "page",
                "nodes drawn",
                "first draw ms",
                "frames",
                "mean ms",
                "p50 ms",
                "p95 ms",
                "max ms",
            ],
            [
                (
                    n,
                    int(r["drawn"]),
                    r["first_ms"],
                    int(r["frames"]),
                    r["mean"],
                    r["p50"],
                    r["p95"],
                    r["max"],
                )
                for n, r in rows
            ],
        )
    )
    print()
    best = rows[0][1]
    print(f"load after: {load()}")
    print(
        f"Goal: p95 frame time <= {GOAL_P95_MS:.0f} ms while panning and zooming "
        f"{len(data['nodes']):,} nodes: {best['p95']:.1f} ms, {verdict(best['p95'] <= GOAL_P95_MS)}"
    )


if __name__ == "__main__":
    main()
