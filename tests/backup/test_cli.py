"""`threadline backup` and `threadline restore` on the command line."""

from __future__ import annotations

from pathlib import Path

from tests.backup.conftest import load_base
from tests.cli.runner import cli, ok


def test_backup_then_restore_then_verify(tmp_path: Path) -> None:
    data, backup, restored = tmp_path / "data", tmp_path / "b", tmp_path / "r"
    load_base(data)
    done = ok(data, "backup", str(backup), "--json")
    manifest = done.json()
    assert isinstance(manifest, dict)
    assert manifest["format"] == "threadline-backup/v1"
    assert manifest["summary"]["datasets"]["base"]["entities"] == 4
    assert "index" in manifest["left_out"]
    done = ok(restored, "restore", str(backup))
    assert "3 entities indexed; audit log ok" in done.stdout
    assert ok(restored, "audit", "verify").stdout.startswith("ok")
    hits = ok(restored, "search", "daimler", "--json").lines()
    assert hits[0]["id"] == "c1"


def test_restore_refusals_are_errors(tmp_path: Path) -> None:
    data, backup = tmp_path / "data", tmp_path / "b"
    load_base(data)
    ok(data, "backup", str(backup))
    done = cli(data, "restore", str(backup))
    assert done.code == 1
    assert "the data directory is not empty" in done.stderr
    assert "--force" in done.stderr
    (backup / "audit.sqlite3").write_bytes(b"not the log")
    done = cli(tmp_path / "r", "restore", str(backup))
    assert done.code == 1
    assert "audit.sqlite3: does not match the manifest" in done.stderr
    done = cli(data, "backup", str(backup))
    assert done.code == 1
    assert "must be new or empty" in done.stderr
