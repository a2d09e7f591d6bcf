"""The caches that make address and name preparation fast change no result: a batch gives
what each value gives alone, in any order, and organisations' names are not split."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pytest

from threadline.resolve import address, names, prepare
from threadline.resolve.address import address_columns, split_address, split_street

# Shared segments in different places: a postcode segment that is the street line in
# one address and not in another, house numbers shaped like postcodes, a country with
# no postcode shapes of its own, a named country, Unicode digits, stray commas.
ADDRESSES: list[tuple[str | None, str | None, str | None, str | None]] = [
    ("Hauptstr. 5, 10115 Berlin", None, None, "de"),
    ("Hauptstr. 5, 10115 Berlin", None, None, None),
    ("Hauptstr. 5, 10115 Berlin, Germany", None, None, "at"),
    ("10115 Berlin", None, None, None),
    ("Gartenweg 1, 10115 Berlin", None, None, "de"),
    ("Hauptstr. 10115, Berlin", None, None, None),
    ("10115 Hauptstr., Berlin", None, None, None),
    ("Hauptstr. 5 10115 Berlin", None, None, "de"),
    ("Atatürk Cd. 5, 34000 İstanbul", None, None, "tr"),
    ("Atatürk Cd. 5, 34000 İstanbul", None, None, "xx"),
    ("12 High Street, London SW1A 1AA", None, None, "gb"),
    ("12 High Street, London SW1A 1AA", None, None, "de"),
    ("12 High Street, London, SW1A 1AA, United Kingdom", None, None, None),
    ("1600 Pennsylvania Ave NW, Washington, DC 20500", None, None, None),
    ("350 Fifth Avenue, New York, NY 10118", None, None, "us"),
    ("Keizersgracht 123, 1015 CJ Amsterdam", None, None, "nl"),
    ("Bahnhofstrasse 12, CH-8001 Zürich", None, None, "ch"),
    ("Hauptstr. ², ²³⁴⁵⁶ Berlin", None, None, None),
    ("Hauptstr. \u0665, \u0661\u0660\u0661\u0661\u0665 Berlin", None, None, "de"),  # Arabic-Indic
    (" , Hauptstr. 5 ,, 10115 Berlin ,", None, None, None),
    ("Hauptstr. 5", "D-10115", "Berlin", "de"),
    ("Hauptstr. 5", "10115", None, None),
    ("Hamburg", None, None, "de"),
    ("Austin, TX", None, None, "us"),
    ("Lindenallee 14", None, "Köln", None),
    (None, "10115", "Berlin", "de"),
    (None, None, None, None),
]


def _columns(rows: Sequence[tuple[str | None, ...]]) -> list[pa.Array]:
    return [pa.array([row[n] for row in rows], pa.string()) for n in range(4)]


def _alone(row: tuple[str | None, ...]) -> dict[str, Any]:
    """The address columns of one record, parsed with nothing cached."""
    for cached in (split_street, address.postcode_key, address.street_key):
        cached.cache_clear()
    address._segment_postcode.cache_clear()
    address._country.cache_clear()
    found = address_columns(*_columns([row]))
    return {name: column.to_pylist()[0] for name, column in found.items()}


@pytest.mark.parametrize("order", [1, -1])
def test_a_batch_parses_each_address_as_it_would_alone(order: int) -> None:
    rows = ADDRESSES[::order]
    batch = address_columns(*_columns(rows))
    for n, row in enumerate(rows):
        alone = _alone(row)
        for name in ("addr", "street", "house", "postcode", "city", "addr_tokens"):
            assert batch[name].to_pylist()[n] == alone[name], (row, name)


def test_split_address_answers_the_same_when_called_again() -> None:
    first = [split_address(text, country) for text, _, _, country in ADDRESSES if text]
    again = [split_address(text, country) for text, _, _, country in ADDRESSES if text]
    assert first == again
    assert split_address("Hauptstr. 5 10115 Berlin", "de").house == "5"
    assert split_address("Hauptstr. 5 10115 Berlin", "de").postcode == "10115"
    # A country without postcode shapes of its own uses any country's.
    assert split_address("Atatürk Cd. 5, 34000 İstanbul", "tr").postcode == "34000"
    assert split_address("Hauptstr. 5, 10115 Berlin, Germany", "at").country == "de"


def test_the_caches_are_emptied_after_a_batch() -> None:
    address_columns(*_columns(ADDRESSES))
    for cached in (
        split_street,
        address.street_key,
        address.postcode_key,
        address._segment_postcode,
        address._place_tokens,
        address._country,
    ):
        assert cached.cache_info().currsize == 0


def test_only_peoples_names_are_split(monkeypatch: pytest.MonkeyPatch) -> None:
    split: list[str] = []
    original = names.person_name

    def spy(name: str, given: str, family: str) -> tuple[str, str]:
        split.append(name)
        return original(name, given, family)

    monkeypatch.setattr(prepare, "person_name", spy)
    rows = [
        {"id": "p1", "dataset": "d", "schema": "Person", "name": "Dr. Anna Maria Schulz"},
        {"id": "p2", "dataset": "d", "schema": "Person", "first_name": "Jana", "last_name": "Koch"},
        {"id": "c1", "dataset": "d", "schema": "Company", "name": "Schulz & Koch GmbH"},
        {"id": "v1", "dataset": "d", "schema": "Vessel", "name": "Anna Maria"},
    ]
    table = prepare.prepare(rows)
    assert sorted(split) == ["", "Dr. Anna Maria Schulz"]
    assert table.column("first").to_pylist() == ["anna", "jana", None, None]
    assert table.column("last").to_pylist() == ["schulz", "koch", None, None]
    assert table.column("kind").to_pylist() == ["person", "person", "org", "org"]
