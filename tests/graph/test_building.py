"""One build of a stale view at a time, across threads and processes; a caller that
will not wait (the HTTP API) is told how far the build is, and a job builds it."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from tests.graph.conftest import load_small
from threadline.app.jobs import JobStore, jobs_url
from threadline.app.jobs.graph import KIND
from threadline.app.jobs.worker import Worker
from threadline.app.verbs.graph import view_builds, view_cache
from threadline.app.workbench import Workbench
from threadline.errors import GraphBuilding
from threadline.graph.building import BuildLock, BuildState
from threadline.graph.cache import ViewCache
from threadline.settings import Settings


class Recorder:
    """A progress sink that keeps the labels of the tasks it was given."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def begin(self, label: str, total: int | None, unit: str) -> None:
        self.labels.append(label)

    def advance(self, amount: int) -> None:
        pass

    def end(self) -> None:
        pass


def _twin(bench: Workbench) -> ViewCache:
    """A second cache of the same view, as another process has."""
    return ViewCache(
        lambda: bench.store,
        bench.data_dir / "graph",
        canonical_version=lambda: bench.store.judgements.version(),
    )


def test_two_threads_asking_at_once_build_once(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        caches = [view_cache(bench), _twin(bench)]
        lock = BuildLock(bench.data_dir / "graph")
        held = lock.acquire(wait=True)  # both ask while a third builder holds the lock
        assert held is not None
        threads = [threading.Thread(target=c.adjacency) for c in caches]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        held.release()
        for thread in threads:
            thread.join(30)
        assert sum(c.built for c in caches) == 1
        assert caches[0].adjacency().meta.fingerprint == caches[1].adjacency().meta.fingerprint


def _neighbours_in_a_process(data_dir: Path, go: Path) -> int:
    with Workbench(data_dir=data_dir) as bench:
        while not go.exists():
            time.sleep(0.01)
        bench.graph_neighbours("anna")
        return view_cache(bench).built


def test_two_processes_asking_at_once_build_once(tmp_path: Path) -> None:
    data_dir, go = tmp_path / "data", tmp_path / "go"
    with Workbench(data_dir=data_dir) as bench:
        load_small(bench, tmp_path)
    lock = BuildLock(data_dir / "graph")
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        held = lock.acquire(wait=True)
        assert held is not None
        asked = [pool.apply_async(_neighbours_in_a_process, (data_dir, go)) for _ in range(2)]
        go.touch()
        time.sleep(1.0)  # both are waiting for the lock (or still starting)
        held.release()
        assert sorted(a.get(120) for a in asked) == [0, 1]


def test_the_library_waits_for_another_builder_and_says_so(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        lock = BuildLock(bench.data_dir / "graph")
        held = lock.acquire(wait=True)
        assert held is not None
        threading.Timer(0.3, held.release).start()
        shown = Recorder()
        hood = view_builds(bench, progress=shown).graph_neighbours("anna")
        assert "boris" in {n.id for n in hood.nodes}
        assert shown.labels == [
            "waiting for another process to build the link graph",
            "building the link graph",
        ]


def test_a_caller_that_will_not_wait_hears_how_far_the_build_is(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        view_cache(bench).inline_limit = 0  # every view counts as large
        lock = BuildLock(bench.data_dir / "graph")
        held = lock.acquire(wait=True)
        assert held is not None
        try:
            lock.write(BuildState(400, 1000, time.time() - 4))
            with pytest.raises(GraphBuilding) as busy:
                view_builds(bench, background=True).graph_neighbours("anna")
        finally:
            held.release()
        assert busy.value.percent == 40
        assert busy.value.retry_after == 6  # 600 more at 100 a second
        assert str(busy.value) == "the link graph is being built, 40% done; try again in 6 s"


def test_a_large_stale_view_is_left_to_a_job(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        view_cache(bench).inline_limit = 0  # every view counts as large
        quick = view_builds(bench, background=True)
        for _ in range(2):
            with pytest.raises(GraphBuilding, match="queued for a job worker"):
                quick.graph_neighbours("anna")
        queue = JobStore(jobs_url(bench.settings))
        try:
            (job,) = queue.jobs(kind=KIND)  # asked twice, queued once
            assert job.status == "queued"
            assert Worker(bench, queue, poll=0.05).run(once=True) == 1
            assert queue.get(job.id).result["built"] is True
        finally:
            queue.close()
        assert view_cache(bench).built == 1
        assert "boris" in {n.id for n in quick.graph_neighbours("anna").nodes}


def test_a_small_stale_view_is_built_or_waited_for_in_the_call(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        quick = view_builds(bench, background=True)
        held = BuildLock(bench.data_dir / "graph").acquire(wait=True)
        assert held is not None
        threading.Timer(0.3, held.release).start()  # a small build elsewhere: worth a wait
        assert "boris" in {n.id for n in quick.graph_neighbours("anna").nodes}
        more = [entity("own9", "Ownership", owner="anna", asset="zeta")]
        bench.ingest([write_entities(tmp_path / "more.ijson", more)], "more")
        assert "zeta" in {n.id for n in quick.graph_neighbours("anna").nodes}
        assert view_cache(bench).built == 2


def test_the_no_worker_wait_is_the_settings(tmp_path: Path) -> None:
    settings = Settings(graph_no_worker_seconds=0.2)
    with Workbench(settings, data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        view_cache(bench).inline_limit = 0  # every view counts as large
        quick = view_builds(bench, background=True)
        with pytest.raises(GraphBuilding, match="queued for a job worker"):
            quick.graph_neighbours("anna")
        time.sleep(0.3)  # no worker took the build within the setting's 0.2 s
        with pytest.raises(GraphBuilding, match="none is running"):
            quick.graph_neighbours("anna")
