"""Documents serialised where they are built (the index's encoder, as worker processes
run it) make the same index as documents handed over whole, and catching up after a
merge replaces an entity's documents in bulk without doubling any."""

from __future__ import annotations

from pathlib import Path

import tantivy

from tests.conftest import entity, write_entities
from threadline.app import covering, indexer
from threadline.app.workbench import Workbench
from threadline.progress import NoProgress
from threadline.search.query import SearchQuery
from threadline.search.tantivy_index import TantivyIndex

# Readers of one dataset each: the merged entity has a slice per dataset.
READERS = frozenset({frozenset({"alpha"}), frozenset({"beta"})})


def _stored(index: TantivyIndex) -> list[dict[str, list[object]]]:
    searcher = index.index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=1_000)
    docs = [searcher.doc(address).to_dict() for _, address in found.hits]
    return sorted(docs, key=lambda d: (str(d["id"]), str(d["payload"])))


def _loaded(bench: Workbench, tmp_path: Path) -> Workbench:
    alpha = [
        entity("a", "Person", name="Анна Новак", country="ru"),
        entity("b", "Company", name="Brückenbau Hansa Aktiengesellschaft", country="de"),
    ]
    beta = [entity("c", "Person", name="Anna Novak", nationality="ru", birthDate="1980")]
    bench.ingest([write_entities(tmp_path / "alpha.ijson", alpha)], "alpha")
    bench.ingest([write_entities(tmp_path / "beta.ijson", beta)], "beta")
    bench.store.judgements.set_canonical({"a": "a", "c": "a"}, [])
    return bench


def test_encoded_and_whole_documents_make_the_same_index(bench: Workbench, tmp_path: Path) -> None:
    store, settings = _loaded(bench, tmp_path).store, bench.settings
    whole, encoded = TantivyIndex(tmp_path / "whole"), TantivyIndex(tmp_path / "encoded")
    with whole.writing() as batch:
        assert indexer._everything(store, batch, settings, NoProgress(), None, READERS) == 2
    assert indexer.rebuild(store, encoded, settings, NoProgress()) == 2
    assert len(_stored(encoded)) == 2  # no reader set covered: no slices
    for reader in sorted(READERS, key=sorted):
        assert covering.cover(store, encoded, settings, NoProgress(), reader) == 1
    # The merged entity: its whole document and a slice per dataset, whether built
    # together or added as reader sets were covered.
    assert len(_stored(encoded)) == 4
    assert _stored(encoded) == _stored(whole)


def test_catching_up_after_a_merge_replaces_documents_once(
    bench: Workbench, tmp_path: Path
) -> None:
    loaded = _loaded(bench, tmp_path)
    indexer.catch_up(loaded.store, loaded.index, loaded.settings, NoProgress())
    for reader in READERS:
        covering.cover(loaded.store, loaded.index, loaded.settings, NoProgress(), reader)
    assert isinstance(loaded.index, TantivyIndex)
    before = _stored(loaded.index)
    # Undo the merge: the canonical entity's documents and its slices go, both records
    # come back on their own.
    loaded.store.judgements.set_canonical({}, ["a", "c"])
    assert indexer.catch_up(loaded.store, loaded.index, loaded.settings, NoProgress()) == 2
    after = _stored(loaded.index)
    assert sorted(str(d["id"][0]) for d in after) == ["a", "b", "c"]
    assert len(before) == 4
    hits = loaded.index.search(SearchQuery(text="anna novak", fuzzy=False)).hits
    assert sorted(hit.id for hit in hits) == ["a", "c"]
