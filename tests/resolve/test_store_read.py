"""Reading match records from the store in bulk, with Address entities lent in."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests.conftest import entity, write_entities
from tests.resolve.conftest import FIRST, LAST, STREETS, per_entity_records
from threadline.app.workbench import Workbench
from threadline.progress import NoProgress
from threadline.resolve.extract import (
    READ_PROPS,
    RecordReader,
)
from threadline.resolve.prepare import prepare
from threadline.store.base import Store


def _mixed() -> dict[str, list[dict[str, Any]]]:
    """Two datasets: people and companies with flat and entity addresses (Addresses
    both before and after their referrers in id order), an Ownership edge, an Address
    nobody points at, an unknown reference, and one id in both datasets."""
    a = [
        entity(
            "p-1",
            "Person",
            name="Jana Koch",
            birthDate="1970-03-01",
            addressEntity="z-addr-1",
            idNumber=["X1", "X0"],
            email="jana@example.org",
        ),
        entity(
            "p-2",
            "Person",
            name=["Otto Roth", "O. Roth"],
            address="Hauptstr. 5, 10115 Berlin",
            country="de",
        ),
        entity(
            "p-3",
            "Person",
            firstName="Ute",
            lastName="Lange",
            addressEntity=["nowhere", "a-addr-2"],
        ),
        entity(
            "c-1",
            "Company",
            name="Koch GmbH",
            jurisdiction="de",
            registrationNumber="HRB 1",
            addressEntity="a-addr-2",
            incorporationDate="2001",
        ),
        entity(
            "a-addr-2",
            "Address",
            full="12 High Street, London SW1A 1AA",
            street="12 High Street",
            postalCode="SW1A 1AA",
            city="London",
            country="gb",
        ),
        entity("z-addr-1", "Address", street="Lindenweg 3", postalCode="20095", city="Hamburg"),
        entity("z-addr-9", "Address", full="Nowhere 1"),
        entity("o-1", "Ownership", owner="p-1", asset="c-1"),
    ]
    b = [
        entity("p-1", "Person", name="Jana Koch", phone="+49 30 1234567", country="de"),
        entity("p-9", "Person", name="Ida Wolf", addressEntity="z-addr-1", country="ch"),
        entity("v-1", "Vessel", name="Ida", imoNumber="IMO 9074729"),
    ]
    return {"a": a, "b": b}


def _store(tmp_path: Path, datasets: dict[str, list[dict[str, Any]]]) -> Workbench:
    bench = Workbench(data_dir=tmp_path / "data")
    for name, rows in datasets.items():
        bench.ingest([write_entities(tmp_path / f"{name}.json", rows)], name)
    return bench


def _per_entity(store: Store, datasets: set[str] | None = None) -> pa.Table:
    return per_entity_records(list(store.iter_entities()), datasets)


def _bulk(store: Store, datasets: set[str] | None = None, size: int = 50_000) -> pa.Table:
    reader = RecordReader(frozenset(datasets) if datasets else None)
    for batch in store.iter_batches(size=size, props=READ_PROPS):
        reader.add(batch)
    return reader.finish().table


def test_bulk_read_equals_the_per_entity_read(tmp_path: Path) -> None:
    bench = _store(tmp_path, _mixed())
    try:
        expected = _per_entity(bench.store)
        assert expected.column("id").to_pylist() == ["c-1", "p-1", "p-2", "p-3", "p-9", "v-1"]
        for size in (1, 3, 50_000):
            found = _bulk(bench.store, size=size)
            assert found.equals(expected)
            assert prepare(found).equals(prepare(expected))
        assert _bulk(bench.store, {"b"}).equals(_per_entity(bench.store, {"b"}))
    finally:
        bench.close()


def test_address_entities_lend_their_parts(tmp_path: Path) -> None:
    bench = _store(tmp_path, _mixed())
    try:
        records = {r["id"]: r for r in _bulk(bench.store).to_pylist()}
        assert records["p-1"]["address"] == "Lindenweg 3"
        assert (records["p-1"]["postcode"], records["p-1"]["city"]) == ("20095", "Hamburg")
        # The first reference that resolves; the entity's own values come first.
        assert records["p-3"]["postcode"] == "SW1A 1AA"
        assert records["p-3"]["country"] == "gb"
        assert (records["p-9"]["city"], records["p-9"]["country"]) == ("Hamburg", "ch")
        assert records["c-1"]["address"] == "12 High Street"
        prepared = {r["id"]: r for r in prepare(_bulk(bench.store)).to_pylist()}
        assert prepared["p-1"]["street"] == "lindenweg"
        assert prepared["p-1"]["house"] == "3"
        assert prepared["c-1"]["postcode"] == "sw1a1aa"
        assert prepared["p-2"]["city"] == "berlin"  # split from the one-line address
        assert prepared["p-2"]["postcode"] == "10115"
    finally:
        bench.close()


def test_a_changed_address_entity_changes_the_fingerprint(tmp_path: Path) -> None:
    data = _mixed()
    bench = _store(tmp_path, data)
    try:
        reader = RecordReader()
        for batch in bench.store.iter_batches(props=READ_PROPS):
            reader.add(batch)
        records = reader.finish()
        before = dict(zip(records.ids, records.fingerprints, strict=True))
    finally:
        bench.close()
    moved = entity("z-addr-1", "Address", street="Lindenweg 4", postalCode="20095", city="Hamburg")
    bench = _store(
        tmp_path / "again", {"a": [*data["a"][:5], moved, *data["a"][6:]], "b": data["b"]}
    )
    try:
        reader = RecordReader()
        for batch in bench.store.iter_batches(props=READ_PROPS):
            reader.add(batch)
        records = reader.finish()
        after = dict(zip(records.ids, records.fingerprints, strict=True))
    finally:
        bench.close()
    assert before["p-1"] != after["p-1"]
    assert before["p-2"] == after["p-2"]


def _people(entity_addresses: bool, people: int = 160, seed: int = 11) -> dict[str, list[Any]]:
    """Everyone in both datasets under a common name and no birth date or identifier:
    only where they live tells namesakes apart."""
    rng = random.Random(seed)
    files: dict[str, list[Any]] = {"a": [], "b": []}
    for number in range(people):
        name = f"{rng.choice(FIRST[:6]).title()} {rng.choice(LAST[:6]).title()}"
        street = f"{rng.choice(STREETS)} {rng.randint(1, 60)}"
        postcode, city = f"{rng.randint(10000, 10400)}", rng.choice(["Berlin", "Bonn", "Ulm"])
        for dataset in files:
            pid = f"{dataset}-{number}"
            if entity_addresses:
                aid = f"{dataset}-addr-{number}"
                files[dataset].append(entity(pid, "Person", name=name, addressEntity=aid))
                files[dataset].append(
                    entity(aid, "Address", street=street, postalCode=postcode, city=city)
                )
            else:
                line = f"{street}, {postcode} {city}"
                files[dataset].append(entity(pid, "Person", name=name, address=line))
    return files


@pytest.mark.parametrize("seed", [11])
def test_people_with_address_entities_merge_as_flat_ones_do(tmp_path: Path, seed: int) -> None:
    merged = {}
    for entity_addresses in (False, True):
        bench = _store(tmp_path / str(entity_addresses), _people(entity_addresses, seed=seed))
        try:
            report = bench.resolve(progress=NoProgress())
            mapping = bench.store.judgements.canonical_map()
        finally:
            bench.close()
        assert report.records == 320
        groups: dict[str, set[str]] = {}
        for member, head in mapping.items():
            groups.setdefault(head, set()).add(member)
        merged[entity_addresses] = {frozenset(g) for g in groups.values()}
    assert merged[True] == merged[False]
    right = {g for g in merged[True] if len({i.split("-")[1] for i in g}) == 1}
    assert len(right) >= 120  # most of the 160 people are found in both datasets
    assert right == merged[True]  # and no namesakes are merged
