"""One write batch of the tantivy index: an id's documents are replaced, never doubled,
whether the batch deleted the id first, cleared the index, or adds the id twice."""

from __future__ import annotations

from pathlib import Path

from threadline.search.document import IndexDocument
from threadline.search.query import SearchQuery
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
