"""Restores: a checked backup comes back whole and verifiable; anything wrong is
refused before a file is written."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from threadline.access import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.backup import BackupError
from threadline.backup.manifest import MANIFEST


def _golden(bench: Workbench) -> dict[str, object]:
    """Answers that must be the same before the backup and after the restore."""
    view = bench.entity("p2")
    return {
        "search": [(h.id, h.caption) for h in bench.search("daimler").hits],
        "fuzzy": [h.id for h in bench.search("jane muller").hits],
        "entity": (view.entity.to_ftm(), sorted(view.members)),
        "links": sorted((r.direction, r.prop, r.id) for r in view.relationships),
        "judgements": [(j.left, j.right, j.verdict.value) for j in bench.judgements()],
        "datasets": bench.datasets(),
    }


@pytest.fixture
def backup(source: Workbench, tmp_path: Path) -> Path:
    source.backup(tmp_path / "b")
    return tmp_path / "b"


def test_restore_gives_the_same_answers_and_a_verified_log(
    source: Workbench, backup: Path, tmp_path: Path
) -> None:
    expected = _golden(source)
    with Workbench(data_dir=tmp_path / "r") as restored:
        report = restored.restore(backup)
        assert report.entities == 3  # p1 and p2 are one entity now
        assert report.audit.startswith("ok"), report.audit
        assert _golden(restored) == expected
        assert restored.audit_verify().ok
        events = list(restored.accountability.events())
    started = next(i for i, e in enumerate(events) if e.action == "restore")
    assert [(e.action, e.outcome) for e in events[started - 1 : started + 2]] == [
        ("backup", "started"),
        ("restore", "started"),
        ("restore", "ok"),
    ]
    assert stat.S_IMODE((tmp_path / "r").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "r" / "store.sqlite3").stat().st_mode) == 0o600


def _restore_refused(target: Path, backup: Path, match: str) -> None:
    with Workbench(data_dir=target) as bench, pytest.raises(BackupError, match=match):
        bench.restore(backup)
    assert not any(target.iterdir())  # nothing written
    assert not [p for p in target.parent.iterdir() if ".restore-" in p.name]


def test_restore_refuses_a_damaged_file(backup: Path, tmp_path: Path) -> None:
    store = backup / "store.sqlite3"
    data = bytearray(store.read_bytes())
    data[len(data) // 2] ^= 0x01
    store.write_bytes(bytes(data))
    _restore_refused(tmp_path / "r", backup, r"store\.sqlite3: SHA-256 does not match")


def test_restore_refuses_a_missing_file_and_a_bad_manifest(backup: Path, tmp_path: Path) -> None:
    (backup / "audit-keys" / "signing.pem").unlink()
    _restore_refused(tmp_path / "r", backup, "signing.pem: listed in the manifest but missing")
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["files"][0]["path"] = "../elsewhere"
    (backup / MANIFEST).write_text(json.dumps(manifest))
    _restore_refused(tmp_path / "r", backup, "leaves the backup")
    (backup / MANIFEST).write_text("{}")
    _restore_refused(tmp_path / "r", backup, "field 'format'")
    (tmp_path / "empty").mkdir()
    _restore_refused(tmp_path / "r", tmp_path / "empty", "not a threadline backup")


def test_restore_refuses_a_full_data_dir_unless_forced(
    source: Workbench, backup: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with Workbench(data_dir=target) as bench, pytest.raises(BackupError, match="not empty"):
        bench.restore(backup)
    assert (target / "old.txt").read_text() == "old"
    with Workbench(data_dir=target) as restored:
        restored.restore(backup, force=True)
        assert not (target / "old.txt").exists()
        assert [h.id for h in restored.search("daimler").hits] == ["c1"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.")] == []


def test_force_replaces_a_data_dir_this_workbench_has_open(source: Workbench, backup: Path) -> None:
    source.erase(dataset="base")
    assert source.search("daimler").total == 0
    source.restore(backup, force=True)
    assert [h.id for h in source.search("daimler").hits] == ["c1"]
    assert source.audit_verify().ok


def test_restore_refuses_to_replace_the_backup_itself(backup: Path) -> None:
    for target in (backup, backup / "inside"):
        with (
            Workbench(data_dir=target) as bench,
            pytest.raises(BackupError, match="into or around itself"),
        ):
            bench.restore(backup, force=True)
    assert (backup / MANIFEST).is_file()


def test_only_the_local_admin_restores(backup: Path, tmp_path: Path) -> None:
    someone = Context(actor="someone")
    with (
        Workbench(data_dir=tmp_path / "r", context=someone) as bench,
        pytest.raises(AccessDenied, match="local admin"),
    ):
        bench.restore(backup)
    assert not any((tmp_path / "r").iterdir())
