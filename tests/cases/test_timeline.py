"""The timeline: dated facts of pinned entities, in date order, within scope."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import rows
from threadline.cases.timeline import TimelineItem, timeline
from threadline.model.statement import StatementRow


def test_dated_facts_in_order() -> None:
    facts = [
        *rows("Person", "p1", "a", name="Jane", birthDate="1970-05-02"),
        *rows("Company", "c1", "b", name="Acme", incorporationDate="1970"),
        *rows("Company", "c2", "a", incorporationDate="1999-01"),
        *rows("Ownership", "o1", "b", startDate="2001-02-03T10:00:00", owner="p1"),
    ]
    items = timeline(facts)
    assert [(i.date, i.entity_id, i.prop) for i in items] == [
        ("1970", "c1", "incorporationDate"),
        ("1970-05-02", "p1", "birthDate"),
        ("1999-01", "c2", "incorporationDate"),
        ("2001-02-03T10:00:00", "o1", "startDate"),
    ]
    birth = items[1]
    stmt = next(r for r in facts if r.prop == "birthDate")
    assert birth == TimelineItem("1970-05-02", "p1", "birthDate", "1970-05-02", stmt.id, "a")
    assert [i.entity_id for i in timeline(facts, entity_ids={"p1", "c2"})] == ["p1", "c2"]
    assert [i.entity_id for i in timeline(facts, scope={"b"})] == ["c1", "o1"]


stamps = st.builds(lambda d, n: d.isoformat()[:n], st.dates(), st.sampled_from([4, 7, 10]))


@given(st.lists(st.tuples(st.sampled_from(["e1", "e2", "e3"]), stamps, st.sampled_from("ab"))))
def test_timeline_is_sorted_complete_and_idempotent(facts: list[tuple[str, str, str]]) -> None:
    statements: list[StatementRow] = []
    for entity_id, stamp, dataset in facts:
        statements.extend(rows("Event", entity_id, dataset, name="x", date=stamp))
    items = timeline(statements)
    assert items == sorted(items, key=lambda i: (i.date, i.entity_id, i.prop, i.value))
    assert {i.statement_id for i in items} == {s.id for s in statements if s.prop == "date"}
    assert timeline(statements + statements) == items
    assert timeline(reversed(statements)) == items
