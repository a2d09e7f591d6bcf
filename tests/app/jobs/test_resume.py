"""A worker process SIGKILLed in the middle of an ingest job (its file's transaction
open, its progress written): a second worker takes the job over when the lease runs
out and finishes it, and every statement is stored once."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
from pathlib import Path

import orjson
import pytest

from tests.app.jobs.processes import start, stop, until
from tests.conftest import entity
from threadline.access import Role
from threadline.app.context import Context
from threadline.app.jobs import Job, JobStore, jobs_url
from threadline.app.jobs.kinds import upload_folder
from threadline.app.jobs.worker import NICE
from threadline.app.workbench import Workbench
from threadline.settings import Settings

pytestmark = pytest.mark.slow  # real processes
PEOPLE = 400


def _statements(data_dir: Path) -> list[tuple[str, str, str]]:
    store = Settings(data_dir=data_dir).resolved_store_url().removeprefix("sqlite:///")
    with sqlite3.connect(store) as conn:
        query = "SELECT entity_id, prop, value FROM statements WHERE dataset = 'resumed'"
        return sorted(conn.execute(query))


def test_a_killed_workers_job_is_resumed_by_another(tmp_path: Path) -> None:
    rows = [entity(f"r{n}", "Person", name=f"Resumed Person{n}") for n in range(PEOPLE)]
    lines = b"".join(orjson.dumps(r) + b"\n" for r in rows)
    # What the same file gives when nothing goes wrong: the statements to expect.
    reference = tmp_path / "reference"
    (tmp_path / "people.ijson").write_bytes(lines)
    bob = Context(actor="bob", purpose="resume test")
    with Workbench(data_dir=reference) as bench:
        bench.user_add("bob", Role.INVESTIGATOR)
        bench.acting(bob).ingest([tmp_path / "people.ijson"], "resumed")
    data_dir = tmp_path / "data"
    with Workbench(data_dir=data_dir) as bench:
        bench.user_add("bob", Role.INVESTIGATOR)
    queue = JobStore(jobs_url(Settings(data_dir=data_dir)))
    try:
        job_id = queue.new_id()
        folder = upload_folder(data_dir, job_id)
        folder.mkdir(parents=True)
        (folder / "people.ijson").write_bytes(lines)
        params = {"ingest": ["people.ijson"], "files": ["people.ijson"], "dataset": "resumed"}
        queue.submit("ingest", bob, params, job_id=job_id)

        pause = tmp_path / "pause"
        pause.touch()
        first_log = tmp_path / "first.log"
        worker_args = ("worker", "--lease", "1", "--poll", "0.1")
        first = start(data_dir, first_log, *worker_args, THREADLINE_JOB_PAUSE_FILE=str(pause))

        def held() -> Job | None:
            job = queue.get(job_id)
            stage = job.stage
            running = job.status == "running" and stage is not None and stage.done > 0
            assert first.poll() is None, first_log.read_text()
            return job if running else None

        taken = until(held, "the first worker to write progress")
        # A worker runs below the API processes' priority, as a team server's should.
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, first.pid) == min(19, ours + NICE)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        assert taken.attempts == 1
        assert _statements(data_dir) == []  # its transaction never committed
        pause.unlink()

        second_log = tmp_path / "second.log"
        second = start(data_dir, second_log, *worker_args)

        def finished() -> Job | None:
            job = queue.get(job_id)
            return job if job.finished else None

        done = until(finished, "the second worker to finish the job")
        assert stop(second, second_log) == 0, second_log.read_text()
    finally:
        queue.close()
    assert done.status == "done", (done.error, second_log.read_text())
    assert done.attempts == 2
    assert done.result[0]["entities"] == PEOPLE
    assert _statements(data_dir) == _statements(reference)  # complete, none twice
    assert not folder.exists()  # the job has ended: its upload is gone
    # The job, and perhaps the follow-ups it queued (a link graph rebuild, covering the
    # reader sets), if the worker took them before it was stopped.
    log = second_log.read_text()
    runs = re.findall(r"job (\S+) \((\S+) for .*\) starts", log)
    assert [kind for _, kind in runs if kind == "ingest"] == ["ingest"], log
    assert {kind for _, kind in runs} <= {"ingest", "graph", "cover"}, log
    assert (job_id, "ingest") in runs, log
    assert f"stopped after {len(runs)} jobs" in log, log
    with Workbench(data_dir=data_dir) as bench:
        assert bench.search("Person17", fuzzy=False).total == 1
        assert bench.audit_verify().ok
