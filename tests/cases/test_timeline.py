"""The timeline: every dated fact of the entities in view and of the links touching
them, periods with their start and end, in words, in date order, within scope."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import rows
from threadline.cases.errors import CaseError
from threadline.cases.inview import gather
from threadline.cases.timeline import TimelineItem, timeline
from threadline.cases.timeline_view import TimelineFilter, grouped, kinds, zoom_of
from threadline.model.statement import StatementRow


def world() -> list[StatementRow]:
    return [
        *rows("Person", "p1", "a", name="Jane Roe", birthDate="1970-05-02"),
        *rows("Company", "c1", "b", name="Acme", incorporationDate="1970"),
        *rows("Company", "c2", "a", name="Beta", incorporationDate="1999-01"),
        *rows(
            "Ownership", "o1", "b", owner="p1", asset="c1", startDate="2001-02-03", endDate="2009"
        ),
        *rows(
            "Payment",
            "pay1",
            "a",
            payer="c1",
            beneficiary="c2",
            amount="12500",
            currency="eur",
            date="2005-06-07",
        ),
        *rows("Directorship", "d1", "b", director="p1", organization="c2", endDate="2011"),
        *rows("Email", "m1", "a", subject="Re: the deal", emitters="p1", date="2006-01-01"),
    ]


def by_entity(items: list[TimelineItem]) -> dict[str, TimelineItem]:
    return {i.entity_id: i for i in items}


def test_every_dated_fact_in_order() -> None:
    items = timeline(world())
    assert [(i.date, i.entity_id, i.prop) for i in items] == [
        ("1970", "c1", "incorporationDate"),
        ("1970-05-02", "p1", "birthDate"),
        ("1999-01", "c2", "incorporationDate"),
        ("2001-02-03", "o1", "startDate"),
        ("2005-06-07", "pay1", "date"),
        ("2006-01-01", "m1", "date"),
        ("2011", "d1", "endDate"),
    ]
    birth = items[1]
    stmt = next(r for r in world() if r.prop == "birthDate")
    assert (birth.statement_id, birth.dataset, birth.schema) == (stmt.id, "a", "Person")
    assert (birth.source, birth.location) == ("sha-a", 7)


def test_items_say_what_they_are_in_words() -> None:
    found = by_entity(timeline(world()))
    assert found["pay1"].label == "Payment 12,500 EUR: Acme paid Beta"
    assert found["o1"].label == "Ownership: Jane Roe owns Acme"
    assert found["p1"].label == "Birth date: Jane Roe"
    assert found["d1"].label == "End date: Directorship: Jane Roe directs Beta"
    assert found["m1"].label == "Date: Re: the deal"


def test_a_period_shows_its_start_and_end_with_both_statements() -> None:
    ownership = by_entity(timeline(world()))["o1"]
    assert ownership.period and (ownership.date, ownership.end) == ("2001-02-03", "2009")
    end = next(r for r in world() if r.entity_id == "o1" and r.prop == "endDate")
    assert ownership.end_statement_id == end.id
    assert ownership.statement_ids == [ownership.statement_id, end.id]
    assert ownership.value == "2001-02-03 to 2009"
    # An end date with no start stays a dated fact of its own.
    directorship = by_entity(timeline(world()))["d1"]
    assert not directorship.period and directorship.end is None


def test_in_view_are_the_entities_and_the_links_that_touch_them() -> None:
    facts = world()
    items = timeline(facts, entity_ids={"p1"})
    # Jane's birth, her ownership, her directorship and her e-mail: not Acme's founding.
    assert [i.entity_id for i in items] == ["p1", "o1", "m1", "d1"]
    assert {i.entity_id for i in timeline(facts, entity_ids={"c2"})} == {"c2", "pay1", "d1"}


def test_scope_withholds_statements_and_names() -> None:
    facts = world()
    items = timeline(facts, entity_ids={"p1"}, scope={"b"})
    assert [i.entity_id for i in items] == ["o1", "d1"]
    # Jane's name is in "a": the links name her by id only.
    assert by_entity(items)["o1"].label == "Ownership: p1 owns Acme"


def test_gather_loads_links_and_their_ends_through_the_lookups() -> None:
    facts = world()

    def load(ids: Collection[str]) -> list[StatementRow]:
        return [r for r in facts if r.entity_id in ids]

    def references(entity_id: str) -> list[str]:
        return sorted(
            {r.entity_id for r in facts if r.prop_type == "entity" and r.value == entity_id}
        )

    view = gather(["p1"], lambda ids: {i: [i] for i in ids}, load, references)
    assert view.focus == {"p1"}
    assert {"o1", "d1", "m1", "c1", "c2"} <= set(view.entity_ids)
    assert [i.entity_id for i in view.timeline()] == ["p1", "o1", "m1", "d1"]
    assert by_entity(view.timeline())["o1"].label == "Ownership: Jane Roe owns Acme"
    merged = gather(["p1"], lambda ids: {"p1": ["p1", "p9"]}, load, references)
    assert merged.captions["p9"] == "Jane Roe"


def test_filter_by_type_property_and_range() -> None:
    items = timeline(world())
    assert [i.entity_id for i in TimelineFilter.parse(schema="Payment").apply(items)] == ["pay1"]
    interval = TimelineFilter.parse(schema="Interval").apply(items)
    assert {i.entity_id for i in interval} == {"o1", "pay1", "d1"}
    assert [i.entity_id for i in TimelineFilter.parse(prop="birthDate").apply(items)] == ["p1"]
    ranged = TimelineFilter.parse(since="2005", until="2006-01").apply(items)
    # The ownership period (2001 to 2009) overlaps the range.
    assert [i.entity_id for i in ranged] == ["o1", "pay1", "m1"]
    assert kinds(items)[0] == ["Company", "Directorship", "Email", "Ownership", "Payment", "Person"]


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("schema", {"schema": "Paymnt"}, "schema: 'Paymnt' is not a followthemoney schema"),
        ("prop", {"prop": "name"}, "prop: 'name' is not a date property"),
        ("since", {"since": "last year"}, "since: 'last year' is not a date"),
        ("until", {"until": "2019-13-45x"}, "until: '2019-13-45x' is not a date"),
        ("until", {"since": "2020", "until": "2019"}, "until: '2019' is before since"),
    ],
)
def test_bad_filters_name_their_field(field: str, values: dict[str, str], message: str) -> None:
    with pytest.raises(CaseError, match=message):
        TimelineFilter.parse(**values)
    assert message.startswith(field)


def test_zoom_groups_by_year_month_or_day() -> None:
    items = timeline(world())
    assert [key for key, _ in grouped(items, "year")] == [
        "1970",
        "1999",
        "2001",
        "2005",
        "2006",
        "2011",
    ]
    assert [key for key, _ in grouped(items, "month")][:3] == ["1970", "1970-05", "1999-01"]
    assert zoom_of("") == "year"
    with pytest.raises(CaseError, match="zoom: 'week'"):
        zoom_of("week")


stamps = st.builds(lambda d, n: d.isoformat()[:n], st.dates(), st.sampled_from([4, 7, 10]))


@given(st.lists(st.tuples(st.sampled_from(["e1", "e2", "e3"]), stamps, st.sampled_from("ab"))))
def test_timeline_is_sorted_complete_and_idempotent(facts: list[tuple[str, str, str]]) -> None:
    statements: list[StatementRow] = []
    for entity_id, stamp, dataset in facts:
        statements.extend(rows("Event", entity_id, dataset, name="x", date=stamp))
    items = timeline(statements)
    assert items == sorted(items, key=TimelineItem.key)
    assert {i.statement_id for i in items} == {s.id for s in statements if s.prop == "date"}
    assert timeline(statements + statements) == items
    assert timeline(reversed(statements)) == items
