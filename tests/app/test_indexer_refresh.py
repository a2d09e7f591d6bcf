"""The index after judgements: a merged entity of three datasets is found whole by a reader
of all of them and only in part by a reader of one; a split gives each record back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app import indexer
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.settings import Settings
from threadline.store.judgements import ClusterMap


@pytest.fixture
def three(tmp_path: Path) -> Workbench:
    """Anna Novak in three datasets, each record with a word of its own, merged into one."""
    bench = Workbench(Settings(workers=1), data_dir=tmp_path / "data")  # type: ignore[call-arg]
    records = {
        "alpha": entity("a1", "Person", name="Anna Novak", notes="alphaword", country="cz"),
        "beta": entity("b1", "Person", name="Anna Nowak", notes="betaword", country="pl"),
        "gamma": entity("g1", "Person", name="Ana Novak", notes="gammaword", country="sk"),
    }
    for dataset, record in records.items():
        bench.ingest([write_entities(tmp_path / f"{dataset}.ijson", [record])], dataset)
    bench.judge("a1", "b1", "same")
    bench.judge("b1", "g1", "same")
    access = bench.accountability.access
    access.add_user("uma", "investigator")
    access.grant("uma", "alpha", "read")
    return bench


def _hits(bench: Workbench, query: str) -> list[tuple[str, list[str], str]]:
    return [(h.id, h.datasets, h.caption) for h in bench.search(query, limit=20).hits]


def test_a_reader_of_one_dataset_finds_only_its_part(three: Workbench) -> None:
    with three:
        head = three.store.judgements.canonical(["a1"])["a1"]
        assert three.store.judgements.canonical(["b1", "g1"]) == {"b1": head, "g1": head}
        # The admin reads everything: one entity, all three datasets.
        assert [(i, d) for i, d, _ in _hits(three, "anna")] == [(head, ["alpha", "beta", "gamma"])]
        uma = three.acting(Context(actor="uma"))
        found = uma.search("anna")
        assert [(h.id, h.datasets) for h in found.hits] == [(head, ["alpha"])]
        assert found.hits[0].caption == "Anna Novak"
        assert found.facets["dataset"] == {"alpha": 1}
        assert found.facets["country"] == {"cz": 1}
        assert all("Nowak" not in h and "Ana " not in h for h in found.hits[0].highlights)
        # Words only the other datasets hold find nothing, not even a count.
        for word in ("betaword", "gammaword", "pl", "sk"):
            result = uma.search(word)
            assert (result.hits, result.total) == ([], 0), word
        assert uma.search("alphaword").total == 1


def test_after_a_split_each_record_is_found_on_its_own(three: Workbench) -> None:
    with three:
        judgement = next(j for j in three.judgements() if {j.left, j.right} == {"b1", "g1"})
        three.undo(judgement.id)
        canonical = three.store.judgements.canonical(["a1", "b1", "g1"])
        assert canonical["g1"] == "g1" and canonical["a1"] == canonical["b1"]
        head = canonical["a1"]
        hits = sorted((i, d) for i, d, _ in _hits(three, "novak"))
        assert hits == sorted([(head, ["alpha", "beta"]), ("g1", ["gamma"])])
        assert [i for i, _, _ in _hits(three, "gammaword")] == ["g1"]
        assert [i for i, _, _ in _hits(three, "betaword")] == [head]
        assert three.index.count() == 2
        uma = three.acting(Context(actor="uma"))
        assert [(h.id, h.datasets) for h in uma.search("anna").hits] == [(head, ["alpha"])]
        assert uma.search("gammaword").total == 0
        # And apart again: three records, each whole to the admin.
        other = next(j for j in three.judgements() if {j.left, j.right} == {"a1", "b1"})
        three.undo(other.id)
        assert sorted(i for i, _, _ in _hits(three, "novak")) == ["a1", "b1", "g1"]
        assert [(h.id, h.datasets) for h in uma.search("anna").hits] == [("a1", ["alpha"])]


def test_the_collector_is_paused_while_a_chunk_is_built_and_restored_after() -> None:
    assert gc.isenabled()
    with indexer._collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), indexer._collector_paused():
        raise RuntimeError("a build that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with indexer._collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()


def test_a_range_scan_and_lookups_give_the_same_slices(three: Workbench) -> None:
    with three:
        store = three.store
        ids = ["a1", "b1", "g1"]
        # Readers of alpha, of beta and gamma, and of everything (no slice of its own).
        readers = frozenset(
            {
                frozenset({"alpha"}),
                frozenset({"beta", "gamma"}),
                frozenset({"alpha", "beta", "gamma"}),
            }
        )
        scanned = indexer._build_with(store, indexer.Task(ids, True, readers))
        looked_up = indexer._build_with(store, indexer.Task(ids, False, readers))
        assert scanned == looked_up
        assert [(d.datasets, d.absent) for d in looked_up] == [
            (["alpha", "beta", "gamma"], []),
            (["alpha"], ["beta", "gamma"]),
            (["beta", "gamma"], ["alpha"]),
        ]
        # No reader set covered: the whole only.
        assert [d.datasets for d in indexer._build_with(store, indexer.Task(ids))] == [
            ["alpha", "beta", "gamma"]
        ]


def test_clusters_read_whole_answer_as_lookups_do_and_build_the_same_documents(
    three: Workbench,
) -> None:
    """A refresh over many ids reads the canonical map once (`ClusterMap`) and hands
    each chunk its clusters: the same canonical ids, members and documents as the
    lookups a chunk makes on its own."""
    with three:
        store = three.store
        judged = store.judgements
        ids = ["a1", "b1", "g1", "nobody"]
        whole = ClusterMap.read(judged)
        assert whole.canonical(ids) == judged.canonical(ids)
        heads = sorted(set(judged.canonical(ids).values()))
        assert whole.members_of([*heads, "b1"]) == judged.members_of([*heads, "b1"])
        readers = frozenset({frozenset({"alpha"}), frozenset({"alpha", "beta", "gamma"})})
        looked_up = indexer._build_with(store, indexer.Task(ids[:3], False, readers))
        clusters = whole.members_of(heads)
        given = indexer._build_with(store, indexer.Task(heads, False, readers, clusters=clusters))
        assert given == looked_up
        assert [(d.id, d.datasets, d.absent) for d in given] == [
            ("a1", ["alpha", "beta", "gamma"], []),
            ("a1", ["alpha"], ["beta", "gamma"]),
        ]


def test_a_judgement_in_a_larger_store_refreshes_by_lookups(tmp_path: Path) -> None:
    """Few changed ids among many stored (below `WHOLE_MAP_SHARE`) are looked up rather
    than read with the whole map: the merged entity is found once, whole, and undoing
    the judgement gives both records back."""
    bench = Workbench(Settings(workers=1), data_dir=tmp_path / "data")  # type: ignore[call-arg]
    people = [entity(f"p{n:02}", "Person", name=f"Someone Number{n}") for n in range(30)]
    people += [
        entity("x1", "Person", name="Vera Lind", notes="firstword"),
        entity("x2", "Person", name="Vera Lindh", notes="secondword"),
    ]
    with bench:
        bench.ingest([write_entities(tmp_path / "people.ijson", people)], "people")
        assert 2 / bench.store.count_entities() < indexer.WHOLE_MAP_SHARE
        judgement = bench.judge("x1", "x2", "same")
        assert [(i, d) for i, d, _ in _hits(bench, "vera")] == [("x1", ["people"])]
        assert [i for i, _, _ in _hits(bench, "secondword")] == ["x1"]
        assert bench.index.count() == 31
        bench.undo(judgement.id)
        assert sorted(i for i, _, _ in _hits(bench, "vera")) == ["x1", "x2"]
        assert bench.index.count() == 32
