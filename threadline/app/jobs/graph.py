"""Jobs that rebuild the link graph's view, so that no graph request has to.

A worker queues one after every ingest or resolve job it finishes (the view is then
fresh before anyone asks), and a server process queues one when an HTTP graph request
finds the view stale. At most one waits in the queue at a time; the build itself takes
the view's cross-process lock and does nothing if the view is fresh by then. A
`threadline worker` runs it, or the server itself (`serve` with one process, or as a
standby with several, once no worker took it); with neither, the request is told so.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from threadline.app.accountability import SYSTEM_ACTOR
from threadline.app.context import Context
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore
from threadline.graph.building import no_worker_error
from threadline.settings import Settings

KIND = "graph"
AFTER = frozenset({"ingest", "resolve"})  # jobs that change what the view shows
# Seconds a queued build may wait before a request is told that no worker is running,
# unless the caller says (the server passes Settings.graph_no_worker_seconds, whose
# default this is): an idle worker takes a job within a second, and a standby server
# (`threadline serve --workers N`) within `worker.STANDBY_SECONDS`.
NO_WORKER_AFTER: float = Settings.model_fields["graph_no_worker_seconds"].default
log = logging.getLogger(__name__)


def queue_build(
    store: JobStore, changed: bool = False, no_worker_after: float = NO_WORKER_AFTER
) -> Job | None:
    """Queue a build of the view, unless one is queued or running already; the new job,
    if any. After a `changed` store a running one does not count: it may have read the
    store before the change.

    Asked by a request (not `changed`), it raises GraphBuilding saying so plainly when
    the build has waited `no_worker_after` seconds and
    no worker runs any job: no `threadline worker` runs, and the server runs no jobs
    (`serve --no-jobs`)."""
    waiting = ("queued",) if changed else ("queued", "running")
    found = [job for job in store.jobs(kind=KIND, limit=20) if job.status in waiting]
    if not found:
        return store.submit(KIND, Context(actor=SYSTEM_ACTOR), {})
    if changed or any(job.status == "running" for job in found):
        return None
    waited = time.time() - _epoch(min(job.created_at for job in found))
    if waited >= no_worker_after and not store.busy():  # a busy worker comes to it later
        raise no_worker_error(waited)
    return None


def _epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).timestamp()


def queue_after(store: JobStore, finished: Job) -> None:
    """Queue a build after a job that changed the store; a failure to queue is logged
    (the next graph request queues one), not the job's."""
    if finished.kind not in AFTER:
        return
    try:
        queue_build(store, changed=True)
    except Exception as error:  # the job is done whatever happens here
        log.warning("job %s: link graph rebuild not queued: %s", finished.id, error)
