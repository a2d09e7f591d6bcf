"""Graph benchmark: neighbours and 6-hop paths over 1M entities and 3M links, vs networkx.

Each phase runs in a fresh child process, so the peak RSS reported for a phase is that
phase's alone.

1. generate: seeded statements written straight into a threadline store (nodes are
   Person/Company entities, links are FtM edge entities: Ownership, Directorship,
   Family, Payment, Associate, UnknownLink, with dates; a few addresses are shared, so
   derived links are built too). 10% of link ends go to 0.1% of the nodes: hubs.
2. build: `Workbench.graph_rebuild()`, timed (scan, FtM edge semantics, CSR, save).
3. sample: nodes for neighbour queries, and pairs exactly 6 hops apart (by BFS).
4. threadline: `graph_neighbours` (depth 1, with captions from the store) and
   `graph_path` (k=1 and k=3, max 6 hops) for every sample, after one warm-up pass.
5. networkx: the same graph (from the adjacency's edge arrays, weighted by the same hop
   costs) in an nx.Graph; `G[n]` with edge data, `bidirectional_shortest_path`, and the
   first 3 of `shortest_simple_paths` (Yen, weighted).

    python benchmarks/graph.py                                  # 1M nodes, 3M links
    python benchmarks/graph.py --nodes 20000 --edges 60000      # a quick run

With `--first-requests N` it measures instead what the first graph requests after a
change cost: the store is generated, no view is saved, and N processes (as the
processes of `serve --workers N`) ask for neighbours at once. Each reports its wall
time to the first answer and the CPU it spent. `--mode wait` asks as the library does
(the code before issue 16 built the view in every process); `--mode background` asks
as the HTTP API does, polling every 0.5 s through 503s, while one job worker process
builds the view.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from _common import WORK_DIR, fresh_dir, header, peak_rss_mb, snapshot_threadline, table, verdict

GOAL_NEIGHBOURS_P95_MS = 20.0
GOAL_PATH_P95_MS = 500.0
GOAL_RSS_MB = 2048.0
HOPS = 6
DATASET = "bench"
SEEN = "2026-01-01T00:00:00"
LINKS = [  # (schema, share)
    ("Ownership", 0.30),
    ("Directorship", 0.25),
    ("Payment", 0.20),
    ("Family", 0.05),
    ("Associate", 0.05),
    ("UnknownLink", 0.15),
]

T = TypeVar("T")


def in_child(function: Callable[..., T], *args: Any) -> T:
    """Run `function(*args)` in a new interpreter and return its result."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of latencies in seconds, as milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000,
            "max": max(samples) * 1000}  # fmt: skip


def timed(function: Callable[[Any], T], items: Sequence[Any]) -> tuple[list[float], list[T]]:
    """Latency of each call, and each result."""
    latencies, results = [], []
    for item in items:
        started = time.perf_counter()
        results.append(function(item))
        latencies.append(time.perf_counter() - started)
    return latencies, results


# Phases, each run in its own process -----------------------------------------------


