"""Who sees which jobs: everyone their own; admins (and the local admin) anyone's.

A job names its owner, the files or datasets it was given and the error it ended
with, so another user's job is oversight, not a listing: an admin who shows someone
else's job, or lists everyone's, is on record in the audit log (`job.show`,
`jobs.list`), like a cancel (`threadline.app.jobs.cancelling`). Reading one's own jobs
is not recorded. For anyone but an admin, another user's job does not exist. The API,
the web pages, the CLI and the `Workbench` job verbs all come here.
"""

from __future__ import annotations

from threadline.access import AccessDenied
from threadline.access.policy import is_admin
from threadline.access.principal import Principal
from threadline.app.accountability import Accountability
from threadline.app.context import Context
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore
from threadline.audit import ActionKind

SHOW = "job.show"
LIST = "jobs.list"
KIND = ActionKind.CONSULTATION


def oversees(principal: Principal) -> bool:
    """Whether `principal` may see and cancel anyone's jobs."""
    return is_admin(principal)


def show_job(accountability: Accountability, context: Context, store: JobStore, job_id: str) -> Job:
    """`job_id`, if it is the caller's or the caller is an admin; NotFoundError
    otherwise. An admin's look at someone else's job is recorded as `job.show`."""
    principal = accountability.principal(context)
    if not oversees(principal):
        return store.get(job_id, principal.name)
    job = store.get(job_id)
    if job.actor != principal.name:
        scope = accountability.begin(context.with_request(), KIND, SHOW, personal=False)
        detail = f"owner={job.actor} kind={job.kind} status={job.status}"
        accountability.record(scope, KIND, SHOW, [f"job:{job.id}"], detail=detail)
    return job


def list_jobs(
    accountability: Accountability,
    context: Context,
    store: JobStore,
    kind: str | None = None,
    everyone: bool = False,
) -> list[Job]:
    """The caller's jobs, newest first; with `everyone`, all users' jobs, for an admin
    (recorded as `jobs.list`) and AccessDenied for anyone else (recorded too)."""
    context = context.with_request()
    if not everyone:
        return store.jobs(accountability.principal(context).name, kind)
    scope = accountability.begin(context, KIND, LIST, personal=False)
    if not oversees(scope.principal):
        denied = AccessDenied(scope.actor, "everyone's jobs", "role admin")
        accountability.record(scope, KIND, LIST, (), outcome=f"denied: {denied}")
        raise denied
    found = store.jobs(None, kind)
    owners = ",".join(sorted({job.actor for job in found}))
    detail = f"kind={kind or 'any'} jobs={len(found)} owners={owners}"
    accountability.record(scope, KIND, LIST, [f"job:{job.id}" for job in found], detail=detail)
    return found
