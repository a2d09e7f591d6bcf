"""Share a case from one real workbench and import it into another: what arrives,
what stays home, who may share, and what both audit logs say."""

from __future__ import annotations

import zipfile
from pathlib import Path

import orjson
import pytest

from tests.sharing.conftest import SECRET_VALUES, Shared
from threadline.access import AccessDenied, Level
from threadline.app.context import Context
from threadline.app.prompts import JustificationRequired
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind
from threadline.cases.cited import OK
from threadline.cases.share import BundleError
from threadline.errors import InputError
from threadline.settings import Settings


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_share_then_import_brings_the_evidence_with_its_provenance(
    shared: Shared, receiver: Workbench, tmp_path: Path
) -> None:
    sender = shared.bench
    report = sender.case_share(shared.case_id, tmp_path / "acme.zip", recipient="partner")
    assert (report.statements, report.pins, report.notes) == (9, 3, 2)
    key = sender.case_key()
    done = receiver.case_import(report.path, trust=key.fingerprint)
    prefix = f"desk-a.{shared.case_id}."
    assert done.datasets == [prefix + "leak", prefix + "registry"]
    assert (done.statements, done.pins, done.notes) == (9, 3, 2)
    assert done.instance == "desk-a" and done.fingerprint == key.fingerprint

    # The statements keep their provenance: source file hash, row, first/last seen.
    sent = {(r.dataset, r.prop, r.value): r for r in sender.store.statements_for(["p1"])["p1"]}
    came = {
        (r.dataset.removeprefix(prefix), r.prop, r.value): r
        for r in receiver.store.statements_for(["p1"])["p1"]
    }
    assert set(came) == {
        ("registry", "id", "p1"),
        ("registry", "name", "Jane Roe"),
        ("registry", "birthDate", "1970-01-02"),
        ("leak", "id", "p1"),
        ("leak", "email", "jane@acme.example"),
    }
    for fact, row in came.items():
        original = sent[fact]
        assert (row.source, row.location, row.first_seen, row.last_seen) == (
            original.source,
            original.location,
            original.first_seen,
            original.last_seen,
        )
    names = {s.dataset: s.name for s in receiver.store.sources()}
    assert names[prefix + "registry"] == "registry.ijson"

    # The case arrives with its pins and notes, and its citations resolve.
    case = receiver.case_show(done.case_id)
    assert {p.entity_id for p in case.pins} == {"p1", "c1", "l1"}
    assert all(c.state == OK for c in case.citations.values())
    assert [n.author for n in case.notes] == ["local@desk-a", "local@desk-a"]
    assert receiver.entity("p1").entity.caption == "Jane Roe"
    assert [h.id for h in receiver.search("Leaky Larry").hits] == ["l1"]

    # The source instance is recorded as a marking on the data, beside what it carried.
    marked = receiver.accountability.access.collections()
    assert marked[prefix + "leak"] == {"confidential", "origin-desk-a"}
    assert marked[prefix + "registry"] == {"origin-desk-a"}


def test_no_share_and_disallowed_markings_are_withheld_and_listed(
    shared: Shared, tmp_path: Path
) -> None:
    bench = shared.bench
    partner = bench.case_share(shared.case_id, tmp_path / "p.zip", recipient="partner")
    stranger = bench.case_share(shared.case_id, tmp_path / "s.zip", recipient="stranger")
    assert partner.withheld["statements"] == 3  # p1's phone, x1's id and name
    assert {p["entity_id"] for p in partner.withheld["pins"]} == {"x1"}
    assert len(partner.withheld["notes"]) == 1
    assert stranger.withheld["statements"] == 3 + 4  # and p1's leak id and email, l1
    assert {p["entity_id"] for p in stranger.withheld["pins"]} == {"x1", "l1"}
    reasons = {e["reason"] for e in stranger.withheld["by_entity"]}
    assert reasons == {"marking no-share", "marking confidential not allowed for the recipient"}
    for path in (partner.path, stranger.path):
        blob = b"".join(members(path).values())
        for value in SECRET_VALUES:
            assert value.encode() not in blob  # never a withheld value
        withheld = orjson.loads(members(path)["withheld.json"])
        assert "statement_ids" not in withheld  # a statement id hashes its value
    assert b"jane@acme.example" not in b"".join(members(stranger.path).values())


def test_source_limits_hold_even_for_the_local_admin(shared: Shared, tmp_path: Path) -> None:
    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip", recipient="partner")
    lines = members(report.path)["statements.jsonl"].splitlines()
    assert {orjson.loads(line)["dataset"] for line in lines} == {"registry", "leak"}


