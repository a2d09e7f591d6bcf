"""Signed checkpoints: policy, two places, key rotation, and what verify makes of them."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.audit.conftest import make_event
from threadline.audit import AuditError, AuditWriteError
from threadline.audit.checkpoint import (
    Checkpoint,
    CheckpointPlaces,
    CheckpointPolicy,
    checkpoint_name,
)
from threadline.audit.checkpointer import Checkpointer
from threadline.audit.keys import PRIVATE_FILE, Keyring
from threadline.audit.log import MemoryAuditLog
from threadline.audit.sql import SQLAuditLog, audit_url
from threadline.audit.verify import verify


class Clock:
    """A settable clock, so the time policy is tested without sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_policy() -> None:
    policy = CheckpointPolicy(every_entries=100, every=timedelta(minutes=5))
    assert not policy.due(0, timedelta(hours=1))
    assert not policy.due(99, timedelta(minutes=4))
    assert policy.due(100, timedelta(0))
    assert policy.due(1, timedelta(minutes=5))


def test_checkpoints_every_n_entries_or_minutes(keyring: Keyring, places: CheckpointPlaces) -> None:
    log, clock = MemoryAuditLog(), Clock()
    writer = Checkpointer(log, keyring, places, CheckpointPolicy(10, timedelta(minutes=5)), clock)
    sizes = []
    for i in range(35):
        log.append(make_event(i))
        if (cp := writer.maybe_checkpoint()) is not None:
            sizes.append(cp.size)
    assert sizes == [10, 20, 30]
    clock.now += timedelta(minutes=4)
    assert writer.maybe_checkpoint() is None
    clock.now += timedelta(minutes=1)
    assert writer.maybe_checkpoint() is not None
    assert sorted(p.name for p in places.primary.glob("*.json")) == [
        checkpoint_name(n) for n in (10, 20, 30, 35)
    ]
    assert places.second is not None
    assert (places.second / checkpoint_name(35)).read_bytes() == (
        places.primary / checkpoint_name(35)
    ).read_bytes()
    report = verify(log, places, keyring.public_keys())
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints, report.signed) == (35, 4, 35)


def test_checkpoint_content_and_file_round_trip(keyring: Keyring, places: CheckpointPlaces) -> None:
    log = MemoryAuditLog()
    log.extend([make_event(i) for i in range(13)])
    cp = Checkpointer(log, keyring, places).checkpoint()
    assert (cp.size, cp.root, cp.first) == (13, log.head().root, 0)
    assert cp.key_id == keyring.current_id
    assert cp.signature_ok(keyring.public_keys())
    assert Checkpoint.from_json(cp.to_json()) == cp
    assert Checkpointer(log, keyring, places).checkpoint() == cp  # nothing new: the same one


def test_checkpointer_resumes_from_the_last_checkpoint(
    tmp_path: Path, keyring: Keyring, places: CheckpointPlaces
) -> None:
    with SQLAuditLog(audit_url(tmp_path)) as log:
        log.extend([make_event(i) for i in range(10)])
        Checkpointer(log, keyring, places).checkpoint()
    with SQLAuditLog(audit_url(tmp_path)) as log:
        log.extend([make_event(i) for i in range(10, 25)])
        cp = Checkpointer(log, keyring, places).checkpoint()
        assert (cp.first, cp.size, len(cp.leaves)) == (10, 25, 15)
        assert verify(log, places, keyring.public_keys()).ok


def test_signature_tamper_is_detected(keyring: Keyring, places: CheckpointPlaces) -> None:
    log = MemoryAuditLog()
    log.extend([make_event(i) for i in range(5)])
    cp = Checkpointer(log, keyring, places).checkpoint()
    for place in places.all():
        path = place / checkpoint_name(cp.size)
        path.write_bytes(path.read_bytes().replace(cp.root.hex().encode(), b"00" * 32))
    report = verify(log, places, keyring.public_keys())
    assert not report.ok
    assert any("signature does not verify" in p.message for p in report.problems)


