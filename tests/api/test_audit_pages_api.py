"""The audit log over the API: filtered pages with cursors and totals, a CSV export that
is itself an audited disclosure, the subject report, verification, and admins only.

The server is shared by the session, so each test makes events with a purpose of its
own and filters on it.
"""

from __future__ import annotations

import csv
import io
import re

from tests.api.conftest import PURPOSE, World
from threadline.audit.rows import HEADER


def test_pages_walk_back_and_forth_with_a_total(world: World) -> None:
    mine = "API audit paging"
    with world.client("cat", purpose=mine) as cat:
        for _ in range(5):
            assert cat.get("/search", params={"q": "holding"}).status_code == 200
    asked = {"actor": "cat", "action": "search", "purpose": "audit PAGING", "limit": 2}
    with world.client("ada") as ada:
        first = ada.get("/audit/log", params=asked).json()
        assert (first["total"], len(first["events"]), first["newer"]) == (5, 2, None)
        assert {(e["actor"], e["action"], e["purpose"]) for e in first["events"]} == {
            ("cat", "search", mine)
        }
        second = ada.get("/audit/log", params={**asked, "before": first["older"]}).json()
        third = ada.get("/audit/log", params={**asked, "before": second["older"]}).json()
        assert (len(third["events"]), third["older"]) == (1, None)
        indexes = [e["index"] for page in (first, second, third) for e in page["events"]]
        assert indexes == sorted(set(indexes), reverse=True)
        back = ada.get("/audit/log", params={**asked, "after": third["newer"]}).json()
        assert back["events"] == second["events"]


def test_bad_filters_are_named(world: World) -> None:
    with world.client("ada") as ada:
        for params, field in (({"kind": "reading"}, "kind"), ({"since": "junk"}, "since")):
            answer = ada.get("/audit/log", params=params)
            assert answer.status_code == 400, answer.text
            assert answer.json()["detail"].startswith(f"{field}: ")
        assert ada.get("/audit/log", params={"limit": 0}).status_code == 422


def test_csv_export_is_an_audited_disclosure(world: World) -> None:
    formula = "=cmd|' /C calc'!A0 API audit export"
    with world.client("cat", purpose=formula) as cat:
        cat.get(f"/entities/{world.xss_id}").raise_for_status()
        cat.get(f"/entities/{world.xss_id}").raise_for_status()
    with world.client("ada", purpose="Answering request 99") as ada:
        answer = ada.get("/audit/export", params={"actor": "cat", "purpose": "API audit export"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert tuple(rows[0]) == HEADER and len(rows) == 3
        assert answer.headers["x-rows"] == "2"
        # A purpose that a spreadsheet would run is written inert.
        assert {(r[2], r[4], r[7]) for r in rows[1:]} == {("cat", "entity", "'" + formula)}
        recorded = ada.get("/audit/log", params={"action": "audit.export", "limit": 1}).json()
    event = recorded["events"][0]
    assert (event["actor"], event["kind"], event["purpose"]) == (
        "ada",
        "disclosure",
        "Answering request 99",
    )
    assert event["detail"] == "format=csv filter=actor=cat purpose=API audit export rows=2"


def test_an_export_needs_a_purpose(world: World) -> None:
    with world.client("ada", purpose=None) as ada:
        assert ada.get("/audit/export").status_code == 428
        assert ada.get("/audit/log", params={"limit": 1}).status_code == 200


def test_subject_report_lists_reads_with_purposes(world: World) -> None:
    with world.client("bob", purpose="API audit subject") as bob:
        bob.get(f"/entities/{world.xss_id}").raise_for_status()
    with world.client("ada") as ada:
        report = ada.get(f"/audit/subject/{world.xss_id}").json()
    assert report["entity_id"] == world.xss_id and world.xss_id in report["ids"]
    sections = {s["key"]: s["events"] for s in report["sections"]}
    assert ("bob", "API audit subject") in {(e["actor"], e["purpose"]) for e in sections["reads"]}
    assert report["total"] == sum(len(v) for v in sections.values())
    assert not any(e["action"].startswith("audit.") for v in sections.values() for e in v)


def test_verify_reports_the_signed_root_and_its_time(world: World) -> None:
    with world.client("ada") as ada:
        report = ada.get("/audit/verify").json()
    assert report["ok"] is True, report
    assert re.fullmatch("[0-9a-f]{64}", report["root"])
    assert report["entries"] >= report["signed"] > 0
    assert report["seconds"] >= 0


def test_only_admins_read_the_log(world: World) -> None:
    with world.client("cat") as cat:
        for path in ("/audit/log", "/audit/export", f"/audit/subject/{world.xss_id}"):
            assert cat.get(path).status_code == 403, path
    with world.client("ada", purpose=PURPOSE) as ada:
        refused = ada.get("/audit/log", params={"actor": "cat", "action": "audit.export"}).json()
    assert refused["total"] >= 1
    assert all(e["outcome"].startswith("denied") for e in refused["events"])
