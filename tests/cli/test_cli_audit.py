"""`threadline audit ...` and `threadline erase`: the record of who saw what, its
verification after tampering, and erasure that leaves no erased value behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import SECRET_NAME, add_user
from tests.cli.runner import cli, ok


def audit_bytes(data: Path) -> bytes:
    """Every byte of the audit log's files (the database and its WAL, if any)."""
    return b"".join(p.read_bytes() for p in sorted(data.glob("audit.sqlite3*")))


def test_audit_log_lists_searches_with_their_actor(data: Path) -> None:
    token = add_user(data, "alice")
    ok(data, "grant", "alice", "--dataset", "people", "--read")
    ok(data, "search", "Jane", token=token)
    ok(data, "--purpose", "due diligence", "search", "Daimler", token=token)
    events = ok(data, "audit", "log", "--actor", "alice", "--json").lines()
    assert [(e["actor"], e["action"]) for e in events] == [("alice", "search")] * 2
    assert set(events[0]) == {
        "time",
        "actor",
        "kind",
        "action",
        "object_ids",
        "case_id",
        "purpose",
        "justification",
        "outcome",
        "request_id",
        "detail",
    }
    assert events[0]["object_ids"] == ["p1"] and events[1]["object_ids"] == ["c1"]
    assert events[1]["purpose"] == "due diligence"
    assert "Jane" not in str(events)  # the query is on record only as a salted hash
    last = ok(data, "audit", "log", "--limit", "1", "--json").lines()
    assert len(last) == 1
    table = ok(data, "audit", "log", "--actor", "alice").stdout
    assert "alice" in table and "search" in table


def test_who_accessed_lists_an_entitys_consultations(data: Path) -> None:
    token = add_user(data, "alice")
    ok(data, "grant", "alice", "--dataset", "people", "--read")
    ok(
        data,
        "--purpose",
        "due diligence",
        "--justification",
        "ticket 7",
        "entity",
        "p1",
        token=token,
    )
    ok(data, "entity", "c1")  # not p1
    seen = ok(data, "audit", "who-accessed", "p1", "--json").lines()
    assert [(e["actor"], e["action"], e["purpose"], e["justification"]) for e in seen] == [
        ("alice", "entity", "due diligence", "ticket 7")
    ]
    table = ok(data, "audit", "who-accessed", "p1").stdout
    assert "alice" in table and "due diligence" in table
    # Reading the log about p1 is on record, but is no access of p1.
    assert ok(data, "audit", "who-accessed", "p1", "--json").lines() == seen
    about = ok(data, "audit", "log", "--entity", "p1", "--json").lines()
    assert [e["action"] for e in about] == ["entity"] + ["audit.who-accessed"] * 3


def test_verify_passes_then_names_the_tampered_entry(data: Path) -> None:
    ok(data, "search", "Jane")
    done = ok(data, "audit", "verify")
    assert done.stdout.startswith("ok: ")
    report = ok(data, "audit", "verify", "--json").json()
    assert isinstance(report, dict)
    assert (report["ok"], report["first_bad_index"], report["problems"]) == (True, None, [])
    with sqlite3.connect(data / "audit.sqlite3") as db:
        (row,) = db.execute('SELECT data FROM audit_entries WHERE "index" = 3').fetchall()
        db.execute(
            'UPDATE audit_entries SET data = ? WHERE "index" = 3',
            (row[0].replace(b'"actor":"local"', b'"actor":"nobody"'),),
        )
    db.close()
    failed = cli(data, "audit", "verify")
    assert failed.code == 1
    assert "verification failed" in failed.stderr and "first bad entry: index 3" in failed.stderr
    assert "entry 3" in failed.stderr
    report = cli(data, "audit", "verify", "--json")
    assert report.code == 1
    found = report.json()
    assert isinstance(found, dict)
    assert (found["ok"], found["first_bad_index"]) == (False, 3)


def test_checkpoint_and_key_rotation_keep_the_log_verifiable(data: Path) -> None:
    assert "signed checkpoint of" in ok(data, "audit", "checkpoint").stderr
    assert "new signing key" in ok(data, "audit", "rotate-key").stderr
    ok(data, "search", "Jane")
    assert ok(data, "audit", "verify").stdout.startswith("ok: ")


def test_erase_dataset_leaves_no_trace_of_its_values(data: Path) -> None:
    token = add_user(data, "alice")
    ok(data, "grant", "alice", "--dataset", "leaks", "--read")
    ok(data, "search", SECRET_NAME, token=token)
    ok(data, "entity", "x1")
    refused = cli(data, "erase", "--dataset", "leaks", "--yes", token=token)
    assert refused.code == 1 and "lacks manage on collection 'leaks'" in refused.stderr
    kept = cli(data, "erase", "--dataset", "leaks", input="n\n")
    assert kept.code == 1 and "Erase dataset 'leaks'" in kept.stdout
    assert ok(data, "search", "Zebediah", "--json").lines()[-1]["total"] == 1

    done = ok(data, "erase", "--dataset", "leaks", "--yes")
    assert "statements of 1 records removed" in done.stderr
    assert ok(data, "search", "Zebediah", "--json").lines()[-1]["total"] == 0
    gone = cli(data, "entity", "x1")
    assert gone.code == 1 and "No entity with id 'x1'" in gone.stderr
    assert [d["name"] for d in ok(data, "datasets", "--json").lines()] == ["people"]
    assert ok(data, "search", "Jane", "--json").lines()[-1]["total"] == 1
    stored = audit_bytes(data)
    for word in ("Zebediah", "Quarrington", SECRET_NAME):
        assert word.encode() not in stored
    assert ok(data, "audit", "verify").stdout.startswith("ok: ")


def test_erase_an_entity_after_confirming(data: Path) -> None:
    done = ok(data, "erase", "--entity", "p1", input="y\n")
    assert "entity 'p1'" in done.stderr and "records removed" in done.stderr
    assert cli(data, "entity", "p1").code == 1
    ok(data, "entity", "c1")
    assert b"Jane" not in audit_bytes(data)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("erase", "--yes"), 2, "exactly one of"),
        (("erase", "--dataset", "people", "--entity", "p1", "--yes"), 2, "exactly one of"),
        (("erase", "--dataset", "nope", "--yes"), 1, "No dataset named 'nope'"),
        (("erase", "--entity", "nope", "--yes"), 1, "No entity with id 'nope'"),
    ],
)
def test_erase_bad_input(data: Path, args: tuple[str, ...], code: int, message: str) -> None:
    done = cli(data, *args)
    assert done.code == code and message in done.stderr


def test_only_admins_read_the_log(data: Path) -> None:
    token = add_user(data, "ivan")
    for args in (("audit", "log"), ("audit", "who-accessed", "p1"), ("audit", "verify")):
        refused = cli(data, *args, token=token)
        assert refused.code == 1 and "lacks role admin" in refused.stderr, args
