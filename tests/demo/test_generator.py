"""Tests for the demo generator: reproducible bytes, valid mappings, the story and the noise."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from followthemoney import model
from followthemoney.mapping.csv import CSVSource
from followthemoney.proxy import EntityProxy

import threadline.demo
from threadline.demo import LANDMARKS, STORY, DemoSource, generate

SMALL = 0.05
DOCUMENTS = "correspondence"
Entities = dict[str, EntityProxy]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _add(entities: Entities, entity: EntityProxy) -> None:
    assert entity.id is not None
    known = entities.get(entity.id)
    if known is None:
        entities[entity.id] = entity
    else:
        known.merge(entity)


def _mapped(path: Path, dataset: str) -> Iterable[EntityProxy]:
    """Run a mapping YAML through followthemoney's engine, reading its CSVs next to it."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(config) == [dataset]
    for query in config[dataset]["queries"]:
        query = {**query, "csv_url": str(path.parent / query["csv_url"])}
        mapping = model.make_mapping(query, key_prefix=dataset, dataset=dataset)
        assert isinstance(mapping.source, CSVSource)
        for record in mapping.source.records:
            yield from mapping.map(record).values()


def load(source: DemoSource) -> Entities:
    """Assemble a source's entities by id, the way ingest will see them."""
    entities: Entities = {}
    for path in source.paths:
        if path.suffix == ".yml":
            for entity in _mapped(path, source.dataset):
                _add(entities, entity)
        else:
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    _add(entities, model.get_proxy(json.loads(line), cleaned=False))
    return entities


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> list[DemoSource]:
    return generate(tmp_path_factory.mktemp("demo"), scale=SMALL)


@pytest.fixture(scope="module")
def loaded(small: list[DemoSource]) -> dict[str, Entities]:
    return {source.dataset: load(source) for source in small if source.dataset != DOCUMENTS}


def _named(entities: Entities, schema: str, names: Iterable[str]) -> list[EntityProxy]:
    wanted = set(names)
    return [e for e in entities.values() if e.schema.is_a(schema) and wanted & set(e.get("name"))]


def _one(entities: Entities, schema: str, names: Iterable[str]) -> EntityProxy:
    found = _named(entities, schema, names)
    assert len(found) == 1, (schema, found)
    return found[0]


def _links(entities: Entities, schema: str, **ends: str) -> list[EntityProxy]:
    return [
        e
        for e in entities.values()
        if e.schema.name == schema and all(value in e.get(prop) for prop, value in ends.items())
    ]


def test_public_surface() -> None:
    assert sorted(threadline.demo.__all__) == sorted(
        ["LANDMARKS", "STORY", "DemoSource", "Landmarks", "Story", "generate"]
    )


def test_sources_have_the_documented_shape(small: list[DemoSource]) -> None:
    assert [s.dataset for s in small] == [
        "registry",
        "procurement",
        "donations",
        "leak",
        DOCUMENTS,
    ]
    for source in small:
        assert source.title
        if source.dataset == DOCUMENTS:  # a folder of documents, ingested whole
            (folder,) = source.paths
            assert sorted(p.suffix for p in folder.iterdir()) == [
                ".eml",
                ".eml",
                ".eml",
                ".pdf",
                ".png",
            ]
            continue
        assert source.paths and all(p.is_file() for p in source.paths)
        suffixes = {p.suffix for p in source.paths}
        assert suffixes == ({".ijson"} if source.dataset == "leak" else {".yml"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        small[0].dataset = "other"  # type: ignore[misc]  # the point is that this fails


def test_same_seed_gives_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=11, scale=SMALL)
    generate(tmp_path / "b", seed=11, scale=SMALL)
    generate(tmp_path / "c", seed=12, scale=SMALL)
    first = _digests(tmp_path / "a")
    assert len(first) == 16  # 11 record files and 5 documents
    assert first == _digests(tmp_path / "b")
    assert first != _digests(tmp_path / "c")


def test_scale_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, scale=0)


def test_csv_urls_are_relative(small: list[DemoSource]) -> None:
    for source in small:
        for path in source.paths:
            if path.suffix != ".yml":
                continue
            config = yaml.safe_load(path.read_text(encoding="utf-8"))
            for query in config[source.dataset]["queries"]:
                assert "/" not in query["csv_url"]
                assert (path.parent / query["csv_url"]).is_file()


def test_mappings_produce_valid_entities(
    small: list[DemoSource], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="followthemoney")
    for source in small:
        for path in source.paths:
            if path.suffix != ".yml":
                continue
            schemata: Counter[str] = Counter()
            for entity in _mapped(path, source.dataset):
                assert entity.id
                assert not entity.schema.abstract
                assert model.get(entity.schema.name) is entity.schema
                # Every value survives a strict re-parse: nothing the engine let through is junk.
                assert (
                    model.get_proxy(entity.to_dict(), cleaned=False).to_dict() == entity.to_dict()
                )
                schemata[entity.schema.name] += 1
            assert len(schemata) >= 4, (source.dataset, schemata)
    # The engine warns about values it drops (dates, countries) and rows it skips.
    assert [r.getMessage() for r in caplog.records] == []


def test_leak_is_consistent(loaded: dict[str, Entities]) -> None:
    leak = loaded["leak"]
    assert all(entity_id.startswith("leak-") for entity_id in leak)
    for entity in leak.values():
        for prop in entity.iterprops():
            if prop.type.name == "entity":
                for ref in entity.get(prop):
                    assert ref in leak, (entity.id, prop.name, ref)
    assert {e.schema.name for e in leak.values()} == {"Company", "Person", "Ownership", "Payment"}


