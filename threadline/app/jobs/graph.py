"""Jobs that rebuild the link graph's view, so that no graph request has to.

A worker queues one after every ingest or resolve job it finishes (the view is then
fresh before anyone asks), and a server process queues one when an HTTP graph request
finds the view stale. At most one waits in the queue at a time; the build itself takes
the view's cross-process lock and does nothing if the view is fresh by then.
"""

from __future__ import annotations

import logging

from threadline.app.accountability import SYSTEM_ACTOR
from threadline.app.context import Context
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore

KIND = "graph"
AFTER = frozenset({"ingest", "resolve"})  # jobs that change what the view shows
log = logging.getLogger(__name__)


def queue_build(store: JobStore, changed: bool = False) -> Job | None:
    """Queue a build of the view, unless one is queued or running already; the new job,
    if any. After a `changed` store a running one does not count: it may have read the
    store before the change."""
    waiting = ("queued",) if changed else ("queued", "running")
    if any(job.status in waiting for job in store.jobs(kind=KIND, limit=20)):
        return None
    return store.submit(KIND, Context(actor=SYSTEM_ACTOR), {})


def queue_after(store: JobStore, finished: Job) -> None:
    """Queue a build after a job that changed the store; a failure to queue is logged
    (the next graph request queues one), not the job's."""
    if finished.kind not in AFTER:
        return
    try:
        queue_build(store, changed=True)
    except Exception as error:  # the job is done whatever happens here
        log.warning("job %s: link graph rebuild not queued: %s", finished.id, error)