def test_a_user_without_read_on_a_collection_cannot_share_its_data(
    shared: Shared, tmp_path: Path
) -> None:
    bench = shared.bench
    bench.user_add("uma")
    bench.grant("uma", "registry", Level.READ)
    bench.grant("uma", "protected", Level.READ)
    bench.clear("uma", "no-share")
    bench.case_member(shared.case_id, "uma", "reader")
    uma = bench.acting(Context(actor="uma"))
    report = uma.case_share(shared.case_id, tmp_path / "u.zip", recipient="partner")
    lines = members(report.path)["statements.jsonl"].splitlines()
    assert {orjson.loads(line)["dataset"] for line in lines} == {"registry"}
    pins = {p["entity_id"]: p["reason"] for p in report.withheld["pins"]}
    assert pins["l1"] == "out of the case's reach"
    outsider = bench.acting(Context(actor="uma", case=None))
    bench.case_member(shared.case_id, "uma", None)
    with pytest.raises(AccessDenied):
        outsider.case_share(shared.case_id, tmp_path / "no.zip")
    assert not (tmp_path / "no.zip").exists()


def test_both_sides_audit_the_share_and_the_import(
    shared: Shared, receiver: Workbench, tmp_path: Path
) -> None:
    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip", recipient="partner")
    receiver.case_import(report.path, trust=shared.bench.case_key().fingerprint)
    shares = [e for e in shared.bench.accountability.events() if e.action == "case.share"]
    assert len(shares) == 1 and shares[0].kind is ActionKind.DISCLOSURE
    assert shares[0].case_id == shared.case_id and "recipient=partner" in shares[0].detail
    assert "p1" in shares[0].object_ids
    imports = [e for e in receiver.accountability.events() if e.action == "case.import"]
    assert [e.outcome for e in imports] == ["started", "ok"]
    assert imports[-1].kind is ActionKind.COLLECTION and "from=desk-a" in imports[-1].detail


def test_a_share_answers_the_operators_export_prompt(tmp_path: Path) -> None:
    from tests.sharing.conftest import load, sender_settings

    settings = sender_settings(tmp_path / "a", prompts={"export": "Which request?"})
    with Workbench(settings) as bench:
        world = load(bench, tmp_path / "sources")
        with pytest.raises(JustificationRequired):
            bench.case_share(world.case_id, tmp_path / "a.zip")
        assert not (tmp_path / "a.zip").exists()
        answered = bench.acting(Context(justification="request 42"))
        assert answered.case_share(world.case_id, tmp_path / "a.zip").path.exists()


def test_import_is_idempotent(shared: Shared, receiver: Workbench, tmp_path: Path) -> None:
    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip", recipient="partner")
    trust = shared.bench.case_key().fingerprint
    first = receiver.case_import(report.path, trust=trust)
    counts = (receiver.store.count_statements(), len(receiver.store.sources()))
    again = receiver.case_import(report.path, trust=trust)
    assert again.case_id == first.case_id
    assert (receiver.store.count_statements(), len(receiver.store.sources())) == counts
    case = receiver.case_show(first.case_id)
    assert (len(case.pins), len(case.notes)) == (3, 2)
    assert len(receiver.case_list()) == 1


def test_an_unknown_key_is_refused_and_nothing_is_written(
    shared: Shared, receiver: Workbench, tmp_path: Path
) -> None:
    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip")
    with pytest.raises(BundleError, match="unknown key"):
        receiver.case_import(report.path)
    other = receiver.case_key().fingerprint  # a trusted key, but not the signer's
    with pytest.raises(BundleError, match="unknown key"):
        receiver.case_import(report.path, trust=other)
    assert receiver.store.count_statements() == 0


def test_trusted_keys_can_be_configured(shared: Shared, tmp_path: Path) -> None:
    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip")
    key_file = tmp_path / "desk-a.pem"
    key_file.write_text(shared.bench.case_key().public_key)
    settings = Settings(data_dir=tmp_path / "c", share_trusted_keys=str(key_file))
    with Workbench(settings) as receiver:
        assert receiver.case_import(report.path).statements == 5  # unmarked: p1 3, c1 2


def test_a_dataset_name_already_in_use_is_refused(
    shared: Shared, receiver: Workbench, tmp_path: Path
) -> None:
    from tests.conftest import entity, write_entities

    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip")
    taken = f"desk-a.{shared.case_id}.registry"
    receiver.ingest(
        [write_entities(tmp_path / "mine.ijson", [entity("m1", "Person", name="M")])], taken
    )
    before = receiver.store.count_statements()
    with pytest.raises(AccessDenied, match="taken"):
        receiver.case_import(report.path, trust=shared.bench.case_key().fingerprint)
    assert receiver.store.count_statements() == before


def test_a_failed_import_writes_nothing(
    shared: Shared, receiver: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.store.sql import SQLWriter

    report = shared.bench.case_share(shared.case_id, tmp_path / "a.zip", recipient="partner")

    def broken(self: SQLWriter, source: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SQLWriter, "add_source", broken)
    with pytest.raises(RuntimeError):
        receiver.case_import(report.path, trust=shared.bench.case_key().fingerprint)
    assert receiver.store.count_statements() == 0
    assert receiver.case_list() == []
    failed = [e for e in receiver.accountability.events() if e.action == "case.import"]
    assert failed[-1].outcome.startswith("failed")


def test_a_recipient_must_be_a_name(shared: Shared, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="recipient"):
        shared.bench.case_share(shared.case_id, tmp_path / "a.zip", recipient="a b\nc")