def phase_generate(data_dir: Path, nodes: int, edges: int, seed: int) -> dict[str, Any]:
    """Write the graph's statements into a fresh threadline store."""
    import numpy as np
    from followthemoney import model

    from threadline.app.workbench import Workbench
    from threadline.model.provenance import SourceInfo
    from threadline.model.statement import BASE_PROP, statement_id

    rng = np.random.default_rng(seed)
    fresh_dir(data_dir)
    started = time.perf_counter()
    rows: list[tuple[Any, ...]] = []
    count = 0

    def row(entity_id: str, schema: str, prop: str, kind: str, value: str) -> None:
        key = statement_id(DATASET, entity_id, prop, value, None)
        rows.append((entity_id, key, schema, prop, kind, value, None, None, DATASET,
                     "bench-source", None, SEEN, SEEN))  # fmt: skip

    with Workbench(data_dir=data_dir) as bench:
        store = bench.store

        def flush(force: bool = False) -> None:
            nonlocal rows, count
            if len(rows) >= 1_000_000 or (force and rows):
                with store.writer() as writer:
                    for lo in range(0, len(rows), 50_000):
                        writer.add(rows[lo : lo + 50_000])
                count += len(rows)
                rows = []

        companies = rng.random(nodes) < 0.4
        shared = rng.integers(0, max(1, nodes // 50), size=nodes)
        has_address = rng.random(nodes) < 0.05
        for i in range(nodes):
            node_id, schema = f"n{i:07d}", "Company" if companies[i] else "Person"
            row(node_id, schema, BASE_PROP, "id", node_id)
            row(node_id, schema, "name", "name", f"{schema} {i}")
            if has_address[i]:
                row(node_id, schema, "address", "address", f"Hafenstrasse {shared[i]}, Hamburg")
            flush()
        hubs = rng.choice(nodes, size=max(1, nodes // 1000), replace=False)
        ends = rng.integers(0, nodes, size=(edges, 2))
        to_hub = rng.random((edges, 2)) < 0.05
        ends[to_hub] = rng.choice(hubs, size=int(to_hub.sum()))
        kinds = rng.choice(len(LINKS), size=edges, p=[share for _, share in LINKS])
        years = rng.integers(1990, 2025, size=(edges, 2))
        dated, ended = rng.random(edges) < 0.7, rng.random(edges) < 0.2
        for j in range(edges):
            schema = LINKS[kinds[j]][0]
            edge = model.get(schema)
            assert edge is not None and edge.source_prop and edge.target_prop
            edge_id = f"e{j:07d}"
            row(edge_id, schema, BASE_PROP, "id", edge_id)
            row(edge_id, schema, edge.source_prop.name, "entity", f"n{ends[j, 0]:07d}")
            row(edge_id, schema, edge.target_prop.name, "entity", f"n{ends[j, 1]:07d}")
            first, last = sorted(years[j].tolist())
            if schema == "Payment":
                row(edge_id, schema, "date", "date", f"{first}-06-30")
            elif dated[j]:
                row(edge_id, schema, "startDate", "date", f"{first}-01-15")
                if ended[j]:
                    row(edge_id, schema, "endDate", "date", f"{last}-12-01")
            flush()
        flush(force=True)
        with store.writer() as writer:
            writer.add_source(SourceInfo("bench-source", "generated", DATASET, 0, "bench", SEEN))
    return {"seconds": time.perf_counter() - started, "statements": count, "rss_mb": peak_rss_mb()}


def phase_build(data_dir: Path) -> dict[str, Any]:
    """Build the adjacency view through the Workbench."""
    from threadline.app.workbench import Workbench

    with Workbench(data_dir=data_dir) as bench:
        started = time.perf_counter()
        stats = bench.graph_rebuild()
        seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in (data_dir / "graph").iterdir())
    return {"seconds": seconds, "nodes": stats.nodes, "edges": stats.edges, "types": stats.types,
            "disk_mb": size / 2**20, "rss_mb": peak_rss_mb()}  # fmt: skip


def phase_sample(data_dir: Path, work: Path, queries: int, pairs: int, seed: int) -> dict[str, Any]:
    """Nodes to ask for neighbours, pairs 6 hops apart, and the edge list for networkx."""
    import numpy as np

    from threadline.app.workbench import Workbench
    from threadline.graph.scope import Scope, Visibility
    from threadline.graph.traverse import ball
    from threadline.graph.weights import hop_costs, strength

    rng = np.random.default_rng(seed + 1)
    with Workbench(data_dir=data_dir) as bench:
        adj = bench._graph.cache.adjacency()
        view = Visibility(adj, Scope())
        starts = rng.choice(adj.node_count, size=queries, replace=False).tolist()
        found: list[tuple[int, int]] = []
        tries = 0
        while len(found) < pairs and tries < pairs * 20:
            tries += 1
            source = int(rng.integers(adj.node_count))
            far = np.flatnonzero(ball(view, source, HOPS) == HOPS)
            if len(far):
                found.append((source, int(rng.choice(far))))
        day = date.today().toordinal()
        weakness = np.array([1.0 - strength(t) for t in adj.meta.types])
        costs = hop_costs(weakness, adj.edge_type, adj.edge_start, adj.edge_end, day)
        np.save(work / "nx_src.npy", np.asarray(adj.edge_src))
        np.save(work / "nx_dst.npy", np.asarray(adj.edge_dst))
        np.save(work / "nx_cost.npy", costs)
        return {
            "neighbours": [adj.nodes.get(n) for n in starts],
            "neighbour_pos": starts,
            "pairs": [(adj.nodes.get(a), adj.nodes.get(b)) for a, b in found],
            "pair_pos": found,
            "nodes": adj.node_count,
        }


def phase_threadline(
    data_dir: Path, ids: list[str], pairs: list[tuple[str, str]]
) -> dict[str, Any]:
    """Time neighbours and paths through the Workbench (warm: one pass first)."""
    from threadline.app.workbench import Workbench

    with Workbench(data_dir=data_dir) as bench:
        started = time.perf_counter()
        bench._graph.cache.adjacency()  # open the saved view (memory-mapped)
        opened = time.perf_counter() - started

        def neighbours(entity_id: str) -> int:
            return len(bench.graph_neighbours(entity_id).nodes)

        def path(k: int) -> Callable[[tuple[str, str]], int]:
            def run(pair: tuple[str, str]) -> int:
                result = bench.graph_path(pair[0], pair[1], max_hops=HOPS, k=k)
                return min((p.hops for p in result.paths), default=-1)

            return run

        timed(neighbours, ids)
        timed(path(1), pairs[:10])
        n_lat, sizes = timed(neighbours, ids)
        p1_lat, hops = timed(path(1), pairs)
        p3_lat, _ = timed(path(3), pairs)
        return {"open_s": opened, "neighbours": n_lat, "sizes": sizes, "path1": p1_lat,
                "path3": p3_lat, "hops": hops, "rss_mb": peak_rss_mb()}  # fmt: skip


def phase_networkx(
    work: Path, nodes: list[int], pairs: list[tuple[int, int]], yen: int
) -> dict[str, Any]:
    """The same graph in networkx: build it, then the same queries."""
    import networkx as nx
    import numpy as np

    src, dst = np.load(work / "nx_src.npy"), np.load(work / "nx_dst.npy")
    cost = np.load(work / "nx_cost.npy")
    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), cost.tolist(), strict=True),
                                  weight="cost")  # fmt: skip
    built = time.perf_counter() - started
    del src, dst, cost

    def neighbours(node: int) -> int:
        return len([(v, data["cost"]) for v, data in graph.adj.get(node, {}).items()])

    def shortest(pair: tuple[int, int]) -> int:
        return len(nx.bidirectional_shortest_path(graph, *pair)) - 1

    def yen3(pair: tuple[int, int]) -> int:
        return len(list(islice(nx.shortest_simple_paths(graph, *pair, weight="cost"), 3)))

    timed(neighbours, nodes)
    n_lat, _ = timed(neighbours, nodes)
    p1_lat, hops = timed(shortest, pairs)
    y_lat, _ = timed(yen3, pairs[:yen])
    return {"build_s": built, "neighbours": n_lat, "path1": p1_lat, "yen3": y_lat, "hops": hops,
            "rss_mb": peak_rss_mb()}  # fmt: skip


