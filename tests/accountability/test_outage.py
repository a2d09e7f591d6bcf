"""After the audit log could not be written for a while, the first event written names
the outage: when it began, when it last failed, and how many actions it refused."""

from __future__ import annotations

import getpass
import sqlite3

import pytest

from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import AuditWriteError
from threadline.audit.sql import AUDIT_FILE

REFUSE = (
    "CREATE TRIGGER refuse_writes BEFORE INSERT ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
)


def _sql(bench: Workbench, statement: str) -> None:
    with sqlite3.connect(bench.data_dir / AUDIT_FILE) as conn:
        conn.execute(statement)


def test_the_first_event_after_an_outage_names_its_window(bench: Workbench) -> None:
    bench.search("ivan")
    before = bench.accountability.log.size()
    _sql(bench, REFUSE)
    for call in (lambda: bench.search("ivan"), lambda: bench.entity("a-p1"), bench.export):
        with pytest.raises(AuditWriteError):
            call()
    _sql(bench, "DROP TRIGGER refuse_writes")
    assert bench.search("ivan").total == 1
    outage, search = [e for e in bench.accountability.events()][before:]
    assert (outage.action, outage.actor, outage.outcome) == ("audit.outage", "(system)", "ok")
    fields = dict(part.split("=", 1) for part in outage.detail.split())
    assert fields["refused"] == "3"
    assert fields["first"] <= fields["last"] < search.time
    assert search.action == "search" and search.outcome == "ok"
    # One outage, one event: the next call writes only its own.
    bench.search("ivan")
    assert [e.action for e in bench.accountability.events()][-1] == "search"
    assert sum(e.action == "audit.outage" for e in bench.accountability.events()) == 1
    assert bench.audit_verify().ok


def test_the_local_admin_is_recorded_with_the_os_user(bench: Workbench) -> None:
    bench.search("ivan")
    bench.user_add("uma", "admin")
    uma = bench.acting(Context(actor="uma"))
    uma.search("ivan")
    events = [e for e in bench.accountability.events() if e.action == "search"]
    assert (events[-2].actor, events[-2].os_user) == ("local", getpass.getuser())
    assert (events[-1].actor, events[-1].os_user) == ("uma", "")
