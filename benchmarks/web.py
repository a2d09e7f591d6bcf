"""Web benchmark: search over HTTP on the 50k-entity demo, against `Workbench.search`.

A real `threadline serve` (server mode: a signed-in user with a stated purpose) runs
in its own process; a load generator in another process drives it over loopback,
bounded by a request count and by a time limit per phase. Server time comes from the
`Server-Timing` header the app adds to every response, so the client's own time is
not counted in it. The anchor is the same search called in-process, as the same
user with the same purpose (same access checks, same audit event): the ratio is what
HTTP, FastAPI, JSON or HTML rendering add on top. Goal: search page p95 <= 100 ms
server time.

    python benchmarks/web.py                        # demo at scale 1 (~50k entities)
    python benchmarks/web.py --requests 300 --seconds 20   # a quicker run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import WORK_DIR, header, in_child, load, snapshot_threadline, table, verdict

GOAL_P95_MS = 100.0
LIMIT = 20  # the search page shows 20 hits; every engine asks for as many
PURPOSE = "web benchmark"
USER = "bench"
PASSWORD = "benchmark password"


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of latencies in milliseconds."""
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return {"p50": value, "p95": value, "p99": value, "max": value}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(samples)}


# Phases, each in its own process --------------------------------------------------


def phase_prepare(data_dir: Path, scale: float) -> dict[str, Any]:
    """Build the demo if the data dir has none, and a reader with a token and password."""
    from threadline.access import Level, Role
    from threadline.app.workbench import Workbench
    from threadline.errors import ThreadlineError

    built = None
    with Workbench(data_dir=data_dir) as bench:
        if not bench.datasets():
            started = time.perf_counter()
            bench.demo(scale=scale)
            built = time.perf_counter() - started
        with contextlib.suppress(ThreadlineError):  # made by an earlier run
            bench.user_add(USER, Role.INVESTIGATOR)
        token = bench.token_issue(USER)
        bench.accountability.access.set_password(USER, PASSWORD)
        stats = bench.datasets()
        for dataset in stats:
            bench.grant(USER, dataset.name, Level.READ)
        return {
            "token": token,
            "built": built,
            "entities": sum(d.entities for d in stats),
            "statements": sum(d.statements for d in stats),
        }


def phase_queries(data_dir: Path, count: int, seed: int) -> list[str]:
    """Queries an analyst would type: names as they are, a single word, or with a typo."""
    from threadline.app.workbench import Workbench
    from threadline.demo import STORY

    rng = random.Random(seed)
    captions: list[str] = []
    with Workbench(data_dir=data_dir) as bench:
        for schema in ("Person", "Company", "Organization"):
            total = bench.search("", schema=schema, limit=0).total
            for offset in rng.sample(range(max(total - 50, 1)), min(8, total)):
                hits = bench.search("", schema=schema, limit=50, offset=offset).hits
                captions += [h.caption for h in hits if len(h.caption) > 3]
    queries = [STORY.official, STORY.relative, STORY.contractor.replace("ü", "u")]
    while len(queries) < count:
        name = rng.choice(captions)
        words = [w for w in name.split() if len(w) >= 4]
        kind = rng.random()
        if kind < 0.4 or not words:
            queries.append(name)
        elif kind < 0.7:
            queries.append(rng.choice(words))
        else:
            word = rng.choice(words)
            at = rng.randrange(1, len(word) - 1)
            typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
            queries.append(name.replace(word, typo, 1))
    return queries[:count]


def phase_anchor(data_dir: Path, queries: list[str], token: str, seconds: float) -> dict[str, Any]:
    """`Workbench.search` in-process, as the benchmark user with the same purpose."""
    from threadline.app.context import Context
    from threadline.app.workbench import Workbench

    with Workbench(data_dir=data_dir) as bench:
        acting = bench.acting(Context(actor=USER, token=token, purpose=PURPOSE))
        for query in queries[:50]:  # warm-up
            acting.search(query, limit=LIMIT)
        latencies = []
        stop = time.perf_counter() + seconds
        for query in queries:
            started = time.perf_counter()
            acting.search(query, limit=LIMIT)
            latencies.append((time.perf_counter() - started) * 1000)
            if time.perf_counter() > stop:
                break
        return {"client": latencies}


def phase_load(
    url: str,
    path: str,
    queries: list[str],
    headers: dict[str, str],
    cookies: dict[str, str],
    seconds: float,
    concurrency: int,
) -> dict[str, Any]:
    """Send the queries (each once, in order) from `concurrency` threads with
    keep-alive, until done or `seconds` pass; client latency and Server-Timing."""
    import httpx

    client_ms: list[float] = []
    server_ms: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    work = iter(enumerate(queries))
    stop = time.perf_counter() + seconds

    def worker() -> None:
        with httpx.Client(base_url=url, headers=headers, cookies=cookies, timeout=30) as client:
            for _ in range(10):  # warm-up: connections, caches
                client.get(path, params={"q": queries[0], "limit": LIMIT})
            while time.perf_counter() < stop:
                with lock:
                    item = next(work, None)
                if item is None:
                    return
                started = time.perf_counter()
                answer = client.get(path, params={"q": item[1], "limit": LIMIT})
                elapsed = (time.perf_counter() - started) * 1000
                timing = answer.headers.get("server-timing", "")
                with lock:
                    if answer.status_code != 200:
                        errors.append(f"{answer.status_code} {item[1]!r}")
                        continue
                    client_ms.append(elapsed)
                    server_ms.append(float(timing.partition("dur=")[2] or "nan"))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"client": client_ms, "server": server_ms, "errors": errors, "wall": wall}


