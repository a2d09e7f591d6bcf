"""A tie at a page's end that the first search read whole needs no second search, and
the pages are those the wide second search gives (`TantivyIndex._paged`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.search import tantivy_index
from threadline.search.tantivy_index import TantivyIndex

TIED = 30  # fewer than the first search reads (`_FIRST_READ`)
OTHERS = [entity("o-1", "Person", name="Anna Novakova Holm")]


class _Counting:
    """A tantivy index whose searchers count their searches (real tantivy underneath)."""

    def __init__(self, index: Any) -> None:
        self.index = index
        self.searches = 0

    def searcher(self) -> Any:
        outer, searcher = self, self.index.searcher()

        class Searcher:
            def __getattr__(self, name: str) -> Any:
                return getattr(searcher, name)

            def search(self, *args: Any, **kwargs: Any) -> Any:
                outer.searches += 1
                return searcher.search(*args, **kwargs)

        return Searcher()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index, name)


@pytest.fixture(scope="module")
def tied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("tie-reads")
    people = [entity(f"p-{n:03d}", "Person", name="Anna Novak") for n in range(TIED)]
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([write_entities(root / "people.ijson", people + OTHERS)], "people")
        yield bench


def _pages(bench: Workbench) -> tuple[list[Any], int]:
    """Every page of 10 of the tie (ids, scores, total, facets), and the searches run."""
    index = bench.index
    assert isinstance(index, TantivyIndex)
    real = index.index
    counting = _Counting(real)
    index.index = counting  # type: ignore[assignment] # a counting stand-in
    try:
        pages = []
        for offset in range(0, TIED + 10, 10):
            result = bench.search("anna novak", limit=10, offset=offset)
            hits = [(h.id, h.score) for h in result.hits]
            pages.append((hits, result.total, result.facets))
    finally:
        index.index = real
    return pages, counting.searches


def test_a_tie_read_whole_at_first_takes_one_search_and_pages_alike(
    tied: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, searches = _pages(tied)
    # As before the first read was widened: the page and one more hit, then the wide
    # search for the whole tie.
    monkeypatch.setattr(tantivy_index, "_FIRST_READ", 1)
    narrow, narrow_searches = _pages(tied)
    assert pages == narrow
    assert searches == len(pages) < narrow_searches
    shown = [entity_id for hits, _, _ in pages for entity_id, _ in hits]
    assert len(shown) == len(set(shown)) == TIED  # nobody twice, nobody skipped


def test_a_tie_longer_than_the_first_read_is_read_by_a_second_search(
    tied: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tantivy_index, "_FIRST_READ", 16)  # shorter than the tie
    pages, searches = _pages(tied)
    monkeypatch.setattr(tantivy_index, "_FIRST_READ", 64)
    whole, _ = _pages(tied)
    assert pages == whole
    assert searches > len(pages)
