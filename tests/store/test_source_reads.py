"""The narrow reads of ingested files that an entity read and a search make
(`Store.source_names` of some files, `Store.source_datasets`) give what the whole-table
reads give, on every store backend (the store contract's `store` fixture)."""

from __future__ import annotations

from followthemoney import model

from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow, entity_statements
from threadline.store.assembly import load_entities
from threadline.store.base import Store

SEEN = "2026-01-01T00:00:00"


def _person(entity_id: str, dataset: str, sha256: str, name: str) -> list[StatementRow]:
    entity = model.make_entity("Person")
    entity.id = entity_id
    entity.add("name", name)
    return entity_statements(entity, dataset, sha256, 1, SEEN)


def _file(sha256: str, name: str, dataset: str) -> SourceInfo:
    return SourceInfo(sha256, name, dataset, 10, "csv", SEEN, 1)


def _fill(store: Store) -> None:
    """Many files over three datasets; one file (`shared`) ingested into two of them
    under two names; `p1` and `p2` come from files of their own, `p3` from two."""
    with store.writer() as writer:
        for number in range(40):
            writer.add_source(_file(f"other{number:02d}", f"other{number}.csv", "alpha"))
        writer.add_source(_file("own1", "one.csv", "alpha"))
        writer.add_source(_file("own2", "two.csv", "beta"))
        writer.add_source(_file("shared", "zz-first.csv", "alpha"))
        writer.add_source(_file("shared", "aa-second.csv", "gamma"))
        writer.add(_person("p1", "alpha", "own1", "Ivan Petrov"))
        writer.add(_person("p2", "beta", "own2", "Anna Petrova"))
        writer.add(_person("p3", "alpha", "shared", "Olga Ivanova"))
        writer.add(_person("p3", "gamma", "shared", "Olga Ivanova"))


def test_names_of_some_files_are_those_of_all_files(store: Store) -> None:
    _fill(store)
    everything = store.source_names()
    assert len(everything) == 43
    # By dataset, then name, the last wins: gamma's name for the shared file.
    assert everything["shared"] == "aa-second.csv"
    for wanted in ({"own1"}, {"shared", "own2"}, {"shared", "missing"}, set()):
        assert store.source_names(wanted) == {
            sha: name for sha, name in everything.items() if sha in wanted
        }


def test_loaded_entities_name_the_files_of_their_statements(store: Store) -> None:
    _fill(store)
    everything = store.source_names()
    loaded = load_entities(store, ["p1", "p3", "missing"])
    assert set(loaded) == {"p1", "p3"}
    for entity in loaded.values():
        facts = entity.facts()
        assert facts and all(f.source_name == everything[f.source] for f in facts)
        # Every file any loaded entity came from, and no other.
        assert entity.source_names == {"own1": "one.csv", "shared": "aa-second.csv"}


def test_datasets_with_files_are_read_whole(store: Store) -> None:
    assert store.source_datasets() == set()
    _fill(store)
    assert store.source_datasets() == {s.dataset for s in store.sources()}
    assert store.source_datasets() == {"alpha", "beta", "gamma"}
