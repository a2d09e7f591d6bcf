"""Slices only for reader sets that search: two records merged by a resolve are indexed
whole until a reader of one of their datasets searches; that reader then finds the part
they may read and nothing else, on their first search (their reader set is covered
before it runs), and a reader set never covered fails closed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app import covering
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.progress import NoProgress
from threadline.search.query import SearchQuery, SearchResult
from threadline.search.tantivy_index import TantivyIndex
from threadline.settings import Settings

ALPHA_ONLY = ("alphaword",)  # a value only alpha's record holds
BETA_ONLY = ("betaword", "Nowak", "X-4455")  # and only beta's
TOWNS = ["Aachen", "Celle", "Dessau", "Emden", "Fulda", "Gera", "Hagen"]
SYLLABLES = ["ka", "ro", "mi", "tel", "san", "dor", "vi", "len", "bru", "gan", "tos", "we"]


def _register(rng: random.Random) -> list[tuple[str, str]]:
    """Names and addresses of a small register of organisations (as in the priors'
    tests: enough records for a resolve to merge exact duplicates)."""
    names: set[str] = set()
    while len(names) < 80:
        word = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        names.add(f"{word} {rng.choice(['Verein', 'GmbH', 'eG'])}")
    return [
        (name, f"Marktplatz {n + 2}, {rng.choice(TOWNS)}") for n, name in enumerate(sorted(names))
    ]


@pytest.fixture
def resolved(tmp_path: Path) -> Workbench:
    """Novak Stiftung in two datasets, each record with values of its own, merged by a
    resolve among a register and its duplicates; a third dataset; three users."""
    bench = Workbench(Settings(workers=1), data_dir=tmp_path / "data")
    register = _register(random.Random(7))
    alpha = [
        entity(
            "n1",
            "Organization",
            name="Novak Stiftung",
            address="Marktplatz 1, Bonn",
            notes="alphaword",
        ),
        *(
            entity(f"a{n}", "Organization", name=name, address=address)
            for n, (name, address) in enumerate(register)
        ),
    ]
    beta = [
        entity(
            "n2",
            "Organization",
            name="Novak Stiftung",
            address="Marktplatz 1, Bonn",
            notes="betaword",
            alias="Nowak Foundation",
            registrationNumber="X-4455",
        ),
        *(
            entity(f"b{n}", "Organization", name=name, address=address)
            for n, (name, address) in enumerate(register)
            if n % 3 == 0
        ),
        entity("c1", "Person", name="Clara Jung", birthDate="1990-05-06"),
    ]
    gamma = [entity("g1", "Organization", name="Weiss Verein", address="Am Ring 9, Gera")]
    for dataset, rows in {"alpha": alpha, "beta": beta, "gamma": gamma}.items():
        bench.ingest([write_entities(tmp_path / f"{dataset}.ijson", rows)], dataset)
    bench.resolve()
    access = bench.accountability.access
    readers = {"uma": ["alpha"], "vic": ["beta"], "all": ["alpha", "beta", "gamma"]}
    for user, datasets in readers.items():
        access.add_user(user, "investigator")
        for dataset in datasets:
            access.grant(user, dataset, "read")
    return bench


def _index(bench: Workbench) -> TantivyIndex:
    index = bench.index
    assert isinstance(index, TantivyIndex)
    return index


def _slices(bench: Workbench) -> int:
    index = _index(bench)
    index.index.reload()
    return int(index.index.searcher().num_docs) - index.count()


def _merged(bench: Workbench) -> int:
    """Merged entities (all of alpha and beta: Novak Stiftung and the duplicates)."""
    return len(set(bench.store.judgements.canonical_map().values()))


def _head(bench: Workbench) -> str:
    canonical = bench.store.judgements.canonical(["n1", "n2"])
    assert canonical["n1"] == canonical["n2"], "the resolve merges the two records"
    return canonical["n1"]


def _shown(result: SearchResult) -> str:
    """Everything a result shows: captions, datasets, highlights and facet values."""
    parts = [f"{h.caption} {h.datasets} {h.countries} {h.highlights}" for h in result.hits]
    return " ".join([*parts, str(result.facets)])


def test_a_reader_of_one_dataset_finds_its_part_and_nothing_else(resolved: Workbench) -> None:
    with resolved:
        head = _head(resolved)
        admin = resolved.search("novak")
        assert [(h.id, h.datasets) for h in admin.hits] == [(head, ["alpha", "beta"])]
        assert _index(resolved).readers() == frozenset() and _slices(resolved) == 0
        uma = resolved.acting(Context(actor="uma"))
        found = uma.search("novak")
        assert [(h.id, h.datasets) for h in found.hits] == [(head, ["alpha"])]
        assert found.total == 1
        assert found.hits[0].caption == "Novak Stiftung"
        assert found.facets["dataset"] == {"alpha": 1}
        assert not [word for word in BETA_ONLY if word in _shown(found)]
        for word in BETA_ONLY:  # exactly ("Nowak" is a near spelling of her "Novak")
            result = uma.search(word, fuzzy=False)
            assert (result.hits, result.total) == ([], 0), word
        assert uma.search("alphaword").total == 1
        # Her reader set is covered: a slice of each merged entity.
        assert _index(resolved).readers() == frozenset({frozenset({"alpha"})})
        assert _slices(resolved) == _merged(resolved) > 1


def test_a_new_reader_set_fails_closed_then_is_covered_on_its_first_search(
    resolved: Workbench,
) -> None:
    with resolved:
        head = _head(resolved)
        resolved.acting(Context(actor="uma")).search("novak")
        # Vic's reader set (beta) is not covered: the index, asked directly (as a
        # watch or the matcher does), finds no part of the merged entity for him and
        # nothing of alpha, only what is his alone.
        index = _index(resolved)
        asked = SearchQuery(
            text="novak stiftung", visible=frozenset({"beta"}), hidden=frozenset({"alpha", "gamma"})
        )
        assert index.search(asked).hits == []
        assert (
            index.search(
                SearchQuery(text="alphaword", visible=asked.visible, hidden=asked.hidden)
            ).total
            == 0
        )
        assert [
            h.id
            for h in index.search(
                SearchQuery(text="clara", visible=asked.visible, hidden=asked.hidden)
            ).hits
        ] == ["c1"]
        # His first search covers it before it runs.
        vic = resolved.acting(Context(actor="vic"))
        found = vic.search("novak")
        assert [(h.id, h.datasets, h.caption) for h in found.hits] == [
            (head, ["beta"], "Novak Stiftung")
        ]
        assert not [word for word in ALPHA_ONLY if word in _shown(found)]
        assert vic.search("alphaword").total == 0
        assert index.readers() == frozenset({frozenset({"alpha"}), frozenset({"beta"})})
        assert _slices(resolved) == 2 * _merged(resolved)
        # Again: nothing more to build.
        assert (
            covering.cover(
                resolved.store, index, resolved.settings, NoProgress(), frozenset({"beta"})
            )
            == 0
        )
        assert _slices(resolved) == 2 * _merged(resolved)


def test_readers_of_everything_cause_no_slices(resolved: Workbench) -> None:
    with resolved:
        head = _head(resolved)
        everyone = resolved.acting(Context(actor="all"))
        found = everyone.search("novak")
        assert [(h.id, h.datasets) for h in found.hits] == [(head, ["alpha", "beta"])]
        assert resolved.search("stiftung").total == 1
        assert _index(resolved).readers() == frozenset() and _slices(resolved) == 0


def test_slices_follow_the_merged_entity_through_a_refresh(resolved: Workbench) -> None:
    with resolved:
        head = _head(resolved)
        uma = resolved.acting(Context(actor="uma"))
        uma.search("novak")
        # A judgement re-indexes the merged entity: with the slice of a covered set.
        resolved.judge("n1", "g1", "same")
        canonical = resolved.store.judgements.canonical(["n1", "n2", "g1"])
        head = canonical["n1"]
        assert canonical == dict.fromkeys(["n1", "n2", "g1"], head)
        assert _slices(resolved) == _merged(resolved)
        found = uma.search("novak")
        assert [(h.id, h.datasets) for h in found.hits] == [(head, ["alpha"])]
        assert [h.datasets for h in resolved.search("novak").hits] == [["alpha", "beta", "gamma"]]
        # A rebuild forgets the reader sets; the next search covers them again.
        resolved.reindex()
        assert _index(resolved).readers() == frozenset() and _slices(resolved) == 0
        assert [(h.id, h.datasets) for h in uma.search("novak").hits] == [(head, ["alpha"])]
        assert _slices(resolved) == _merged(resolved)


def test_an_index_built_with_every_subset_keeps_working(resolved: Workbench) -> None:
    with resolved:
        head = _head(resolved)
        index = _index(resolved)
        # As an older threadline built it: a slice for every proper subset (one per
        # dataset here), and no record of reader sets.
        for reader in ({"alpha"}, {"beta"}):
            covering.cover(
                resolved.store, index, resolved.settings, NoProgress(), frozenset(reader)
            )
        (index.path / "threadline-readers").unlink()
        assert index.readers() is None and _slices(resolved) == 2 * _merged(resolved)
        # Uma's first search replaces the merged entities' documents (no part twice).
        found = resolved.acting(Context(actor="uma")).search("novak")
        assert [(h.id, h.datasets) for h in found.hits] == [(head, ["alpha"])]
        assert index.readers() == frozenset({frozenset({"alpha"})})
        assert _slices(resolved) == _merged(resolved)


def test_beyond_the_most_reader_sets_a_search_fails_closed(
    resolved: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(covering, "MAX_READER_SETS", 1)
    with resolved:
        _head(resolved)
        assert resolved.acting(Context(actor="uma")).search("novak").total == 1
        vic = resolved.acting(Context(actor="vic"))
        # Not covered: his part of the merged entity is missing, alpha's never shown.
        assert vic.search("novak").hits == []
        assert [h.id for h in vic.search("clara").hits] == ["c1"]
        assert _index(resolved).readers() == frozenset({frozenset({"alpha"})})


def test_one_id_in_two_datasets_is_sliced_without_a_merge(tmp_path: Path) -> None:
    """The local admin keeps ids as given: one id in two datasets is one entity of two
    datasets, with no judgement; a reader of one finds their part of it."""
    with Workbench(Settings(workers=1), data_dir=tmp_path / "data") as bench:
        for dataset, word in (("alpha", "alphaword"), ("beta", "betaword")):
            rows = [entity("s1", "Person", name="Sina Berg", notes=word)]
            bench.ingest([write_entities(tmp_path / f"{dataset}.ijson", rows)], dataset)
        access = bench.accountability.access
        access.add_user("uma", "investigator")
        access.grant("uma", "alpha", "read")
        assert [h.datasets for h in bench.search("sina").hits] == [["alpha", "beta"]]
        assert _slices(bench) == 0
        uma = bench.acting(Context(actor="uma"))
        assert [(h.id, h.datasets) for h in uma.search("sina").hits] == [("s1", ["alpha"])]
        assert uma.search("betaword", fuzzy=False).total == 0
        assert _slices(bench) == 1
