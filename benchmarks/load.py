"""A load test on loopback: several clients against `threadline serve --workers N`.

    python benchmarks/load.py                          # the demo (scale 1), 8 clients, 2 min
    python benchmarks/load.py --data DIR --seconds 60  # an existing data directory (a copy)
    python benchmarks/load.py --scale 4 --workers 4
    python benchmarks/load.py --job-workers 0          # no `threadline worker` beside it

What it does: copies (or builds) a data directory, adds a user with a token granted
every dataset, starts the real server in its own processes, and runs `--clients`
threads for `--seconds`. Each thread loops over a mix of searches (names and words
taken from the store), entity reads (with their provenance) and graph neighbours; one
of them also uploads a file of 5,000 entities for ingest and polls the job until it
is done. Every request carries a purpose, so each one is checked and audited as in
production. Latencies are per request, measured by the client.

As on a team server, `--job-workers` `threadline worker` processes (1) run the jobs
(the ingest upload; the link graph's view, which a graph request that finds it stale
queues and answers 503 with Retry-After meanwhile). A 503 is counted apart from the
errors; the time to the first neighbours answered and each process's CPU are printed.

The first `--warmup` seconds are not counted: each server process opens its caches
(the index reader) on its first requests.

The goal (issue 16): 0 errors and a p99 of at most 300 ms for reads, at 1M entities.
There is no anchor to run side by side: the table compares with that target.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK_DIR, _descendants, cpu_ticks, fresh_dir, header, table, verdict

USER = "loadtest"
PURPOSE = "load test"
TARGET_P99_MS = 300.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(
    data: Path | None, scale: float, work: Path
) -> tuple[Path, str, list[str], list[str], list[str], int]:
    """A data directory to serve, a token for USER, search terms, entity ids, ids of
    entities that links join (for neighbours), and how many entities it holds."""
    from followthemoney import model

    from threadline.access import Level, Role
    from threadline.app.workbench import Workbench

    target = fresh_dir(work / "data")
    if data is not None:
        shutil.rmtree(target)
        shutil.copytree(data, target)
    with Workbench(data_dir=target) as bench:
        if data is None:
            bench.demo(scale=scale)
        token = bench.user_add(USER, Role.INVESTIGATOR).token
        for info in bench.datasets():
            bench.grant(USER, info.name, Level.WRITE)
        names: list[str] = []
        ids: list[str] = []
        linked: list[str] = []
        number = -1
        for number, entity in enumerate(bench.export()):
            schema = model.get(str(entity["schema"]))
            props = entity["properties"]
            if schema is not None and schema.edge and len(linked) < 5_000:
                linked.extend(props.get(str(schema.edge_source), [])[:1])
            if number % 7 == 0 and len(ids) < 5_000:
                ids.append(str(entity["id"]))
                names.extend(props.get("name", [])[:1])
    terms = names[:3_000] + [n.split()[-1] for n in names[:1_000] if n.split()]
    return target, token, terms, ids, linked or ids, number + 1


def serve(data_dir: Path, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """The server in its own process group, once it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env["THREADLINE_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "-m", "threadline", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).is_success:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    stop(process)
    raise SystemExit(f"the server did not answer in 180 s: {log.read_text()[-2000:]}")


def job_worker(data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """A `threadline worker` process over the data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env["THREADLINE_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "-m", "threadline", "worker", "--poll", "0.5"]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def cpu_seconds(root: int) -> dict[int, float]:
    """CPU seconds of a process and each of its descendants, by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for pid in _descendants(root):  # the root first
        used = cpu_ticks(pid)
        if used is not None:
            found[pid] = used / ticks
    return found


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


class Recorder:
    """Latencies (ms) and errors per kind of request, from every client thread."""

    def __init__(self, after: float = 0.0) -> None:
        self.after = after  # time.monotonic() from which requests count (after a warm-up)
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.busy: dict[str, int] = defaultdict(int)  # 503 with Retry-After: come back later
        self.first: dict[str, float] = {}  # time.monotonic() of each kind's first success

    def call(self, kind: str, client: httpx.Client, method: str, url: str, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            answer = client.request(method, url, **kw)
            ok, detail = answer.is_success, f"{answer.status_code} {answer.text[:200]}"
        except httpx.HTTPError as exc:
            answer, ok, detail = None, False, f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        busy = answer is not None and answer.status_code == 503 and "retry-after" in answer.headers
        with self.lock:
            if ok:
                self.first.setdefault(kind, time.monotonic())
            if time.monotonic() < self.after:
                return answer.json() if ok and answer is not None else None
            if busy:
                self.busy[kind] += 1
                return None
            self.latencies[kind].append(elapsed)
            if not ok:
                self.errors[kind].append(detail)
        return answer.json() if ok and answer is not None else None


def _entities_file(count: int) -> bytes:
    rows = (
        {
            "id": f"load-{n}",
            "schema": "Person",
            "properties": {"name": [f"Loadtest Person {n}"], "birthDate": ["1970-01-01"]},
        }
        for n in range(count)
    )
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def client_loop(
    number: int,
    base: str,
    token: str,
    terms: list[str],
    ids: list[str],
    linked: list[str],
    until: float,
    record: Recorder,
) -> None:
    rng = random.Random(number)
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": PURPOSE}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        job: str | None = None
        uploaded = number != 0  # the first client uploads once, after the warm-up
        while time.monotonic() < until:
            if not uploaded and time.monotonic() >= record.after:
                uploaded = True
                files = {"file": ("load.ijson", _entities_file(5_000))}
                made = record.call(
                    "ingest upload",
                    client,
                    "POST",
                    "/ingest",
                    files=files,
                    data={"dataset": "load"},
                )
                job = made["id"] if made else None
            roll = rng.random()
            if job is not None and roll < 0.05:
                state = record.call("ingest poll", client, "GET", f"/ingest/{job}")
                if state is not None and state.get("status") in ("done", "failed", "cancelled"):
                    job = None
            elif roll < 0.60:
                params = {"q": rng.choice(terms), "limit": 10}
                record.call("search", client, "GET", "/search", params=params)
            elif roll < 0.92:
                record.call("entity", client, "GET", f"/entities/{rng.choice(ids)}")
            else:
                params = {"entity_id": rng.choice(linked), "depth": 1}
                record.call("neighbours", client, "GET", "/graph/neighbours", params=params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="an existing data directory (copied)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale without --data")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--job-workers", type=int, default=1, help="`threadline worker`s")
    parser.add_argument(
        "--warmup", type=float, default=15.0, help="seconds of load not counted (caches fill)"
    )
    parser.add_argument("--work", type=Path, default=WORK_DIR / "load")
    args = parser.parse_args()

    header("Load test on loopback: threadline serve", "working tree")
    started = time.perf_counter()
    data_dir, token, terms, ids, linked, entities = prepare(args.data, args.scale, args.work)
    print(f"prepared {data_dir} in {time.perf_counter() - started:.0f} s ({entities:,} entities)")
    port = _free_port()
    server = serve(data_dir, port, args.workers, args.work / "server.log")
    workers = [job_worker(data_dir, args.work / f"worker-{n}.log") for n in range(args.job_workers)]
    served = time.monotonic()
    record = Recorder(after=time.monotonic() + args.warmup)
    cpu: dict[str, float] = {}
    try:
        until = time.monotonic() + args.warmup + args.seconds
        base = f"http://127.0.0.1:{port}/api/v1"
        threads = [
            threading.Thread(
                target=client_loop,
                args=(n, base, token, terms, ids, linked, until, record),
                daemon=True,
            )
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        used = cpu_seconds(server.pid)
        cpu = {f"server {'process' if pid != server.pid else 'supervisor'} {pid}": seconds
               for pid, seconds in used.items()}  # fmt: skip
        for worker in workers:
            cpu[f"threadline worker {worker.pid}"] = sum(cpu_seconds(worker.pid).values())
    finally:
        stop(server)
        for worker in workers:
            stop(worker)
    rows = []
    for kind in sorted(record.latencies):
        samples = record.latencies[kind]
        cuts = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else []
        p50, p99 = (cuts[49], cuts[98]) if cuts else (samples[0], samples[0])
        reads = kind in ("search", "entity", "neighbours")
        ok = not record.errors[kind] and (not reads or p99 <= TARGET_P99_MS)
        busy = record.busy[kind]
        rows.append([kind, len(samples), len(record.errors[kind]), busy, p50, p99, verdict(ok)])
    print()
    print(
        f"{args.clients} clients for {args.seconds:.0f} s after a {args.warmup:.0f} s warm-up, "
        f"serve --workers {args.workers}, {args.job_workers} threadline worker"
    )
    heads = ["request", "count", "errors", "503 busy", "p50 ms", "p99 ms"]
    print(table([*heads, "goal (0 errors, p99<=300)"], rows))
    print()
    for kind in sorted(record.first):
        print(f"first {kind} answered {record.first[kind] - served:.1f} s after the server was up")
    print(table(["process", "CPU s (whole run)"], sorted(cpu.items())))
    for kind, errors in record.errors.items():
        for detail in errors[:3]:
            print(f"error {kind}: {detail}")


if __name__ == "__main__":
    main()
