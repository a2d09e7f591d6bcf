"""The demo, ingested for real: every piece of the story is findable, and the index is
a derived view — a golden query set answers the same after `reindex`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from threadline.demo import LANDMARKS, STORY
from threadline.search.text import name_tokens
from threadline.workbench import Workbench

SCALE = 0.2


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    with Workbench(data_dir=tmp_path_factory.mktemp("demo") / "data") as bench:
        bench.demo(scale=SCALE)
        yield bench


def test_demo_loads_all_four_sources(demo: Workbench) -> None:
    stats = {d.name: d for d in demo.datasets()}
    assert set(stats) == {"registry", "procurement", "donations", "leak"}
    assert all(s.entities > 0 and s.statements > s.entities for s in stats.values())
    assert demo.index.count() == sum(s.entities for s in stats.values())


def test_demo_is_idempotent(demo: Workbench) -> None:
    before = demo.datasets()
    demo.demo(scale=SCALE)
    assert demo.datasets() == before


ROLES = ["official", "relative", "offshore", "holding", "contractor", "authority"]


@pytest.mark.parametrize("role", ROLES)
def test_each_piece_of_the_story_is_found_under_every_spelling(demo: Workbench, role: str) -> None:
    for spelling in STORY.spelled(role):
        top = demo.search(spelling, limit=3).hits
        assert top, spelling
        # The best hit carries this name, up to case, accents, script and word order
        # ("Albrecht, Katrin" is "Katrin Albrecht").
        assert sorted(name_tokens(top[0].caption)) == sorted(name_tokens(spelling)), (
            spelling,
            [h.caption for h in top],
        )


def test_relative_found_across_scripts(demo: Workbench) -> None:
    latin = {h.caption for h in demo.search(STORY.relative, schema="Person", limit=5).hits}
    native = {h.caption for h in demo.search(STORY.relative_native, schema="Person", limit=5).hits}
    assert {STORY.relative, STORY.relative_native} <= latin
    assert {STORY.relative, STORY.relative_native} <= native


def test_contractor_found_without_umlaut_and_with_typo(demo: Workbench) -> None:
    captions = {h.caption for h in demo.search("Bruckenbau Hansa", limit=10).hits}
    assert STORY.contractor in captions
    typo = {h.caption for h in demo.search("Brükenbau Hansa", limit=10).hits}
    assert STORY.contractor in typo


def test_landmark_names(demo: Workbench) -> None:
    assert demo.search("Daimlr", limit=1).hits[0].caption.startswith("Daimler")
    vermoegen = demo.search("Vermogensberatung", limit=5).hits
    assert any("Vermögensberatung" in h.caption for h in vermoegen)
    assert LANDMARKS is not None


GOLDEN = [
    ("", {}),
    ("Brückenbau Hansa", {}),
    ("Sokolov", {"schema": "Person"}),
    ('"Halcyon Crest"', {}),
    ("GmbH", {"dataset": "registry", "limit": 25}),
    ("Berlin", {"country": "de", "limit": 25}),
    ("Daimlr", {}),
    ("consulting services", {"dataset": "leak", "limit": 50}),
]


def test_golden_queries_identical_after_reindex(demo: Workbench) -> None:
    def answers() -> list[object]:
        return [demo.search(q, **kw) for q, kw in GOLDEN]  # type: ignore[arg-type]

    before = answers()
    assert all(r.total > 0 for r in before)
    demo.reindex()
    assert answers() == before
