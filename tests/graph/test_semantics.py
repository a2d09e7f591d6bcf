"""Edges come from followthemoney's schema: edge schemata, references, dates, derived keys."""

from __future__ import annotations

from datetime import date

import pytest
from followthemoney import model

from threadline.graph.interval import OPEN_END, OPEN_START, TimeWindow, day_span, interval
from threadline.graph.semantics import DERIVED_ADDRESS, DERIVED_IDENTIFIER, entity_links
from threadline.model.statement import entity_statements


def _rows(
    schema: str, entity_id: str, dataset: str = "d", **props: str | list[str]
) -> list[tuple[str, ...]]:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in props.items():
        proxy.add(prop, values)
    return [
        (r.entity_id, r.schema, r.prop, r.prop_type, r.value, r.dataset)
        for r in entity_statements(proxy, dataset, "sha", 1, "t")
    ]


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


EDGE_SCHEMATA = [
    ("Ownership", {"owner": "p", "asset": "c"}, ("p", "c")),
    ("Directorship", {"director": "p", "organization": "c"}, ("p", "c")),
    ("Membership", {"member": "p", "organization": "c"}, ("p", "c")),
    ("Employment", {"employee": "p", "employer": "c"}, ("p", "c")),
    ("Family", {"person": "p", "relative": "q"}, ("p", "q")),
    ("Associate", {"person": "p", "associate": "q"}, ("p", "q")),
    ("Payment", {"payer": "c", "beneficiary": "d"}, ("c", "d")),
    ("Representation", {"agent": "p", "client": "c"}, ("p", "c")),
    ("UnknownLink", {"subject": "p", "object": "c"}, ("p", "c")),
    ("ContractAward", {"contract": "k", "supplier": "c"}, ("k", "c")),
]


@pytest.mark.parametrize(
    ("schema", "props", "ends"), EDGE_SCHEMATA, ids=[e[0] for e in EDGE_SCHEMATA]
)
def test_edge_schemata_become_edges(
    schema: str, props: dict[str, str], ends: tuple[str, str]
) -> None:
    links = entity_links(_rows(schema, "e1", **props))
    assert links.is_edge
    assert [(e.source, e.target, e.type, e.id) for e in links.edges] == [(*ends, schema, "e1")]


def test_an_edge_entity_with_several_ends_makes_every_pair() -> None:
    links = entity_links(_rows("Ownership", "o", owner=["p1", "p2"], asset="c"))
    assert [(e.source, e.target) for e in links.edges] == [("p1", "c"), ("p2", "c")]
    assert entity_links(_rows("Ownership", "o", owner="p1")).edges == []


def test_references_of_nodes_become_edges_typed_by_property() -> None:
    links = entity_links(
        _rows("Contract", "k", title="Bridge", authority="pb", contractDate="2020-05-01")
    )
    assert not links.is_edge
    (edge,) = links.edges
    assert (edge.source, edge.target, edge.type, edge.id) == (
        "k",
        "pb",
        "authority",
        "k<authority>pb",
    )
    assert (edge.start, edge.end) == (day("2020-05-01"), OPEN_END)
    company = entity_links(_rows("Company", "c", name="C", addressEntity="a", parent="h"))
    assert {(e.type, e.target) for e in company.edges} == {("addressEntity", "a"), ("parent", "h")}


def test_edge_entity_references_besides_its_ends_are_not_edges() -> None:
    links = entity_links(_rows("Payment", "pay", payer="a", beneficiary="b", contract="k"))
    assert [(e.source, e.target) for e in links.edges] == [("a", "b")]


DATES = [
    ({"startDate": "2015"}, (day("2015-01-01"), OPEN_END)),
    ({"startDate": "2015-03", "endDate": "2016"}, (day("2015-03-01"), day("2016-12-31"))),
    ({"endDate": "2016-02"}, (OPEN_START, day("2016-02-29"))),
    ({"date": "2021-06-01"}, (day("2021-06-01"), day("2021-06-01"))),
    ({"date": "2021", "startDate": "2019"}, (day("2019-01-01"), OPEN_END)),
    ({}, (OPEN_START, OPEN_END)),
]


@pytest.mark.parametrize(("props", "expected"), DATES)
def test_edge_dates_from_temporal_properties(
    props: dict[str, str], expected: tuple[int, int]
) -> None:
    (edge,) = entity_links(_rows("Ownership", "o", owner="p", asset="c", **props)).edges
    assert (edge.start, edge.end) == expected


def test_derived_keys() -> None:
    company = entity_links(
        _rows(
            "Company",
            "c",
            name="C",
            address="Hafenstraße 1, Hamburg",
            registrationNumber="HRB 47-11",
        )
    )
    assert sorted(k[:2] for k in company.keys) == [
        (DERIVED_ADDRESS, "hafenstrasse 1 hamburg"),
        (DERIVED_IDENTIFIER, "HRB4711"),
    ]
    address = entity_links(_rows("Address", "a", full="Hafenstraße 1, Hamburg"))
    assert address.keys == []  # an Address entity is the address, reached by addressEntity
    assert entity_links(_rows("Company", "c", name="C", registrationNumber="12")).keys == []


SPANS = [
    ("2016", ("2016-01-01", "2016-12-31")),
    ("2016-02", ("2016-02-01", "2016-02-29")),
    ("2016-02-03", ("2016-02-03", "2016-02-03")),
    ("2016-02-03T10:00:00", ("2016-02-03", "2016-02-03")),
]


@pytest.mark.parametrize(("text", "span"), SPANS)
def test_partial_dates_are_spans(text: str, span: tuple[str, str]) -> None:
    assert day_span(text) == (day(span[0]), day(span[1]))


def test_unreadable_dates_are_ignored() -> None:
    assert day_span("sometime") is None
    assert interval(["sometime"], [], []) == (OPEN_START, OPEN_END)


def test_windows() -> None:
    window = TimeWindow.between("2019", "2020-06")
    assert (window.start, window.end) == (day("2019-01-01"), day("2020-06-30"))
    assert window.overlaps(day("2018-01-01"), day("2019-01-01"))
    assert not window.overlaps(day("2020-07-01"), OPEN_END)
    assert window.overlaps(OPEN_START, OPEN_END)
    assert TimeWindow.at(date(2020, 1, 2)) == TimeWindow(day("2020-01-02"), day("2020-01-02"))
