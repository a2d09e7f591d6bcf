"""`threadline migrate --to postgresql://…`: a laptop's data directory moves to a real
PostgreSQL server, checked table by table and as an audit log, and the workbench then
runs on it with the same facts, judgements, users, cases and history."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tests.cli.conftest import add_user
from tests.cli.runner import cli, ok


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_data_directory_moves_to_postgresql_whole(data: Path, postgres_url: str) -> None:
    token = add_user(data, "alice")
    ok(data, "grant", "alice", "--dataset", "people", "--read")
    ok(data, "judge", "p1", "x1", "not-same", "--reason", "different people")
    case_id = ok(data, "case", "create", "Daimler", "--purpose", "who owns it").stdout.strip()
    ok(data, "case", "pin", case_id, "c1")
    ok(data, "--purpose", "due diligence", "search", "Daimler", token=token)
    before = {
        "datasets": ok(data, "datasets", "--json").stdout,
        "audit": ok(data, "audit", "log", "--actor", "alice", "--json").lines(),
    }

    moved = ok(data, "migrate", "--to", _plain(postgres_url), "--json").json()
    assert isinstance(moved, dict)
    tables = moved["tables"]
    assert all(t["source"] == t["target"] for t in tables.values())
    assert tables["statements"]["target"] > 0 and tables["judgements"]["target"] == 1
    assert tables["access_users"]["target"] >= 1 and tables["case_cases"]["target"] == 1
    # The log came whole, and then the migration's own outcome after it.
    assert moved["audit_entries"] == tables["audit_entries"]["target"] + 1
    assert "@" in moved["target"] and "postgresql" in moved["target"]

    env: dict[str, str | None] = {
        "THREADLINE_STORE_URL": _plain(postgres_url),
        "THREADLINE_AUDIT_URL": _plain(postgres_url),
    }
    ok(data, "reindex", env=env)
    assert ok(data, "datasets", "--json", env=env).stdout == before["datasets"]
    after = ok(data, "audit", "log", "--actor", "alice", "--json", env=env).lines()
    assert after == before["audit"]
    # The checkpoints signed for the SQLite log verify the PostgreSQL one.
    assert ok(data, "audit", "verify", env=env).stdout.startswith("ok: ")
    shown = ok(data, "case", "show", case_id, "--json", env=env).json()
    assert isinstance(shown, dict) and shown["case"]["name"] == "Daimler"
    # alice's token and grants came along; the next changes number on from the copy.
    *hits, _ = ok(data, "search", "Daimler", "--json", token=token, env=env).lines()
    assert [h["id"] for h in hits] == ["c1"]
    ok(data, "judge", "p1", "c1", "unsure", env=env)
    with psycopg.connect(_plain(postgres_url)) as conn:
        row = conn.execute("SELECT count(*) FROM judgements").fetchone()
    assert row is not None and row[0] == 2


def test_a_database_that_holds_data_is_refused_and_left_as_it_was(
    data: Path, postgres_url: str
) -> None:
    ok(data, "migrate", "--to", _plain(postgres_url))
    with psycopg.connect(_plain(postgres_url)) as conn:
        count = conn.execute("SELECT count(*) FROM statements").fetchone()
    again = cli(data, "migrate", "--to", _plain(postgres_url))
    assert again.code == 1
    assert "already holds rows" in again.stderr and "empty database" in again.stderr
    with psycopg.connect(_plain(postgres_url)) as conn:
        assert conn.execute("SELECT count(*) FROM statements").fetchone() == count


def test_only_an_admin_migrates(data: Path, postgres_url: str) -> None:
    token = add_user(data, "alice")
    refused = cli(data, "migrate", "--to", _plain(postgres_url), token=token)
    assert refused.code == 1 and "admin" in refused.stderr
    with psycopg.connect(_plain(postgres_url)) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
