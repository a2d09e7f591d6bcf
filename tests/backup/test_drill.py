"""The backup drill: back up while another process writes, restore elsewhere, then the
audit log verifies and the golden queries answer as the source did at backup time.

The writer (`writer.py`, a real process) ingests, judges and searches in a loop on
the source data directory; the backup runs in this process meanwhile. What the
snapshot holds is read from the backup's own manifest, so the comparison does not
depend on when exactly the snapshot fell.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.backup.conftest import load_base
from threadline.app.workbench import Workbench
from threadline.audit import SQLAuditLog, audit_url

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).parents[2]


def _rounds(progress: Path) -> int:
    return int(progress.read_text()) if progress.exists() else 0


def _wait_for(progress: Path, rounds: int, writer: subprocess.Popen[bytes]) -> None:
    """Until the writer has finished `rounds` rounds (it must not die meanwhile)."""
    deadline = time.monotonic() + 120  # a guard against a hung writer, not a speed goal
    while _rounds(progress) < rounds:
        assert writer.poll() is None, writer.communicate()[1].decode()
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.05)


def _golden(bench: Workbench) -> dict[str, object]:
    view = bench.entity("p1")
    return {
        "search": [(h.id, h.caption) for h in bench.search("daimler").hits],
        "entity": (view.entity.to_ftm(), sorted(view.members)),
        "links": sorted((r.direction, r.prop, r.id) for r in view.relationships),
        "judgements": [(j.left, j.right) for j in bench.judgements("p1")],
    }


def test_backup_under_load_restores_to_a_verified_consistent_copy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load_base(data)
    with Workbench(data_dir=data) as bench:
        golden = _golden(bench)
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(data), str(stop), str(progress)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        # Checkpoints every few events: some fall after the snapshot, and must stay out.
        env={**os.environ, "THREADLINE_CHECKPOINT_EVERY": "3"},
    )
    try:
        _wait_for(progress, 2, writer)
        with Workbench(data_dir=data) as bench:
            manifest = bench.backup(tmp_path / "backup")
        done = _rounds(progress)
        _wait_for(progress, done + 2, writer)  # the writer went on after the snapshot
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=120)
    assert writer.returncode == 0, errors.decode()

    live = manifest.summary["datasets"]["live"]
    assert live["entities"] >= 4  # the snapshot fell while the writer was at work
    with Workbench(data_dir=data) as bench:
        later = {d.name: d.entities for d in bench.datasets()}
        source_log = [e.data for e in bench.accountability.log.entries()]
    assert later["live"] > live["entities"]

    with Workbench(data_dir=tmp_path / "restored") as restored:
        report = restored.restore(tmp_path / "backup")
        verified = restored.audit_verify()
        assert verified.ok, verified.problems
        assert report.audit.startswith("ok"), report.audit
        # The golden queries give what the source gave; the counts are the snapshot's.
        assert _golden(restored) == golden
        stats = {
            d.name: {"entities": d.entities, "statements": d.statements, "sources": d.sources}
            for d in restored.datasets()
        }
        assert stats == manifest.summary["datasets"]
        assert len(restored.judgements()) == manifest.summary["judgements"]
        # The rebuilt index holds exactly the snapshot's live people, merged where the
        # snapshot holds their judgement (the base data has one).
        merged = manifest.summary["judgements"] - 1
        assert restored.search("writer", limit=1000).total == live["entities"] - merged
    # The restored log is the source's log up to the snapshot, then the restore.
    with SQLAuditLog(audit_url(tmp_path / "restored")) as log:
        restored_log = [e.data for e in log.entries()]
    snapshot = manifest.audit_entries
    assert restored_log[:snapshot] == source_log[:snapshot]
    assert len(source_log) > snapshot

    def signed(folder: Path) -> list[int]:
        return sorted(int(p.stem) for p in (folder / "audit-checkpoints").glob("*.json"))

    assert signed(tmp_path / "backup")[-1] == snapshot
    assert signed(data)[-1] > snapshot
