"""Retention: `tip purge` deletes new and rejected tips past `tips_retention_days`
with their files' records and bytes, keeps tips opened as cases, and is on record;
through the library, the CLI and the admin API route."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.cli.runner import cli, ok
from tests.tips.conftest import as_user, desk_server, people, tip_settings
from threadline.access import AccessDenied
from threadline.app.workbench import Workbench
from threadline.tips import Tip, TipFile, TipStatus, new_tip
from threadline.tips.errors import TipError

LONG_AGO = "2020-01-01T00:00:00.000000+00:00"


def _file(bench: Workbench, tmp_path: Path, data: bytes) -> TipFile:
    path = tmp_path / f"f-{len(list(tmp_path.glob('f-*')))}"
    path.write_bytes(data)
    sha, size = bench._vault.keep(path)
    return TipFile("", 0, "memo.txt", sha, size, "text")


def _aged(bench: Workbench, tmp_path: Path) -> dict[str, Tip]:
    """Tips put straight into the store as if they had waited since 2020: new,
    rejected long ago, opened long ago (sharing a file with the new one), rejected
    just now, and one arrived just now."""
    shared = _file(bench, tmp_path, b"shared bytes")
    tips = {
        "new": replace(
            new_tip("old, untriaged", [shared, _file(bench, tmp_path, b"own")], None),
            received_at=LONG_AGO,
        ),
        "rejected": replace(
            new_tip("old, rejected", [], None),
            received_at=LONG_AGO,
            status=TipStatus.REJECTED,
            decided_by="uma",
            decided_at=LONG_AGO,
            reason="spam",
        ),
        "opened": replace(
            new_tip("old, a case now", [shared], None),
            received_at=LONG_AGO,
            status=TipStatus.OPENED,
            decided_by="uma",
            decided_at=LONG_AGO,
            case_id="c-old",
        ),
        "rejected-now": replace(new_tip("old, rejected today", [], None), received_at=LONG_AGO),
        "young": new_tip("just arrived", [], None),
    }
    for tip in tips.values():
        bench._tips.add(tip)
    bench._tips.decide(tips["rejected-now"].id, TipStatus.REJECTED, "uma", reason="no")
    return {k: bench._tips.tip(t.id) for k, t in tips.items()}


def _kept(bench: Workbench, file: TipFile) -> bool:
    return bench._vault.path(file.sha256).exists()


def test_a_purge_deletes_what_is_past_retention_and_keeps_cases(tmp_path: Path) -> None:
    with Workbench(tip_settings(tmp_path / "data", tips_retention_days=30)) as bench:
        people(bench)
        tips = _aged(bench, tmp_path)
        with pytest.raises(AccessDenied):
            as_user(bench, "uma").tip_purge()  # the desk triages; admins purge
        dry = as_user(bench, "ada").tip_purge(dry_run=True)
        expected = {tips["new"].id, tips["rejected"].id}
        assert (set(dry.tips), dry.files, dry.dry_run, dry.days) == (expected, 2, True, 30)
        assert len(bench._tips.tips()) == 5
        done = bench.tip_purge()  # the local admin, with no purpose of its own
        assert set(done.tips) == expected and not done.dry_run
        assert {t.id for t in bench._tips.tips()} == {
            tips[k].id for k in ("opened", "rejected-now", "young")
        }
        shared, own = tips["new"].files
        assert _kept(bench, shared) and not _kept(bench, own)  # the case's tip has it
        events = [e for e in bench.accountability.events() if e.action == "tip.purge"]
        outcomes = [(e.actor, e.kind.value, e.outcome) for e in events]
        assert outcomes == [
            ("uma", "erasure", "started"),
            ("uma", "erasure", "denied: access denied: user 'uma' lacks role admin on purge tips"),
            ("ada", "consultation", "ok"),  # the dry run deletes nothing
            ("local", "erasure", "started"),
            ("local", "erasure", "ok"),
        ]
        last = events[-1]
        assert last.purpose == "Retention of tips (30 days, tips_retention_days)"
        assert set(last.object_ids) == {f"tip:{i}" for i in expected}
        assert "tips=2 files=2" in last.detail and "retention_days=30" in last.detail
        assert bench.tip_purge().tips == ()  # nothing left to purge


def test_without_a_retention_setting_nothing_is_purged(tmp_path: Path) -> None:
    with (
        Workbench(tip_settings(tmp_path / "data")) as bench,
        pytest.raises(TipError, match="tips_retention_days: not set"),
    ):
        bench.tip_purge()


def test_purge_through_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Workbench(tip_settings(data)) as bench:
        tips = _aged(bench, tmp_path)
    keep = {"THREADLINE_TIPS_RETENTION_DAYS": "30"}
    refused = cli(data, "tip", "purge")
    assert refused.code == 1 and "tips_retention_days: not set" in refused.stderr
    dry = ok(data, "tip", "purge", "--dry-run", env=keep)
    assert set(dry.stdout.split()) == {tips["new"].id, tips["rejected"].id}
    assert "would delete 2 tips (2 files) received or rejected more than 30 days" in dry.stderr
    listed = ok(data, "tip", "list", "--json").lines()
    assert len(listed) == 5
    done = ok(data, "tip", "purge", "--json", env=keep).json()
    assert isinstance(done, dict) and done["dry_run"] is False
    assert set(done["tips"]) == {tips["new"].id, tips["rejected"].id}
    assert len(ok(data, "tip", "list", "--json").lines()) == 3


def test_purge_through_the_api_is_for_admins(tmp_path: Path) -> None:
    with desk_server(tmp_path, tips_retention_days=30) as desk:
        bench = desk.app.state.server.bench
        tips = _aged(bench, tmp_path)
        with desk.api("uma") as uma:
            assert uma.post("/tips/purge").status_code == 403
        with desk.api("ada") as ada:
            dry = ada.post("/tips/purge", params={"dry_run": "true"})
            assert dry.status_code == 200, dry.text
            assert dry.json()["dry_run"] is True and len(dry.json()["tips"]) == 2
            done = ada.post("/tips/purge").json()
        assert set(done["tips"]) == {tips["new"].id, tips["rejected"].id}
        assert done["days"] == 30 and not done["dry_run"]
        with desk.api("uma") as uma:
            left = {t["id"] for t in uma.get("/tips").json()}
        assert left == {tips[k].id for k in ("opened", "rejected-now", "young")}
        (event,) = [
            e
            for e in bench.accountability.events()
            if e.action == "tip.purge" and e.kind.value == "erasure" and e.outcome == "ok"
        ]
        assert (event.actor, event.purpose) == ("ada", "Tip triage")
