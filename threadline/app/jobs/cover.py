"""Jobs that cover reader sets ahead of their first search (`threadline.app.covering`).

Covering a reader set re-reads the merged entities it partly reads: 12-18 s at 100k
entities, minutes at 1M, which the first search of a new set would otherwise spend.
A `cover` job is queued when what a user may read changes (a grant, a group, a role,
a marking, an imported case, a case created, a member added: `cover_later`) and after every job that adds data or
decisions or rebuilds the index (`queue_after`). It covers the sets of every enabled
user as the access store says when it runs, so one waiting job serves every change
before it; at most one waits at a time. What it runs is `kinds.cover`.

It runs as the system (`SYSTEM_ACTOR`), with the request id of the action that queued
it, and is not audited itself: like the graph job and the index's upkeep it shows no
one any entity. A slice is visible only to readers of exactly its set, so covering a
set no one holds any more reveals nothing. With no worker the job waits in the queue,
and a reader's first search covers their set itself, as before.
"""

from __future__ import annotations

import logging
from typing import Protocol

from threadline.app.accountability import SYSTEM_ACTOR
from threadline.app.context import Context
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore
from threadline.settings import Settings

KIND = "cover"
AFTER = frozenset({"ingest", "resolve", "reindex"})  # jobs that change the reader sets' slices
log = logging.getLogger(__name__)


def queue_cover(store: JobStore, why: str, request_id: str = "") -> Job | None:
    """Queue a cover job, unless one is waiting already (a running one may have read
    the grants before this change); the new job, if any."""
    if any(job.status == "queued" for job in store.jobs(kind=KIND, limit=20)):
        return None
    context = Context(actor=SYSTEM_ACTOR, request_id=request_id)
    return store.submit(KIND, context, {"why": why})


class Queues(Protocol):
    """Where a data dir's job queue is opened (`Backends`)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def jobs(self) -> JobStore: ...


def cover_later(backends: Queues, why: str, request_id: str = "") -> Job | None:
    """Queue a cover job (after a change of grants) in the data dir's job queue; None
    if one waits already, or the store is in memory (no worker could see its queue).
    A failure, opening the queue included, is logged, not raised: the change is made,
    and its readers' first searches cover their sets."""
    if backends.settings.store == "memory":
        return None
    try:
        return queue_cover(backends.jobs, why, request_id)
    except Exception as error:  # the grant stands whatever happens here
        log.warning("reader sets not queued for covering (%s): %s", why, error)
        return None


def queue_after(store: JobStore, finished: Job) -> None:
    """Queue a cover job after a job that changed what is indexed; a failure to queue
    is logged, not the job's."""
    if finished.kind not in AFTER:
        return
    try:
        queue_cover(store, f"{finished.kind} job {finished.id}", finished.context.request_id)
    except Exception as error:  # the job is done whatever happens here
        log.warning("job %s: reader sets not queued for covering: %s", finished.id, error)
