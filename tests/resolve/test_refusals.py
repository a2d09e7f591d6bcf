"""Links that clustering refused are kept, so `explain` can say why a strong pair stayed
apart; a later run replaces those of its own records and keeps the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    rows = [
        entity("p1", "Person", name="Anna Keller", nationality="de"),
        entity("p2", "Person", name="Bruno Vogel", nationality="at"),
        entity("p3", "Person", name="Carla Nowak", nationality="pl"),
    ]
    workbench = Workbench(data_dir=tmp_path / "data")
    workbench.ingest([write_entities(tmp_path / "people.json", rows)], "people")
    workbench.resolve()
    return workbench


def test_explain_names_the_refused_link_between_two_clusters(bench: Workbench) -> None:
    resolution = bench._resolution
    reason = "the 3 pairs compared between the two clusters average -4.0 bits, below -2.0"
    resolution._keep_refusals(["p1", "p2", "p3"], [(0, 1, 9.5, reason), (0, 1, 7.0, "other")])
    assert resolution.refusal({"p2"}, {"p1"}) == (9.5, reason)
    assert resolution.refusal({"p1"}, {"p3"}) is None
    status = bench.explain("p1", "p2").status
    assert status.startswith("not merged: a link of 0.99")
    assert status.endswith(f"refused when clustering: {reason}")
    assert bench.explain("p1", "p3").status == "not merged"


def test_a_run_replaces_the_refusals_between_its_own_records(bench: Workbench) -> None:
    resolution = bench._resolution
    first = [(0, 1, 9.0, "first"), (1, 2, 8.0, "second"), (0, 2, 8.5, "gone")]
    resolution._keep_refusals(["p1", "p2", "p3"], first)
    # A run over p1 and p3 only (their datasets, say) judges the link between them
    # again, and says nothing of their links to p2, which it did not see.
    resolution._keep_refusals(["p1", "p3"], [(1, 0, 7.5, "third")])
    assert resolution.refusal({"p1"}, {"p2"}) == (9.0, "first")
    assert resolution.refusal({"p2"}, {"p3"}) == (8.0, "second")
    assert resolution.refusal({"p1"}, {"p3"}) == (7.5, "third")
    assert not resolution.refusals_path.with_name("refused.parquet.partial").exists()


def test_a_full_run_keeps_what_its_clustering_refused(bench: Workbench) -> None:
    bench.resolve(full=True)
    # Nothing was strong enough to be refused here: the file exists and is empty.
    assert bench._resolution.refusals_path.exists()
    assert bench._resolution.refusal({"p1"}, {"p2", "p3"}) is None
