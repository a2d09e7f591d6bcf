"""The whole workbench on a real PostgreSQL server, chosen as users choose it: with
THREADLINE_STORE_URL and THREADLINE_AUDIT_URL. Statements, judgements, users, grants,
cases and the audit log then live in PostgreSQL; only the search index, the audit's
checkpoints and keys, and resolver artefacts stay in the data folder."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.cli.runner import cli, ok
from tests.conftest import entity, write_entities


@pytest.fixture
def pg_env(postgres_url: str) -> dict[str, str | None]:
    # The plain scheme, as a user would write it; threadline picks psycopg 3 for it.
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    return {"THREADLINE_STORE_URL": plain, "THREADLINE_AUDIT_URL": plain}


def _count(url: str, sql: str) -> int:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_ingest_search_resolve_judge_case_and_audit_run_on_postgresql(
    tmp_path: Path, postgres_url: str, pg_env: dict[str, str | None]
) -> None:
    data = tmp_path / "data"
    registry = write_entities(
        tmp_path / "registry.ijson",
        [
            entity("r1", "Person", name="Jane Müller", birthDate="1970-01-02", country="de"),
            entity("r2", "Company", name="Daimler AG", registrationNumber="HRB 1"),
        ],
    )
    leak = write_entities(
        tmp_path / "leak.ijson",
        [entity("l1", "Person", name="Jane Mueller", birthDate="1970-01-02", country="de")],
    )
    ok(data, "ingest", str(registry), "--dataset", "registry", env=pg_env)
    ok(data, "ingest", str(leak), "--dataset", "leak", env=pg_env)
    assert _count(postgres_url, "SELECT count(DISTINCT entity_id) FROM statements") == 3

    *hits, summary = ok(data, "search", "Jane", "--json", env=pg_env).lines()
    assert {h["id"] for h in hits} == {"r1", "l1"} and summary["total"] == 2

    ok(data, "resolve", env=pg_env)
    ok(data, "judge", "r1", "l1", "same", env=pg_env)
    merged = ok(data, "entity", "r1", "--json", env=pg_env).json()
    assert isinstance(merged, dict)
    assert {"registry", "leak"} <= set(merged["datasets"])
    assert _count(postgres_url, "SELECT count(*) FROM judgements") >= 1

    token = add_user_pg(data, "alice", pg_env)
    ok(data, "grant", "alice", "--dataset", "registry", "--read", env=pg_env)
    case_id = ok(data, "case", "create", "Müller", "--purpose", "who is she", env=pg_env).stdout
    assert _count(postgres_url, f"SELECT count(*) FROM case_cases WHERE id = '{case_id.strip()}'")
    assert _count(postgres_url, "SELECT count(*) FROM access_users") >= 1
    *seen, _ = ok(data, "search", "Daimler", "--json", token=token, env=pg_env).lines()
    assert [h["id"] for h in seen] == ["r2"]

    events = ok(data, "audit", "log", "--actor", "alice", "--json", env=pg_env).lines()
    assert [e["action"] for e in events] == ["search"]
    assert ok(data, "audit", "verify", env=pg_env).stdout.startswith("ok: ")
    assert _count(postgres_url, "SELECT count(*) FROM audit_entries") >= len(events)
    assert not list(data.glob("*.sqlite3")), "nothing may fall back to SQLite files"


def add_user_pg(data: Path, name: str, env: dict[str, str | None]) -> str:
    """Add a user on the PostgreSQL store and return their token."""
    return ok(data, "user", "add", name, "--role", "investigator", env=env).stdout.strip()


def test_another_database_for_the_sqlite_backend_names_the_setting(tmp_path: Path) -> None:
    env: dict[str, str | None] = {
        "THREADLINE_STORE": "sqlite",
        "THREADLINE_STORE_URL": "mysql://x@localhost/db",
    }
    done = cli(tmp_path / "data", "datasets", env=env)
    assert done.code == 1
    assert "THREADLINE_STORE=sql" in done.stderr
