"""Addresses: one-line addresses split into parts, and compared by street and house number."""

from __future__ import annotations

import pyarrow as pa
import pytest

from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve.address import AddressParts, split_address, street_key
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.prepare import prepare

SPLITS = [
    # (one line, country hint, street, house, postcode, city)
    ("Hauptstr. 5, 10115 Berlin", None, "Hauptstr.", "5", "10115", "Berlin"),
    ("Hauptstraße 5a, D-10115 Berlin, Germany", None, "Hauptstraße", "5a", "10115", "Berlin"),
    ("Hauptstr. 5 10115 Berlin", "de", "Hauptstr.", "5", "10115", "Berlin"),
    ("Am Markt 3-5, 50667 Köln", "de", "Am Markt", "3-5", "50667", "Köln"),
    ("12 High Street, London SW1A 1AA", None, "High Street", "12", "SW1A 1AA", "London"),
    ("12 High Street, London, SW1A 1AA", "gb", "High Street", "12", "SW1A 1AA", "London"),
    (
        "221b Baker Street, London NW1 6XE, United Kingdom",
        None,
        "Baker Street",
        "221b",
        "NW1 6XE",
        "London",
    ),
    (
        "1600 Pennsylvania Ave NW, Washington, DC 20500",
        None,
        "Pennsylvania Ave NW",
        "1600",
        "20500",
        "Washington",
    ),
    ("350 Fifth Avenue, New York, NY 10118", "us", "Fifth Avenue", "350", "10118", "New York"),
    ("123 Main St, Springfield IL 62704-1234", None, "Main St", "123", "62704-1234", "Springfield"),
    ("12 rue de la Paix, 75002 Paris", "fr", "rue de la Paix", "12", "75002", "Paris"),
    (
        "8 avenue des Champs-Élysées, 75008 Paris, France",
        None,
        "avenue des Champs-Élysées",
        "8",
        "75008",
        "Paris",
    ),
    ("Bahnhofstrasse 12, 8001 Zürich", None, "Bahnhofstrasse", "12", "8001", "Zürich"),
    ("Keizersgracht 123, 1015 CJ Amsterdam", None, "Keizersgracht", "123", "1015 CJ", "Amsterdam"),
    ("12 High Street, London", None, "High Street", "12", None, "London"),
    ("Hauptstr. 1234, Berlin", None, "Hauptstr.", "1234", None, "Berlin"),
]


@pytest.mark.parametrize(("line", "country", "street", "house", "postcode", "city"), SPLITS)
def test_one_line_addresses_split(
    line: str,
    country: str | None,
    street: str,
    house: str | None,
    postcode: str | None,
    city: str | None,
) -> None:
    found = split_address(line, country)
    assert (found.street, found.house, found.postcode, found.city) == (
        street,
        house,
        postcode,
        city,
    )


def test_a_country_at_the_end_is_named_and_a_city_is_not_a_country() -> None:
    assert split_address("Hauptstr. 5, 10115 Berlin, Deutschland").country == "de"
    assert split_address("Hauptstr. 5, Berlin") == AddressParts(
        "Hauptstr.", "5", None, "Berlin", None
    )


@pytest.mark.parametrize(
    ("line", "country", "street", "city", "named"),
    [
        # A state or province code after the city is not a city (PatentsView's
        # "Chester, NJ"), nor a country where the record's country has that region.
        ("Chester, NJ", "us", None, "Chester", "us"),
        ("Austin, TX", None, None, "Austin", None),
        ("12 Main St, Springfield, IL", "us", "Main St", "Springfield", "us"),
        ("San Diego, CA", "us", None, "San Diego", "us"),
        ("Toronto, ON", "ca", None, "Toronto", "ca"),
        # A place and its country: no street.
        ("Berlin, DE", None, None, "Berlin", "de"),
    ],
)
def test_a_region_code_follows_the_city(
    line: str, country: str | None, street: str | None, city: str, named: str | None
) -> None:
    found = split_address(line, country)
    assert (found.street, found.city, found.country) == (street, city, named)


