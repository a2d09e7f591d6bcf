"""Table-driven matcher cases: name variants that must match, relatives and twins that must not.

Each case is planted in a background population (so the model can be estimated), then
resolved; the two records must end in one cluster, or must not.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.resolve.conftest import FIRST, LAST, STREETS
from threadline.resolve.batch import BatchResult, resolve_records

Row = dict[str, Any]


SYLLABLES = ["ber", "ka", "lin", "mo", "ster", "wen", "dor", "ri", "gel", "han", "tu", "sel"]


def _name(rng: random.Random, base: list[str]) -> str:
    return rng.choice(base) + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(0, 2)))


def _background(n: int = 3000, seed: int = 5) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for i in range(n):
        first, last = _name(rng, FIRST), _name(rng, LAST)
        dob = f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        address = f"{rng.choice(STREETS)} {rng.randint(1, 300)}"
        for copy in range(rng.choice([1, 1, 2])):
            typo = copy and rng.random() < 0.3 and len(last) > 4
            rows.append(
                {
                    "id": f"bg{i}-{copy}",
                    "dataset": f"d{copy}",
                    "schema": "Person",
                    "first_name": first,
                    "last_name": last[:2] + last[3] + last[2] + last[4:] if typo else last,
                    "birth_date": dob,
                    "address": address,
                    "city": "Berlin",
                    "identifier": f"P{i:06d}" if (i + copy) % 3 else None,
                }
            )
    words = ["Nord", "Hansa", "Elbe", "Alster", "Bau", "Logistik", "Handel", "Technik", "Service"]
    forms = ["GmbH", "AG", "KG", "Gesellschaft mit beschränkter Haftung", "Aktiengesellschaft"]
    for i in range(1500):
        name = f"{rng.choice(words)} {rng.choice(words)}{i % 97} {rng.choice(forms)}"
        for copy in range(rng.choice([1, 2])):
            rows.append(
                {
                    "id": f"co{i}-{copy}",
                    "dataset": f"d{copy}",
                    "schema": "Company",
                    "name": name,
                    "identifier": f"HRB {i}" if (i + copy) % 2 else None,
                    "country": "de",
                }
            )
    return rows


def p(first: str, last: str, dob: str | None, address: str | None = None, **extra: Any) -> Row:
    return {
        "schema": "Person",
        "first_name": first,
        "last_name": last,
        "birth_date": dob,
        "address": address,
        "city": "Hamburg",
        **extra,
    }


def org(name: str, **extra: Any) -> Row:
    return {"schema": "Company", "name": name, **extra}


MATCH = [
    (
        "nickname",
        p("Robert", "Anderson", "1961-04-02", "Elbweg 3"),
        p("Bob", "Anderson", "1961-04-02", "Elbweg 3"),
    ),
    (
        "German short form",
        p("Katharina", "Albrecht", "1968-11-20", "Am Markt 5"),
        p("Katrin", "Albrecht", "1968-11-20", "Am Markt 5"),
    ),
    (
        "transliteration",
        p("Dmitry", "Sokolov", "1974-05-19", "Elbchaussee 377"),
        p("Дмитрий", "Соколов", "1974-05-19", "Elbchaussee 377"),
    ),
    (
        "spelling",
        p("Dmitri", "Sokolow", "1974-05-19", None),
        p("Dmitry", "Sokolov", "1974-05-19", "Elbchaussee 377"),
    ),
    (
        "name order swapped",
        p("Albrecht", "Katrin", "1968-11-20", "Am Markt 5"),
        p("Katrin", "Albrecht", "1968-11-20", "Am Markt 5"),
    ),
    (
        "initial",
        p("K", "Albrecht", "1968-11-20", "Am Markt 5"),
        p("Katrin", "Albrecht", "1968-11-20", "Am Markt 5"),
    ),
    (
        "typo in the name",
        p("Margarete", "Oberhauser", "1950-01-09", "Kirchweg 8"),
        p("Margarete", "Oberhuaser", "1950-01-09", "Kirchweg 8"),
    ),
    (
        "day and month swapped",
        p("Jonas", "Wendelin", "1983-03-07", "Torstraße 1"),
        p("Jonas", "Wendelin", "1983-07-03", "Torstraße 1"),
    ),
    (
        "typo in the date",
        p("Jonas", "Wendelin", "1983-03-07", "Torstraße 1"),
        p("Jonas", "Wendelin", "1983-03-08", "Torstraße 1"),
    ),
    (
        "street word shortened",
        p("Ilse", "Brandauer", "1944-02-02", "Hauptstraße 12"),
        p("Ilse", "Brandauer", "1944-02-02", "Hauptstr. 12"),
    ),
    (
        "identifier",
        p("Olaf", "Quandt", None, None, identifier="DE-99-123"),
        p("Olaf", "Quandt", "1970-01-01", None, identifier="DE99123"),
    ),
    (
        "legal form",
        org("Nordwall Beteiligungs GmbH", identifier="HRB 4711"),
        org("Nordwall Beteiligungs Gesellschaft mit beschränkter Haftung", identifier="HRB4711"),
    ),
    (
        "legal form AG",
        org("Brückenbau Hansa Aktiengesellschaft", address="Kai 1, Hamburg"),
        org("Brückenbau Hansa AG", address="Kai 1, Hamburg"),
    ),
]

APART = [
    (
        "twins",
        p("Lukas", "Oberhauser", "1990-06-15", "Kirchweg 8"),
        p("Jonas", "Oberhauser", "1990-06-15", "Kirchweg 8"),
    ),
    (
        "parent and child",
        p("Peter", "Brandauer", "1950-03-03", "Hauptstraße 12"),
        p("Paul", "Brandauer", "1979-08-21", "Hauptstraße 12"),
    ),
    (
        "spouses",
        p("Katrin", "Albrecht", "1968-11-20", "Am Markt 5"),
        p("Michael", "Albrecht", "1965-02-11", "Am Markt 5"),
    ),
    (
        "namesakes",
        p("Thomas", "Wendelin", "1960-01-01", "Torstraße 1"),
        p("Thomas", "Wendelin", "1988-09-30", "Seeweg 40"),
    ),
    (
        "flatmates",
        p("Sven", "Quandt", "1991-05-05", "Seeweg 40"),
        p("Mehmet", "Yilmaz", "1992-07-07", "Seeweg 40"),
    ),
    (
        "different identifiers",
        org("Hansa Logistik GmbH", identifier="HRB 1"),
        org("Hansa Logistik GmbH", identifier="HRB 2", country="at"),
    ),
]


@pytest.fixture(scope="module")
def result() -> tuple[BatchResult, dict[str, str]]:
    rows = _background()
    for kind, cases in (("m", MATCH), ("a", APART)):
        for n, (_, left, right) in enumerate(cases):
            rows.append({**left, "id": f"{kind}{n}-l", "dataset": "left"})
            rows.append({**right, "id": f"{kind}{n}-r", "dataset": "right"})
    found = resolve_records(rows)
    return found, found.clusters


@pytest.mark.parametrize("number", range(len(MATCH)), ids=[c[0] for c in MATCH])
def test_variants_match(result: tuple[BatchResult, dict[str, str]], number: int) -> None:
    clusters = result[1]
    assert clusters[f"m{number}-l"] == clusters[f"m{number}-r"]


@pytest.mark.parametrize("number", range(len(APART)), ids=[c[0] for c in APART])
def test_relatives_and_namesakes_stay_apart(
    result: tuple[BatchResult, dict[str, str]], number: int
) -> None:
    clusters = result[1]
    assert clusters[f"a{number}-l"] != clusters[f"a{number}-r"]


def _pair_weight(result: BatchResult, left: str, right: str) -> float:
    ids = result.ids
    a, b = ids.index(left), ids.index(right)
    pairs = result.scored.pairs
    for x, y, w in zip(
        pairs.a.tolist(), pairs.b.tolist(), result.scored.weight.tolist(), strict=True
    ):
        if {x, y} == {a, b}:
            return float(w)
    raise AssertionError("the pair was never compared")


def test_the_twin_rule_is_what_keeps_twins_apart() -> None:
    # Data whose given names are replaced at random (Febrl) can switch the rule off;
    # then only the given names' ordinary disagreement weighs against twins.
    rows = _background(1500)
    _, left, right = APART[0]
    rows.append({**left, "id": "t-l", "dataset": "left"})
    rows.append({**right, "id": "t-r", "dataset": "right"})
    kept = resolve_records(rows)
    loose = resolve_records(rows, twin_rule=False)
    assert kept.clusters["t-l"] != kept.clusters["t-r"]
    assert _pair_weight(kept, "t-l", "t-r") <= -20
    assert _pair_weight(loose, "t-l", "t-r") > _pair_weight(kept, "t-l", "t-r") + 20
