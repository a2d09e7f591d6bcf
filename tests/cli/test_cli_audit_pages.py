"""`threadline audit log` with filters and pages, `audit export` (CSV, itself on record),
`audit subject`, and `audit verify` with its signed root and time."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli.runner import cli, ok
from threadline.audit.rows import HEADER


def test_log_filters_and_pages(data: Path) -> None:
    for _ in range(3):
        ok(data, "--purpose", "due diligence", "search", "Jane")
    ok(data, "--purpose", "press request", "entity", "p1")
    searches = ok(data, "audit", "log", "--action", "search", "--purpose", "DILIGENCE", "--json")
    assert [e["action"] for e in searches.lines()] == ["search"] * 3
    newest = ok(data, "audit", "log", "--kind", "consultation", "--limit", "2")
    assert "2 of " in newest.stdout and "older events: add --before" in newest.stderr
    day = ok(data, "audit", "log", "--since", "2000-01-01", "--until", "2000-12-31", "--json")
    assert day.lines() == []
    about = ok(data, "audit", "log", "--entity", "p1", "--purpose", "press", "--json").lines()
    assert [(e["action"], e["purpose"]) for e in about] == [("entity", "press request")]
    bad = cli(data, "audit", "log", "--since", "tuesday")
    assert bad.code == 1 and "since: " in bad.stderr


def test_export_writes_csv_and_is_on_record(data: Path, tmp_path: Path) -> None:
    ok(data, "--purpose", "due diligence", "entity", "p1")
    target = tmp_path / "audit.csv"
    done = ok(
        data,
        "--purpose",
        "data request 3",
        "audit",
        "export",
        "--action",
        "entity",
        "-o",
        str(target),
    )
    assert "exported 1 events" in done.stderr
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == HEADER and [r[4] for r in rows[1:]] == ["entity"]
    streamed = ok(data, "audit", "export", "--actor", "local", "--action", "entity").stdout
    assert streamed.splitlines()[0].startswith("index,time,actor")
    (last,) = ok(data, "audit", "log", "--action", "audit.export", "--limit", "1", "--json").lines()
    assert (
        last["kind"] == "disclosure"
        and last["detail"] == "format=csv filter=actor=local action=entity rows=1"
    )


def test_subject_and_verify(data: Path) -> None:
    ok(data, "--purpose", "due diligence", "entity", "p1")
    ok(data, "search", "Jane")
    report = ok(data, "audit", "subject", "p1", "--json").json()
    assert isinstance(report, dict)
    sections = {s["key"]: s["events"] for s in report["sections"]}
    assert [e["purpose"] for e in sections["reads"]] == ["due diligence"]
    assert [e["action"] for e in sections["searches"]] == ["search"]
    assert "Reads: 1" in ok(data, "audit", "subject", "p1").stdout
    verified = ok(data, "audit", "verify", "--json").json()
    assert isinstance(verified, dict)
    assert verified["ok"] is True and len(str(verified["root"])) == 64
    assert isinstance(verified["seconds"], float)
