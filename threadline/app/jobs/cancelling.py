"""Cancelling a job, for its submitter or an admin, audited like every other change.

The request is a flag in the job table, so whichever process runs the job sees it: a
queued job is cancelled at once; a running one at its worker's next progress step,
where its current file's transaction rolls back (files an ingest already committed
stay). A finished job stays as it ended. Anyone else's job does not exist for the
caller. The API, the web job page, the CLI and `Workbench.job_cancel` all come here.
"""

from __future__ import annotations

from threadline.access.policy import is_admin
from threadline.app.accountability import Accountability
from threadline.app.context import Context
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore
from threadline.audit import ActionKind

ACTION = "job.cancel"
KIND = ActionKind.ALTERATION


def cancel_job(
    accountability: Accountability, context: Context, store: JobStore, job_id: str
) -> Job:
    """Cancel `job_id` for `context`'s principal: their own job, or anyone's for an
    admin (and the local admin); NotFoundError otherwise. Recorded as `job.cancel`
    when it starts and when it ends, refusals and failures included."""
    context = context.with_request()
    scope = accountability.begin(context, KIND, ACTION, personal=False)
    principal = scope.principal
    admin = is_admin(principal)
    ids = [f"job:{job_id}"]
    accountability.record(scope, KIND, ACTION, ids, outcome="started")
    try:
        job = store.cancel(job_id, None if admin else scope.actor)
    except Exception as error:
        accountability.record(scope, KIND, ACTION, ids, outcome=f"failed: {error}")
        raise
    # The owner is named: an admin may stop someone else's work.
    detail = f"owner={job.actor} kind={job.kind} status={job.status}"
    accountability.record(scope, KIND, ACTION, ids, detail=detail)
    return job
