"""Backups: what they hold, how they are protected, and the audit log they carry."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.backup.conftest import load_base
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import CheckpointPlaces, Keyring, SQLAuditLog, audit_url, verify
from threadline.backup import BackupError, check
from threadline.backup.manifest import MANIFEST, Manifest
from threadline.settings import Settings


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_backup_holds_the_state_and_leaves_derived_views_out(
    source: Workbench, tmp_path: Path
) -> None:
    source.search("daimler")  # the salt of hashed queries now exists
    model = source.data_dir / "resolve"
    model.mkdir()
    (model / "model.json").write_text('{"m": 1}')  # what resolve leaves behind
    (model / "state.duckdb").write_bytes(b"working tables")
    manifest = source.backup(tmp_path / "b")
    held = _files(tmp_path / "b")
    assert {
        "store.sqlite3",
        "audit.sqlite3",
        "audit-keys/signing.pem",
        "audit-keys/salt",
        "resolve/model.json",
        MANIFEST,
    } <= held
    assert any(name.startswith("audit-keys/public/") for name in held)
    assert any(name.startswith("audit-checkpoints/0") for name in held)
    assert not any(name.startswith(("index/", "graph/")) for name in held)
    assert "resolve/state.duckdb" not in held
    assert {f.path for f in manifest.files} == held - {MANIFEST}
    assert (tmp_path / "b" / "resolve" / "model.json").read_text() == '{"m": 1}'
    assert set(manifest.left_out) >= {"index", "graph", "resolve/state.duckdb"}


def test_backup_files_are_owner_only_and_match_the_manifest(
    source: Workbench, tmp_path: Path
) -> None:
    source.backup(tmp_path / "b")
    folder = tmp_path / "b"
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    manifest = check(folder)  # every hash and size agrees
    assert manifest == Manifest.read(folder)
    assert manifest.summary["entities"] == source.store.count_entities()
    assert manifest.summary["judgements"] == 1
    assert manifest.summary["datasets"] == {
        d.name: {"entities": d.entities, "statements": d.statements, "sources": d.sources}
        for d in source.datasets()
    }
    assert manifest.summary["datasets"]["base"]["entities"] == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b.")]  # no staging left


def test_the_folders_around_a_backup_and_a_restore_keep_their_modes(
    source: Workbench, tmp_path: Path
) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir(mode=0o755)
    shelf.chmod(0o755)
    source.backup(shelf / "b")
    with Workbench(data_dir=shelf / "r") as restored:
        restored.restore(shelf / "b")
    assert stat.S_IMODE(shelf.stat().st_mode) == 0o755
    assert sorted(p.name for p in shelf.iterdir()) == ["b", "r"]


def test_the_backups_log_holds_its_start_and_verifies_on_its_own(
    source: Workbench, tmp_path: Path
) -> None:
    manifest = source.backup(tmp_path / "b")
    folder = tmp_path / "b"
    with SQLAuditLog(audit_url(folder)) as log:
        events = [e.event() for e in log.entries()]
        report = verify(
            log,
            CheckpointPlaces(folder / "audit-checkpoints"),
            Keyring(folder / "audit-keys").public_keys(),
        )
    assert report.ok, report.problems
    assert report.signed == report.entries == manifest.audit_entries == len(events)
    assert (events[-1].action, events[-1].outcome) == ("backup", "started")
    # The final event comes after the snapshot: in the live log only.
    live = list(source.accountability.events())
    assert (live[-1].action, live[-1].outcome) == ("backup", "ok")
    assert live[-1].detail.startswith(f"files={len(manifest.files)} ")
    assert [e.to_bytes() for e in live[: len(events)]] == [e.to_bytes() for e in events]


def test_backup_refuses_a_full_folder_and_one_inside_the_data_dir(
    source: Workbench, tmp_path: Path
) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="must be new or empty"):
        source.backup(full)
    assert _files(full) == {"keep.txt"}
    with pytest.raises(BackupError, match="inside the data directory"):
        source.backup(source.data_dir / "backups" / "b")
    failed = [e for e in source.accountability.events() if e.action == "backup"]
    assert [e.outcome.split(":")[0] for e in failed] == ["started", "failed"] * 2


def test_backup_carries_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Workbench
) -> None:
    config = tmp_path / "threadline.toml"
    config.write_text("checkpoint_every = 500\n")
    monkeypatch.setenv("THREADLINE_CONFIG", str(config))
    source.backup(tmp_path / "b")
    assert (tmp_path / "b" / "config" / "threadline.toml").read_text() == config.read_text()
    with Workbench(data_dir=tmp_path / "r") as bench:
        restored = bench.restore(tmp_path / "b")
    assert restored.config == tmp_path / "b" / "config" / "threadline.toml"


def test_only_admins_back_up(source: Workbench, tmp_path: Path) -> None:
    token = source.user_add("vera", "viewer").token
    with pytest.raises(Exception, match="lacks role admin"):
        source.acting(Context(token=token)).backup(tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_the_second_checkpoint_place_is_backed_up_and_restored(tmp_path: Path) -> None:
    second = tmp_path / "other-disk"
    settings = Settings(data_dir=tmp_path / "data", checkpoint_dir=second)
    load_base(tmp_path / "data", settings)
    with Workbench(settings) as bench:
        bench.backup(tmp_path / "b")
    assert any(p.startswith("checkpoint-dir/0") for p in _files(tmp_path / "b"))
    # The old second place remembers entries the backup lacks: restoring onto it is refused.
    elsewhere = Settings(data_dir=tmp_path / "r", checkpoint_dir=second)
    with (
        Workbench(elsewhere) as refused,
        pytest.raises(BackupError, match="second checkpoint place is not empty"),
    ):
        refused.restore(tmp_path / "b")
    fresh = Settings(data_dir=tmp_path / "r", checkpoint_dir=tmp_path / "new-disk")
    with Workbench(fresh) as restored:
        report = restored.restore(tmp_path / "b")
        assert report.audit.startswith("ok"), report.audit
        assert restored.audit_verify().ok
    assert sorted(p.name for p in (tmp_path / "new-disk").glob("*.json")) == sorted(
        p.name for p in (tmp_path / "r" / "audit-checkpoints").glob("*.json")
    )


def test_originals_are_backed_up_and_drawn_pages_left_out(
    source: Workbench, tmp_path: Path
) -> None:
    from tests.ingest.documents.makers import pdf_bytes, write

    write(tmp_path / "docs", "memo.pdf", pdf_bytes(["A memo", "Its second page"]))
    source.ingest([tmp_path / "docs"], "docs")
    document = next(
        rows[0].entity_id
        for rows in source.store.iter_entities("docs")
        if rows[0].schema == "Pages"
    )
    drawn = source.document_page(document, 2)  # leaves a cached PNG behind
    kept = _files(source.data_dir / "originals")
    assert kept and _files(source.data_dir / "page-images")
    manifest = source.backup(tmp_path / "b")
    held = _files(tmp_path / "b")
    assert {f"originals/{name}" for name in kept} <= held  # the evidence itself
    assert not any(name.startswith("page-images/") for name in held)  # drawn again
    assert "page-images" in manifest.left_out
    with Workbench(data_dir=tmp_path / "restored") as bench:
        bench.restore(tmp_path / "b")
        assert bench.document_page(document, 2).png == drawn.png
