"""Captions of links and events: label, key value, ends and period, with fallbacks."""

from __future__ import annotations

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from threadline.model.caption import (
    EndCaptions,
    caption_props,
    end_ids,
    is_link,
    link_caption,
    plain_caption,
    thing_caption,
)
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow

ENDS = {
    "sokolov": "Sokolov",
    "bund": "Bürgerbund",
    "halcyon": "Halcyon Ltd",
    "hansa": "Bruckenbau Hansa GmbH",
    "meier": "Anna Meier",
    "xag": "X AG",
}


@pytest.mark.parametrize(
    ("schema", "values", "expected"),
    [
        (
            "Payment",
            {
                "amount": ["9900"],
                "currency": ["eur"],
                "payer": ["sokolov"],
                "beneficiary": ["bund"],
                "date": ["2020-08-14"],
            },
            "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14",
        ),
        (
            "Ownership",
            {"percentage": ["25"], "owner": ["halcyon"], "asset": ["hansa"]},
            "Ownership 25%, Halcyon Ltd → Bruckenbau Hansa GmbH",
        ),
        (
            "Ownership",
            {"sharesCount": ["1000"], "owner": ["halcyon"], "asset": ["hansa"]},
            "Ownership 1,000 shares, Halcyon Ltd → Bruckenbau Hansa GmbH",
        ),
        (
            "Directorship",
            {
                "role": ["director"],
                "director": ["meier"],
                "organization": ["xag"],
                "startDate": ["2019"],
                "endDate": ["2021"],
            },
            "Directorship (director), Anna Meier → X AG, 2019\u20132021",
        ),
        (
            "Membership",
            {"member": ["meier"], "organization": ["xag"], "startDate": ["2019-03"]},
            "Membership, Anna Meier → X AG, from 2019-03",
        ),
        (
            "Employment",
            {"employee": ["meier"], "employer": ["xag"], "endDate": ["2021"]},
            "Employment, Anna Meier → X AG, until 2021",
        ),
        (
            "Family",
            {"person": ["meier"], "relative": ["sokolov"], "relationship": ["cousin"]},
            "Family (cousin), Anna Meier → Sokolov",
        ),
        (
            "Debt",
            {"amount": ["1234567.5"], "debtor": ["xag"], "creditor": ["bund"]},
            "Debt 1,234,567.50, X AG → Bürgerbund",
        ),
        (
            "Sanction",
            {"program": ["EU RU 2014"], "entity": ["sokolov"], "startDate": ["2022-03-01"]},
            "Sanction (EU RU 2014), Sokolov, from 2022-03-01",
        ),
        (
            "Event",
            {"name": ["Gala dinner"], "date": ["2020-01-01"]},
            "Event Gala dinner, 2020-01-01",
        ),
        # Fallbacks: an end not in the lookup, an end not stated, no end known, no values.
        ("Payment", {"payer": ["sokolov"], "beneficiary": ["gone"]}, "Payment, Sokolov → ?"),
        ("Payment", {"payer": ["sokolov"]}, "Payment, Sokolov → ?"),
        ("Payment", {"amount": ["5"], "payer": ["gone"]}, "Payment 5.00"),
        ("Payment", {}, "Payment"),
        ("UnknownLink", {}, "Other link"),
        # A value that is not a number is shown as it is.
        (
            "Payment",
            {"amount": ["about 5k"], "payer": ["sokolov"]},
            "Payment about 5k, Sokolov → ?",
        ),
    ],
)
def test_link_captions(schema: str, values: dict[str, list[str]], expected: str) -> None:
    assert link_caption(model[schema], values, ENDS) == expected


def test_which_schemata_are_links() -> None:
    links = {s.name for s in model if is_link(s)}
    assert {"Payment", "Ownership", "Directorship", "Family", "Sanction", "Event"} <= links
    assert not links & {"Person", "Company", "Document", "Address", "Email", "Project"}
    assert caption_props(model["Person"]) == frozenset()
    assert {"amount", "currency", "payer", "beneficiary", "date"} <= caption_props(model["Payment"])


