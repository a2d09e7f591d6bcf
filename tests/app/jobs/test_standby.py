"""No request waits forever for a worker that is not there: a standby worker (a
server process of `serve --workers N`) takes the upkeep jobs no worker took within a
few seconds, and a graph request whose build no one took is told so plainly."""

from __future__ import annotations

import time

import pytest

from threadline.app.accountability import SYSTEM_ACTOR
from threadline.app.context import Context
from threadline.app.jobs import JobStore
from threadline.app.jobs import graph as graph_jobs
from threadline.app.jobs.worker import STANDBY_KINDS, Worker
from threadline.app.workbench import Workbench
from threadline.errors import GraphBuilding
from threadline.settings import Settings

SYSTEM = Context(actor=SYSTEM_ACTOR)


def test_a_standby_claim_takes_only_jobs_that_waited(jobs: JobStore) -> None:
    job = jobs.submit("graph", SYSTEM, {})
    assert jobs.claim("standby", 30, ["graph"], waited=60) is None  # a worker's, first
    time.sleep(0.3)
    claimed = jobs.claim("standby", 30, ["graph"], waited=0.2)
    assert claimed is not None and claimed.id == job.id and claimed.worker == "standby"


def test_a_standby_claim_takes_over_a_dead_workers_job_at_once(jobs: JobStore) -> None:
    job = jobs.submit("graph", SYSTEM, {})
    assert jobs.claim("dead", 0.05, ["graph"]) is not None
    time.sleep(0.2)  # its lease runs out
    taken = jobs.claim("standby", 30, ["graph"], waited=60)
    assert taken is not None and (taken.id, taken.attempts) == (job.id, 2)


def test_a_standby_worker_runs_upkeep_only(bench: Workbench, jobs: JobStore) -> None:
    standby = Worker.standby(bench, jobs, after=0.0)
    assert sorted(standby.kinds) == sorted(STANDBY_KINDS) == ["cover", "graph"]
    ingest = jobs.submit("ingest", Context(actor="bob"), {"ingest": []})
    graph = jobs.submit("graph", SYSTEM, {})
    assert standby.run(once=True) == 1
    assert jobs.get(graph.id).status == "done" and jobs.get(ingest.id).status == "queued"


def test_a_build_no_worker_took_is_said_plainly(jobs: JobStore) -> None:
    assert Settings().graph_no_worker_seconds == graph_jobs.NO_WORKER_AFTER  # one default
    assert graph_jobs.queue_build(jobs, no_worker_after=0.2) is not None
    assert graph_jobs.queue_build(jobs, no_worker_after=0.2) is None  # queued, not long
    assert graph_jobs.queue_build(jobs) is None  # the default waits longer
    time.sleep(0.3)
    with pytest.raises(GraphBuilding) as raised:
        graph_jobs.queue_build(jobs, no_worker_after=0.2)
    message = str(raised.value)
    assert "none is running" in message and "`threadline worker`" in message
    assert raised.value.retry_after >= 1
    assert len(jobs.jobs(kind="graph")) == 1  # still the one job
    # A worker busy with another job comes to it later: nothing to say then.
    jobs.submit("ingest", Context(actor="bob"), {})
    assert jobs.claim("busy", 30, ["ingest"]) is not None
    assert graph_jobs.queue_build(jobs, no_worker_after=0.2) is None
    # A worker after a change queues no second build while one waits.
    assert graph_jobs.queue_build(jobs, changed=True) is None
