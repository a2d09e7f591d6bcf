"""The worker over a real workbench (SQLite store, tantivy index): it runs a job as
its submitter, records results, row errors and refusals, cancels between steps, gives
a job back when stopped, and deletes the job's uploads only when the job has ended."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.conftest import entity
from threadline.access import Role
from threadline.app.context import Context
from threadline.app.jobs import Job, JobStore, jobs_url
from threadline.app.jobs.kinds import upload_folder
from threadline.app.jobs.worker import NICE, Worker
from threadline.app.workbench import Workbench
from threadline.audit.query import AuditFilter
from threadline.settings import Settings

BOB = Context(actor="bob", purpose="worker tests", request_id="req-bob")


@pytest.fixture
def queue(bench: Workbench) -> Iterator[JobStore]:
    bench.user_add("bob", Role.INVESTIGATOR)
    bench.user_add("vic", Role.VIEWER)
    store = JobStore(jobs_url(bench.settings))
    yield store
    store.close()


def _upload(
    bench: Workbench, queue: JobStore, context: Context, lines: bytes, **params: object
) -> Job:
    job_id = queue.new_id()
    folder = upload_folder(bench.data_dir, job_id)
    folder.mkdir(parents=True)
    (folder / "people.ijson").write_bytes(lines)
    wanted = {"ingest": ["people.ijson"], "files": ["people.ijson"], **params}
    return queue.submit("ingest", context, wanted, job_id=job_id)


def _people(count: int, prefix: str = "p") -> bytes:
    rows = [entity(f"{prefix}{n}", "Person", name=f"Person Number{n}") for n in range(count)]
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def test_a_job_runs_as_its_submitter_and_keeps_its_result(
    bench: Workbench, queue: JobStore
) -> None:
    job = _upload(bench, queue, BOB, _people(3), dataset="jobs-bob")
    assert Worker(bench, queue).run(once=True) == 3  # and the cover and graph jobs it queued
    done = queue.get(job.id)
    assert done.status == "done", done.error
    (report,) = done.result
    assert (report["file"], report["dataset"], report["entities"]) == (
        "people.ijson",
        "jobs-bob",
        3,
    )
    assert done.stage is not None and done.finished_at is not None
    assert not upload_folder(bench.data_dir, job.id).exists()  # ended: its uploads go
    newest = bench.audit_log(AuditFilter(action="ingest")).events[0].event
    assert (newest.actor, newest.request_id, newest.outcome) == ("bob", "req-bob", "ok")
    assert bench.acting(BOB).search("Number1", fuzzy=False).total == 1


def test_a_refused_job_fails_with_the_reason(bench: Workbench, queue: JobStore) -> None:
    viewer = Context(actor="vic", purpose="worker tests")
    job = _upload(bench, queue, viewer, _people(1), dataset="jobs-vic")
    Worker(bench, queue).run(once=True)
    failed = queue.get(job.id)
    assert failed.status == "failed"
    assert failed.error is not None and "investigator" in failed.error
    assert bench.search("Number0").total == 0


def test_a_bad_row_fails_the_job_and_names_the_row(bench: Workbench, queue: JobStore) -> None:
    job = _upload(bench, queue, BOB, _people(1) + b"{not json\n", dataset="jobs-bad")
    Worker(bench, queue).run(once=True)
    failed = queue.get(job.id)
    assert failed.status == "failed"
    assert failed.failure is not None
    assert (failed.failure["file"], failed.failure["line"]) == ("people.ijson", 2)
    skipped = _upload(
        bench, queue, BOB, _people(1) + b"{not json\n", dataset="jobs-bad", skip_errors=True
    )
    Worker(bench, queue).run(once=True)
    kept = queue.get(skipped.id)
    assert kept.status == "done"
    assert [e["line"] for e in kept.result[0]["errors"]] == [2]


def test_an_unknown_kind_fails(bench: Workbench, queue: JobStore) -> None:
    job = queue.submit("teleport", BOB, {})
    Worker(bench, queue, kinds=["teleport"]).run(once=True)
    assert queue.get(job.id).status == "failed"


def _held(queue: JobStore, job_id: str) -> Job:
    """The job, once its worker has written progress past the first step."""
    deadline = time.monotonic() + 60
    while True:
        job = queue.get(job_id)
        if job.status == "running" and job.stage is not None and job.stage.done > 0:
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.02)


def _count(bench: Workbench, dataset: str) -> int:
    return sum(d.entities for d in bench.datasets() if d.name == dataset)


def test_a_running_job_is_cancelled_between_steps(
    bench: Workbench, queue: JobStore, tmp_path: Path
) -> None:
    pause = tmp_path / "pause"
    pause.touch()
    job = _upload(bench, queue, BOB, _people(50), dataset="jobs-cancel")
    worker = Worker(bench, queue, lease=0.6, pause_file=pause)
    thread = threading.Thread(target=worker.run, kwargs={"once": True})
    thread.start()
    _held(queue, job.id)
    queue.cancel(job.id, "bob")
    thread.join(30)
    assert not thread.is_alive()
    cancelled = queue.get(job.id)
    assert cancelled.status == "cancelled"
    assert _count(bench, "jobs-cancel") == 0  # its file's transaction was rolled back
    assert not upload_folder(bench.data_dir, job.id).exists()


def test_a_stopped_worker_gives_its_job_back_to_the_next(
    bench: Workbench, queue: JobStore, tmp_path: Path
) -> None:
    pause = tmp_path / "pause"
    pause.touch()
    job = _upload(bench, queue, BOB, _people(50), dataset="jobs-stop")
    first = Worker(bench, queue, pause_file=pause)
    thread = threading.Thread(target=first.run)
    thread.start()
    _held(queue, job.id)
    first.stop()
    thread.join(30)
    assert not thread.is_alive()
    back = queue.get(job.id)
    assert (back.status, back.attempts) == ("queued", 0)
    assert upload_folder(bench.data_dir, job.id).exists()  # kept for the next worker
    assert Worker(bench, queue).run(once=True) == 3  # and the cover and graph jobs
    assert queue.get(job.id).status == "done"
    assert _count(bench, "jobs-stop") == 50


def test_on_postgresql_the_queue_shares_the_stores_database(
    tmp_path: Path, postgres_url: str
) -> None:
    """Progress is written to the store's own database while the job's ingest holds a
    transaction open in it; a cancel then rolls that transaction back."""
    settings = Settings(data_dir=tmp_path / "data", store_url=postgres_url)
    assert jobs_url(settings) == settings.resolved_store_url()
    pause = tmp_path / "pause"
    pause.touch()
    with Workbench(settings) as bench:
        bench.user_add("bob", Role.INVESTIGATOR)
        queue = JobStore(jobs_url(settings))
        try:
            job = _upload(bench, queue, BOB, _people(50), dataset="jobs-pg")
            worker = Worker(bench, queue, lease=0.6, pause_file=pause)
            thread = threading.Thread(target=worker.run, kwargs={"once": True})
            thread.start()
            _held(queue, job.id)
            queue.cancel(job.id, "bob")
            thread.join(30)
            assert queue.get(job.id).status == "cancelled"
            assert _count(bench, "jobs-pg") == 0
            pause.unlink()
            again = _upload(bench, queue, BOB, _people(50), dataset="jobs-pg")
            Worker(bench, queue).run(once=True)
            assert queue.get(again.id).status == "done"
            assert _count(bench, "jobs-pg") == 50
        finally:
            queue.close()


def test_a_servers_worker_thread_runs_below_the_requests(bench: Workbench, queue: JobStore) -> None:
    ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    worker = Worker(bench, queue, poll=0.05)
    thread = worker.start(nice=NICE)
    try:
        assert thread.native_id is not None
        lowered = os.getpriority(os.PRIO_PROCESS, thread.native_id)
        deadline = time.monotonic() + 10
        while lowered != min(19, ours + NICE) and time.monotonic() < deadline:
            time.sleep(0.01)  # the thread lowers itself first thing
            lowered = os.getpriority(os.PRIO_PROCESS, thread.native_id)
        assert lowered == min(19, ours + NICE)
        # Only the worker's thread: the one answering requests keeps its priority.
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == ours
    finally:
        worker.stop()
        worker.join(10)
    assert not thread.is_alive()
