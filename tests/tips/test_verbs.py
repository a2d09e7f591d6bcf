"""The tip verbs on a real workbench: intake caps, what is kept of the sender, who may
triage, the audit trail of every step, and opening a case with a tip."""

from __future__ import annotations

import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest

from tests.tips.conftest import as_user, tip_settings
from threadline.access import AccessDenied
from threadline.app.accountability import PurposeRequired
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import AuditWriteError
from threadline.audit.sql import AUDIT_FILE
from threadline.errors import InputError
from threadline.tips import TipError, TipStatus
from threadline.tips.records import ANONYMOUS

ANON = Context(actor=ANONYMOUS)


def _file(tmp_path: Path, name: str, data: bytes) -> tuple[str, Path]:
    folder = tmp_path / "upload" / name
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    return name, folder / name


def _send(bench: Workbench, text: str, *files: tuple[str, Path], client: str | None = None):  # type: ignore[no-untyped-def]
    return bench.acting(ANON).tip_submit(text, list(files), client)


def _actions(bench: Workbench, prefix: str = "tip.") -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (e.actor, e.action, e.outcome, e.object_ids)
        for e in bench.accountability.events()
        if e.action.startswith(prefix)
    ]


def test_a_tip_is_kept_with_its_files_by_hash_and_no_address(
    tipped: Workbench, tmp_path: Path
) -> None:
    report = _file(tmp_path, "ledger.csv", b"date,amount\n2026-01-02,10000\n")
    tip = _send(tipped, "The port authority was paid twice.", report, client="203.0.113.9")
    assert tip.client is None  # addresses are not kept unless the operator says so
    (kept,) = tip.files
    assert (kept.name, kept.kind, kept.size) == ("ledger.csv", "text", 29)
    stored = tipped.data_dir / "tips" / "files" / kept.sha256[:2] / kept.sha256
    assert stored.read_bytes() == b"date,amount\n2026-01-02,10000\n"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600  # never executable
    for folder in (stored.parent, stored.parent.parent, stored.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not report[1].exists()  # moved, not copied
    assert as_user(tipped, "uma").tip_show(tip.id) == tip
    ids = (f"tip:{tip.id}",)
    assert _actions(tipped) == [
        (ANONYMOUS, "tip.submit", "started", ids),
        (ANONYMOUS, "tip.submit", "ok", ids),
        ("uma", "tip.read", "ok", ids),
    ]
    assert "203.0.113.9" not in str(list(tipped.accountability.events()))


def test_an_operator_may_keep_addresses(tmp_path: Path) -> None:
    with Workbench(tip_settings(tmp_path / "data", tips_keep_ip=True)) as bench:
        assert _send(bench, "hello", client="203.0.113.9").client == "203.0.113.9"


def test_caps_refuse_before_anything_is_kept(tipped: Workbench, tmp_path: Path) -> None:
    small = _file(tmp_path, "a.txt", b"a")
    with pytest.raises(InputError, match="files: a tip may bring at most 2 files"):
        _send(
            tipped, "three", small, _file(tmp_path, "b.txt", b"b"), _file(tmp_path, "c.txt", b"c")
        )
    with pytest.raises(InputError, match=r"big\.bin: is larger than the 65,536 bytes allowed"):
        _send(tipped, "big", small, _file(tmp_path, "big.bin", bytes(65_537)))
    with pytest.raises(InputError, match="text: is longer than the 2,000 allowed"):
        _send(tipped, "x" * 2001)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros", bytes(4 << 20))
    with pytest.raises(InputError, match="zip bomb"):
        _send(tipped, "bomb", small, ("bomb.zip", bomb))
    with pytest.raises(TipError, match="needs some text or at least one file"):
        _send(tipped, "  ")
    assert small[1].exists() and not (tipped.data_dir / "tips" / "files").exists()
    assert as_user(tipped, "uma").tip_list() == []


def test_intake_is_off_unless_enabled(tmp_path: Path) -> None:
    with (
        Workbench(data_dir=tmp_path / "data") as bench,
        pytest.raises(TipError, match="not enabled"),
    ):
        _send(bench, "hello")


def test_only_the_triage_group_may_touch_the_queue(tipped: Workbench) -> None:
    tip = _send(tipped, "for the desk only")
    for outsider in ("vic", "ada"):  # an admin outside the group is refused too
        bench = as_user(tipped, outsider)
        with pytest.raises(AccessDenied, match="membership of the group 'desk'"):
            bench.tip_list()
        with pytest.raises(AccessDenied):
            bench.tip_show(tip.id)
        with pytest.raises(AccessDenied):
            bench.tip_reject(tip.id, "no")
        with pytest.raises(AccessDenied):
            bench.tip_case(tip.id)
    tried = [e for e in _actions(tipped) if e[0] in ("vic", "ada")]
    refused = [e for e in tried if e[2].startswith("denied")]
    # Every attempt refused on record; a change was on record as started before that.
    assert [e[1] for e in refused] == ["tip.list", "tip.read", "tip.reject", "tip.case"] * 2
    assert len(tried) == 12 and {e[2] for e in tried} - {e[2] for e in refused} == {"started"}
    assert {e[3] for e in refused if e[1] != "tip.list"} == {(f"tip:{tip.id}",)}
    assert as_user(tipped, "uma").tip_show(tip.id).status is TipStatus.NEW


def test_reading_tips_needs_a_purpose_where_one_is_required(tmp_path: Path) -> None:
    settings = tip_settings(tmp_path / "data", require_purpose=True)
    with Workbench(settings) as bench:
        bench.user_add("uma")
        bench.group_add("desk", ["uma"])
        tip = _send(bench, "why are you reading this?")
        with pytest.raises(PurposeRequired):
            as_user(bench, "uma", purpose=None).tip_show(tip.id)
        assert as_user(bench, "uma").tip_show(tip.id).id == tip.id
        read = [e for e in bench.accountability.events() if e.action == "tip.read"]
        assert [(e.outcome[:6], e.purpose) for e in read] == [
            ("denied", None),
            ("ok", "Tip triage"),
        ]


def test_reject_keeps_the_tip_and_its_reason(tipped: Workbench) -> None:
    tip = _send(tipped, "the moon is cheese")
    uma = as_user(tipped, "uma")
    with pytest.raises(TipError, match="reason: say why"):
        uma.tip_reject(tip.id, " ")
    rejected = uma.tip_reject(tip.id, "Not credible")
    assert (rejected.status, rejected.reason, rejected.decided_by) == (
        TipStatus.REJECTED,
        "Not credible",
        "uma",
    )
    with pytest.raises(TipError, match="only a new tip opens a case"):
        uma.tip_case(tip.id)
    with pytest.raises(TipError, match="already rejected by uma"):
        uma.tip_reject(tip.id, "again")
    assert [t.id for t in uma.tip_list("rejected")] == [tip.id] and uma.tip_list("new") == []
    reject = [e for e in tipped.accountability.events() if e.action == "tip.reject"]
    assert "Not credible" not in reject[-3].detail  # the reason is in the tip, hashed here


def test_open_as_case_makes_documents_and_pins_the_text_first(
    tipped: Workbench, tmp_path: Path
) -> None:
    memo = _file(tmp_path, "memo.txt", b"Transfer 40,000 EUR to Gamma Freight via Zeta Trading.")
    tip = _send(tipped, "Zeta Trading launders the harbour money.", memo)
    uma = as_user(tipped, "uma")
    opened = uma.tip_case(tip.id, name="Harbour money")
    assert opened.tip.status is TipStatus.OPENED and opened.tip.case_id == opened.case.id
    assert opened.case.sources == {f"tip-{tip.id}"} and opened.case.created_by == "uma"
    assert opened.case.purpose == "Tip triage"  # the opener's purpose, unless given
    case = uma.case_show(opened.case.id)
    assert [p.entity_id for p in case.pins] == list(opened.pinned) and len(case.pins) == 2
    first, second = (uma.entity(p.entity_id).entity for p in case.pins)
    assert "Zeta Trading launders the harbour money." in first.proxy.get("bodyText")
    assert case.pins[0].comment.startswith("The tip as received on")
    assert "memo.txt" in second.proxy.get("fileName")
    assert "Gamma Freight" in " ".join(second.proxy.get("bodyText"))
    # vic, outside the case and the new collection, reads none of it.
    with pytest.raises(Exception, match="No entity"):
        as_user(tipped, "vic").entity(case.pins[0].entity_id)
    # Each step on record as its own verb, inside the tip's: started, then done.
    steps = [(e.action, e.outcome) for e in tipped.accountability.events() if e.actor == "uma"]
    opening = steps[steps.index(("tip.case", "started")) :]
    assert [a for a, o in opening if o == "ok"] == [
        "ingest",
        "case.create",
        "case.pin",
        "case.pin",
        "tip.case",
        "case.view",
        "entity",
        "entity",
    ]
    (done,) = [
        e for e in tipped.accountability.events() if e.action == "tip.case" and e.outcome == "ok"
    ]
    assert done.object_ids == (
        f"tip:{tip.id}",
        f"case:{opened.case.id}",
        f"dataset:tip-{tip.id}",
        *opened.pinned,
    )
    assert not (tipped.data_dir / "tips" / "staging" / tip.id).exists()


def test_an_investigator_ingests_documents_into_a_new_collection(
    tipped: Workbench, tmp_path: Path
) -> None:
    """What opening a tip relies on: the mention scan after an ingest reads the new
    collection as the caller now holds it (it used to fail after storing)."""
    _, path = _file(tmp_path, "note.txt", b"a note on Zeta Trading")
    (report,) = as_user(tipped, "vic").ingest([path], "vic-notes")
    assert (report.dataset, report.entities, report.errors) == ("vic-notes", 1, [])
    assert [d.name for d in as_user(tipped, "vic").datasets()] == ["vic-notes"]


def test_a_tip_that_cannot_go_on_record_is_not_kept(tipped: Workbench, tmp_path: Path) -> None:
    """The audit log refuses writes (as a full disk would): the sender is told, and
    neither the tip nor its files are kept."""
    as_user(tipped, "uma").tip_list()  # the log is open
    refuse = (
        "CREATE TRIGGER refuse_writes BEFORE INSERT ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    with sqlite3.connect(tipped.data_dir / AUDIT_FILE) as conn:
        conn.execute(refuse)
    name, path = _file(tmp_path, "memo.txt", b"kept only on record")
    with pytest.raises(AuditWriteError, match=r"tip\.submit: the audit event could not be written"):
        _send(tipped, "a tip", (name, path))
    assert path.exists() and not (tipped.data_dir / "tips" / "files").exists()
    with sqlite3.connect(tipped.data_dir / AUDIT_FILE) as conn:
        conn.execute("DROP TRIGGER refuse_writes")
    assert as_user(tipped, "uma").tip_list() == []