def test_checkpoint_by_an_unknown_key_is_reported(
    keyring: Keyring, places: CheckpointPlaces, tmp_path: Path
) -> None:
    log = MemoryAuditLog()
    log.append(make_event(0))
    Checkpointer(log, Keyring(tmp_path / "intruder"), places).checkpoint()
    report = verify(log, places, keyring.public_keys())
    assert any("unknown key" in p.message for p in report.problems)


def test_rotated_key_still_verifies_old_checkpoints(
    keyring: Keyring, places: CheckpointPlaces
) -> None:
    log = MemoryAuditLog()
    writer = Checkpointer(log, keyring, places)
    log.extend([make_event(i) for i in range(5)])
    old = writer.checkpoint()
    new_id = keyring.rotate()
    log.extend([make_event(i) for i in range(5, 9)])
    new = writer.checkpoint()
    assert old.key_id != new_id == new.key_id
    assert set(keyring.public_keys()) == {old.key_id, new.key_id}
    # A fresh keyring object reads the rotated key from disk.
    assert Keyring(keyring.directory).current_id == new_id
    report = verify(log, places, keyring.public_keys())
    assert report.ok and report.checkpoints == 2
    assert places.second is not None
    assert (places.second / "keys" / f"{old.key_id}.pem").exists()


def test_private_key_and_salt_are_owner_only(keyring: Keyring) -> None:
    keyring.current_id  # noqa: B018  # creates the key on first use
    path = keyring.directory / PRIVATE_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    with pytest.raises(AuditError, match="readable by other users"):
        Keyring(keyring.directory).current_id  # noqa: B018


def test_missing_second_copy_is_reported(keyring: Keyring, places: CheckpointPlaces) -> None:
    log = MemoryAuditLog()
    writer = Checkpointer(log, keyring, places)
    for n in (3, 6):
        log.extend([make_event(i) for i in range(n - 3, n)])
        writer.checkpoint()
    assert places.second is not None
    (places.second / checkpoint_name(3)).unlink()
    report = verify(log, places, keyring.public_keys())
    assert not report.ok
    assert report.first_bad_index is None  # the log itself is fine
    assert [p.message for p in report.problems] == [f"checkpoint 3 is missing from {places.second}"]


def test_differing_and_unreadable_copies_are_reported(
    keyring: Keyring, places: CheckpointPlaces
) -> None:
    log = MemoryAuditLog()
    log.extend([make_event(i) for i in range(4)])
    Checkpointer(log, keyring, places).checkpoint()
    assert places.second is not None
    (places.second / checkpoint_name(4)).write_text("{not json")
    report = verify(log, places, keyring.public_keys())
    assert [p.message.split(":")[0] for p in report.problems] == ["unreadable checkpoint"]


def test_unwritable_second_place_is_a_write_error(keyring: Keyring, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    log = MemoryAuditLog()
    log.append(make_event(0))
    writer = Checkpointer(log, keyring, CheckpointPlaces(tmp_path / "cp", blocker))
    with pytest.raises(AuditWriteError, match="not-a-dir"):
        writer.checkpoint()


def test_checkpointer_refuses_to_sign_a_changed_log(
    tmp_path: Path, keyring: Keyring, places: CheckpointPlaces
) -> None:
    import sqlite3

    with SQLAuditLog(audit_url(tmp_path)) as log:
        writer = Checkpointer(log, keyring, places)
        log.extend([make_event(i) for i in range(10)])
        writer.checkpoint()
        log.extend([make_event(i) for i in range(10, 20)])
        with sqlite3.connect(tmp_path / "audit.sqlite3") as raw:
            raw.execute("UPDATE audit_entries SET data = X'00' WHERE \"index\" = 15")
        with pytest.raises(AuditError, match="entry 15 changed"):
            writer.checkpoint()
