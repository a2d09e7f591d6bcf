"""The job queue's contract, on SQLite and PostgreSQL: submit, claim under a lease,
beat, finish, cancel, give back, and take over a job whose worker died."""

from __future__ import annotations

import threading
import time

import pytest

from threadline.app.context import Context
from threadline.app.jobs import MAX_ATTEMPTS, JobStore, Stage
from threadline.errors import NotFoundError

ALICE = Context(actor="alice", token="secret-token", purpose="a story", request_id="r-1")
BOB = Context(actor="bob", case="case-1")


def test_a_submitted_job_keeps_its_submitter_but_not_their_token(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {"ingest": ["a.csv"], "maps": {"name": "Name"}})
    again = jobs.get(job.id)
    assert again == job
    assert (job.status, job.kind, job.actor, job.attempts) == ("queued", "ingest", "alice", 0)
    assert job.params == {"ingest": ["a.csv"], "maps": {"name": "Name"}}
    assert job.context == Context(actor="alice", purpose="a story", request_id="r-1")
    assert job.context.token is None
    assert jobs.get(job.id, "alice") == job
    with pytest.raises(NotFoundError):
        jobs.get(job.id, "bob")  # someone else's job does not exist for them
    with pytest.raises(NotFoundError):
        jobs.get("nothing")


def test_jobs_are_listed_newest_first_per_user(jobs: JobStore) -> None:
    first = jobs.submit("ingest", ALICE, {})
    second = jobs.submit("reindex", BOB, {})
    third = jobs.submit("ingest", ALICE, {})
    assert [j.id for j in jobs.jobs()] == [third.id, second.id, first.id]
    assert [j.id for j in jobs.jobs("alice")] == [third.id, first.id]
    assert [j.id for j in jobs.jobs(kind="reindex")] == [second.id]
    assert jobs.get(second.id).context == BOB


def test_claims_take_the_oldest_job_once(jobs: JobStore) -> None:
    first = jobs.submit("ingest", ALICE, {})
    second = jobs.submit("ingest", BOB, {})
    one = jobs.claim("w1", 30)
    two = jobs.claim("w2", 30)
    assert one is not None and two is not None
    assert (one.id, one.worker, one.status, one.attempts) == (first.id, "w1", "running", 1)
    assert (two.id, two.worker) == (second.id, "w2")
    assert one.started_at is not None
    assert jobs.claim("w3", 30) is None


def test_a_worker_claims_only_the_kinds_it_runs(jobs: JobStore) -> None:
    jobs.submit("resolve", ALICE, {})
    wanted = jobs.submit("ingest", ALICE, {})
    claimed = jobs.claim("w1", 30, kinds=["ingest"])
    assert claimed is not None and claimed.id == wanted.id
    assert jobs.claim("w1", 30, kinds=["ingest"]) is None


def test_concurrent_claims_never_share_a_job(jobs: JobStore) -> None:
    submitted = {jobs.submit("ingest", ALICE, {"n": n}).id for n in range(12)}
    claimed: list[str] = []
    lock = threading.Lock()

    def claim_all(name: str) -> None:
        while (job := jobs.claim(name, 30)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=claim_all, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(claimed) == sorted(submitted)  # each exactly once


def test_a_beat_renews_the_lease_and_writes_the_stage(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    assert jobs.claim("w1", 0.5) is not None
    beat = jobs.beat(job.id, "w1", 30, Stage("Reading a.csv", 10, 100, "bytes"))
    assert (beat.held, beat.cancel) == (True, False)
    assert jobs.get(job.id).stage == Stage("Reading a.csv", 10, 100, "bytes")
    time.sleep(0.6)  # past the first lease, within the renewed one
    assert jobs.claim("w2", 30) is None


def test_a_dead_workers_job_is_taken_over_and_the_dead_cannot_finish_it(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    assert jobs.claim("dead", 0.2) is not None
    deadline = time.monotonic() + 10
    while (taken := jobs.claim("alive", 30)) is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert (taken.id, taken.worker, taken.attempts) == (job.id, "alive", 2)
    assert jobs.beat(job.id, "dead", 30).held is False
    assert jobs.finish(job.id, "dead", "done", result=[1]) is False
    assert jobs.finish(job.id, "alive", "done", result={"entities": 3}) is True
    done = jobs.get(job.id)
    assert (done.status, done.result, done.worker) == ("done", {"entities": 3}, None)
    assert done.finished_at is not None and done.finished


def test_a_job_that_keeps_killing_its_workers_fails(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    for attempt in range(MAX_ATTEMPTS):
        claimed = jobs.claim(f"w{attempt}", 0.05)
        assert claimed is not None and claimed.attempts == attempt + 1
        time.sleep(0.1)
    assert jobs.claim("last", 30) is None
    failed = jobs.get(job.id)
    assert failed.status == "failed"
    assert failed.error is not None and "stopped 3 times" in failed.error


def test_a_queued_job_is_cancelled_at_once(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    with pytest.raises(NotFoundError):
        jobs.cancel(job.id, "bob")
    cancelled = jobs.cancel(job.id, "alice")
    assert (cancelled.status, cancelled.cancel) == ("cancelled", True)
    assert jobs.claim("w1", 30) is None


def test_a_running_job_is_told_to_stop_at_its_next_beat(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    assert jobs.claim("w1", 30) is not None
    asked = jobs.cancel(job.id)
    assert (asked.status, asked.cancel) == ("running", True)
    assert jobs.beat(job.id, "w1", 30).cancel is True
    assert jobs.finish(job.id, "w1", "cancelled", error="cancelled")
    finished = jobs.cancel(job.id)  # a finished job stays as it ended
    assert finished.status == "cancelled"


def test_a_failure_is_kept_with_the_row_that_caused_it(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    assert jobs.claim("w1", 30) is not None
    row = {"file": "a.csv", "line": 2, "message": "bad"}
    assert jobs.finish(job.id, "w1", "failed", error="a.csv:2: bad", failure=row)
    failed = jobs.get(job.id)
    assert (failed.status, failed.error, failed.failure) == ("failed", "a.csv:2: bad", row)


def test_a_job_given_back_is_claimed_again_without_counting(jobs: JobStore) -> None:
    job = jobs.submit("ingest", ALICE, {})
    assert jobs.claim("stopping", 30) is not None
    assert jobs.release(job.id, "stopping") is True
    assert jobs.release(job.id, "stopping") is False
    back = jobs.get(job.id)
    assert (back.status, back.worker, back.attempts) == ("queued", None, 0)
    again = jobs.claim("next", 30)
    assert again is not None and (again.id, again.attempts) == (job.id, 1)
