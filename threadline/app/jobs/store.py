"""The persistent job queue: submit, claim with a lease, beat, finish, cancel.

Any number of processes share one job table. A worker claims the oldest job that is
queued, or running under a lease that has run out (its worker died), in one
`UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`: on PostgreSQL two
workers never wait for or take the same row; on SQLite the statement is atomic, as
every write there is. A worker holds its job by beating (renewing the lease) and
finishes it only while it still holds it, so a job reclaimed from a worker that was
presumed dead is not finished twice.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update

from threadline.app.context import Context
from threadline.app.jobs.record import Job, JobStatus, Stage, dump_context, from_row
from threadline.app.jobs.table import jobs, metadata
from threadline.audit.event import utc_timestamp
from threadline.errors import NotFoundError
from threadline.store.sqlengine import shared_engine

MAX_ATTEMPTS = 3  # a job whose worker died this many times is failed, not retried
DIED = "its worker stopped {n} times while running it; see the workers' logs"


@dataclass(frozen=True)
class Beat:
    """What a heartbeat learned: whether the worker still holds the job, and whether
    someone asked to cancel it."""

    held: bool
    cancel: bool


def _claimable(now: float, queued_before: str | None = None) -> Any:
    """A queued job (with `queued_before`, one queued no later than that), or a
    running one whose lease has run out."""
    c = jobs.c
    queued = c.status == "queued"
    if queued_before is not None:
        queued = and_(queued, c.created_at <= queued_before)
    return or_(queued, and_(c.status == "running", c.lease_until < now))


def _stage_values(stage: Stage | None) -> dict[str, Any]:
    if stage is None:
        return {}
    return {
        "stage_label": stage.label[:200],
        "stage_done": stage.done,
        "stage_total": stage.total,
        "stage_unit": stage.unit[:32],
    }


class JobStore:
    """The job table of one database (see `threadline.app.jobs.table.jobs_url`)."""

    def __init__(self, url: str | Engine) -> None:
        self.engine, self._owned = shared_engine(url)
        metadata.create_all(self.engine, checkfirst=True)
        # SQLite writes one at a time anyway; in memory, every thread shares one
        # connection, whose transactions must not interleave.
        self._serial = threading.Lock() if self.engine.dialect.name == "sqlite" else None

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        if self._serial is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._serial, self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    @staticmethod
    def new_id() -> str:
        """A job id, too long to guess."""
        return secrets.token_hex(12)

    # Submitters ------------------------------------------------------------------

    def submit(
        self,
        kind: str,
        context: Context,
        params: Mapping[str, Any],
        job_id: str | None = None,
    ) -> Job:
        """Queue a job of `kind` to run as `context`'s actor."""
        job_id = job_id or self.new_id()
        row = {
            "id": job_id,
            "kind": kind,
            "actor": context.actor,
            "context": dump_context(context),
            "params": orjson.dumps(dict(params)).decode(),
            "status": "queued",
            "cancel": False,
            "attempts": 0,
            "created_at": utc_timestamp(),
        }
        with self._begin() as conn:
            conn.execute(insert(jobs), [row])
        return self.get(job_id)

    def get(self, job_id: str, actor: str | None = None) -> Job:
        """A job (of `actor`'s, if given), or NotFoundError whoever else's it is."""
        query = select(jobs).where(jobs.c.id == job_id)
        with self._begin() as conn:
            row = conn.execute(query).first()
        if row is None or (actor is not None and row.actor != actor):
            raise NotFoundError(f"No job {job_id!r}")
        return from_row(row)

    def jobs(
        self, actor: str | None = None, kind: str | None = None, limit: int = 200
    ) -> list[Job]:
        """Jobs (of `actor`, of `kind`, if given), newest first."""
        query = select(jobs).order_by(jobs.c.created_at.desc(), jobs.c.id).limit(limit)
        if actor is not None:
            query = query.where(jobs.c.actor == actor)
        if kind is not None:
            query = query.where(jobs.c.kind == kind)
        with self._begin() as conn:
            return [from_row(row) for row in conn.execute(query)]

    def busy(self) -> bool:
        """Whether some worker runs a job now (holds a lease that has not run out)."""
        c = jobs.c
        query = select(c.id).where(c.status == "running", c.lease_until >= time.time()).limit(1)
        with self._begin() as conn:
            return conn.execute(query).first() is not None

    def cancel(self, job_id: str, actor: str | None = None) -> Job:
        """Cancel a job: a queued one at once, a running one at its worker's next step
        (its current file's transaction is rolled back). A finished job stays as it is."""
        self.get(job_id, actor)
        c = jobs.c
        with self._begin() as conn:
            conn.execute(
                update(jobs)
                .where(c.id == job_id, c.status == "queued")
                .values(status="cancelled", cancel=True, finished_at=utc_timestamp())
            )
            conn.execute(
                update(jobs).where(c.id == job_id, c.status == "running").values(cancel=True)
            )
        return self.get(job_id)

    # Workers ---------------------------------------------------------------------

    def claim(
        self,
        worker: str,
        lease: float,
        kinds: list[str] | None = None,
        waited: float | None = None,
    ) -> Job | None:
        """Take the oldest claimable job for `lease` seconds, or None if there is none.
        With `waited`, a queued job only once it has waited that many seconds (a
        standby worker's claim: whoever is quicker takes it first)."""
        c = jobs.c
        now = time.time()
        self._fail_abandoned(now)
        queued_before = None
        if waited is not None:
            queued_before = utc_timestamp(datetime.fromtimestamp(now - waited, UTC))
        claimable = _claimable(now, queued_before)
        candidate = select(c.id).where(claimable)
        if kinds is not None:
            candidate = candidate.where(c.kind.in_(kinds))
        candidate = (
            candidate.order_by(c.created_at, c.id).limit(1).with_for_update(skip_locked=True)
        )
        claim = (
            update(jobs)
            .where(c.id == candidate.scalar_subquery(), claimable)
            .values(
                status="running",
                worker=worker,
                lease_until=now + lease,
                attempts=c.attempts + 1,
                started_at=func.coalesce(c.started_at, utc_timestamp()),
            )
            .returning(*jobs.c)
        )
        with self._begin() as conn:
            row = conn.execute(claim).first()
        return None if row is None else from_row(row)

    def _fail_abandoned(self, now: float) -> None:
        """Fail jobs whose workers died MAX_ATTEMPTS times: they may be what kills them."""
        c = jobs.c
        with self._begin() as conn:
            conn.execute(
                update(jobs)
                .where(c.status == "running", c.lease_until < now, c.attempts >= MAX_ATTEMPTS)
                .values(
                    status="failed",
                    error=DIED.format(n=MAX_ATTEMPTS),
                    worker=None,
                    finished_at=utc_timestamp(),
                )
            )

    def beat(self, job_id: str, worker: str, lease: float, stage: Stage | None = None) -> Beat:
        """Renew `worker`'s lease on a job and record its stage."""
        c = jobs.c
        values: dict[str, Any] = {"lease_until": time.time() + lease, **_stage_values(stage)}
        with self._begin() as conn:
            held = conn.execute(
                update(jobs)
                .where(c.id == job_id, c.worker == worker, c.status == "running")
                .values(**values)
            ).rowcount
            cancel = conn.execute(select(c.cancel).where(c.id == job_id)).scalar()
        return Beat(held == 1, bool(cancel))

    def finish(
        self,
        job_id: str,
        worker: str,
        status: JobStatus,
        *,
        result: Any = None,
        error: str | None = None,
        failure: dict[str, Any] | None = None,
        stage: Stage | None = None,
    ) -> bool:
        """End a job `worker` holds (with its last stage); False if it no longer held it."""
        c = jobs.c
        values: dict[str, Any] = {
            **_stage_values(stage),
            "status": status,
            "worker": None,
            "lease_until": None,
            "error": error,
            "result": None if result is None else orjson.dumps(result).decode(),
            "failure": None if failure is None else orjson.dumps(failure).decode(),
            "finished_at": utc_timestamp(),
        }
        change = update(jobs).where(c.id == job_id, c.worker == worker, c.status == "running")
        with self._begin() as conn:
            return conn.execute(change.values(**values)).rowcount == 1

    def release(self, job_id: str, worker: str) -> bool:
        """Give a job back to the queue unfinished (its worker is stopping): another
        worker starts it again, and this attempt does not count against it."""
        c = jobs.c
        change = update(jobs).where(c.id == job_id, c.worker == worker, c.status == "running")
        values = {"status": "queued", "worker": None, "lease_until": None}
        with self._begin() as conn:
            return conn.execute(change.values(attempts=c.attempts - 1, **values)).rowcount == 1
