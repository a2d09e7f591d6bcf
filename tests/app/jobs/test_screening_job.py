"""A batch screening job run by a real worker over a resolved demo (SQLite store,
tantivy index): progress per batch of rows, the results kept as a file only when the
whole list is screened, and the upload deleted when the job ends."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.jobs.test_worker import _held
from threadline.app.context import Context
from threadline.app.jobs import Job, JobStore, jobs_url
from threadline.app.jobs.kinds import upload_folder
from threadline.app.jobs.screening import (
    KIND,
    ScreeningRequest,
    download_name,
    result_file,
    result_path,
)
from threadline.app.jobs.worker import Worker
from threadline.app.verbs.screening_batch import CHUNK
from threadline.app.workbench import Workbench
from threadline.demo import STORY

SCREENER = Context(purpose="screening tests", request_id="req-screen")


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    with Workbench(data_dir=tmp_path_factory.mktemp("screening") / "data") as bench:
        bench.demo(scale=0.02)
        bench.resolve()
        yield bench


@pytest.fixture
def queue(resolved: Workbench) -> Iterator[JobStore]:
    store = JobStore(jobs_url(resolved.settings))
    yield store
    store.close()


def _submit(bench: Workbench, queue: JobStore, rows: int, fmt: str = "csv") -> Job:
    job_id = queue.new_id()
    folder = upload_folder(bench.data_dir, job_id)
    folder.mkdir(parents=True)
    with (folder / "officials.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Name", "Registration"])
        writer.writerow([STORY.contractor, "HRB 73518"])
        for n in range(rows - 1):
            writer.writerow([f"Nobody Number{n}", ""])
    wanted = ScreeningRequest(
        file="officials.csv",
        schema="LegalEntity",
        maps={"name": "Name", "registrationNumber": "Registration"},
        limit=2,
        format=fmt,
    ).check()
    return queue.submit(KIND, SCREENER, wanted.params(), job_id=job_id)


def test_a_list_is_screened_by_the_worker_in_batches(resolved: Workbench, queue: JobStore) -> None:
    rows = CHUNK + 10
    job = _submit(resolved, queue, rows)
    assert Worker(resolved, queue).run(once=True) == 1
    done = queue.get(job.id)
    assert done.status == "done", done.error
    assert done.stage is not None and (done.stage.done, done.stage.total) == (rows, rows)
    result = done.result
    assert (result["screened"], result["with_candidates"]) == (rows, 1)
    assert len(result["preview"]) == min(result["rows"], 100)
    assert not upload_folder(resolved.data_dir, job.id).exists()  # the list goes
    path = result_file(resolved.acting(SCREENER), done)
    assert path == result_path(resolved.data_dir, job.id, "csv")
    assert sorted(p.name for p in path.parent.iterdir() if job.id in p.name) == [path.name]
    with path.open(newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == result["rows"]
    assert any(r["caption"] == STORY.contractor for r in table)
    assert download_name(done) == "officials-screened.csv"


def test_a_job_cancelled_half_way_leaves_no_results(
    resolved: Workbench, queue: JobStore, tmp_path: Path
) -> None:
    pause = tmp_path / "pause"
    pause.touch()
    job = _submit(resolved, queue, CHUNK * 2 + 1)
    worker = Worker(resolved, queue, lease=0.6, pause_file=pause)
    thread = threading.Thread(target=worker.run, kwargs={"once": True})
    thread.start()
    held = _held(queue, job.id)
    assert held.stage is not None and held.stage.done == CHUNK  # one batch, then paused
    queue.cancel(job.id)
    thread.join(30)
    assert not thread.is_alive()
    assert queue.get(job.id).status == "cancelled"
    folder = result_path(resolved.data_dir, job.id, "csv").parent
    assert not [p for p in folder.iterdir() if job.id in p.name]  # nothing half-written
    assert not upload_folder(resolved.data_dir, job.id).exists()