def phase_first(data_dir: Path, entity_id: str, go_at: float, background: bool) -> dict[str, Any]:
    """One process's first neighbours on a stale view: wall and CPU seconds, busy answers."""
    from threadline.app.workbench import Workbench
    from threadline.errors import ThreadlineError

    with Workbench(data_dir=data_dir) as bench:
        asker: Any = bench
        if background:
            from threadline.app.verbs.graph import view_builds

            asker = view_builds(bench, background=True)
        time.sleep(max(0.0, go_at - time.time()))
        wall, cpu, busy = time.perf_counter(), time.process_time(), 0
        while True:
            try:
                found = len(asker.graph_neighbours(entity_id).nodes)
                break
            except ThreadlineError as error:  # GraphBuilding (503 over HTTP)
                if type(error).__name__ != "GraphBuilding":
                    raise
                busy += 1
                time.sleep(0.5)
        return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                "busy": busy, "nodes": found}  # fmt: skip


def phase_job_worker(data_dir: Path, until: float) -> dict[str, Any]:
    """A `threadline worker`: run jobs until one ran (or `until`); its CPU seconds."""
    from threadline.app.jobs import JobStore, jobs_url
    from threadline.app.jobs.worker import Worker
    from threadline.app.workbench import Workbench

    with Workbench(data_dir=data_dir) as bench:
        queue = JobStore(jobs_url(bench.settings))
        cpu, ran = time.process_time(), 0
        while not ran and time.time() < until:
            ran = Worker(bench, queue, poll=0.2).run(once=True)
            time.sleep(0.2)
        queue.close()
        return {"cpu": time.process_time() - cpu, "jobs": ran}


