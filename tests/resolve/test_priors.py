"""Priors: small or odd data fall back to documented rules, and `explain` names them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.resolve import priors
from threadline.resolve.comparisons import BY_NAME, COMPARISONS, NULL_LEVEL
from threadline.resolve.model import Model
from threadline.resolve.prepare import prepare
from threadline.resolve.thresholds import Thresholds

TOWNS = ["Aachen", "Bonn", "Celle", "Dessau", "Emden", "Fulda", "Gera", "Hagen"]
SYLLABLES = ["ka", "ro", "mi", "tel", "san", "dor", "vi", "len", "bru", "gan", "tos", "we"]


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
    return f"{word} {rng.choice(['Verein', 'Stiftung', 'GmbH', 'eG'])}"


def test_a_small_register_merges_its_exact_duplicates(tmp_path: Path) -> None:
    rng = random.Random(11)
    register, again = [], []
    names: set[str] = set()
    while len(names) < 100:
        names.add(_name(rng))
    for n, name in enumerate(sorted(names)):
        props = {"name": name, "address": f"Marktplatz {n + 1}, {rng.choice(TOWNS)}"}
        register.append(entity(f"reg-{n}", "Organization", **props))
        if n % 3 == 0:
            again.append(entity(f"list-{n}", "Organization", **props))
    bench = Workbench(data_dir=tmp_path / "data")
    bench.ingest([write_entities(tmp_path / "reg.json", register)], "reg")
    bench.ingest([write_entities(tmp_path / "list.json", again)], "list")
    report = bench.resolve()
    assert any("priors" in fact for fact in report.facts)
    mapping = bench.store.judgements.canonical_map()
    for record in again:
        twin = "reg-" + record["id"].split("-")[1]
        assert mapping.get(record["id"], record["id"]) == mapping.get(twin, twin)
    assert len(list(bench.export())) == 100
    e = bench.explain("reg-0", "list-0")
    assert e.decision == "merge" and e.status.startswith("merged")
    assert abs(e.total_weight - (e.prior_weight + sum(f.weight for f in e.features))) < 0.01
    # The trained model alone would not merge them; the rule that did is named.
    assert [f.label for f in e.features if f.name == "rule"] == [priors.REASONS[priors.PRIOR_MERGE]]


def _levels(**given: int) -> list[int]:
    return [given.get(c.name, NULL_LEVEL) for c in COMPARISONS]


def _top(name: str) -> int:
    return BY_NAME[name].size - 1


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return prepare(rows)


def _org(entity_id: str, dataset: str, name: str, schema: str = "Company") -> dict[str, Any]:
    return {"id": entity_id, "dataset": dataset, "schema": schema, "name": name}


CASES = [
    # (what, schemata, same dataset, levels, fallback, weight in, expected reason)
    (
        "rare name, address, priors",
        ("Company", "Company"),
        False,
        {"org_name": 3, "address": _top("address")},
        True,
        -5.0,
        priors.PRIOR_MERGE,
    ),
    (
        "rare name, same city, trained",
        ("Company", "Company"),
        True,
        {"org_name": 3, "city": _top("city")},
        False,
        -5.0,
        priors.RARE_ORG,
    ),
    (
        "rare name, same city, postcodes differ",
        ("Company", "Company"),
        False,
        {"org_name": 3, "city": _top("city"), "postcode": 0},
        False,
        -5.0,
        priors.RARE_NAME,
    ),
    (
        "rare name, same city, countries differ",
        ("Company", "Company"),
        True,
        {"org_name": 3, "city": _top("city"), "country": 0},
        False,
        -5.0,
        priors.NONE,
    ),
    ("rare name alone, priors", ("Company", "Company"), False, {"org_name": 3}, True, -5.0, 4),
    ("rare name alone, trained", ("Company", "Company"), False, {"org_name": 3}, False, -5.0, 5),
    ("rare name alone, one dataset", ("Company", "Company"), True, {"org_name": 3}, False, -5, 0),
    (
        "rare name, numbers differ",
        ("Company", "Company"),
        False,
        {"org_name": 3, "identifier": 0, "address": _top("address")},
        True,
        20.0,
        priors.IDENTIFIERS_DIFFER,
    ),
    ("person and company", ("Person", "Company"), False, {}, True, 20.0, priors.INCOMPATIBLE),
]


@pytest.mark.parametrize(
    ("schemata", "one_dataset", "given", "fallback", "weight", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rules(
    schemata: tuple[str, str],
    one_dataset: bool,
    given: dict[str, int],
    fallback: bool,
    weight: float,
    reason: int,
) -> None:
    table = _table(
        [
            # Two register numbers: they conflict where the levels say the numbers differ.
            {**_org("a", "one", "Zwirbelmann AG", schemata[0]), "identifier": "HRB 1"},
            {
                **_org("b", "one" if one_dataset else "two", "Zwirbelmann AG", schemata[1]),
                "identifier": "HRB 2",
            },
        ]
    )
    model = Model.initial()
    model.fallback = ["org"] if fallback else []
    t = Thresholds()
    decided = priors.apply(
        model,
        t,
        priors.Records.from_table(table),
        np.array([0]),
        np.array([1]),
        np.array([_levels(**given)], dtype=np.int8),
        np.array([weight]),
    )
    assert int(decided.reason[0]) == reason
    after = float(decided.weight[0])
    expected = {
        priors.NONE: lambda w: w == weight,
        priors.PRIOR_MERGE: lambda w: w >= t.merge_weight,
        priors.RARE_ORG: lambda w: w >= t.merge_weight,
        priors.PRIOR_REVIEW: lambda w: t.review_weight <= w < t.merge_weight,
        priors.RARE_NAME: lambda w: w >= t.review_weight,
        priors.IDENTIFIERS_DIFFER: lambda w: w < t.merge_weight,
        priors.INCOMPATIBLE: lambda w: w <= priors.REFUSED_WEIGHT,
    }[reason]
    assert expected(after), after
    if reason == priors.IDENTIFIERS_DIFFER:
        assert decided.apart == [(0, 1)]


def test_a_common_name_is_not_rare() -> None:
    rows = [_org(f"r{n}", "one" if n % 2 else "two", "Mueller GmbH") for n in range(8)]
    records = priors.Records.from_table(_table(rows))
    model = Model.initial()
    decided = priors.apply(
        model,
        Thresholds(),
        records,
        np.array([0]),
        np.array([1]),
        np.array([_levels(org_name=3)], dtype=np.int8),
        np.array([-5.0]),
    )
    assert int(decided.reason[0]) == priors.NONE
    model.fallback = ["org"]
    decided = priors.apply(
        model,
        Thresholds(),
        records,
        np.array([0]),
        np.array([1]),
        np.array([_levels(org_name=3, address=_top("address"))], dtype=np.int8),
        np.array([-5.0]),
    )
    assert int(decided.reason[0]) == priors.NONE, "a common name with an address does not merge"


def test_fallback_is_chosen_and_saved_with_the_model() -> None:
    model = Model.initial()
    model.learned = ["first_name", "last_name"]
    priors.choose_fallback(model, {"person": [300, 300], "org": [40]})
    assert model.fallback == ["org"]
    assert any("org_name" in fact and "default" in fact for fact in model.facts)
    again = Model.from_json(model.to_json())
    assert again.fallback == ["org"] and again.learned == ["first_name", "last_name"]
    big = Model.initial()
    big.learned = [c.name for c in COMPARISONS]
    priors.choose_fallback(big, {"person": [5000], "org": [4000]})
    assert big.fallback == []


def test_a_large_kind_with_unlearned_names_keeps_the_defaults() -> None:
    # PatentsView: 133,541 mentions with names and cities only; no session finds sure
    # pairs to learn name weights from, and capping name-and-city pairs at review cost
    # most of the recall.
    model = Model.initial()
    model.learned = []
    priors.choose_fallback(model, {"person": [133_541]})
    assert model.fallback == []
    assert any("could not be learned" in fact and "defaults" in fact for fact in model.facts)


def test_numbers_of_different_kinds_are_no_conflict() -> None:
    rows = [
        {**_org("a", "one", "Zwirbelmann AG"), "identifier": "HRB 12345"},
        {**_org("b", "two", "Zwirbelmann AG"), "identifier": "DE 123456789"},  # VAT
    ]
    model = Model.initial()
    decided = priors.apply(
        model,
        Thresholds(),
        priors.Records.from_table(_table(rows)),
        np.array([0]),
        np.array([1]),
        np.array([_levels(org_name=3, identifier=0, city=_top("city"))], dtype=np.int8),
        np.array([-5.0]),
    )
    # Not a conflict: the identical rare name in one city merges (rule 4a).
    assert int(decided.reason[0]) == priors.RARE_ORG
    assert decided.apart == []


def test_records_without_a_name_are_counted_as_holding_none() -> None:
    # `explain` on two records with no name at all read the count of name 0 of none.
    table = _table(
        [
            {"id": "a", "dataset": "x", "schema": "Company", "registrationNumber": "1"},
            {"id": "b", "dataset": "y", "schema": "Company", "registrationNumber": "1"},
        ]
    )
    records = priors.Records.from_table(table)
    assert records.name.tolist() == [-1, -1]
    assert records.name_count.tolist() == [0, 0]
