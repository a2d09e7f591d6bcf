"""An audit event that cannot be written fails its call: nothing is returned, and the
error says why.

The failures are real ones of the SQLite audit log: a trigger that makes the database
refuse inserts (as a full or read-only disk would), a log file that cannot be opened,
and a log backend whose writes fail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.accountability.world import copy_world, settings
from threadline.app.accountability import Accountability
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import AuditEvent, AuditWriteError, SQLAuditLog
from threadline.audit.sql import AUDIT_FILE

REFUSE = (
    "CREATE TRIGGER refuse_writes BEFORE INSERT ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
)


def _sql(bench: Workbench, statement: str) -> None:
    with sqlite3.connect(bench.data_dir / AUDIT_FILE) as conn:
        conn.execute(statement)


def _entries(bench: Workbench) -> int:
    return bench.accountability.log.size()


def _fails(call: object) -> AuditWriteError:
    with pytest.raises(AuditWriteError) as failed:
        call()  # type: ignore[operator]
    return failed.value


def test_reads_return_nothing_when_the_log_refuses_writes(bench: Workbench) -> None:
    assert bench.search("ivan").total == 1  # the log works, and is open
    before = _entries(bench)
    _sql(bench, REFUSE)
    results: list[object] = []
    for name, call in [
        ("search", lambda: results.append(bench.search("ivan"))),
        ("entity", lambda: results.append(bench.entity("a-p1"))),
        ("export", lambda: results.append(bench.export())),
        ("graph.neighbours", lambda: results.append(bench.graph_neighbours("a-p1"))),
        ("explain", lambda: results.append(bench.explain("a-p1", "a-p2"))),
    ]:
        error = _fails(call)
        message = str(error)
        assert message.startswith(f"{name}: the audit event could not be written")
        assert "nothing was returned" in message and "disk is full" in message
    assert results == []  # not even an export iterator, so not even its first item
    assert _entries(bench) == before
    _sql(bench, "DROP TRIGGER refuse_writes")
    assert bench.search("ivan").total == 1
    assert bench.audit_verify().ok


def test_a_refused_call_whose_refusal_cannot_be_written_still_fails(bench: Workbench) -> None:
    bench.user_add("uma", "viewer")
    _sql(bench, REFUSE)
    with pytest.raises(AuditWriteError, match="search: the audit event could not be written"):
        bench.acting(Context(actor="uma", case="nope")).search("ivan")


def test_a_log_that_cannot_be_opened_fails_every_call(template: Path, tmp_path: Path) -> None:
    data = copy_world(template, tmp_path)
    (data / AUDIT_FILE).unlink()
    (data / AUDIT_FILE).mkdir()  # a directory where the log file should be
    with Workbench(settings(), data_dir=data) as broken:
        error = _fails(lambda: broken.search("ivan"))
        assert "cannot open the audit log" in str(error)
        exported: list[object] = []
        _fails(lambda: exported.extend(broken.export()))
        assert exported == []


class FailingLog(SQLAuditLog):
    """The real log, with writes that fail as a lost connection would make them."""

    def extend(self, events: Sequence[AuditEvent]) -> range:
        raise AuditWriteError("audit event not written: connection lost")


@pytest.fixture
def failing(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    data = copy_world(template, tmp_path)
    bench = Workbench(settings(), data_dir=data)
    backends = bench._backends
    log = FailingLog(f"sqlite:///{data / AUDIT_FILE}")
    backends._accountability = Accountability(
        bench.settings, bench.settings.resolved_store_url(), backends.dataset_names, log=log
    )
    yield bench
    bench.close()


def test_an_injected_log_failure_fails_search_entity_and_export(failing: Workbench) -> None:
    for name, call in [
        ("search", lambda: failing.search("ivan")),
        ("entity", lambda: failing.entity("a-p1")),
        ("export", lambda: next(failing.export())),
    ]:
        error = _fails(call)
        assert str(error).startswith(f"{name}: the audit event could not be written")
        assert "connection lost" in str(error)


def test_a_change_whose_start_cannot_be_recorded_changes_nothing(
    bench: Workbench, tmp_path: Path
) -> None:
    judgements = len(bench.judgements(include_undone=True))
    datasets = {d.name for d in bench.datasets()}
    source = tmp_path / "extra.ijson"
    source.write_text(
        '{"id": "x-1", "schema": "Person", "properties": {"name": ["Xenia Extra"]}}\n'
    )
    _sql(bench, REFUSE)
    for name, call in [
        ("judge", lambda: bench.judge("a-p1", "b-p1", "not-same")),
        ("ingest", lambda: bench.ingest([source], "extra")),
        ("case.create", lambda: bench.case_create("x", "y")),
    ]:
        assert str(_fails(call)).startswith(f"{name}: the audit event could not be written")
    _sql(bench, "DROP TRIGGER refuse_writes")
    assert len(bench.judgements(include_undone=True)) == judgements
    assert {d.name for d in bench.datasets()} == datasets
    assert bench.search("Xenia Extra").total == 0
    assert bench.case_list() == []