def first_requests(args: argparse.Namespace, data_dir: Path) -> None:
    """N processes ask for neighbours at once on a store with no saved view."""
    import shutil

    background = args.mode == "background"
    for leftover in ("graph", "graph.lock", "graph.building.json"):
        target = data_dir / leftover
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    context = multiprocessing.get_context("spawn")
    go_at = time.time() + 15  # every process has opened its workbench by then
    workers = args.first_requests + (1 if background else 0)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        asks = [pool.submit(phase_first, data_dir, "n0000001", go_at, background)
                for _ in range(args.first_requests)]  # fmt: skip
        job = pool.submit(phase_job_worker, data_dir, go_at + 600) if background else None
        results = [a.result() for a in asks]
        worker = job.result() if job is not None else None
    rows = [[f"process {n + 1}", r["wall"], r["cpu"], r["busy"]] for n, r in enumerate(results)]
    if worker is not None:
        rows.append(["job worker (builds)", None, worker["cpu"], None])
    print(f"{args.first_requests} processes ask for neighbours at once, no saved view, "
          f"mode {args.mode}")  # fmt: skip
    print(table(["process", "time to first neighbours s", "CPU s", "busy answers (503)"], rows))
    total = sum(r["cpu"] for r in results) + (worker["cpu"] if worker else 0.0)
    print(f"CPU in all: {total:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000, help="default 1000000")
    parser.add_argument("--edges", type=int, default=3_000_000, help="default 3000000")
    parser.add_argument("--queries", type=int, default=500, help="neighbour queries")
    parser.add_argument("--pairs", type=int, default=100, help="path queries (6 hops apart)")
    parser.add_argument("--yen", type=int, default=20, help="networkx Yen queries (slow)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "graph", help="scratch folder")
    parser.add_argument("--first-requests", type=int, default=0, metavar="N",
                        help="measure N processes' first neighbours on a stale view instead")  # fmt: skip
    parser.add_argument("--mode", choices=["wait", "background"], default="wait")
    parser.add_argument("--reuse", action="store_true", help="keep the generated store")
    args = parser.parse_args(argv)

    reuse = args.reuse and (args.work / "threadline").exists()
    work = args.work if reuse else fresh_dir(args.work)
    code = snapshot_threadline(work)
    header(f"Graph benchmark: {args.nodes:,} entities, {args.edges:,} links", code)
    data_dir = work / "threadline"
    overall = time.perf_counter()
    if args.first_requests:
        if not reuse:
            gen = in_child(phase_generate, data_dir, args.nodes, args.edges, args.seed)
            print(f"generated {gen['statements']:,} statements in {gen['seconds']:.0f}s")
        first_requests(args, data_dir)
        return 0

    gen = in_child(phase_generate, data_dir, args.nodes, args.edges, args.seed)
    print(f"generated {gen['statements']:,} statements into the store in {gen['seconds']:.0f}s")
    build = in_child(phase_build, data_dir)
    kinds = ", ".join(f"{k} {v:,}" for k, v in build["types"].items())
    print(f"threadline graph_rebuild: {build['seconds']:.0f}s, {build['nodes']:,} nodes, "
          f"{build['edges']:,} edges ({kinds}); {build['disk_mb']:,.0f} MiB on disk, "
          f"peak RSS {build['rss_mb']:,.0f} MiB")  # fmt: skip
    sample = in_child(phase_sample, data_dir, work, args.queries, args.pairs, args.seed)
    pairs = sample["pairs"]
    print(f"sampled {len(sample['neighbours']):,} nodes and {len(pairs):,} pairs {HOPS} hops apart")
    tl = in_child(phase_threadline, data_dir, sample["neighbours"], pairs)
    nx_ = in_child(phase_networkx, work, sample["neighbour_pos"], sample["pair_pos"], args.yen)
    agree = sum(a == b for a, b in zip(tl["hops"], nx_["hops"], strict=True))
    print(f"threadline opened the saved view in {tl['open_s'] * 1000:.0f} ms; networkx built "
          f"its graph in {nx_['build_s']:.0f}s")  # fmt: skip
    print(f"shortest hop counts agree with networkx for {agree:,} of {len(pairs):,} pairs; "
          f"mean neighbours per query {statistics.mean(tl['sizes']) - 1:.1f}")  # fmt: skip
    print()

    rows: list[list[object]] = []
    for label, ours, theirs in (
        ("neighbours (depth 1)", tl["neighbours"], nx_["neighbours"]),
        ("path k=1, <= 6 hops", tl["path1"], nx_["path1"]),
        ("path k=3, <= 6 hops", tl["path3"], nx_["yen3"]),
    ):
        a, b = percentiles(ours), percentiles(theirs)
        rows.append([label, a["p50"], a["p95"], a["p99"], b["p50"], b["p95"], b["p99"],
                     a["p95"] / b["p95"]])  # fmt: skip
    print(table(["query", "threadline p50 ms", "p95", "p99", "networkx p50 ms", "p95", "p99",
                 "p95 ratio tl/nx"], rows))  # fmt: skip
    print()
    print("networkx: G[n] with edge data; bidirectional_shortest_path (unweighted, 1 path); "
          f"first 3 of shortest_simple_paths (Yen, weighted, no hop limit) on {min(args.yen, len(pairs))} pairs")  # fmt: skip
    print(
        "threadline: Workbench.graph_neighbours / graph_path, results with captions from the store"
    )
    print()
    print(table(["process", "peak RSS MiB"], [
        ["threadline build", build["rss_mb"]],
        ["threadline queries", tl["rss_mb"]],
        ["networkx queries (graph in memory)", nx_["rss_mb"]],
    ]))  # fmt: skip
    print()
    n95, p95 = percentiles(tl["neighbours"])["p95"], percentiles(tl["path3"])["p95"]
    print("goals:")
    print(f"  neighbours p95 <= {GOAL_NEIGHBOURS_P95_MS:g} ms: {n95:.1f} ms "
          f"{verdict(n95 <= GOAL_NEIGHBOURS_P95_MS)}")  # fmt: skip
    print(f"  6-hop path (k=3) p95 <= {GOAL_PATH_P95_MS:g} ms: {p95:.1f} ms "
          f"{verdict(p95 <= GOAL_PATH_P95_MS)}")  # fmt: skip
    rss = max(tl["rss_mb"], build["rss_mb"])
    print(f"  memory <= {GOAL_RSS_MB:,.0f} MiB (build and queries): {rss:,.0f} MiB "
          f"{verdict(rss <= GOAL_RSS_MB)}")  # fmt: skip
    print()
    print(f"total wall time: {(time.perf_counter() - overall) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
