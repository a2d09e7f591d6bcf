"""The dear expressions the comparison levels repeat are computed once per pair
(comparisons.repeated, sql._hoist): the levels must be the very ones computed in place,
for candidate pairs (names swapped or not) and for the training's random pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
import pytest

from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve import sql
from threadline.resolve.blocking import RULES, TRAINING_RULES
from threadline.resolve.comparisons import COMPARISONS, repeated
from threadline.resolve.dialect import DIALECTS, DUCKDB
from threadline.resolve.prepare import prepare

PEOPLE = [
    # (name, first, last, birth date, address, city)
    ("Anna Schmidt", "Anna", "Schmidt", "1970-03-02", "Hauptstr. 5, 10115 Berlin", None),
    ("Schmidt Anna", "Schmidt", "Anna", "1970-03-02", "Hauptstraße 5, 10115 Berlin", None),
    ("Ana Schmitt", "Ana", "Schmitt", "1970-02-03", "Hauptstr. 7, 10115 Berlin", None),
    ("Hans-Peter Meier", "Hans-Peter", "Meier", "1981", "12 High Street", "London"),
    ("Hans Jürgen Meier", "Hans Jürgen", "Meier", None, "12 High St, London SW1A 1AA", None),
    ("J. Meier", "J", "Meier", "1981-05-05", None, "Londn"),
    ("Jun-Ho Kim", "Jun-Ho", "Kim", "1990-01-01", "3 Elm Road, Springfield, IL", None),
    ("Kim Jun-Hee", "Kim", "Jun-Hee", "1990-01-01", "3 Elm Rd, Springfield IL", None),
    ("Bill Smith", "Bill", "Smith", None, None, "Boston"),
    ("William Smith", "William", "Smith", "1960-07-08", "4 Main St, Boston", None),
]
ORGS = [
    ("Bayerische Motorenwerke AG", "Petuelring 130, 80809 München"),
    ("BMW AG", "Petuelring 130, 80809 Munchen"),
    ("Dr. Ing. h. c. F. Porsche AG", "Porscheplatz 1, 70435 Stuttgart"),
    ("Porsche AG", "Porscheplatz 1, Stuttgart"),
    ("Porsche Holding GmbH", None),
]


def _records() -> pa.Table:
    rows: list[dict[str, object]] = []
    for n, (name, first, last, born, address, city) in enumerate(PEOPLE):
        rows.append({"id": f"p{n}", "dataset": f"d{n % 2}", "schema": "Person", "name": name,
                     "first_name": first, "last_name": last, "birth_date": born,
                     "address": address, "city": city})  # fmt: skip
    for n, (name, address) in enumerate(ORGS):
        rows.append({"id": f"o{n}", "dataset": f"d{n % 2}", "schema": "Company",
                     "name": name, "address": address})  # fmt: skip
    table = prepare(rows)
    # Parties in common for some people, so that the relations levels have values.
    parties = [["a b", "c d"], ["a b", "c d"], ["a b"], None, ["x y"], ["x y"]]
    names = pa.array(parties + [None] * (table.num_rows - len(parties)), pa.list_(pa.string()))
    return table.set_column(table.schema.get_field_index("rel_names"), "rel_names", names)


def _engine(table: pa.Table) -> DuckDBEngine:
    engine = DuckDBEngine(threads=1)
    engine.load(table)
    pairs = list(itertools.combinations(range(table.num_rows), 2))
    engine.set_pairs([a for a, _ in pairs], [b for _, b in pairs])
    return engine


def _in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """The levels as written, nothing hoisted: the reference."""
    monkeypatch.setattr(sql, "repeated", lambda dialect: {})


def test_candidate_levels_are_the_same_hoisted(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(_records())
    rules = [RULES[i] for i in TRAINING_RULES]
    hoisted = engine.levels(COMPARISONS, rules=rules)
    _in_place(monkeypatch)
    reference = engine.levels(COMPARISONS, rules=rules)
    assert np.array_equal(hoisted.levels, reference.levels)
    assert hoisted.agrees is not None and reference.agrees is not None
    assert np.array_equal(hoisted.agrees, reference.agrees)
    # The cases are worth their name: the comparisons that read hoisted expressions
    # meet values at several levels.
    for name in ("first_name", "last_name", "org_name", "address_tokens", "relations"):
        n = [c.name for c in COMPARISONS].index(name)
        assert len(set(hoisted.levels[:, n].tolist()) - {-1}) >= 3, name


def test_random_pairs_levels_are_the_same_hoisted(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(_records())
    hoisted = engine.sample(COMPARISONS, samples=2_000, seed=3, link_only=False)
    _in_place(monkeypatch)
    reference = engine.sample(COMPARISONS, samples=2_000, seed=3, link_only=False)
    assert np.array_equal(hoisted, reference)


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_every_repeated_expression_is_hoisted(dialect: str) -> None:
    """An expression that no longer matches the levels' text is silently left in place:
    this notices when a change of wording loses the speed."""
    spelled = DIALECTS[dialect]
    scoring = sql.gammas_sql(COMPARISONS, spelled, "pairs", columns=("first_tf",))
    for name, expression in repeated(spelled).items():
        assert f"q.{name}" in scoring, name
        assert sql._flat(expression) not in scoring, name


def test_swapped_names_read_the_swap_tests_similarities() -> None:
    scoring = sql.gammas_sql(COMPARISONS, DUCKDB, "pairs")
    # Four Jaro-Winkler similarities of names, all in the swap test's select.
    assert scoring.count("jaro_winkler_similarity(l.first") == 2
    assert scoring.count("jaro_winkler_similarity(l.last") == 2
    assert "jaro_winkler_similarity(q.l_first" not in scoring
