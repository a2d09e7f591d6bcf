"""One write batch of the tantivy index: an id's documents are replaced, never doubled,
whether the batch deleted the id first, cleared the index, or adds the id twice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import tantivy

from threadline.search.document import IndexDocument
from threadline.search.index import EncodedChunk
from threadline.search.query import SearchQuery
from threadline.search.tantivy_batch import CHUNK, TantivyBatch, encode_document
from threadline.search.tantivy_index import TantivyIndex


def _doc(entity_id: str, name: str) -> IndexDocument:
    return IndexDocument(
        id=entity_id,
        schema="Person",
        schemata=["Person"],
        caption=name,
        datasets=["alpha"],
        countries=[],
        names=[name],
        values=[],
        name_text=name.lower(),
        name_grams="",
        full_text=name.lower(),
    )


def _captions(index: TantivyIndex, text: str) -> list[str]:
    return sorted(hit.caption for hit in index.search(SearchQuery(text=text)).hits)


def test_an_id_deleted_then_added_in_one_batch_is_replaced(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    index.upsert([_doc("a", "anna old"), _doc("b", "bert old")])
    with index.writing() as batch:
        batch.delete(["a", "b"])
        batch.add([_doc("a", "anna new")])
    assert index.count() == 1
    assert _captions(index, "anna") == ["anna new"]


def test_an_id_added_twice_in_one_batch_keeps_the_last(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    index.upsert([_doc("a", "anna old")])
    with index.writing() as batch:
        batch.delete(["a"])
        batch.add([_doc("a", "anna first"), _doc("b", "bert")])
        batch.add([_doc("a", "anna second")])
    assert index.count() == 2
    assert _captions(index, "anna") == ["anna second"]


def test_an_upsert_replaces_what_the_index_holds(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    index.upsert([_doc("a", "anna old")])
    index.upsert([_doc("a", "anna new")])
    assert index.count() == 1
    assert _captions(index, "anna") == ["anna new"]


def test_adding_after_a_clear_writes_each_id_once(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    index.upsert([_doc("a", "anna old"), _doc("b", "bert old")])
    with index.writing() as batch:
        batch.clear()
        batch.add([_doc("a", "anna new")])
    assert index.count() == 1
    assert _captions(index, "anna") == ["anna new"]


def _stored(index: TantivyIndex) -> list[dict[str, object]]:
    """Every stored document, as tantivy gives it back, in id order."""
    searcher = index.index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=1_000)
    docs = [searcher.doc(address).to_dict() for _, address in found.hits]
    return sorted(docs, key=lambda d: (str(d["id"]), str(d.get("payload"))))


def test_an_encoded_chunk_adds_what_the_documents_would(tmp_path: Path) -> None:
    documents = [_doc("a", "anna"), replace(_doc("b", "bert"), countries=["de"])]
    sliced = replace(_doc("b", "bert part"), absent=["beta"])
    plain, encoded = TantivyIndex(tmp_path / "plain"), TantivyIndex(tmp_path / "encoded")
    plain.upsert([*documents, sliced])
    with encoded.writing() as batch:
        chunk = EncodedChunk(["a", "b", "b"], [encode_document(d) for d in [*documents, sliced]])
        assert batch.add_encoded([chunk]) == 2
    assert _stored(encoded) == _stored(plain)
    assert encoded.count() == 2  # the slice is not an entity of its own
    assert _captions(encoded, "bert") == ["bert"]


def test_an_id_that_comes_again_later_in_a_chunk_keeps_the_last(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    index.upsert([_doc("a", "anna old")])
    with index.writing() as batch:
        docs = [_doc("a", "anna first"), _doc("b", "bert"), _doc("a", "anna second")]
        chunk = EncodedChunk([d.id for d in docs], [encode_document(d) for d in docs])
        batch.add_encoded([chunk])
    assert index.count() == 2
    assert _captions(index, "anna") == ["anna second"]


def test_many_ids_are_deleted_and_replaced_in_bulk(tmp_path: Path) -> None:
    # More ids than one delete query takes, so the deletes run in several chunks.
    many = CHUNK * 2 + 7
    index = TantivyIndex(tmp_path)
    index.upsert(_doc(f"e{i:05d}", f"old{i}") for i in range(many))
    assert index.count() == many
    with index.writing() as batch:
        batch.delete([f"e{i:05d}" for i in range(0, many, 2)])
        batch.add(_doc(f"e{i:05d}", f"new{i}") for i in range(1, many, 4))
    # The odd ids' old documents stay but for every other one, which is replaced.
    assert index.count() == len(range(1, many, 2))

    def exact(text: str) -> list[str]:
        return [hit.caption for hit in index.search(SearchQuery(text=text, fuzzy=False)).hits]

    assert exact("old1") == []
    assert exact("new1") == ["new1"]
    assert exact("old3") == ["old3"]
    assert exact("old2") == []
    assert exact(f"new{many - 2}") == [f"new{many - 2}"]


class _Recorder:
    """A stand-in for tantivy's writer that records what the batch asks of it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def delete_documents_by_query(self, query: object) -> None:
        self.calls.append("delete")

    def add_json(self, text: str) -> None:
        self.calls.append("add")


def test_a_batch_on_an_empty_index_deletes_nothing_until_it_adds(tmp_path: Path) -> None:
    schema = TantivyIndex(tmp_path).schema
    writer = _Recorder()
    batch = TantivyBatch(writer, schema, empty=True)
    batch.delete(["a", "b"])  # as an ingest into a new index does first
    batch.add([_doc("a", "anna"), _doc("b", "bert")])
    assert writer.calls == ["add", "add"]
    batch.add([_doc("a", "anna again")])  # now there is something to replace
    assert writer.calls == ["add", "add", "delete", "add"]
    full = _Recorder()
    TantivyBatch(full, schema, empty=False).delete(["a"])
    assert full.calls == ["delete"]


def test_an_ingest_into_a_new_index_then_an_update_replaces(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    with index.writing() as batch:
        batch.delete(["a"])
        batch.add([_doc("a", "anna old"), _doc("b", "bert")])
    with index.writing() as batch:
        batch.delete(["a"])
        batch.add([_doc("a", "anna new")])
    assert index.count() == 2
    assert _captions(index, "anna") == ["anna new"]
