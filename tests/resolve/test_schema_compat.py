"""Schema compatibility: a LegalEntity may be a Person or a Company; a Person never a
Company (followthemoney's own rules), in candidates and as a hard refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from tests.resolve.conftest import population
from threadline.app.workbench import Workbench
from threadline.resolve.batch import resolve_records
from threadline.resolve.schemas import can_match


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Person", "LegalEntity", True),
        ("LegalEntity", "Company", True),
        ("Company", "Organization", True),
        ("PublicBody", "Organization", True),
        ("Person", "Company", False),
        ("Person", "Organization", False),
        ("Vessel", "Company", False),
        ("Person", "Person", True),
        (None, "Company", True),
    ],
)
def test_can_match_follows_followthemoney(left: str | None, right: str, expected: bool) -> None:
    assert can_match(left, right) is expected
    assert can_match(right, left) is expected


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    files = population(tmp_path / "src", people=150)
    x = [
        entity("x-p", "Person", name="Maria Gonzalez Ferreira", address="Calle Mayor 5, Madrid"),
        entity("x-q", "Person", name="Rosa Delgado", address="Plaza Nueva 1, Sevilla"),
        entity("x-r", "Person", name="Ignacio Lobato", address="Ronda 9, Cadiz"),
    ]
    y = [
        entity("y-le", "LegalEntity", name="Maria Gonzalez Ferreira"),
        entity("y-c", "Company", name="Rosa Delgado", address="Plaza Nueva 1, Sevilla"),
        entity("y-le2", "LegalEntity", name="Ignacio Lobato", address="Ronda 9, Cadiz"),
        entity("y-c2", "Company", name="Ignacio Lobato", address="Ronda 9, Cadiz"),
    ]
    workbench = Workbench(data_dir=tmp_path / "data")
    for name, path in files.items():
        workbench.ingest([path], name)
    workbench.ingest([write_entities(tmp_path / "x.json", x)], "x")
    workbench.ingest([write_entities(tmp_path / "y.json", y)], "y")
    workbench.resolve()
    return workbench


def test_a_person_and_a_legal_entity_of_the_same_name_can_match(bench: Workbench) -> None:
    e = bench.explain("x-p", "y-le")
    assert e.blocking, "they are candidates"
    assert e.decision in ("review", "merge")
    mapping = bench.store.judgements.canonical_map()
    queued = bench.store.judgements.review(10_000, 0)
    assert mapping.get("x-p", "x-p") == mapping.get("y-le", "y-le") or any(
        {i.left, i.right} == {"x-p", "y-le"} for i in queued
    )


def test_a_person_never_merges_with_a_company(bench: Workbench) -> None:
    e = bench.explain("x-q", "y-c")
    assert e.blocking == []
    assert e.decision == "drop"
    assert any(f.name == "rule" and "schemata" in f.label for f in e.features)
    mapping = bench.store.judgements.canonical_map()
    assert mapping.get("x-q", "x-q") != mapping.get("y-c", "y-c")
    # Not through a LegalEntity either: the person and the company may each match it.
    assert mapping.get("x-r", "x-r") != mapping.get("y-c2", "y-c2")
    exported = {e["id"]: e for e in bench.export(dataset="y")}
    for record in exported.values():
        members = {record["id"], *record.get("referents", [])}
        assert not {"x-r", "y-c2"} <= members


def _row(entity_id: str, schema: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": entity_id, "dataset": entity_id[0], "schema": schema, "name": name, **fields}


def test_a_chain_through_a_legal_entity_is_refused_in_a_batch() -> None:
    where = {"address": "Ronda 9, Cadiz", "identifier": "B-12345678"}
    rows = [
        _row("p1", "Person", "Ignacio Lobato", **where),
        _row("l1", "LegalEntity", "Ignacio Lobato", **where),
        _row("c1", "Company", "Ignacio Lobato", **where),
    ]
    clusters = resolve_records(rows).clusters
    assert clusters["p1"] != clusters["c1"]
    assert clusters["l1"] in (clusters["p1"], clusters["c1"])


def test_a_reviewer_cannot_judge_a_person_the_same_as_a_company(tmp_path: Path) -> None:
    from threadline.app.resolution import JudgementConflict

    records = [
        entity("p", "Person", name="Hansa Müller"),
        entity("c", "Company", name="Hansa Müller GmbH"),
        entity("le", "LegalEntity", name="Hansa Müller"),
    ]
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(tmp_path / "r.json", records)], "r")
        with pytest.raises(JudgementConflict, match="p \\(Person\\) and c \\(Company\\)"):
            bench.judge("p", "c", "same")
        # A LegalEntity may join either, but then not the other: no chain of judgements.
        bench.judge("p", "le", "same")
        with pytest.raises(JudgementConflict, match="cannot be the same entity"):
            bench.judge("le", "c", "same")
        assert bench.store.judgements.canonical_map() == {"le": "le", "p": "le"}
        assert len(bench.judgements()) == 1
        bench.judge("p", "c", "not_same")  # saying they differ is always allowed
