"""Sharing between two instances whose stores and audit logs are on PostgreSQL: the
same bundle as on SQLite arrives with its provenance, what the policy withheld stays
home, and both audit logs record the share and the import."""

from __future__ import annotations

from pathlib import Path

from tests.postgres_server import fresh_database
from tests.sharing.conftest import load, sender_settings
from threadline.app.workbench import Workbench
from threadline.settings import Settings


def test_share_and_import_on_postgresql(postgres_server_url: str, tmp_path: Path) -> None:
    sender_url, receiver_url = (fresh_database(postgres_server_url) for _ in range(2))
    settings = sender_settings(tmp_path / "a").model_copy(
        update={"store_url": sender_url, "audit_url": sender_url}
    )
    with Workbench(settings) as sender:
        shared = load(sender, tmp_path / "sources")
        report = sender.case_share(shared.case_id, tmp_path / "acme.zip", recipient="partner")
        assert (report.statements, report.pins, report.notes) == (9, 3, 2)
        fingerprint = sender.case_key().fingerprint
        assert [e.action for e in sender.accountability.events()][-1] == "case.share"
    target = Settings(
        data_dir=tmp_path / "b",
        instance_name="Desk B",
        store_url=receiver_url,
        audit_url=receiver_url,
    )
    with Workbench(target) as receiver:
        done = receiver.case_import(report.path, trust=fingerprint)
        assert (done.statements, done.pins, done.notes) == (9, 3, 2)
        prefix = f"desk-a.{shared.case_id}."
        assert done.datasets == [prefix + "leak", prefix + "registry"]
        came = {(r.dataset, r.prop, r.value) for r in receiver.store.statements_for(["p1"])["p1"]}
        assert (prefix + "registry", "name", "Jane Roe") in came
        assert not any(value == "+15550100" for _, _, value in came)  # no-share stayed home
        assert [h.id for h in receiver.search("Leaky Larry").hits] == ["l1"]
        imported = [e for e in receiver.accountability.events() if e.action == "case.import"]
        assert imported and imported[-1].outcome == "ok"
        count = receiver.store.count_statements()
        receiver.case_import(report.path, trust=fingerprint)  # a second import adds nothing
        assert receiver.store.count_statements() == count