def test_assembled_entities_hold_together(loaded: dict[str, Entities]) -> None:
    for dataset, entities in loaded.items():
        for entity in entities.values():
            for prop in entity.iterprops():
                if prop.type.name == "entity":
                    for ref in entity.get(prop):
                        assert ref in entities, (dataset, entity.schema.name, prop.name)
            if entity.schema.is_a("LegalEntity"):
                assert entity.get("name"), (dataset, entity.id)


def test_the_story_chain_exists(loaded: dict[str, Entities]) -> None:
    procurement, registry, leak = loaded["procurement"], loaded["registry"], loaded["leak"]

    # official -> authority (procurement)
    authority = _one(procurement, "PublicBody", [STORY.authority])
    official = _one(procurement, "Person", [STORY.official])
    jobs = _links(
        procurement, "Employment", employee=official.id or "", employer=authority.id or ""
    )
    assert len(jobs) == 1

    # official -> relative (procurement declarations)
    (family,) = _links(procurement, "Family", person=official.id or "")
    assert family.get("relationship") == [STORY.relationship]
    relative = procurement[family.first("relative") or ""]
    assert set(relative.get("name")) <= set(STORY.spelled("relative"))

    # relative -> offshore -> holding (leak)
    relative_leak = _one(leak, "Person", [STORY.relative_native])
    offshore = _one(leak, "Company", [STORY.offshore])
    assert _links(leak, "Ownership", owner=relative_leak.id or "", asset=offshore.id or "")
    holding_leak = _one(leak, "Company", STORY.spelled("holding"))
    assert _links(leak, "Ownership", owner=offshore.id or "", asset=holding_leak.id or "")

    # holding -> contractor (registry)
    holding = _one(registry, "Company", [STORY.holding])
    contractor = _one(registry, "Company", [STORY.contractor])
    assert _links(registry, "Ownership", owner=holding.id or "", asset=contractor.id or "")
    assert not _links(registry, "Ownership", asset=holding.id or ""), "the registry hides it"

    # contractor -> awards from the official's authority (procurement)
    suppliers = {e.id for e in _named(procurement, "Company", STORY.spelled("contractor"))}
    contracts = {e.id for e in _links(procurement, "Contract", authority=authority.id or "")}
    awards = [
        e
        for e in procurement.values()
        if e.schema.name == "ContractAward"
        and set(e.get("supplier")) & suppliers
        and set(e.get("contract")) & contracts
    ]
    assert len(awards) == 5
    assert sum(float(e.first("amount") or 0) for e in awards) > 40_000_000
    assert len(suppliers) >= 2, "the contractor is spelled more than one way"


def test_every_story_name_is_findable(loaded: dict[str, Entities]) -> None:
    names = {name for entities in loaded.values() for e in entities.values() for name in e.names}
    for name in (
        STORY.official,
        STORY.relative,
        STORY.relative_native,
        STORY.offshore,
        STORY.holding,
        STORY.contractor,
        STORY.authority,
    ):
        assert name in names, name
    for _, spellings in STORY.spellings:
        for spelling in spellings:
            assert spelling in names, spelling
    assert STORY.contractor in STORY.narrative and STORY.relative_native in STORY.narrative
    with pytest.raises(KeyError):
        STORY.spelled("nobody")


def test_landmarks_and_noise(loaded: dict[str, Entities]) -> None:
    def names_in(dataset: str) -> set[str]:
        return {name for e in loaded[dataset].values() for name in e.names}

    registry, procurement = names_in("registry"), names_in("procurement")
    donations, leak = names_in("donations"), names_in("leak")
    assert LANDMARKS.daimler in registry and LANDMARKS.daimler in procurement
    assert LANDMARKS.daimler_typo in donations
    assert LANDMARKS.vermoegensberatung in registry
    assert LANDMARKS.vermoegensberatung_folded in donations
    assert LANDMARKS.vermoegensberatung_transcribed in leak
    assert LANDMARKS.cyrillic_person in leak and LANDMARKS.latin_person in donations
    assert LANDMARKS.greek_person in leak and LANDMARKS.greek_latin_person in registry

    def script(name: str, prefix: str) -> bool:
        return any(unicodedata.name(ch, "").startswith(prefix) for ch in name)

    assert any(script(n, "CYRILLIC") for n in leak)
    assert any(script(n, "GREEK") for n in leak)
    assert not any(script(n, "CYRILLIC") for n in registry | procurement | donations)
    # Legal forms spelled more than one way, and an accent lost between sources.
    assert "Brückenbau Hansa G.m.b.H." in procurement and "Bruckenbau Hansa GmbH" in procurement


@pytest.mark.slow
def test_full_scale(tmp_path: Path) -> None:
    sources = generate(tmp_path)
    counts = {s.dataset: len(load(s)) for s in sources if s.dataset != DOCUMENTS}
    assert all(count > 1000 for count in counts.values()), counts
    assert 40_000 <= sum(counts.values()) <= 60_000, counts

    names = [
        name
        for path in sorted(tmp_path.glob("*.csv"))
        for row in path.read_text(encoding="utf-8").splitlines()
        for name in row.split(",")
    ]
    text = "\n".join(names)
    for variant in ("G.m.b.H.", "Gesellschaft mbH", "Ltd.", "Limited", "GMBH", "str.", "strasse"):
        assert text.count(variant) >= 3, variant
    leak_text = (tmp_path / "leak.ijson").read_text(encoding="utf-8")
    cyrillic = sum(1 for ch in leak_text if "\u0400" <= ch <= "\u04ff")
    assert cyrillic > 500
