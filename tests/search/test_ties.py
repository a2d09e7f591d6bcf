"""Hits that tie on score are paged in a stable order: every page of a long tie holds
other entities, no entity is shown twice or skipped, and a repeated search (or one
after a reindex) pages them alike. Ties are read by at most two searches: the page,
then one wide enough for the whole tie (up to a cap)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.search import tantivy_index

TIED = 60  # people of one name: they all score the same
OTHERS = [
    entity("o-1", "Person", name="Anna Novakova"),
    entity("o-2", "Company", name="Novak Holding"),
]


@pytest.fixture(scope="module")
def tied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("ties")
    people = [entity(f"p-{n:03d}", "Person", name="Anna Novak") for n in range(TIED)]
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([write_entities(root / "people.ijson", people + OTHERS)], "people")
        yield bench


def _pages(bench: Workbench, size: int) -> list[list[str]]:
    pages = []
    for offset in range(0, TIED, size):
        hits = bench.search("anna novak", limit=size, offset=offset).hits
        pages.append([h.id for h in hits])
    return pages


@pytest.mark.parametrize("size", [7, 10, 25])
def test_a_long_tie_pages_without_repeats_or_gaps(tied: Workbench, size: int) -> None:
    pages = _pages(tied, size)
    shown = [entity_id for page in pages for entity_id in page]
    assert len(shown) == len(set(shown))  # nobody twice
    assert set(shown) == {f"p-{n:03d}" for n in range(TIED)}  # nobody skipped
    assert _pages(tied, size) == pages  # the same order again
    assert tied.search("anna novak", limit=TIED).total >= TIED


def test_the_cap_bounds_the_wide_search(tied: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    # A cap below the tie: the wide search reads a part of it (the page's size doubled
    # up to the cap), in a stable order still, so the pages it spans do not overlap.
    monkeypatch.setattr(tantivy_index, "_MAX_TIE_WINDOW", 16)
    assert tantivy_index._tie_window(10) == 20  # 10 doubled once reaches past the cap
    assert tantivy_index._tie_window(40) == 40  # a page past the cap: one search only
    first, second = _pages(tied, 10)[:2]
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    assert _pages(tied, 10)[:2] == [first, second]


def test_after_a_reindex_the_tie_pages_alike(tied: Workbench) -> None:
    before = _pages(tied, 10)
    tied.reindex()
    assert _pages(tied, 10) == before
