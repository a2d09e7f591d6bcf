"""The scorer's rules for evidence that is not independent: nested location fields, twins."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

from threadline.resolve.batch import resolve_records
from threadline.resolve.birthdates import compatible, conflict, full_dates, reliable
from threadline.resolve.comparisons import COMPARISONS, NULL_LEVEL
from threadline.resolve.model import TWIN_WEIGHT, Model, nested_in

NAMES = [c.name for c in COMPARISONS]
LOCATION = [n for n, c in enumerate(COMPARISONS) if c.group == "location"]


def _levels(**given: int) -> np.ndarray:
    row = np.full((1, len(COMPARISONS)), NULL_LEVEL, dtype=np.int8)
    for name, level in given.items():
        row[0, NAMES.index(name)] = level
    return row


def _top(name: str) -> int:
    return COMPARISONS[NAMES.index(name)].size - 1


def test_nested_location_fields_count_once() -> None:
    model = Model.initial()
    same_place = _levels(address=_top("address"), postcode=_top("postcode"), city=_top("city"))
    moved = _levels(address=0, address_tokens=0, postcode=0, city=0, country=0)
    per_level = model.weights()
    for nested in (True, False):
        model.nested = nested
        agree = model.feature_weights(same_place)[0, LOCATION]
        differ = model.feature_weights(moved)[0, LOCATION]
        singles = [per_level[NAMES.index(n)][_top(n)] for n in ("address", "postcode", "city")]
        against = [per_level[n][0] for n in LOCATION]
        if nested:
            assert agree.sum() == max(singles)
            assert differ.sum() == min(against)
        else:
            assert np.isclose(agree.sum(), sum(singles))
            assert np.isclose(differ.sum(), sum(against))
    # Agreeing on the city after a move still counts, next to the strongest disagreement.
    model.nested = True
    moved_in_town = model.feature_weights(_levels(address=0, postcode=0, city=_top("city")))
    city, address = per_level[NAMES.index("city")], per_level[NAMES.index("address")]
    expected = city[-1] + min(address[0], per_level[NAMES.index("postcode")][0])
    assert np.isclose(moved_in_town[0, LOCATION].sum(), expected)


def test_the_twin_rule_applies_only_without_identifiers() -> None:
    model = Model.initial()
    twins = {
        "first_name": 0,
        "last_name": _top("last_name"),
        "birth_date": _top("birth_date"),
        "address": _top("address"),
    }
    column = NAMES.index("first_name")
    unidentified = model.feature_weights(_levels(**twins))[0, column]
    identified = model.feature_weights(_levels(**twins, identifier=0))[0, column]
    assert unidentified == -TWIN_WEIGHT
    # Both sides carry identifiers and they differ: the identifier comparison speaks,
    # and the given names weigh as any decisive disagreement does.
    assert identified == -COMPARISONS[column].decisive  # type: ignore[operator]


def _rows(nested: bool, n: int = 600, seed: int = 3) -> list[dict[str, str]]:
    rng = random.Random(seed)
    cities = [f"Town{i}" for i in range(40)]
    rows = []
    for i in range(n):
        postcode = f"{rng.randint(0, 199):05d}"
        city = cities[int(postcode) % 40] if nested else rng.choice(cities)
        rows.append(
            {
                "id": f"r{i}",
                "dataset": f"d{i % 2}",
                "schema": "Person",
                "first_name": rng.choice(["Anna", "Jan", "Olga", "Mehmet", "Lea", "Tomasz"]),
                "last_name": f"Name{rng.randint(0, 400)}",
                "birth_date": f"{rng.randint(1940, 2000)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "address": f"Weg {rng.randint(1, 90)}",
                "postcode": postcode,
                "city": city,
            }
        )
    return rows


def test_nesting_is_read_from_the_data() -> None:
    assert resolve_records(_rows(nested=True)).model.nested
    independent = resolve_records(_rows(nested=False)).model
    assert not independent.nested
    assert any("location fields independent" in line for line in independent.history)
    # Too few records to tell: real addresses are assumed.
    assert nested_in(10, 0.1)
    assert not nested_in(1000, 0.3)


def test_nesting_survives_saving() -> None:
    model = Model.initial()
    model.nested = False
    assert not Model.from_json(model.to_json()).nested


def test_birth_dates_are_firm_unless_identified_pairs_disagree() -> None:
    column = {name: n for n, name in enumerate(NAMES)}
    top_id = _top("identifier")
    levels = np.full((200, len(NAMES)), NULL_LEVEL, dtype=np.int8)
    levels[:, column["identifier"]] = top_id
    levels[:, column["birth_date"]] = _top("birth_date")
    assert reliable(levels) == (True, 200, 0.0)
    levels[:10, column["birth_date"]] = 0  # 5% of the same people with other dates (Febrl)
    firm, checked, share = reliable(levels)
    assert (firm, checked, share) == (False, 200, 0.05)
    # Too few pairs to tell: dates are trusted.
    assert reliable(levels[:20])[0]


def test_full_dates_and_compatibility() -> None:
    dates = full_dates(pa.array(["19520517", "195205", None, "1952"]))
    assert dates.tolist() == [19520517, 0, 0, 0]
    assert compatible(19520517, 19520571)  # neighbouring digits swapped
    assert not compatible(19520517, 19890813)
    assert not conflict([19520517], [0])


def test_a_saved_model_with_other_levels_is_refused() -> None:
    saved = Model.initial().to_json()
    assert Model.from_json(saved).names == saved["names"]
    shorter = dict(saved, m=[list(m)[:-1] for m in saved["m"]])
    with pytest.raises(ValueError, match="retrain"):
        Model.from_json(shorter)
    with pytest.raises(ValueError, match="retrain"):
        Model.from_json(dict(saved, version="fs-2"))
