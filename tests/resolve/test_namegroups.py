"""Name groups and rare addresses: organisation pairs the learned weights leave in review.

Each case is a few real-looking records (the whole set the run sees: a name's other
holders decide whether it can be one company) and one pair, scored by the real
comparisons (prepare, DuckDB) and decided by the documented rules (priors.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve import namegroups, priors, rulings
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.model import Model
from threadline.resolve.prepare import prepare
from threadline.resolve.thresholds import Thresholds

# A learned weight that leaves a pair in review (p about 0.59): what EM made of an exact
# name with a country, or an acronym with an address, on the generated company set.
LEARNED = 0.5


def _org(rid: str, dataset: str, name: str, **fields: str) -> dict[str, Any]:
    return {"id": rid, "dataset": dataset, "schema": "Company", "name": name, **fields}


def _person(rid: str, dataset: str, name: str, **fields: str) -> dict[str, Any]:
    first, last = name.split()
    found = _org(rid, dataset, name, **fields)
    return {**found, "schema": "Person", "first_name": first, "last_name": last}


def _at(street: str, postcode: str, city: str, country: str) -> dict[str, str]:
    return {"address": street, "postcode": postcode, "city": city, "country": country}


KOELN = _at("Hauptstraße 14", "50667", "Köln", "DE")
AGENT = _at("Orange Street 1209", "19801", "Wilmington", "US")


def _decide(rows: list[dict[str, Any]], left: str, right: str) -> tuple[str, int]:
    """The decision and the deciding rule for the pair (left, right) among `rows`."""
    table: pa.Table = prepare(rows)
    ids = table.column("id").to_pylist()
    a, b = ids.index(left), ids.index(right)
    engine = DuckDBEngine()
    try:
        engine.load(table)
        engine.set_pairs([a], [b])
        levels = engine.levels(COMPARISONS)
    finally:
        engine.close()
    thresholds = Thresholds()
    decided = priors.apply(
        Model.initial(),
        thresholds,
        priors.Records.from_table(table),
        np.array([a], dtype=np.int64),
        np.array([b], dtype=np.int64),
        levels.levels,
        np.array([LEARNED]),
    )
    return thresholds.decide(float(decided.weight[0])), int(decided.reason[0])


CASES: list[tuple[str, list[dict[str, Any]], str, str, str, int]] = [
    (
        "three datasets name one company; only the register gives its number and place",
        [
            _org("reg", "registry", "Karikquin Handels AG", identifier="HRB 110844", **KOELN),
            _org("proc", "procurement", "Karikquin Handels Aktiengesellschaft", country="DE"),
            _org("leak", "leak", "KARIKQUIN HANDELS AG", country="DE"),
        ],
        "proc",
        "reg",
        "merge",
        priors.RARE_ORG,
    ),
    (
        "the same name held by a company in Köln and another in Hamburg: a bare copy is either",
        [
            _org("reg", "registry", "Fischer Capital GmbH", identifier="HRB 25659", **KOELN),
            _org(
                "reg2",
                "registry",
                "Fischer Capital GmbH",
                identifier="HRB 70608",
                **_at("Mühlenweg 7", "20095", "Hamburg", "DE"),
            ),
            _org("proc", "procurement", "Fischer Capital GmbH", country="DE"),
        ],
        "proc",
        "reg",
        "review",
        priors.NONE,
    ),
    (
        "the same name in two countries (a foreign namesake) is no register's one name",
        [
            _org("de", "registry", "Novak Pharma AG", identifier="HRB 28512", **KOELN),
            _org("at", "leak", "Novak Pharma AG", country="AT"),
            _org("proc", "procurement", "Novak Pharma AG", country="DE"),
        ],
        "de",
        "at",
        "review",
        priors.NONE,
    ),
    (
        "two records with the name and no country say nothing of a register",
        [
            _org("x", "registry", "Zenmo Logistik International LLC"),
            _org("y", "procurement", "Zenmo Logistik International LLC"),
            _org("z", "leak", "Zenmo Logistik International LLC"),
        ],
        "x",
        "y",
        "review",
        priors.NONE,
    ),
    (
        "namesakes are common among people, whatever their records agree on",
        [
            _person("p1", "registry", "Anna Schmidt", country="DE"),
            _person("p2", "procurement", "Anna Schmidt", country="DE"),
            _person("p3", "leak", "Anna Schmidt", country="DE"),
        ],
        "p1",
        "p2",
        "review",
        priors.NONE,
    ),
    (
        "initials at the company's own address, with its register number",
        [
            _org("short", "registry", "WG AG", identifier="HRB 22371", **KOELN),
            _org("long", "procurement", "Weiss & Gaertner AG", **KOELN),
        ],
        "short",
        "long",
        "merge",
        priors.SHARED_ADDRESS,
    ),
    (
        "a typo in the name at the same rare address",
        [
            _org("a", "leak", "Tanaka Sfotware Inc", **AGENT),
            _org("b", "registry", "Tanaka Software Inc", identifier="10-0109841", **AGENT),
        ],
        "a",
        "b",
        "merge",
        priors.SHARED_ADDRESS,
    ),
    (
        "a subsidiary's initials (Hoffmann Pharma Holding) at its parent's address",
        [
            _org("sub", "procurement", "HPH Inc", identifier="10-0003801", **AGENT),
            _org("parent", "registry", "Hoffmann Pharma Inc", **AGENT),
        ],
        "sub",
        "parent",
        "review",
        priors.NONE,
    ),
    (
        "a subsidiary, the parent's name within its own, at the parent's address",
        [
            _org("parent", "registry", "Müller Bau GmbH", **KOELN),
            _org("sub", "procurement", "Müller Bau Holding GmbH", **KOELN),
        ],
        "parent",
        "sub",
        "review",
        priors.NONE,
    ),
    (
        "initials at a registered agent's address, where many companies are registered",
        [
            _org("short", "registry", "NN Inc", identifier="10-0011311", **AGENT),
            _org("long", "leak", "Novak & Nilsson Inc", **AGENT),
            *[_org(f"agent{n}", "registry", f"Tenant {n} Inc", **AGENT) for n in range(8)],
        ],
        "short",
        "long",
        "review",
        priors.NONE,
    ),
]


@pytest.mark.parametrize(
    ("rows", "left", "right", "decision", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_organisation_pairs(
    rows: list[dict[str, Any]], left: str, right: str, decision: str, reason: int
) -> None:
    assert _decide(rows, left, right) == (decision, reason)


def test_a_name_group_with_two_numbers_of_one_kind_is_two_companies() -> None:
    names = np.array([0, 0, 0, 1, 1, -1], dtype=np.int64)
    is_org = np.array([True] * 6)
    idents = [["HRB1"], ["HRB2"], None, ["HRB3"], ["DE999"], None]
    places: list[list[str | None]] = [["50667", None, None, "50667", None, None]]
    found = namegroups.consistent_groups(names, is_org, idents, places)
    # A register number and a VAT number are two kinds: no conflict.
    assert found.tolist() == [False, False, False, True, True, False]


def test_groups_beyond_the_limit_are_left_alone() -> None:
    size = namegroups.MAX_GROUP + 1
    names = np.zeros(size, dtype=np.int64)
    found = namegroups.consistent_groups(names, np.ones(size, dtype=bool), [None] * size, [])
    assert not found.any()


def test_explain_tells_a_name_group_from_the_last_run() -> None:
    rows = [
        _org("proc", "procurement", "Karikquin Handels AG", country="DE"),
        _org("reg", "registry", "Karikquin Handels AG", identifier="HRB 110844", **KOELN),
    ]
    assert namegroups.one_company(prepare(rows).to_pylist())
    table = prepare(rows)
    engine = DuckDBEngine()
    try:
        engine.load(table)
        engine.set_pairs([0], [1])
        levels = [int(x) for x in engine.levels(COMPARISONS).levels[0]]
    finally:
        engine.close()
    model, thresholds = Model.initial(), Thresholds()
    # Three holders that can be one company: the rule merges, and says so.
    ruled = rulings.explain_pair(model, thresholds, table, levels, LEARNED, 3, True)
    assert ruled is not None and ruled[1] == priors.REASONS[priors.RARE_ORG]
    # Three holders that cannot (or unknown): the learned weight stands.
    assert rulings.explain_pair(model, thresholds, table, levels, LEARNED, 3, False) is None
    assert rulings.explain_pair(model, thresholds, table, levels, LEARNED, 3) is None


def test_address_counts_count_whole_street_addresses_only() -> None:
    table = pa.table(
        {
            "street": ["hauptstr", "hauptstr", "hauptstr", None, "ringweg", "hauptstr"],
            "house": ["5", "5", "5", "5", "5", "7"],
            "postcode": ["10115", "10115", "10115", "10115", None, "10115"],
        }
    )
    # Three records at Hauptstr. 5, one at no. 7; a missing part counts none.
    assert namegroups.address_counts(table).tolist() == [3, 3, 3, 0, 0, 1]
    assert namegroups.address_counts(table.slice(0, 0)).tolist() == []
