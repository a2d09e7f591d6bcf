"""Screening: query records parsed as followthemoney entities, and scored against stored
ones exactly as `explain` scores two stored records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from threadline.app.screening import Screening, describe_algorithm
from threadline.app.workbench import Workbench
from threadline.errors import ThreadlineError
from threadline.resolve.screen import MatchQuery, pair_table, query_row, stacked

ANNA = {
    "name": "Anna Petrova",
    "birthDate": "1971-03-04",
    "nationality": "ru",
    "idNumber": "4510 123456",
}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"schema": "Ship"}, "q.schema: no followthemoney schema named 'Ship'"),
        ({"schema": "Address"}, "q.schema: threadline matches only"),
        ({"schema": "Person", "properties": {"colour": ["red"]}}, "q.properties.colour:"),
        ({"schema": "Person", "properties": {"name": [{"x": 1}]}}, "q.properties.name:"),
        ({"schema": "Person", "properties": ["name"]}, "q.properties: must be an object"),
        ("Anna", "q: must be an object"),
    ],
)
def test_bad_queries_name_the_field(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        MatchQuery.parse(data, "q")


def test_a_query_is_cleaned_as_ingest_cleans() -> None:
    query = MatchQuery.parse(
        {
            "schema": "Company",
            "properties": {
                "name": "Brückenbau Hansa GmbH",
                "jurisdiction": ["Germany"],
                "registrationNumber": [73518],
                "ownershipOwner": ["some-stored-id"],  # entity-typed: left out
            },
        }
    )
    assert query.to_json() == {
        "id": None,
        "schema": "Company",
        "properties": {
            "jurisdiction": ("de",),
            "name": ("Brückenbau Hansa GmbH",),
            "registrationNumber": ("73518",),
        },
    }
    assert query.names == ["Brückenbau Hansa GmbH"]
    assert query.identifiers == ["73518"]


def test_a_broad_query_is_compared_as_the_candidates_schema() -> None:
    broad = MatchQuery.parse({"schema": "LegalEntity", "properties": {"name": "Anna Petrova"}})
    assert broad.compared_as("Person") == "Person"
    assert broad.compared_as("Company") == "Company"
    person = MatchQuery.parse({"schema": "Person", "properties": {"name": "Anna Petrova"}})
    assert person.compared_as("Company") is None  # never the same entity
    assert person.compared_as("LegalEntity") == "Person"


def test_pairs_are_prepared_apart_and_stacked_in_order() -> None:
    query = MatchQuery.parse({"schema": "Person", "properties": {"name": "Anna Petrova"}})
    left = query_row(query, "Person")
    assert left is not None
    right = {"id": "b", "dataset": "x", "schema": "Person", "name": ["Anna Petrowa"]}
    tables = [pair_table(left, right, ["acme"]), pair_table(left, {**right, "id": "c"}, None)]
    table = stacked(tables)
    assert table.column("rid").to_pylist() == [0, 1, 2, 3]
    assert table.column("id").to_pylist()[1::2] == ["b", "c"]
    assert table.column("rel_names").to_pylist() == [None, ["acme"], None, None]


@pytest.fixture
def resolved(tmp_path: Path) -> Workbench:
    """Two registers that share people under other spellings, resolved."""
    alpha = [
        entity("a1", "Person", **ANNA),
        entity("a2", "Person", name="Boris Ivanov", birthDate="1980-01-02", nationality="ru"),
        entity("a3", "Company", name="Acme Trading Ltd", jurisdiction="gb"),
    ]
    beta = [
        entity("b1", "Person", name="Anna Petrowa", birthDate="1971-03-04", idNumber="4510123456"),
        entity("b2", "Person", name="Boris Iwanow", birthDate="1980", nationality="ru"),
        entity("b3", "Company", name="ACME Trading Limited", jurisdiction="gb"),
    ]
    bench = Workbench(data_dir=tmp_path / "data")
    bench.ingest([write_entities(tmp_path / "alpha.ijson", alpha)], "alpha")
    bench.ingest([write_entities(tmp_path / "beta.ijson", beta)], "beta")
    bench.resolve()
    return bench


def test_a_query_scores_as_explain_scores_the_stored_record(resolved: Workbench) -> None:
    with resolved as bench:
        explained = bench.explain("a1", "b1")
        query = MatchQuery.parse({"schema": "Person", "properties": ANNA})
        rows = bench.store.statements_for(["b1", "b2"])
        with Screening(bench._resolution) as screening:
            scored = {s.candidate: s for s in screening.score(query, rows)}
        found = scored["b1"]
        assert [(f.name, f.level, f.label, f.weight) for f in found.features] == [
            (f.name, f.level, f.label, f.weight) for f in explained.features
        ]
        assert [(f.left, f.right) for f in found.features] == [
            (f.left, f.right) for f in explained.features
        ]
        assert found.total_weight == explained.total_weight
        assert found.probability == explained.probability
        assert found.decision == explained.decision
        assert scored["b2"].total_weight < found.total_weight  # another person


def test_a_query_meets_only_candidates_of_a_compatible_schema(resolved: Workbench) -> None:
    with resolved as bench:
        query = MatchQuery.parse({"schema": "Person", "properties": {"name": "Acme Trading"}})
        rows = bench.store.statements_for(["a3", "b1"])
        with Screening(bench._resolution) as screening:
            assert [s.candidate for s in screening.score(query, rows)] == ["b1"]


def test_the_algorithm_is_the_resolvers_model(resolved: Workbench) -> None:
    with resolved as bench:
        algorithm = describe_algorithm(bench._resolution)
        model = bench._resolution.model()
        assert model is not None and algorithm.trained
        names = [f.name for f in algorithm.features]
        assert names == model.names
        first = algorithm.features[0]
        assert first.coefficient == round(float(model.weights()[0][-1]), 3)
        assert first.levels[0][1] == first.coefficient and first.levels[-1][0] == "different"


def test_a_model_of_another_version_asks_to_resolve_again(resolved: Workbench) -> None:
    with resolved as bench:
        folder = bench._resolution.folder
        for name in ("model.json", "model-learned.json"):
            path = folder / name
            if path.exists():
                path.write_text(path.read_text("utf-8").replace('"fs-', '"fs-old-'), "utf-8")
        with Screening(bench._resolution) as screening, pytest.raises(ThreadlineError) as raised:
            screening.model()
        assert "another version of threadline" in str(raised.value)
        assert "threadline resolve" in str(raised.value)
        bench.resolve()  # trains it again
        with Screening(bench._resolution) as screening:
            assert screening.model() is not None