def test_end_ids_are_the_schema_ends() -> None:
    values = {"payer": ["a"], "beneficiary": ["b", "c"], "purpose": ["x"]}
    assert end_ids(model["Payment"], values) == ["a", "b", "c"]
    assert end_ids(model["Person"], {"name": ["x"]}) == []


def _row(entity_id: str, schema: str, prop: str, value: str, dataset: str) -> StatementRow:
    return StatementRow(
        entity_id, f"{entity_id}.{prop}.{value}", schema, prop, "", value, None, None, dataset,
        "src", None, "2024", "2024",
    )  # fmt: skip


def test_entity_caption_of_a_link_says_what_it_can_without_its_ends() -> None:
    rows = [
        _row("pay1", "Payment", "amount", "9900", "d"),
        _row("pay1", "Payment", "currency", "EUR", "d"),
        _row("pay1", "Payment", "payer", "sokolov", "d"),
        _row("pay1", "Payment", "beneficiary", "bund", "d"),
        _row("pay1", "Payment", "date", "2020-08-14", "d"),
    ]
    payment = Entity.assemble("pay1", rows)
    assert payment.caption == "Payment 9,900.00 EUR, 2020-08-14"
    assert payment.caption_with(ENDS) == "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14"
    assert payment.to_ftm()["caption"] == payment.caption
    person = Entity.assemble("p", [_row("p", "Person", "name", "Anna Meier", "d")])
    assert person.caption == person.caption_with(ENDS) == "Anna Meier"


def test_end_captions_come_only_from_the_readers_datasets() -> None:
    rows = {
        "sokolov": [
            _row("sokolov", "Person", "name", "Ivan Sokolov", "registry"),
            _row("sokolov", "Person", "name", "Wanja S.", "leaks"),
        ],
        "bund": [_row("bund", "Organization", "name", "Bürgerbund", "leaks")],
    }
    ends = EndCaptions(rows)
    assert ends.seen_from(["sokolov", "bund"], ["registry"]) == {"sokolov": "Ivan Sokolov"}
    assert ends.seen_from(["sokolov", "bund"], ["leaks"]) == {
        "sokolov": "Wanja S.",
        "bund": "Bürgerbund",
    }
    assert ends.seen_from(["nobody"], ["registry", "leaks"]) == {}
    assert plain_caption("bund", rows["bund"]) == "Bürgerbund"


_LINKS = sorted(s.name for s in model if is_link(s))
_TEXT = st.text(max_size=12)


@given(
    schema=st.sampled_from(_LINKS),
    values=st.dictionaries(
        st.sampled_from(["amount", "currency", "percentage", "sharesCount", "role", "date"]),
        st.lists(_TEXT, min_size=1, max_size=2),
    ),
    ends=st.dictionaries(_TEXT, _TEXT, max_size=3),
)
def test_any_values_make_a_caption_that_starts_with_the_label(
    schema: str, values: dict[str, list[str]], ends: dict[str, str]
) -> None:
    found = model[schema]
    caption = link_caption(found, values, ends)
    assert caption.startswith(found.label)


_NAMES = ["Anna Meier", "ANNA MEIER", "Anna Maier", "Meier, Anna", "Анна Майер", "X AG"]
_THINGS = ["Person", "Company", "Organization", "LegalEntity", "Vessel", "Address", "Document"]


@given(
    schema=st.sampled_from(_THINGS),
    values=st.dictionaries(
        st.sampled_from(["name", "alias", "title", "fileName", "full", "registrationNumber"]),
        st.lists(st.sampled_from([*_NAMES, "2020", "HRB 1"]), min_size=1, unique=True),
    ),
)
def test_thing_caption_is_followthemoneys(schema: str, values: dict[str, list[str]]) -> None:
    # The indexer captions every entity without building a proxy: the rule must stay
    # followthemoney's (first caption property with a value; the typical of names).
    found = model.get(schema)
    assert found is not None
    known = {p: v for p, v in values.items() if p in found.properties}
    proxy = EntityProxy(found, {"id": "e", "properties": known}, cleaned=True)
    assert thing_caption(found, known) == proxy.caption
