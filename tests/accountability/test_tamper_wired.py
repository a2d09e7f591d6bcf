"""Tamper evidence of the log the workbench writes (every kind of mutation is covered
on a 10,000-entry log in tests/audit/test_tamper.py; these check the wiring)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accountability.world import copy_world, settings
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import AuditError
from threadline.audit.sql import AUDIT_FILE
from threadline.audit.verify import VerifyReport


def activity(bench: Workbench) -> None:
    bench.user_add("uma", "viewer")
    bench.grant("uma", "alpha", "read")
    uma = bench.acting(Context(actor="uma", purpose="review"))
    for query in ("ivan", "maria", "acme"):
        uma.search(query)
    uma.entity("a-p1")
    list(uma.export())


def tamper(bench: Workbench, statement: str) -> None:
    with sqlite3.connect(bench.data_dir / AUDIT_FILE) as conn:
        conn.execute(statement)
    conn.close()


def reopened(bench: Workbench) -> VerifyReport:
    """Close the workbench (it signs what it appended), reopen, work on, verify."""
    bench.close()
    with Workbench(bench.settings, data_dir=bench.data_dir) as again:
        again.search("ivan")
        again.audit_checkpoint()
        return again.audit_verify()


@pytest.fixture
def signed(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    """The world after some activity, its log checkpointed in two places."""
    data = copy_world(template, tmp_path / "world", second=tmp_path / "second")
    bench = Workbench(settings(checkpoint_dir=tmp_path / "second"), data_dir=data)
    activity(bench)
    bench.audit_checkpoint()
    yield bench
    bench.close()


def test_the_log_verifies_after_activity_and_after_reopening(signed: Workbench) -> None:
    report = signed.audit_verify()
    assert report.ok, report.summary()
    assert report.entries == signed.accountability.log.size() - 1  # verify comes after
    second = signed.settings.checkpoint_dir
    assert second is not None
    before = set(second.glob("*.json"))
    report = reopened(signed)
    assert report.ok, report.summary()
    assert set(second.glob("*.json")) > before  # the second place got the new ones


def test_an_altered_row_is_found_and_named(signed: Workbench) -> None:
    target = signed.accountability.log.size() - 3
    # The same bytes with "uma" made "loc" (still a BLOB, as the log stores them).
    tamper(
        signed,
        "UPDATE audit_entries SET data = CAST(replace(data, X'756D61', X'6C6F63') AS BLOB) "
        f'WHERE "index" = {target}',
    )
    report = signed.audit_verify()
    assert not report.ok and report.first_bad_index == target
    # Later appends and checkpoints do not bless the change.
    report = reopened(signed)
    assert not report.ok and report.first_bad_index == target


def test_a_removed_row_is_found_and_named(signed: Workbench) -> None:
    target = signed.accountability.log.size() - 2
    tamper(signed, f'DELETE FROM audit_entries WHERE "index" = {target}')
    report = signed.audit_verify()
    assert not report.ok and report.first_bad_index == target
    signed.close()
    with Workbench(signed.settings, data_dir=signed.data_dir) as again:
        # Reopened, the log goes on recording after the hole (the evidence keeps
        # growing), no checkpoint blesses the hole, and verify still names it.
        again.search("ivan")
        with pytest.raises(AuditError, match="run verify"):
            again.audit_checkpoint()
        report = again.accountability.verify()
        assert not report.ok and report.first_bad_index == target


def test_verify_still_runs_on_a_reopened_log_with_a_hole(signed: Workbench) -> None:
    target = signed.accountability.log.size() - 2
    tamper(signed, f'DELETE FROM audit_entries WHERE "index" = {target}')
    signed.close()
    with Workbench(signed.settings, data_dir=signed.data_dir) as again:
        assert again.audit_verify().first_bad_index == target


def test_a_row_rewritten_as_text_is_found_and_named(signed: Workbench) -> None:
    target = signed.accountability.log.size() - 3
    tamper(
        signed,
        f"UPDATE audit_entries SET data = replace(data, 'uma', 'loc') WHERE \"index\" = {target}",
    )
    report = signed.audit_verify()
    assert not report.ok and report.first_bad_index == target