def test_street_keys_agree_across_spellings() -> None:
    assert street_key("Hauptstraße") == street_key("Hauptstr.") == street_key("HAUPTSTRASSE")
    assert street_key("High Street") == street_key("High St.")
    assert street_key("Hauptstraße") != street_key("Bahnhofstraße")


def _levels(pairs: list[tuple[str, str]]) -> dict[str, list[int]]:
    """Real DuckDB comparison levels of each pair of one-line addresses (a pair's two
    records are people with the same name, so only the address differs)."""
    rows = []
    for n, (left, right) in enumerate(pairs):
        for side, text in (("l", left), ("r", right)):
            rows.append(
                {
                    "id": f"{side}{n}",
                    "dataset": side,
                    "schema": "Person",
                    "name": "Jana Koch",
                    "address": text,
                }
            )
    # Filler records, so that token rarities are those of a population, not of a pair.
    rows += [
        {
            "id": f"f{n}",
            "dataset": "f",
            "schema": "Person",
            "name": f"Filler {n}",
            "address": f"Weg {n}, {20000 + n} Stadt{n % 7}",
        }
        for n in range(60)
    ]
    table = prepare(rows)
    engine = DuckDBEngine()
    try:
        engine.load(table)
        engine.set_pairs([2 * n for n in range(len(pairs))], [2 * n + 1 for n in range(len(pairs))])
        found = engine.levels(COMPARISONS)
    finally:
        engine.close()
    names = [c.name for c in COMPARISONS]
    return {
        name: [int(v) for v in found.levels[:, names.index(name)]]
        for name in ("address", "address_tokens", "postcode", "city")
    }


def test_different_house_numbers_are_never_a_near_match() -> None:
    pairs = [
        ("Hauptstr. 5, 10115 Berlin", "Hauptstr. 7, 10115 Berlin"),
        ("Hauptstraße 15, 10115 Berlin", "Hauptstr. 51, 10115 Berlin"),
        ("12 High Street, London SW1A 1AA", "13 High Street, London SW1A 1AA"),
        (
            "1600 Pennsylvania Ave NW, Washington, DC 20500",
            "1601 Pennsylvania Ave NW, Washington, DC 20500",
        ),
        ("12 rue de la Paix, 75002 Paris", "21 rue de la Paix, 75002 Paris"),
        ("Lindenallee 14", "Lindenallee 41"),
    ]
    levels = _levels(pairs)
    assert levels["address"] == [0] * len(pairs)
    assert levels["address_tokens"] == [0] * len(pairs)
    # Postcode and city still agree: the same street, just not the same house.
    assert all(level == 2 for level in levels["postcode"][:5])


def test_same_addresses_written_differently_agree() -> None:
    top = len(COMPARISONS[[c.name for c in COMPARISONS].index("address")].levels)
    pairs = [
        ("Hauptstraße 5, 10115 Berlin", "Hauptstr. 5, 10115 Berlin"),
        ("12 High Street, London SW1A 1AA", "12 High St, London, SW1A 1AA"),
        ("Hauptstr. 5, 10115 Berlin", "Hauptstr. 5"),
        ("12 Hight Street, London", "12 High Street, London"),  # a typo in the street
        ("Hauptstr., 10115 Berlin", "Hauptstr. 5, 10115 Berlin"),  # a number missing
    ]
    levels = _levels(pairs)
    assert levels["address"] == [top, top, top, top - 1, top - 2]
    assert levels["address_tokens"][:2] == [top, top]
    assert levels["address_tokens"][2] > 0  # unparsed, the tokens still overlap


def test_a_place_alone_has_no_address_tokens_but_a_place_and_state_has() -> None:
    from threadline.resolve.address import address_columns

    def column(*values: str | None) -> pa.Array:
        return pa.array(list(values), pa.string())

    found = address_columns(
        column("Hamburg", "Austin, TX", "Hauptstraße 5, 20095 Hamburg"),
        column(None, None, None),
        column(None, None, None),
        column("de", "us", "de"),
    )
    tokens = found["addr_tokens"].to_pylist()
    assert tokens[0] is None  # the city comparison weighs "Hamburg" already
    assert {"austin", "tx"} <= set(tokens[1])
    assert {"hauptstr", "5", "20095"} <= set(tokens[2])
    assert found["city"].to_pylist()[0] == "hamburg"
