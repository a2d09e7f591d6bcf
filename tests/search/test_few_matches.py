"""A search that read all its matches counts their facets by id; the counts are those
of aggregating the query itself, for the whole index and for a reader of part of it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.search.query import SearchQuery
from threadline.search.tantivy_index import TantivyIndex


def test_facets_of_a_few_matches_equal_the_aggregated_ones(
    bench: Workbench, tmp_path: Path
) -> None:
    people = [
        entity("a", "Person", name="Anna Novak", nationality="cz"),
        entity("b", "Person", name="Anna Novack", nationality="sk"),
        entity("c", "Company", name="Novak Trading", jurisdiction="cz"),
        entity("d", "Person", name="Boris Petrov", nationality="ru"),
    ]
    bench.ingest([write_entities(tmp_path / "one.ijson", people[:3])], "one")
    bench.ingest([write_entities(tmp_path / "two.ijson", people[3:])], "two")
    index = bench.index
    assert isinstance(index, TantivyIndex)
    for text in ("novak", "anna", "boris", "nobody", "novak anna"):
        for scope in ({}, {"visible": frozenset({"one"}), "hidden": frozenset({"two"})}):
            query = SearchQuery(text, **scope)  # type: ignore[arg-type]
            result = index.search(query)
            tquery = index._query(query)[0]
            assert result.facets == index._facets(index.index.searcher(), tquery), text