# The server -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`threadline serve` in server mode, in its own process, its log to a file."""

    def __init__(self, data_dir: Path, code: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
        env["PYTHONPATH"] = str(code)  # the frozen copy of the package
        command = [sys.executable, "-m", "threadline", "--data-dir", str(data_dir)]
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def __enter__(self) -> Server:
        import httpx

        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log.name}")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in 120 s")
            try:
                httpx.get(f"{self.url}/openapi.json", timeout=2)
                return self
            except httpx.TransportError:
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(60)
        self.log.close()


def _session(url: str) -> dict[str, str]:
    """Sign in as the benchmark user and state the purpose: the page's cookies."""
    import httpx

    with httpx.Client(base_url=f"{url}/api/v1") as client:
        answer = client.post("/login", json={"username": USER, "password": PASSWORD})
        answer.raise_for_status()
        csrf = answer.json()["csrf"]
        client.put("/me/work", json={"purpose": PURPOSE}, headers={"X-CSRF-Token": csrf})
        return dict(client.cookies.items())


def _has_page(url: str, cookies: dict[str, str], query: str) -> bool:
    """Whether the HTML search page exists and shows hits to the signed-in user."""
    import httpx

    answer = httpx.get(f"{url}/search", params={"q": query}, cookies=cookies, timeout=30)
    page = answer.status_code == 200 and "text/html" in answer.headers.get("content-type", "")
    if page:
        links = answer.text.count('href="/entities/')
        print(
            f"page:    GET /search?q={query!r}: {len(answer.content):,} bytes, {links} entity links"
        )
    return page


# Report -----------------------------------------------------------------------------


def _row(label: str, samples: Sequence[float], count: int, wall: float | None) -> list[object]:
    cut = percentiles(samples)
    rate = f"{count / wall:,.0f}" if wall else "-"
    return [label, count, cut["p50"], cut["p95"], cut["p99"], cut["max"], rate]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1: ~50k entities)")
    parser.add_argument("--requests", type=int, default=1000, help="per phase, at most")
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase, at most")
    parser.add_argument("--concurrency", type=int, default=4, help="clients of the busy phase")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=WORK_DIR / "web", help="scratch folder")
    args = parser.parse_args(argv)

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    code = snapshot_threadline(work)
    header(f"Web benchmark: search over HTTP, demo at scale {args.scale}", code)
    data_dir = work / f"data-{args.scale:g}"

    prepared = in_child(phase_prepare, data_dir, args.scale)
    built = prepared["built"]
    made = f"built in {built:.0f}s" if built else "reused from an earlier run"
    print(
        f"data:    {prepared['entities']:,} entities, {prepared['statements']:,} statements "
        f"in {data_dir} ({made})"
    )
    queries = in_child(phase_queries, data_dir, args.requests, args.seed)
    print(f"queries: {len(queries):,}, e.g. {queries[3]!r}, {queries[4]!r}, {queries[5]!r}")
    print(
        f"bounds:  {args.requests:,} requests and {args.seconds:.0f}s per phase, "
        f"limit={LIMIT} hits per search"
    )
    print()

    anchor = in_child(phase_anchor, data_dir, queries, prepared["token"], args.seconds)
    api_headers = {"Authorization": f"Bearer {prepared['token']}", "X-Purpose": PURPOSE}
    runs: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    with Server(data_dir, work / "code", work / "server.log") as server:
        cookies = _session(server.url)
        plan = [("/api/v1/search", api_headers, {}, 1)]
        if _has_page(server.url, cookies, queries[0]):
            plan.append(("/search", {}, cookies, 1))
        else:
            notes.append("/search (HTML page): not served by this build; skipped")
        plan.append(("/api/v1/search", api_headers, {}, args.concurrency))
        if len(plan) == 3:
            plan.append(("/search", {}, cookies, args.concurrency))
        for path, sent, jar, clients in plan:
            runs[f"{path} x{clients}"] = in_child(
                phase_load, server.url, path, queries, sent, jar, args.seconds, clients
            )
    print(f"load:    {load()} (after the run)")
    print()

    base = percentiles(anchor["client"])
    columns = ["measured", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s"]
    rows = [
        _row("Workbench.search in-process (anchor)", anchor["client"], len(anchor["client"]), None)
    ]
    ratios = []
    for label, run in runs.items():
        count, wall = len(run["server"]), run["wall"]
        rows.append(_row(f"GET {label}: server time", run["server"], count, wall))
        rows.append(_row(f"GET {label}: client latency", run["client"], count, wall))
        cut = percentiles(run["server"])
        ratios.append([label, cut["p50"] / base["p50"], cut["p95"] / base["p95"]])
        for error in run["errors"][:3]:
            notes.append(f"{label}: {len(run['errors'])} errors, e.g. {error}")
    print(table(columns, rows))
    print()
    print(table(["server time / anchor", "p50 ratio", "p95 ratio"], ratios))
    print()
    print("goals:")
    for label, run in runs.items():
        if label.endswith(" x1"):
            p95 = percentiles(run["server"])["p95"]
            print(
                f"  {label.removesuffix(' x1')} p95 server time <= {GOAL_P95_MS:.0f} ms "
                f"(one client): {p95:.1f} ms {verdict(p95 <= GOAL_P95_MS)}"
            )
    for note in notes:
        print(f"note: {note}")
    (work / "last-run.json").write_text(json.dumps({"anchor": anchor, "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
