"""Verification that holds against someone who can write the data directory: missing
checkpoints fail, an unprotected tail is counted, keys are trusted from outside, and
secret files are owner-only. Witness tests are in test_witness.py."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.audit.conftest import make_event
from tests.cli.runner import cli, ok
from threadline.audit.anchored import UNTRUSTED, verify_anchored
from threadline.audit.checkpoint import CheckpointPlaces
from threadline.audit.checkpointer import Checkpointer
from threadline.audit.keys import PRIVATE_FILE, PUBLIC_DIR, Keyring
from threadline.audit.log import MemoryAuditLog
from threadline.audit.merkle import TreeBuilder, consistency_proof, extension_proof, leaf_hash
from threadline.audit.sql import SQLAuditLog, audit_url
from threadline.audit.trust import TrustedKeys
from threadline.audit.verify import verify
from threadline.errors import ConfigError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(min_value=1, max_value=200), data=st.data())
def test_extension_proof_equals_the_full_proof(size: int, data: st.DataObject) -> None:
    old = data.draw(st.integers(min_value=0, max_value=size))
    hashes = [leaf_hash(str(i).encode()) for i in range(size)]
    tree = TreeBuilder()
    tree.extend(hashes[:old])
    assert extension_proof(old, tree.frontier, hashes[old:]) == consistency_proof(hashes, old)


def test_key_and_checkpoint_files_are_owner_only(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "data" / "keys")
    places = CheckpointPlaces(tmp_path / "data" / "checkpoints", tmp_path / "second")
    log = MemoryAuditLog()
    log.append(make_event(0))
    Checkpointer(log, keyring, places).checkpoint()
    assert _mode(keyring.directory / PRIVATE_FILE) == 0o600
    for folder in (keyring.directory, keyring.directory / PUBLIC_DIR, *places.all()):
        assert _mode(folder) == 0o700, folder
    for place in places.all():
        assert [_mode(p) for p in place.glob("*.json")] == [0o600]


def test_the_data_directory_is_created_owner_only(tmp_path: Path) -> None:
    ok(tmp_path / "new-data", "audit", "init")
    assert _mode(tmp_path / "new-data") == 0o700
    assert _mode(tmp_path / "new-data" / "audit-keys" / PRIVATE_FILE) == 0o600


def test_every_database_file_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    people = tmp_path / "people.csv"
    people.write_text("name\nAda Lovelace\n")
    ok(data, "ingest", str(people), "--dataset", "d", "--schema", "Person", "--map", "name=name")
    ok(data, "search", "Ada")
    databases = sorted(data.rglob("*.sqlite3*")) + sorted(data.rglob("*.db*"))
    assert databases
    for path in databases:
        assert _mode(path) == 0o600, path
    # The index holds every value: its folder is the owner's alone, as is the lock.
    assert _mode(data / "index") == 0o700
    assert _mode(data / "writer.lock") == 0o600


def test_an_unprotected_tail_is_reported_by_count(
    keyring: Keyring, places: CheckpointPlaces
) -> None:
    log = MemoryAuditLog()
    log.extend([make_event(i) for i in range(7)])
    Checkpointer(log, keyring, places).checkpoint()
    log.extend([make_event(i) for i in range(7, 10)])
    report = verify(log, places, keyring.public_keys())
    assert not report.ok and report.unsigned == 3 and report.first_bad_index is None
    assert report.summary() == (
        "3 entries after the last checkpoint (size 7) are unprotected: "
        "no signed checkpoint covers them"
    )


def test_a_log_without_checkpoints_fails(keyring: Keyring, places: CheckpointPlaces) -> None:
    log = MemoryAuditLog()
    log.extend([make_event(i) for i in range(4)])
    report = verify(log, places, keyring.public_keys())
    assert not report.ok and report.unsigned == 4
    assert any("all 4 entries are unprotected" in p.message for p in report.problems)


def test_rm_r_of_checkpoints_and_keys_fails_verify(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fingerprint = ok(data, "audit", "init").stdout.strip()
    assert fingerprint.startswith("sha256:") and len(fingerprint) == 71
    ok(data, "datasets")
    assert ok(data, "audit", "verify").stdout.startswith("ok: ")
    shutil.rmtree(data / "audit-checkpoints")
    shutil.rmtree(data / "audit-keys")
    done = cli(data, "audit", "verify")
    assert done.code == 1
    assert "audit-checkpoints is missing" in done.stderr or "unprotected" in done.stderr
    report = cli(data, "audit", "verify", "--json").json()
    assert isinstance(report, dict) and not report["ok"]
    assert report["unsigned"] == report["entries"] > 0


def test_a_trusted_key_refuses_a_log_re_signed_with_a_new_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fingerprint = ok(data, "audit", "init", "--export", str(tmp_path / "audit.pub")).stdout.strip()
    ok(data, "datasets")
    ok(data, "audit", "verify", "--trusted-key", fingerprint)
    ok(data, "audit", "verify", "--trusted-key", str(tmp_path / "audit.pub"))
    # The intruder starts over: new key, all checkpoints re-signed with it.
    shutil.rmtree(data / "audit-checkpoints")
    shutil.rmtree(data / "audit-keys")
    # A command refuses to start a new chain over the old entries...
    assert "no checkpoint (deleted?)" in cli(data, "audit", "checkpoint").stderr
    # ...so the intruder signs one with their own code.
    with SQLAuditLog(audit_url(data)) as log:
        places = CheckpointPlaces(data / "audit-checkpoints")
        Checkpointer(log, Keyring(data / "audit-keys"), places).checkpoint()
    untrusted = ok(data, "audit", "verify")
    assert "note: signatures were checked only against the keys found" in untrusted.stderr
    done = cli(data, "audit", "verify", "--trusted-key", fingerprint)
    assert done.code == 1 and "unknown key" in done.stderr
    env = {"THREADLINE_AUDIT_TRUSTED_KEY": fingerprint}
    assert cli(data, "audit", "verify", env=env).code == 1


def test_without_a_trusted_key_verify_says_what_it_trusted(
    keyring: Keyring, places: CheckpointPlaces
) -> None:
    log = MemoryAuditLog()
    log.extend([make_event(i) for i in range(3)])
    Checkpointer(log, keyring, places).checkpoint()
    report = verify_anchored(log, places, [keyring.directory / PUBLIC_DIR])
    assert report.ok and UNTRUSTED in report.notes
    trusted = TrustedKeys.parse(keyring.current_fingerprint())
    report = verify_anchored(log, places, [keyring.directory / PUBLIC_DIR], trusted)
    assert report.ok and UNTRUSTED not in report.notes


def test_a_bad_trusted_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="neither a sha256 fingerprint"):
        TrustedKeys.parse(str(tmp_path / "nope.pem"))
    with pytest.raises(ConfigError, match="empty"):
        TrustedKeys.parse(" , ")
