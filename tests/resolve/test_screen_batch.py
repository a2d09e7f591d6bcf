"""A screened list is scored in batches (one `prepare` of each distinct record, address
rarities per pair in one pass, feature weights and rules for all pairs at once); every
pair must score exactly as it does prepared and ruled on its own."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app.screening import Screening
from threadline.app.workbench import Workbench
from threadline.resolve.pairrarity import pair_rarity
from threadline.resolve.screen import MatchQuery

QUERIES = [
    {"schema": "Person", "properties": {"name": ["Anna Petrova"], "birthDate": ["1971-03-04"]}},
    {"schema": "Person", "properties": {"name": ["Boris Iwanow"], "nationality": ["ru"]}},
    {"schema": "Company", "properties": {"name": ["Acme Trading Ltd"], "address": ["1 Dock Rd"]}},
    {"schema": "Company", "properties": {"name": ["Brückenbau Hansa GmbH"], "country": ["de"]}},
    {"schema": "Company", "properties": {"name": ["Acme Trading Limited"], "country": ["gb"]}},
    {"schema": "LegalEntity", "properties": {"name": ["Acme Trading"], "address": ["1 Dock Rd"]}},
    {"schema": "Person", "properties": {"name": ["Nobody Known"], "idNumber": ["X1"]}},
]


def _stores(tmp_path: Path) -> Workbench:
    alpha = [
        entity("a1", "Person", name="Anna Petrova", birthDate="1971-03-04", nationality="ru"),
        entity("a2", "Person", name="Boris Ivanov", birthDate="1980-01-02", address="5 Elm St"),
        entity("a3", "Company", name="Acme Trading Ltd", jurisdiction="gb", address="1 Dock Rd"),
        entity("a4", "Company", name="BRUECKENBAU HANSA GMBH", registrationNumber="HRB 1"),
        entity("a5", "Address", full="1 Dock Road, London E1 1AA", city="London"),
        entity("a6", "Company", name="Acme Trading Ltd", addressEntity="a5", country="gb"),
    ]
    beta = [
        entity("b1", "Person", name="Anna Petrowa", birthDate="1971-03-04", idNumber="45"),
        entity("b2", "Person", name="Boris Iwanow", birthDate="1980", address="5 Elm Street"),
        entity("b3", "Company", name="ACME Trading Limited", jurisdiction="gb"),
        entity("b4", "Company", name="Brückenbau Hansa GmbH", registrationNumber="HRB 2"),
        entity("b5", "LegalEntity", name="Acme Trading", address="1 Dock Rd, London"),
    ]
    bench = Workbench(data_dir=tmp_path / "data")
    bench.ingest([write_entities(tmp_path / "alpha.ijson", alpha)], "alpha")
    bench.ingest([write_entities(tmp_path / "beta.ijson", beta)], "beta")
    bench.resolve()
    return bench


def test_batched_scores_equal_the_pair_by_pair_reference(tmp_path: Path) -> None:
    with _stores(tmp_path) as bench:
        ids = ["a1", "a2", "a3", "a4", "a6", "b1", "b2", "b3", "b4", "b5"]
        rows = bench.store.statements_for(ids)
        batch = [(MatchQuery.parse(q), rows) for q in QUERIES]
        with Screening(bench._resolution) as screening:
            batched = screening.score_many(batch)
            reference = screening.score_many(batch, per_pair=True)
    assert batched == reference
    scored = [s for found in batched for s in found]
    assert len(scored) > 20  # every query met several candidates
    assert any(f.name == "rule" for s in scored for f in s.features)  # the rules ran
    assert any(s.decision == "merge" for s in scored)


def test_pair_rarity_counts_tokens_within_each_pair() -> None:
    weights, sums = pair_rarity([["1", "dock", "rd"], ["1", "dock"], None, ["elm"]])
    # Both addresses hold "1" and "dock": log2(1 + 2/2) = 1; "rd" only one: log2(3).
    assert weights[0] is not None and weights[0][:2] == [1.0, 1.0]
    assert round(weights[0][2], 6) == 1.584963
    assert sums[1] == 2.0
    # A pair with one address: every token is held by the one address there is.
    assert weights[2] is None and sums[2] is None
    assert weights[3] == [1.0] and sums[3] == 1.0
