"""One contract for every audit log backend, and the failures append must surface."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from threadline.audit import AuditError, AuditWriteError
from threadline.audit.event import ActionKind, AuditEvent
from threadline.audit.log import AuditLog, MemoryAuditLog
from threadline.audit.merkle import EMPTY_ROOT, leaf_hash, root_hash
from threadline.audit.sql import AUDIT_FILE, SQLAuditLog, audit_url
from threadline.errors import ThreadlineError

BACKENDS = ["memory", "sqlite-file", "sqlite-memory", "postgres"]


def event(i: int) -> AuditEvent:
    return AuditEvent(
        actor=f"user{i % 3}",
        kind=ActionKind.CONSULTATION,
        action="entity",
        object_ids=(f"e{i}",),
        purpose="test",
        request_id=f"r{i}",
        time=f"2026-01-01T00:00:{i % 60:02d}.000000Z",
    )


@pytest.fixture(params=BACKENDS)
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditLog]:
    backend: AuditLog
    if request.param == "memory":
        backend = MemoryAuditLog()
    elif request.param == "sqlite-file":
        backend = SQLAuditLog(audit_url(tmp_path))
    elif request.param == "postgres":
        backend = SQLAuditLog(request.getfixturevalue("postgres_url"))
    else:
        backend = SQLAuditLog("sqlite://")
    with backend:
        yield backend


def test_empty_log(log: AuditLog) -> None:
    assert log.size() == 0
    assert log.head().size == 0 and log.head().root == EMPTY_ROOT
    assert list(log.entries()) == []


def test_append_returns_consecutive_indexes(log: AuditLog) -> None:
    assert [log.append(event(i)) for i in range(5)] == [0, 1, 2, 3, 4]
    assert log.extend([event(5), event(6)]) == range(5, 7)
    assert log.extend([]) == range(7, 7)
    assert log.size() == 7


def test_entries_hold_the_canonical_bytes_and_leaf_hashes(log: AuditLog) -> None:
    log.extend([event(i) for i in range(10)])
    entries = list(log.entries())
    assert [e.index for e in entries] == list(range(10))
    assert [e.event() for e in entries] == [event(i) for i in range(10)]
    # The hashed bytes are the sealed frame: no erasable value in the clear.
    assert all(b'"sealed"' in e.data and f'"e{e.index}"'.encode() not in e.data for e in entries)
    assert all(e.leaf_hash == leaf_hash(e.data) == e.computed_leaf_hash() for e in entries)
    assert [e.index for e in log.entries(3, 6)] == [3, 4, 5]
    assert [e.index for e in log.entries(8)] == [8, 9]
    assert list(log.entries(20)) == []


def test_head_is_the_merkle_root(log: AuditLog) -> None:
    for i in range(20):
        log.append(event(i))
        head = log.head()
        assert head.size == i + 1
        assert head.root == root_hash([leaf_hash(e.data) for e in log.entries()])


def test_a_bad_event_writes_nothing(log: AuditLog) -> None:
    log.append(event(0))
    bad = AuditEvent("a", ActionKind.CONSULTATION, "search", purpose="\ud800")  # lone surrogate
    with pytest.raises(UnicodeEncodeError):
        log.extend([event(1), bad])
    assert log.size() == 1


def test_sqlite_log_survives_reopening(tmp_path: Path) -> None:
    with SQLAuditLog(audit_url(tmp_path)) as first:
        first.extend([event(i) for i in range(7)])
        head = first.head()
    assert (tmp_path / AUDIT_FILE).exists()
    with SQLAuditLog(audit_url(tmp_path)) as second:
        assert second.head() == head
        assert second.append(event(7)) == 7


def test_appends_by_another_connection_are_picked_up(tmp_path: Path) -> None:
    with SQLAuditLog(audit_url(tmp_path)) as one, SQLAuditLog(audit_url(tmp_path)) as two:
        one.append(event(0))
        two.append(event(1))
        assert one.append(event(2)) == 2
        assert one.head() == two.head()
        assert one.head().root == root_hash([leaf_hash(e.data) for e in one.entries()])


def test_append_is_committed_before_it_returns(tmp_path: Path) -> None:
    with SQLAuditLog(audit_url(tmp_path)) as log:
        log.append(event(0))
        # A separate connection, as after a crash, sees the row.
        with sqlite3.connect(tmp_path / AUDIT_FILE) as raw:
            assert raw.execute("SELECT count(*) FROM audit_entries").fetchone() == (1,)


def test_write_errors_are_threadline_errors() -> None:
    assert issubclass(AuditWriteError, AuditError)
    assert issubclass(AuditError, ThreadlineError)


def test_read_only_database_refuses_appends(tmp_path: Path) -> None:
    with SQLAuditLog(audit_url(tmp_path)) as log:
        log.append(event(0))
    url = f"sqlite:///file:{tmp_path / AUDIT_FILE}?mode=ro&uri=true"
    with SQLAuditLog(url) as read_only:
        assert read_only.size() == 1
        with pytest.raises(AuditWriteError, match="not written"):
            read_only.append(event(1))
        assert read_only.size() == 1


def test_dropped_table_refuses_appends(tmp_path: Path) -> None:
    with SQLAuditLog(audit_url(tmp_path)) as log:
        log.append(event(0))
        with sqlite3.connect(tmp_path / AUDIT_FILE) as raw:
            raw.execute("DROP TABLE audit_entries")
        with pytest.raises(AuditWriteError):
            log.append(event(1))


def test_unopenable_database_is_a_write_error(tmp_path: Path) -> None:
    (tmp_path / AUDIT_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(AuditWriteError):
        SQLAuditLog(audit_url(tmp_path))


def test_missing_directory_is_a_write_error(tmp_path: Path) -> None:
    with pytest.raises(AuditWriteError):
        SQLAuditLog(audit_url(tmp_path / "no" / "such" / "dir"))


def _append_many(url: str, start: int, count: int) -> None:
    with SQLAuditLog(url) as log:
        for i in range(start, start + count):
            log.append(event(i))


def test_two_processes_appending_at_once_both_land(tmp_path: Path) -> None:
    """A CLI command beside a busy server: each append that loses the race for the next
    index catches up and tries again, however often the other side wins."""
    url = audit_url(tmp_path)
    with SQLAuditLog(url):
        pass  # the table exists before either writer starts
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_append_many, args=(url, n * 1000, 200)) for n in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    with SQLAuditLog(url) as log:
        entries = list(log.entries())
        assert [e.index for e in entries] == list(range(400))
        assert log.head().root == root_hash([e.leaf_hash for e in entries])
