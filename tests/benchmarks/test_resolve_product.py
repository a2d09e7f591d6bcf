"""The product benchmark's helpers: FtM shapes, the company set, merges across numbers."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.benchmarks import bench_module

entities_mod = bench_module("_product_entities")
companyset = bench_module("_companyset")
metrics = bench_module("_linkage_metrics")

ROW = {"id": "r1", "dataset": "leak", "schema": "Person", "name": "Anna Schmidt",
       "first_name": "Anna", "last_name": "Schmidt", "birth_date": "1980-01-02",
       "identifier": "X1", "address": "Hauptstr. 1", "postcode": "10115", "city": "Berlin",
       "country": "DE", "email": None, "phone": None}  # fmt: skip


def test_flat_shape_holds_the_address_as_one_string() -> None:
    (person,) = entities_mod.entities(ROW, "flat")
    assert person["properties"]["address"] == ["Hauptstr. 1, 10115 Berlin"]
    assert person["properties"]["idNumber"] == ["X1"]
    assert "addressEntity" not in person["properties"]


def test_native_shape_links_an_address_entity() -> None:
    person, address = entities_mod.entities(ROW, "native")
    assert person["properties"]["addressEntity"] == [address["id"]]
    assert address["schema"] == "Address"
    assert address["properties"] == {"street": ["Hauptstr. 1"], "postalCode": ["10115"],
                                     "city": ["Berlin"], "country": ["DE"]}  # fmt: skip


def test_a_shared_address_is_written_once_per_file(tmp_path: Path) -> None:
    rows = [ROW, {**ROW, "id": "r2", "name": "Ben Schmidt"}]
    ((path, dataset),) = entities_mod.write_jsonl(rows, tmp_path, "native")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert dataset == "leak"
    assert [e["schema"] for e in lines] == ["Person", "Address", "Person"]


def test_company_set_is_deterministic_and_families_have_other_numbers() -> None:
    first, again = companyset.generate(600, 3), companyset.generate(600, 3)
    assert first.columns == again.columns
    number: dict[str, set[str]] = {}
    for record, identifier in zip(first.columns["id"], first.columns["identifier"], strict=True):
        key = companyset.identifier_key(identifier)
        if key:
            number.setdefault(first.truth[record], set()).add(key)
    assert all(len(keys) == 1 for keys in number.values())
    owners = {next(iter(keys)): company for company, keys in number.items()}
    assert len(owners) == len(number)  # no two companies share a registration number


def test_conflicting_merges_counts_pairs_with_two_numbers() -> None:
    clusters = {"a": "x", "b": "x", "c": "x", "d": "y"}
    identifiers = {"a": "1", "b": "1", "c": "2", "d": "3"}
    assert metrics.conflicting_merges(clusters, identifiers) == 2


def test_hard_sets_at_scale_have_the_goals_for_a_million(monkeypatch: pytest.MonkeyPatch) -> None:
    report = bench_module("_product_report")
    sets = bench_module("_product_sets")
    hard = sets.ProductSet(
        "hard-flat", "flat", [], {"a": "1", "b": "1", "c": "2"}, {}, False, "hard", Path(".")
    )
    outcome = SimpleNamespace(error=None, seconds=50.0, rss_mb=1900.0)
    splink = report.Scored("splink", SimpleNamespace(error=None, seconds=10.0))
    scored = report.Scored("threadline", outcome, clusters=SimpleNamespace(f1=0.96))
    # Below the scale: 0.97 and Splink's time.
    assert report.goal(hard, scored, splink)[1] == "FAIL (clustered F1, time)"
    monkeypatch.setattr(report, "AT_SCALE", 3)
    text, verdict = report.goal(hard, scored, splink)
    assert "60 s" in text and verdict == "PASS"
    outcome.rss_mb = 2500.0
    assert report.goal(hard, scored, splink)[1] == "FAIL (peak RSS)"
