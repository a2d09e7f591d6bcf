"""Names as people write them, resolved: honorifics, transcriptions, company names.

Table-driven real-world pairs planted in the matcher's background population (so the
model is estimated on data), resolved on DuckDB; and the organisation-name levels each
pair reaches, checked on their own.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.resolve.test_matcher import _background, org, p
from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve.batch import BatchResult, resolve_records
from threadline.resolve.comparisons import BY_NAME, COMPARISONS
from threadline.resolve.prepare import prepare

Row = dict[str, Any]


def who(name: str, **extra: Any) -> Row:
    return {"schema": "Person", "name": name, "city": "Hamburg", **extra}


# label, left, right, what must happen: "merge", "review" (review or merge), "candidate"
# (compared at all), "apart" (not merged).
CASES: list[tuple[str, Row, Row, str]] = [
    (
        "honorific",
        who("Frau Johanna Quandt", address="Seeweg 12"),
        who("Johanna Quandt", address="Seeweg 12"),
        "review",
    ),
    (
        "title and degree",
        who("Prof. Dr. med. Herbert Lindqvist", address="Alsterufer 4"),
        who("Herbert Lindqvist", address="Alsterufer 4"),
        "review",
    ),
    (
        "capitals and transcribed umlaut, same register number",
        org("BRUECKENBAU HANSA GMBH", identifier="HRB 55123"),
        org("Brückenbau Hansa GmbH", identifier="HRB55123"),
        "merge",
    ),
    (
        "capitals and transcribed umlaut, nothing else",
        org("BRUECKENBAU HANSA GMBH"),
        org("Brückenbau Hansa GmbH"),
        "candidate",
    ),
    (
        "one name within the other",
        org("Porsche AG", address="Porscheplatz 1", city="Stuttgart"),
        org("Dr. Ing. h. c. F. Porsche AG", address="Porscheplatz 1", city="Stuttgart"),
        "review",
    ),
    (
        "an acronym alone is weak",
        org("BMW AG", address="Petuelring 130", city="München"),
        org("Bayerische Motorenwerke Aktiengesellschaft", address="Petuelring 130"),
        "apart",
    ),
    (
        "different given names, same family, birth date and address",
        p("Hüseyin", "Yilmaz", "1971-03-04", "Kirchweg 8"),
        p("Hasan", "Yilmaz", "1971-03-04", "Kirchweg 8"),
        "apart",
    ),
    (
        "different given names, nothing else",
        p("Hüseyin", "Kaya", None, None),
        p("Hasan", "Kaya", None, None),
        "apart",
    ),
    (
        "Turkish letters typed without them",
        # The dotless i is the point of the case.
        p("Hüseyin", "Yılmaz", "1971-03-04", "Kirchweg 8"),  # noqa: RUF001
        p("Huseyin", "Yilmaz", "1971-03-04", "Kirchweg 8"),
        "merge",
    ),
    (
        "transliterated family name",
        p("Dmitrij", "Sokolow", "1974-05-19", "Elbchaussee 377"),
        p("Dmitriy", "Sokolov", "1974-05-19", "Elbchaussee 377"),
        "merge",
    ),
]


@pytest.fixture(scope="module")
def resolved() -> BatchResult:
    rows = _background()
    for n, (_, left, right, _) in enumerate(CASES):
        rows.append({**left, "id": f"n{n}-l", "dataset": "left"})
        rows.append({**right, "id": f"n{n}-r", "dataset": "right"})
    return resolve_records(rows)


def _weight(result: BatchResult, left: str, right: str) -> float | None:
    a, b = sorted((result.ids.index(left), result.ids.index(right)))
    pairs = result.scored.pairs
    hit = (pairs.a == a) & (pairs.b == b)
    return float(result.scored.weight[hit][0]) if hit.any() else None


@pytest.mark.parametrize("number", range(len(CASES)), ids=[c[0] for c in CASES])
def test_real_pairs(resolved: BatchResult, number: int) -> None:
    label, _, _, expected = CASES[number]
    left, right = f"n{number}-l", f"n{number}-r"
    weight = _weight(resolved, left, right)
    together = resolved.clusters[left] == resolved.clusters[right]
    if expected == "apart":
        assert not together
        return
    assert weight is not None, f"{label}: never compared"
    decision = resolved.thresholds.decide(weight)
    if expected == "merge":
        assert together and decision == "merge", f"{label}: {decision} at {weight:.1f}"
    elif expected == "review":
        assert decision in ("review", "merge"), f"{label}: {decision} at {weight:.1f}"


def test_an_acronym_alone_does_not_reach_review(resolved: BatchResult) -> None:
    # Weak evidence: with the prior, the acronym level needs other agreement to matter.
    weights = resolved.model.weights()[[c.name for c in COMPARISONS].index("org_name")]
    acronym = 1  # the weakest agreement level
    assert BY_NAME["org_name"].label(acronym).startswith("one name an acronym")
    alone = resolved.model.prior_weight() + float(weights[acronym])
    assert alone < resolved.thresholds.review_weight


def _org_level(left: str, right: str) -> str:
    table = prepare(
        [
            {"id": "l", "dataset": "a", "schema": "Company", "name": left},
            {"id": "r", "dataset": "b", "schema": "Company", "name": right},
        ]
    )
    engine = DuckDBEngine()
    try:
        engine.load(table)
        engine.set_pairs([0], [1])
        levels = engine.levels(COMPARISONS)
    finally:
        engine.close()
    position = [c.name for c in COMPARISONS].index("org_name")
    return BY_NAME["org_name"].label(int(levels.levels[0][position]))


_TYPO = "typo (Jaro-Winkler >= 0.95, or an edit per 8 characters)"


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("BRUECKENBAU HANSA GMBH", "Brückenbau Hansa GmbH", "same name"),
        (
            "Nordwall Beteiligungs GmbH",
            "Nordwall Beteiligungs Gesellschaft mit beschränkter Haftung",
            "same name",
        ),
        ("Acme Ltd", "ACME Limited", "same name"),
        ("Porsche AG", "Porsche Aktiengesellschaft", "same name"),
        ("Porsche AG", "Porsche SE", "same name, legal form differs or missing"),
        ("Brückenbau Hansa", "Brückenbau Hansa GmbH", "same name, legal form differs or missing"),
        ("Brückenbau Hansa GmbH", "Brueckenbau Hanssa GmbH", _TYPO),
        # A typo near the start, which Jaro-Winkler punishes (0.85): edits per length.
        ("Norzentor Maschinenbau GmbH", "Naorzentor Maschinenbau GmbH", _TYPO),
        ("Berhber Stahl Wekre Ltd", "Berhaber Stahl Werke Ltd", _TYPO),
        # A word more is a subsidiary, not a typo, however alike the strings.
        (
            "Central Rongan Maschinenbau AG",
            "Central Rongan Maschinenbau Holding AG",
            "the same words in another order, or one name within the other",
        ),
        # A short name forgives no edit beyond Jaro-Winkler's.
        ("Bomi AG", "Boma AG", "similar (Jaro-Winkler >= 0.88)"),
        (
            "Porsche AG",
            "Dr. Ing. h. c. F. Porsche AG",
            "the same words in another order, or one name within the other",
        ),
        (
            "Hansa Brückenbau GmbH",
            "Brückenbau Hansa GmbH",
            "the same words in another order, or one name within the other",
        ),
        (
            "BMW AG",
            "Bayerische Motorenwerke AG",
            "one name an acronym of the other (BMW, Bayerische Motorenwerke)",
        ),
        ("BMW AG", "Bayern Maschinenbau Nord AG", "different"),
        ("Hansa Logistik GmbH", "Elbe Technik GmbH", "different"),
        ("Hansa Logistik GmbH", "GmbH", "no value on one side"),
    ],
)
def test_organisation_name_levels(left: str, right: str, label: str) -> None:
    assert _org_level(left, right) == label


def test_people_have_no_organisation_name_level() -> None:
    table = prepare(
        [
            {"id": "l", "dataset": "a", "schema": "Person", "name": "Johanna Quandt"},
            {"id": "r", "dataset": "b", "schema": "Person", "name": "Frau Johanna Quandt"},
        ]
    )
    engine = DuckDBEngine()
    try:
        engine.load(table)
        engine.set_pairs([0], [1])
        levels = engine.levels(COMPARISONS)
    finally:
        engine.close()
    named = dict(zip([c.name for c in COMPARISONS], levels.levels[0].tolist(), strict=True))
    assert named["org_name"] == -1
    assert named["first_name"] == BY_NAME["first_name"].size - 1
    assert named["last_name"] == BY_NAME["last_name"].size - 1
