"""The `relations` comparison's levels, run as SQL on DuckDB: a person in common counts
more than an organisation in common (an employer, a parent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.resolve.comparisons import BY_NAME
from threadline.resolve.dialect import DUCKDB
from threadline.resolve.relations import COMMON, ORG, kind_key

RELATIONS = BY_NAME["relations"]
ACME, INITECH = ORG + "acme inc", ORG + "initech"

TWO = "two names or more in common, a person of a rare name among them"
ONE = "a person of a rare name in common"
WEAK = "only organisations or common names in common"
WEI = COMMON + "wang wei"
CASES = [
    (["a b", "c d", ACME], ["a b", "c d", INITECH], TWO),
    (["a b", ACME], ["a b", ACME], TWO),
    (["a b", ACME], ["a b", INITECH], ONE),
    (["a b", WEI, ACME], ["a b", WEI, INITECH], TWO),
    (["a b", ACME, INITECH], ["c d", ACME, INITECH], WEAK),
    ([WEI, ACME], [WEI, INITECH], WEAK),
    ([WEI, ACME], [WEI, ACME], WEAK),
    (["a b", ACME], ["c d", INITECH], "different"),
    (["a b"], None, "no value on one side"),
]


@pytest.mark.parametrize(("left", "right", "label"), CASES)
def test_levels(left: list[str], right: list[str] | None, label: str) -> None:
    names = pa.array([left, right], pa.list_(pa.string()))
    conn = duckdb.connect()
    conn.register("rec", pa.table({"id": [0, 1], "rel_names": names}))
    sql = f"SELECT {RELATIONS.sql(DUCKDB)} FROM rec AS l, rec AS r WHERE l.id = 0 AND r.id = 1"
    found = conn.execute(sql).fetchone()
    assert found is not None and RELATIONS.label(found[0]) == label


@pytest.mark.parametrize(
    ("one", "other", "person"),
    [
        ("Austin L. Gurney", "Austin Gurney", True),  # a middle initial comes and goes
        ("Gurney, Austin", "AUSTIN GURNEY", True),
        ("Qualcomm Incorporated", "QUALCOMM Inc.", False),  # legal forms are one form
        ("Siemens Aktiengesellschaft", "Siemens AG", False),
    ],
)
def test_name_variants_are_one_key(one: str, other: str, person: bool) -> None:
    assert kind_key(one, person) == kind_key(other, person) is not None


def test_initials_alone_stay_and_kinds_differ() -> None:
    assert kind_key("J. R.", True) == "j r"
    assert kind_key("John Smith", True) != kind_key("John Smith", False)
    assert kind_key("A. B. Smith", True) == "a b smith"  # one full word: initials kept


def _patent(n: int, inventor: str, others: list[str], assignee: str) -> list[dict[str, Any]]:
    return [
        entity(f"d{n}", "Document", title=f"US-{n}", companiesMentioned=assignee),
        entity(f"p{n}", "Person", name=inventor),
        *[entity(f"q{n}-{k}", "Person", name=name) for k, name in enumerate(others)],
        *[
            entity(f"l{n}-{who}", "Documentation", document=f"d{n}", entity=who)
            for who in [f"p{n}", *[f"q{n}-{k}" for k in range(len(others))]]
        ],
    ]


def test_a_shared_employer_weighs_less_than_shared_co_inventors(tmp_path: Path) -> None:
    # One inventor on two patents with the same co-inventors and employer; a namesake
    # at the same employer with other co-inventors.
    found = _patent(1, "Wei Zhang", ["Ann Lee", "Bo Chan", "Cy Diaz"], "Acme Inc")
    found += _patent(2, "Wei Zhang", ["Ann Lee", "Bo Chan", "Cy Diaz"], "Acme Inc")
    found += _patent(3, "Wei Zhang", ["Eva Berg", "Jo Park"], "Acme Inc")
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(tmp_path / "e.json", found)], "patents")
        bench.resolve()
        same, employer = bench.explain("p1", "p2"), bench.explain("p1", "p3")
        levels = {
            pair: next(f for f in e.features if f.name == "relations")
            for pair, e in (("same", same), ("employer", employer))
        }
        assert levels["same"].label == TWO
        assert levels["employer"].label == WEAK
        # A store this small keeps the uninformed weights (and the priors hold both
        # pairs at review): the shared people still outweigh the shared employer.
        assert levels["same"].weight > levels["employer"].weight
