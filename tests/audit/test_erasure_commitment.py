"""Sealed entries: erasable values are committed to by salted hashes in the hashed frame,
so erasing them leaves every leaf and checkpoint valid, while changing them does not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.audit import Checkpointer, CheckpointPlaces, Keyring, verify
from threadline.audit.event import ActionKind, AuditEvent
from threadline.audit.log import AuditLog, MemoryAuditLog
from threadline.audit.merkle import leaf_hash
from threadline.audit.seal import ERASED, commit, entry_leaf_hash, seal, unseal
from threadline.audit.sql import AUDIT_FILE, SQLAuditLog, audit_url

SALTS = bytes(range(16)) * 8


def viewing(i: int, *ids: str, purpose: str = "review", outcome: str = "ok") -> AuditEvent:
    return AuditEvent(
        actor="ana",
        kind=ActionKind.CONSULTATION,
        action="entity",
        object_ids=ids,
        purpose=purpose,
        justification="tip 14",
        outcome=outcome,
        request_id=f"r{i}",
        time=f"2026-01-01T00:00:{i:02d}.000000Z",
    )


def test_the_frame_holds_commitments_not_values() -> None:
    event = viewing(1, "p-1", "p-2", purpose="Olga's file", outcome="failed: no entity 'p-9'")
    sealed = seal(event, SALTS)
    for value in (b"p-1", b"p-2", b"Olga", b"tip 14", b"p-9"):
        assert value not in sealed.frame
    assert b'"outcome":"failed"' in sealed.frame
    assert sealed.values["id.1"].value == "p-2"
    assert sealed.values["reason"].value == "no entity 'p-9'"
    expected = commit("purpose", SALTS[32:48], "Olga's file")
    assert sealed.values["purpose"].salt == SALTS[32:48]
    assert expected.encode() in sealed.frame
    assert unseal(sealed.frame, sealed.values) == event
    assert entry_leaf_hash(sealed.frame, sealed.values) == sealed.leaf == leaf_hash(sealed.frame)


def test_fresh_salts_make_equal_events_commit_differently() -> None:
    event = viewing(1, "p-1")
    assert seal(event).frame != seal(event).frame


def test_an_erased_value_reads_erased_and_the_leaf_stands() -> None:
    sealed = seal(viewing(1, "p-1", "p-2"))
    kept = {slot: v for slot, v in sealed.values.items() if v.value != "p-1"}
    assert unseal(sealed.frame, kept).object_ids == (ERASED, "p-2")
    assert entry_leaf_hash(sealed.frame, kept) == sealed.leaf
    assert entry_leaf_hash(sealed.frame, {}) == sealed.leaf


def test_a_changed_or_added_value_breaks_the_leaf() -> None:
    sealed = seal(viewing(1, "p-1", "p-2"))
    first = sealed.values["id.0"]
    changed = {**sealed.values, "id.0": type(first)(first.salt, "p-3")}
    assert entry_leaf_hash(sealed.frame, changed) != sealed.leaf
    added = {**sealed.values, "id.7": first}
    assert entry_leaf_hash(sealed.frame, added) != sealed.leaf
    moved = {**sealed.values, "id.1": first}  # a value in another slot
    assert entry_leaf_hash(sealed.frame, moved) != sealed.leaf


text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(text, max_size=4),
    purpose=st.none() | text,
    justification=text,
    outcome=text,
    detail=text,
)
def test_seal_round_trips(
    ids: list[str], purpose: str | None, justification: str, outcome: str, detail: str
) -> None:
    event = AuditEvent(
        "ana",
        ActionKind.DISCLOSURE,
        "export",
        tuple(ids),
        None,
        purpose,
        justification,
        outcome,
        "r1",
        detail=detail,
        os_user="ana-os",
        prompt="Which request?",
    )
    sealed = seal(event)
    assert unseal(sealed.frame, sealed.values) == event
    assert entry_leaf_hash(sealed.frame, sealed.values) == sealed.leaf


@pytest.fixture(params=["memory", "sqlite-file"])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditLog]:
    backend: AuditLog = (
        MemoryAuditLog() if request.param == "memory" else SQLAuditLog(audit_url(tmp_path))
    )
    with backend:
        yield backend


def test_erase_removes_ids_and_naming_text_and_nothing_else(log: AuditLog) -> None:
    log.extend(
        [
            viewing(0, "p-1", "p-2"),
            viewing(1, "p-10", purpose="Checking P-1 and Olga SOKOLOVA"),
            viewing(2, "p-3", outcome="failed: No entity with id 'p-1'"),
        ]
    )
    assert log.erase({"p-1"}, {"p-1", "olga sokolova"}) == 3
    events = [e.event() for e in log.entries()]
    assert events[0].object_ids == (ERASED, "p-2")
    assert events[1].object_ids == ("p-10",)  # an id is erased only where it is the whole id
    assert events[1].purpose == ERASED
    assert events[2].outcome == f"failed: {ERASED}"
    assert all(e.computed_leaf_hash() == e.leaf_hash for e in log.entries())
    assert log.erase({"p-1"}, {"p-1"}) == 0  # nothing left to erase


def test_erased_values_leave_the_file_and_the_log_still_verifies(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "keys")
    places = CheckpointPlaces(tmp_path / "cp")
    with SQLAuditLog(audit_url(tmp_path)) as log:
        checkpointer = Checkpointer(log, keyring, places)
        for i in range(30):
            log.append(viewing(i, f"subject-{i % 3}", purpose=f"case of subject-{i % 3}"))
            if i % 10 == 9:
                checkpointer.checkpoint()
        assert log.erase({"subject-1"}, {"subject-1"}) == 20
        report = verify(log, places, keyring.public_keys())
        assert report.ok, report.problems
        assert (report.entries, report.checkpoints) == (30, 3)
        assert checkpointer.checkpoint().size == 30  # nothing new: the same head
    files = [tmp_path / AUDIT_FILE, tmp_path / f"{AUDIT_FILE}-wal"]
    raw = b"".join(p.read_bytes() for p in files if p.exists())
    assert b"subject-0" in raw and b"subject-1" not in raw


def test_a_value_changed_in_the_table_is_found_by_verify(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "keys")
    places = CheckpointPlaces(tmp_path / "cp")
    with SQLAuditLog(audit_url(tmp_path)) as log:
        for i in range(12):
            log.append(viewing(i, f"p-{i}"))
        Checkpointer(log, keyring, places).checkpoint()
    with sqlite3.connect(tmp_path / AUDIT_FILE) as conn:
        conn.execute("UPDATE audit_values SET value = 'someone-else' WHERE value = 'p-7'")
    with SQLAuditLog(audit_url(tmp_path)) as log:
        report = verify(log, places, keyring.public_keys())
    assert report.first_bad_index == 7
    assert "7" in report.summary()


def test_entries_written_in_the_first_format_still_read_and_verify(tmp_path: Path) -> None:
    old = viewing(0, "p-1")
    data = old.to_bytes()  # format 1: the event in the clear
    with SQLAuditLog(audit_url(tmp_path)) as log:
        log.append(viewing(1, "p-2"))
    with sqlite3.connect(tmp_path / AUDIT_FILE) as conn:
        conn.execute("INSERT INTO audit_entries VALUES (1, ?, ?)", (data, leaf_hash(data)))
    with SQLAuditLog(audit_url(tmp_path)) as log:
        entries = list(log.entries())
    assert entries[1].event() == old
    assert entries[1].computed_leaf_hash() == entries[1].leaf_hash
