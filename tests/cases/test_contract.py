"""One contract, every case store backend: what goes in comes back, checks agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from tests.cases.conftest import principal, team_case
from threadline.access.errors import AccessDenied
from threadline.app.schema import SCHEMA
from threadline.cases.case import CaseRole, new_case
from threadline.cases.errors import CaseError, CaseNotFound
from threadline.cases.note import new_note
from threadline.cases.pin import new_pin
from threadline.cases.sql import SQLCaseStore
from threadline.cases.store import CaseStore
from threadline.cases.task import TaskStatus, change_task, new_task
from threadline.store.sql import SQLStore


def test_cases_round_trip(cases: CaseStore) -> None:
    case = team_case()
    every = new_case("Everything", "Background", "all", "bob", now="2027-01-01T00:00:00.000000Z")
    cases.add_case(case)
    cases.add_case(every)
    assert cases.case("c1") == case
    assert cases.case(every.id) == every
    assert [c.id for c in cases.cases()] == [every.id, "c1"]
    assert [c.id for c in cases.cases(member="carol")] == ["c1"]
    assert cases.cases(member="mallory") == []
    with pytest.raises(CaseError, match="case id 'c1' is already taken"):
        cases.add_case(case)
    with pytest.raises(CaseNotFound, match="no case 'nope'"):
        cases.case("nope")


def test_members_change_and_keep_an_owner(cases: CaseStore) -> None:
    cases.add_case(team_case())
    changed = cases.set_member("c1", "dave", "reader")
    assert changed.role_of("dave") is CaseRole.READER
    assert cases.case("c1") == changed
    cases.set_member("c1", "dave", None)
    assert cases.case("c1").role_of("dave") is None
    with pytest.raises(CaseError, match="no owner"):
        cases.set_member("c1", "alice", None)
    assert cases.case("c1").role_of("alice") is CaseRole.OWNER


def test_open_refuses_unknown_ids_and_other_users_cases_alike(cases: CaseStore) -> None:
    cases.add_case(team_case())
    assert cases.open("c1", principal("carol")).id == "c1"
    messages = []
    for case_id, user in (("c1", "mallory"), ("c2", "mallory")):
        with pytest.raises(AccessDenied) as caught:
            cases.open(case_id, principal(user))
        messages.append(str(caught.value).replace(case_id, "ID"))
    assert messages[0] == messages[1]
    with pytest.raises(AccessDenied, match="case role editor"):
        cases.open("c1", "carol", CaseRole.EDITOR)


def test_pins(cases: CaseStore) -> None:
    case = team_case()
    cases.add_case(case)
    first = new_pin(case, "e1", "bob", "buyer", now="2026-01-01T00:00:00.000000Z")
    second = new_pin(case, "e0", "alice", now="2026-01-02T00:00:00.000000Z")
    cases.add_pin(second)
    cases.add_pin(first)
    assert cases.pins("c1") == [first, second]
    with pytest.raises(CaseError, match="'e1' is already pinned"):
        cases.add_pin(first)
    assert cases.remove_pin("c1", "e1") is True
    assert cases.remove_pin("c1", "e1") is False
    assert cases.pins("c1") == [second]


def test_notes_keep_their_citations(cases: CaseStore) -> None:
    case = team_case()
    cases.add_case(case)
    text = "[[entity:e2]] got [[stmt:s2]] and [[stmt:s1]] from [[entity:e1]]"
    first = new_note(case, "bob", text, lambda ids: ids, now="2026-01-01T00:00:00.000000Z")
    second = new_note(case, "alice", "plain", lambda ids: ids, now="2026-01-02T00:00:00.000000Z")
    cases.add_note(second)
    cases.add_note(first)
    assert cases.notes("c1") == [first, second]
    assert cases.notes("c1")[0].statements == ("s2", "s1")
    assert cases.notes("c1")[0].entities == ("e2", "e1")
    with pytest.raises(CaseError, match="already taken"):
        cases.add_note(first)


def test_tasks(cases: CaseStore) -> None:
    case = team_case()
    cases.add_case(case)
    task = new_task(case, "bob", "Call the registry", assignee="carol", due="2026-03-01")
    cases.add_task(task)
    assert cases.tasks("c1") == [task]
    done = change_task(case, task, "carol", status=TaskStatus.DONE)
    cases.update_task(done)
    assert cases.task("c1", task.id) == done
    with pytest.raises(CaseNotFound):
        cases.task("c1", "nope")
    with pytest.raises(CaseNotFound):
        cases.update_task(new_task(case, "bob", "never added"))
    with pytest.raises(CaseError, match="already taken"):
        cases.add_task(task)


@pytest.mark.parametrize("verb", ["pins", "notes", "tasks"])
def test_listing_an_unknown_case_is_not_found(cases: CaseStore, verb: str) -> None:
    with pytest.raises(CaseNotFound):
        getattr(cases, verb)("nope")


def test_writing_to_an_unknown_case_is_not_found(cases: CaseStore) -> None:
    ghost = new_case("Ghost", "never stored", "a", "alice", case_id="ghost")
    with pytest.raises(CaseNotFound):
        cases.add_pin(new_pin(ghost, "e1", "alice"))
    with pytest.raises(CaseNotFound):
        cases.add_note(new_note(ghost, "alice", "text", lambda ids: ids))
    with pytest.raises(CaseNotFound):
        cases.add_task(new_task(ghost, "alice", "task"))
    with pytest.raises(CaseNotFound):
        cases.set_member("ghost", "bob", "reader")


def test_tables_live_beside_the_statements(tmp_path: Path) -> None:
    store = SQLStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        with SQLCaseStore(store.engine) as cases:
            cases.add_case(team_case())
        others = {"statements", "sources", "judgements", "canonical", "review_queue"}
        others |= {"store_meta", "changes"}  # the store's generation (`store.changes`)
        others.add("dataset_counts")  # counts kept on write (`store.counts`)
        # The store's database holds every registered table (`store.migrations`), and
        # its version: the other packages' tables are there too, empty until used.
        others |= {t.name for t in SCHEMA.tables() if not t.name.startswith("case_")}
        others.add("alembic_version")
        names = set(inspect(store.engine).get_table_names()) - others
        assert "case_cases" in names and all(n.startswith("case_") for n in names)
        assert store.count_statements() == 0
    finally:
        store.close()
