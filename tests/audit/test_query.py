"""Filtering and paging the audit log: the SQL backends give exactly the events the
Python reference picks, pages walk the log without gaps or repeats, totals count what
matches, erased values stop matching, and the workbench's audit verbs (page, export,
subject report) answer on a real store, each on record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert

from tests.accountability.world import build_world, copy_world, settings
from threadline.access import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind, AuditEvent, AuditLog, MemoryAuditLog, SQLAuditLog
from threadline.audit.merkle import leaf_hash
from threadline.audit.query import AuditFilter, AuditQuery, QueryError
from threadline.audit.rows import HEADER
from threadline.audit.sql import audit_entries

BACKENDS = ["memory", "sqlite-file", "sqlite-memory", "postgres"]
KINDS = list(ActionKind)
ACTIONS = ["search", "entity", "export", "audit.log", "judge"]
# "10 sures" is what "0% sure_" would match if % and _ were not taken literally.
PURPOSES = ["Due diligence", "Überprüfung der Zahlungen", "100% sure_", None, "", "10 sures"]


def event(i: int) -> AuditEvent:
    """A varied event for every i: actors, kinds, actions, cases, purposes, ids, days."""
    return AuditEvent(
        actor=f"user{i % 4}",
        kind=KINDS[i % len(KINDS)],
        action=ACTIONS[i % len(ACTIONS)],
        object_ids=tuple(f"e{(i * k) % 13}" for k in range(i % 3)),
        case_id=f"case-{i % 3}" if i % 2 else None,
        purpose=PURPOSES[i % len(PURPOSES)],
        outcome="ok" if i % 9 else "denied: no",
        time=f"2026-01-{1 + i % 20:02d}T{i % 24:02d}:00:00.000000Z",
    )


EVENTS = [event(i) for i in range(240)]
QUERIES = {
    "everything": AuditQuery(),
    "actor": AuditFilter(actor="user1").query(),
    "kind": AuditFilter(kind="Disclosure").query(),
    "action": AuditFilter(action="audit.log").query(),
    "case": AuditFilter(case_id="case-2").query(),
    "purpose, folded": AuditFilter(purpose="DUE").query(),
    "purpose beyond ascii": AuditFilter(purpose="ÜBERPRÜFUNG").query(),
    "purpose with like signs": AuditFilter(purpose="0% sure_").query(),
    "one day": AuditFilter(since="2026-01-05", until="2026-01-05").query(),
    "from a time": AuditFilter(since="2026-01-18T12:00").query(),
    "object": AuditFilter(entity_id="e7").query(),
    "objects": AuditQuery(object_ids=frozenset({"e3", "e5"})),
    "outcome": AuditQuery(outcome="ok", kinds=frozenset({ActionKind.CONSULTATION})),
    "hiding a prefix": AuditQuery(hide_prefix="audit."),
    "all at once": AuditFilter(
        actor="user1", purpose="ü", since="2026-01-02", until="2026-01-19"
    ).query(),
}


@pytest.fixture(params=BACKENDS)
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditLog]:
    made: AuditLog
    if request.param == "memory":
        made = MemoryAuditLog()
    elif request.param == "sqlite-file":
        made = SQLAuditLog(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    elif request.param == "sqlite-memory":
        made = SQLAuditLog("sqlite://")
    else:
        made = SQLAuditLog(request.getfixturevalue("postgres_url"))
    made.extend(EVENTS)
    yield made
    made.close()


@pytest.mark.parametrize("name", list(QUERIES))
def test_the_backend_picks_what_the_reference_picks(log: AuditLog, name: str) -> None:
    query = QUERIES[name]
    expected = [i for i, e in enumerate(EVENTS) if query.matches(e)]
    assert expected, "every query picks something"
    found = [entry.index for entry in log.select(query, newest_first=False)]
    assert found == expected
    assert [entry.index for entry in log.select(query)] == expected[::-1]
    assert log.count(query) == len(expected)
    assert log.count(query, before=100) == len([i for i in expected if i < 100])
    assert all(query.matches(entry.event()) for entry in log.select(query, limit=5))


def test_pages_walk_the_log_both_ways(log: AuditLog) -> None:
    query = AuditFilter(actor="user3").query()
    expected = [i for i, e in enumerate(EVENTS) if query.matches(e)][::-1]
    seen: list[int] = []
    before: int | None = None
    while True:
        page = [e.index for e in log.select(query, before=before, limit=7)]
        seen.extend(page)
        if len(page) < 7:
            break
        before = page[-1]
    assert seen == expected
    after = expected[-1]  # the oldest, walking back up
    newer = [e.index for e in log.select(query, after=after, limit=7, newest_first=False)]
    assert newer == expected[::-1][1:8]


def test_erased_values_no_longer_match(log: AuditLog) -> None:
    by_object = AuditFilter(entity_id="e7").query()
    by_purpose = AuditFilter(purpose="diligence").query()
    assert log.count(by_object) and log.count(by_purpose)
    log.erase({"e7"}, {"diligence"})
    assert log.count(by_object) == 0
    assert log.count(by_purpose) == 0
    assert log.count(AuditQuery()) == len(EVENTS)  # the entries stay


def test_entries_of_the_first_format_are_matched_in_their_frame(tmp_path: Path) -> None:
    with SQLAuditLog(f"sqlite:///{tmp_path / 'audit.sqlite3'}") as log:
        assert isinstance(log, SQLAuditLog)
        old = AuditEvent(
            actor="old", kind="consultation", action="entity", object_ids=("p1",), purpose="KYC"
        )
        data = old.to_bytes()  # format 1: everything in the clear
        with log.engine.begin() as conn:
            conn.execute(
                insert(audit_entries), [{"index": 0, "data": data, "leaf_hash": leaf_hash(data)}]
            )
        log.append(
            AuditEvent(actor="new", kind="consultation", action="entity", object_ids=("p1",))
        )
        for fields, actors in (
            ({"entity_id": "p1"}, ["new", "old"]),
            ({"purpose": "kyc"}, ["old"]),
            ({"actor": "old", "kind": "consultation"}, ["old"]),
        ):
            query = AuditFilter(**fields).query()
            assert [e.event().actor for e in log.select(query)] == actors, fields


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"kind": "reading"}, "kind"),
        ({"since": "last week"}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"actor": "x" * 201}, "actor"),
    ],
)
def test_bad_filters_name_their_field(fields: dict[str, str], named: str) -> None:
    with pytest.raises(QueryError, match=f"^{named}: "):
        AuditFilter(**fields).query()


def test_a_day_bound_takes_the_whole_day_in() -> None:
    query = AuditFilter(since="2026-01-05", until="2026-01-05T10:30:00+01:00").query()
    assert (query.since, query.until) == (
        "2026-01-05T00:00:00.000000Z",
        "2026-01-05T09:30:00.000001Z",
    )
    assert AuditFilter(actor="  ", purpose="").params() == {}


# The workbench's verbs, on a real store -------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def bench(world: Path, tmp_path: Path) -> Iterator[Workbench]:
    with Workbench(settings(), data_dir=copy_world(world, tmp_path)) as workbench:
        yield workbench


def test_audit_log_pages_with_cursors_and_a_total(bench: Workbench) -> None:
    uma = bench.acting(Context(actor="local", purpose="reading around"))
    for _ in range(23):
        uma.entity("a-p1")
    filters = AuditFilter(action="entity", entity_id="c-p1")  # c-p1 is merged with a-p1
    first = bench.audit_log(filters, limit=10)
    assert (len(first.events), first.total, first.newer) == (10, 23, None)
    indexes = [e.index for e in first.events]
    assert indexes == sorted(indexes, reverse=True)
    second = bench.audit_log(filters, limit=10, before=first.older)
    third = bench.audit_log(filters, limit=10, before=second.older)
    assert (len(second.events), len(third.events), third.older) == (10, 3, None)
    walked = [e.index for page in (first, second, third) for e in page.events]
    assert len(set(walked)) == 23 and walked == sorted(walked, reverse=True)
    back = bench.audit_log(filters, limit=10, after=third.newer)
    assert [e.index for e in back.events] == [e.index for e in second.events]
    assert back.newer == second.events[0].index  # first's events are newer still
    event = next(iter(bench.audit_log(AuditFilter(action="audit.log"), limit=1).events)).event
    assert "filter=action=entity entity_id=c-p1" in event.detail
    assert event.object_ids == ("a-p1", "b-p1", "c-p1", "d-p3")


def test_export_is_on_record_with_its_filter_and_rows(bench: Workbench) -> None:
    bench.acting(Context(purpose="due diligence")).entity("a-p2")
    asker = bench.acting(Context(purpose="data request 12"))
    exported = asker.audit_export(AuditFilter(action="entity"))
    rows = list(exported)
    assert exported.count == len(rows) >= 1
    assert all(row[4] == "entity" for row in rows) and len(rows[0]) == len(HEADER)
    last = bench.audit_log(AuditFilter(action="audit.export"), limit=1).events[0].event
    assert (last.kind, last.purpose) == (ActionKind.DISCLOSURE, "data request 12")
    assert last.detail == f"format=csv filter=action=entity rows={len(rows)}"


def test_subject_report_sections(bench: Workbench) -> None:
    bench.user_add("uma", "investigator")
    bench.grant("uma", "alpha", "read")
    bench.grant("uma", "delta", "read")
    uma = bench.acting(Context(actor="uma", purpose="checking Maria"))
    uma.entity("a-p2")
    uma.search("maria")
    bench.acting(Context(purpose="export for the board")).export("delta")
    bench.audit_who_accessed("d-p1")  # reading the log is no access
    report = bench.audit_subject("d-p1")
    assert report.ids == ("a-p2", "d-p1")
    sections = {key: [e.event for e in found] for key, _title, found in report.sections()}
    assert [(e.actor, e.purpose) for e in sections["reads"]] == [("uma", "checking Maria")]
    assert [e.action for e in sections["searches"]] == ["search"]
    assert [e.action for e in sections["disclosures"]] == ["export"]
    assert report.total == sum(len(v) for v in sections.values())
    assert not any(e.action.startswith("audit.") for v in sections.values() for e in v)


def test_only_admins_page_export_or_report(bench: Workbench) -> None:
    bench.user_add("ivan", "investigator")
    ivan = bench.acting(Context(actor="ivan", purpose="curious"))
    for call in (
        lambda: ivan.audit_log(),
        lambda: list(ivan.audit_export()),
        lambda: ivan.audit_subject("a-p1"),
    ):
        with pytest.raises(AccessDenied):
            call()
    refused = bench.audit_log(AuditFilter(actor="ivan"), limit=5)
    assert refused.total == 3 and all(e.event.outcome.startswith("denied") for e in refused.events)
