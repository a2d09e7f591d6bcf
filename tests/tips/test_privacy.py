"""Tips under data protection: a subject report lists the tips naming the person and
where, and an erasure of the person blanks them in those tips and removes the sender's
address and the tips' files; the audit log keeps no tip text to rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import ok
from tests.conftest import entity, write_entities
from tests.tips.conftest import as_user, people, tip_settings
from threadline.access import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.tips import Tip
from threadline.tips.records import ANONYMOUS

ANON = Context(actor=ANONYMOUS)
PERSON = entity("p-maria", "Person", name="Maria Lopez", email="maria@harbour.example")


def _upload(tmp_path: Path, name: str, data: bytes) -> tuple[str, Path]:
    folder = tmp_path / "upload" / str(len(list(tmp_path.glob("upload/*"))))
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    return name, folder / name


def _kept(bench: Workbench, sha256: str) -> Path:
    return bench.data_dir / "tips" / "files" / sha256[:2] / sha256


@pytest.fixture
def named(tmp_path: Path) -> tuple[Workbench, dict[str, Tip]]:
    """A workbench keeping addresses, with Maria Lopez in a collection and tips naming
    her (in the text, in a file's name, in a rejection's reason) and one that does not."""
    bench = Workbench(tip_settings(tmp_path / "data", tips_keep_ip=True))
    people(bench)
    bench.ingest([write_entities(tmp_path / "people.ijson", [PERSON])], "people")
    sender = bench.acting(ANON)
    shared = b"the same bytes in two tips"
    tips = {
        "text": sender.tip_submit(
            "Write to MARIA@harbour.example: maria lopez took the fees.",
            [_upload(tmp_path, "fees.txt", shared)],
            "203.0.113.5",
        ),
        "file": sender.tip_submit(
            "See the attachment.", [_upload(tmp_path, "CV of Maria Lopez.pdf", b"cv")], None
        ),
        "reason": sender.tip_submit("Someone at the port.", [], None),
        "none": sender.tip_submit(
            "Nobody named here.", [_upload(tmp_path, "other.txt", shared)], "203.0.113.6"
        ),
    }
    as_user(bench, "uma").tip_reject(tips["reason"].id, "A grudge against Maria Lopez")
    return bench, tips


def test_a_subject_report_lists_the_tips_naming_the_person(
    named: tuple[Workbench, dict[str, Tip]],
) -> None:
    bench, tips = named
    with bench:
        report = bench.audit_subject("p-maria")
        where = {n.id: (n.kind, n.status, n.fields) for n in report.named}
        assert where == {
            tips["text"].id: ("tip", "new", ("text",)),
            tips["file"].id: ("tip", "new", ("file name",)),
            tips["reason"].id: ("tip", "rejected", ("reason",)),
        }
        assert report.named[0].id == tips["reason"].id  # newest first
        (event,) = [e for e in bench.accountability.events() if e.action == "audit.subject"]
        assert {f"tip:{t.id}" for k, t in tips.items() if k != "none"} <= set(event.object_ids)
        assert "took the fees" not in str(event)  # where, never what
        with pytest.raises(AccessDenied):
            as_user(bench, "uma").audit_subject("p-maria")  # the triage desk is no admin


def test_the_subject_report_names_tips_through_the_cli(
    named: tuple[Workbench, dict[str, Tip]],
) -> None:
    bench, tips = named
    bench.close()
    shown = ok(bench.data_dir, "audit", "subject", "p-maria", "--json").json()
    assert isinstance(shown, dict)
    assert {(n["id"], tuple(n["fields"])) for n in shown["named"]} == {
        (tips["text"].id, ("text",)),
        (tips["file"].id, ("file name",)),
        (tips["reason"].id, ("reason",)),
    }
    text = ok(bench.data_dir, "audit", "subject", "p-maria").stdout
    assert f"tip {tips['text'].id} (new, received" in text and "names it in text" in text


def test_erasing_the_person_erases_them_from_the_tips(
    named: tuple[Workbench, dict[str, Tip]],
) -> None:
    bench, tips = named
    with bench:
        report = bench.erase(entity_id="p-maria")
        assert report.statements > 0
        uma = as_user(bench, "uma")
        text = uma.tip_show(tips["text"].id)
        assert text.text == "Write to [erased]: [erased] took the fees."
        assert text.client is None and text.files == ()
        assert uma.tip_show(tips["file"].id).files == ()
        assert uma.tip_show(tips["reason"].id).reason == "A grudge against [erased]"
        untouched = uma.tip_show(tips["none"].id)
        assert untouched == tips["none"] and untouched.client == "203.0.113.6"
        # Bytes no tip refers to any longer are gone; bytes another tip has stay.
        assert not _kept(bench, tips["file"].files[0].sha256).exists()
        assert _kept(bench, tips["none"].files[0].sha256).exists()
        (erased,) = [
            e for e in bench.accountability.events() if e.action == "erase" and e.outcome == "ok"
        ]
        assert erased.detail.endswith(" tips=3")
        assert bench.audit_subject("p-maria").named == ()
        assert bench.accountability.verify().ok  # the log was redacted, not rewritten


def test_erasing_a_large_collection_reads_every_tip_once(tmp_path: Path) -> None:
    """More values than the database is asked for at once (a whole collection's):
    every tip is read and matched in Python, with the same result."""
    people_rows = [entity(f"p-{n}", "Person", name=f"Person Number{n:04d}") for n in range(300)]
    with Workbench(tip_settings(tmp_path / "data")) as bench:
        bench.ingest([write_entities(tmp_path / "many.ijson", people_rows)], "many")
        sender = bench.acting(ANON)
        hit = sender.tip_submit("Ask person number0250 and PERSON NUMBER0007.")
        miss = sender.tip_submit("Ask person number9999.")
        extra = [sender.tip_submit(f"filler {n}") for n in range(3)]
        bench.erase(dataset="many")
        assert bench._tips.tip(hit.id).text == "Ask [erased] and [erased]."
        assert bench._tips.tip(miss.id) == miss
        assert all(bench._tips.tip(t.id) == t for t in extra)
