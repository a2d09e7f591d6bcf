"""Audit log benchmark: append throughput, checkpointing and verify time on SQLite.

No anchor tool exists for this; the numbers are for the issue's budget (auditing may
add at most 10% to p50 search latency): a single durable append is the cost a search
pays. Data is generated (seeded by index), in benchmarks/work/audit/.

    python benchmarks/audit.py                    # 100,000 entries
    python benchmarks/audit.py --entries 10000    # a quick run
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import WORK_DIR, fresh_dir, header, snapshot_threadline, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=2_000, help="one-by-one appends timed")
    parser.add_argument("--every", type=int, default=1_000, help="checkpoint every N entries")
    args = parser.parse_args()
    work = fresh_dir(WORK_DIR / "audit")
    code = snapshot_threadline(work)
    from threadline.audit import (
        ActionKind,
        AuditEvent,
        Checkpointer,
        CheckpointPlaces,
        CheckpointPolicy,
        Keyring,
        SQLAuditLog,
        audit_url,
        verify,
    )

    def event(i: int) -> AuditEvent:
        ids = tuple(f"entity-{(i * 7919 + j) % 1_000_000}" for j in range(10))
        return AuditEvent(f"user{i % 50}", ActionKind.CONSULTATION, "search", ids, f"case-{i % 20}")

    header("Audit log: append, checkpoint, verify", code)
    data = fresh_dir(work / "data")
    keyring = Keyring(data / "keys")
    places = CheckpointPlaces(data / "checkpoints", fresh_dir(work / "second"))
    rows: list[list[object]] = []
    with SQLAuditLog(audit_url(data)) as log:
        writer = Checkpointer(log, keyring, places, CheckpointPolicy(args.every))
        latencies = []
        for i in range(args.singles):
            started = time.perf_counter()
            log.append(event(i))
            writer.maybe_checkpoint()
            latencies.append(time.perf_counter() - started)
        total = sum(latencies)
        rows.append(
            [
                "append, one per transaction (fsync each)",
                args.singles,
                f"{total:.2f}",
                f"{args.singles / total:,.0f}",
            ]
        )
        rows.append(
            [
                "  p50 / p99 latency (ms)",
                "",
                f"{statistics.median(latencies) * 1e3:.2f}",
                f"{statistics.quantiles(latencies, n=100)[98] * 1e3:.2f}",
            ]
        )
        started = time.perf_counter()
        for start in range(args.singles, args.entries, 500):
            log.extend([event(i) for i in range(start, min(start + 500, args.entries))])
            writer.maybe_checkpoint()
        elapsed = time.perf_counter() - started
        bulk = args.entries - args.singles
        rows.append(
            ["append, 500 per transaction", bulk, f"{elapsed:.2f}", f"{bulk / elapsed:,.0f}"]
        )
        started = time.perf_counter()
        report = verify(log, places, keyring.public_keys())
        elapsed = time.perf_counter() - started
        rows.append(
            [
                f"verify ({report.checkpoints} checkpoints): {report.summary()}",
                report.entries,
                f"{elapsed:.2f}",
                f"{report.entries / elapsed:,.0f}",
            ]
        )
    print(table(["step", "entries", "seconds", "entries/s"], rows))


if __name__ == "__main__":
    main()
