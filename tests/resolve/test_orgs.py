"""Organisations: blocking on what identifies them, trained name weights, rare names."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from threadline.app.resolution import Resolution
from threadline.app.workbench import Workbench
from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve.batch import resolve_records
from threadline.resolve.blocking import RULES
from threadline.resolve.prepare import prepare

WORDS = ["nordwind", "alpen", "elbe", "rhein", "sonnen", "falken", "adler", "berg", "stern"]
WORDS += ["kristall", "eichen", "linden", "mond", "blitz", "orbit", "quelle", "zeder", "atlas"]
TRADES = ["Logistik", "Bau", "Handel", "Energie", "Software", "Immobilien", "Druck", "Metall"]
FORMS = ["GmbH", "AG", "KG", "SE", "UG"]
STREETS = ["Hauptstraße", "Industriestraße", "Am Hafen", "Bahnhofstraße", "Gewerbepark"]


def registers(folder: Path, companies: int, seed: int = 5) -> dict[str, Path]:
    """Two company registers, `a` with every company and `b` with some of them again
    (fewer fields); ids are `<dataset>-<company number>`. Commerzbank AG and Bayerische
    Motorenwerke AG are in both, by name only."""
    rng = random.Random(seed)
    a: list[dict[str, Any]] = []
    b: list[dict[str, Any]] = []
    for n in range(companies):
        name = f"{rng.choice(WORDS).title()}{rng.choice(WORDS)} {rng.choice(TRADES)}"
        name += f" {rng.choice(FORMS)}"
        props: dict[str, Any] = {
            "name": name,
            "address": f"{rng.choice(STREETS)} {rng.randint(1, 300)}, {rng.randint(10000, 99999)}",
        }
        if rng.random() < 0.6:
            props["registrationNumber"] = f"HRB {10000 + n}"
        if rng.random() < 0.5:
            props["phone"] = f"+49 30 {rng.randint(1000000, 9999999)}"
        if rng.random() < 0.5:
            props["email"] = f"info@{name.split()[0].lower()}{n}.de"
        a.append(entity(f"a-{n}", "Company", **props))
        if rng.random() < 0.4:
            again = {k: v for k, v in props.items() if k == "name" or rng.random() < 0.6}
            b.append(entity(f"b-{n}", "Company", **again))
    for key, name in (("cb", "Commerzbank AG"), ("bmw", "Bayerische Motorenwerke AG")):
        a.append(entity(f"a-{key}", "Company", name=name))
        b.append(entity(f"b-{key}", "Company", name=name))
    folder.mkdir(parents=True, exist_ok=True)
    return {"a": write_entities(folder / "a.json", a), "b": write_entities(folder / "b.json", b)}


def _bench(tmp_path: Path, companies: int) -> Workbench:
    bench = Workbench(data_dir=tmp_path / "data")
    for name, path in registers(tmp_path / "src", companies).items():
        bench.ingest([path], name)
    return bench


def _reviewed_or_merged(bench: Workbench, a: str, b: str) -> bool:
    mapping = bench.store.judgements.canonical_map()
    if mapping.get(a, a) == mapping.get(b, b):
        return True
    queue = bench.store.judgements.review(10_000, 0)
    return any({item.left, item.right} == {a, b} for item in queue)


def test_rare_identical_names_across_datasets_reach_review_even_after_training(
    tmp_path: Path,
) -> None:
    bench = _bench(tmp_path, 400)
    bench.resolve()
    for _ in range(2):
        for a, b in (("a-cb", "b-cb"), ("a-bmw", "b-bmw")):
            assert _reviewed_or_merged(bench, a, b), (a, b)
            assert bench.explain(a, b).decision in ("review", "merge")
        report = bench.resolve(full=True, train=True)
        assert report.trained


def test_organisation_duplicates_merge_and_no_two_companies_do(tmp_path: Path) -> None:
    bench = _bench(tmp_path, 400)
    bench.resolve(full=True, train=True)
    mapping = bench.store.judgements.canonical_map()
    groups: dict[str, set[str]] = {}
    for member, head in mapping.items():
        groups.setdefault(head, set()).add(member)
    assert [g for g in groups.values() if len({m.split("-", 1)[1] for m in g}) > 1] == []
    twice = [e["id"] for e in bench.export() if e["id"].startswith("a-")]
    assert len(groups) >= 100, "most companies listed twice are merged"
    assert len(twice) > 400


def test_org_name_weights_are_trained_and_defaults_are_not_called_learned(
    tmp_path: Path,
) -> None:
    bench = _bench(tmp_path, 400)
    bench.resolve()
    model = Resolution(bench.store, bench.data_dir).model()
    assert model is not None
    assert "org_name" in model.learned
    assert "first_name" not in model.learned  # no people in these registers
    assert any("default" in fact and "first_name" in fact for fact in model.facts)


def _candidates(rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    table = prepare(rows)
    engine = DuckDBEngine()
    try:
        engine.load(table)
        engine.candidates(RULES)
        found = engine.conn.execute(
            "SELECT l.id, r.id FROM pairs p JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b"
        ).fetchall()
    finally:
        engine.close()
    return {(str(x), str(y)) for x, y in found}


def _org(entity_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": entity_id, "dataset": entity_id[0], "schema": "Company", "name": name, **fields}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"phone": "+49 30 1234567"}, {"phone": "030 1234567"}),
        ({"email": "Info@Kranich.de"}, {"email": "info@kranich.de"}),
        ({"identifier": "HRB 4711"}, {"identifier": "HRB4711"}),
    ],
    ids=["phone", "email", "registration number"],
)
def test_organisations_sharing_a_phone_email_or_number_are_candidates(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    rows = [
        _org("a1", "Kranich Logistik GmbH", **left),
        _org("b1", "KLG Transporte und Lager", **right),
        _org("b2", "Unrelated Farben AG"),
    ]
    assert _candidates(rows) == {("a1", "b1")}


def test_organisations_sharing_a_rare_name_word_are_candidates() -> None:
    common = [_org(f"c{n}", f"Holding {WORDS[n % 18]}{TRADES[n % 8]} GmbH") for n in range(30)]
    rows = [_org("a1", "Zwirbelmann Verwaltungs GmbH"), _org("b1", "Zwirbelmann KG"), *common]
    found = _candidates(rows)
    assert ("a1", "b1") in found
    # "holding" and "gmbh" are shared by too many to block on.
    assert not any(x.startswith("c") and y.startswith("c") for x, y in found)


def test_subsidiaries_with_different_registration_numbers_never_merge() -> None:
    address = {"address": "Kaiserstraße 16, 60311 Frankfurt", "phone": "+49 69 1360 0"}
    rows = [
        _org("a1", "Falkenstein Holding AG", identifier="HRB 1001", **address),
        _org("b1", "Falkenstein Holding AG", identifier="HRB 2002", **address),
        # A record without a number links both: it must not chain them together.
        _org("c1", "Falkenstein Holding AG", **address),
    ]
    result = resolve_records(rows)
    clusters = result.clusters
    assert clusters["a1"] != clusters["b1"]
    assert all({x, y} != {"a1", "b1"} for x, y, _ in result.pairs), (
        "a pair with different numbers is never above the merge threshold"
    )
