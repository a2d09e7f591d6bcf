"""The job verbs of the workbench: `jobs`, `job_show` and `job_cancel`, the library's side
of `GET /api/v1/jobs[?everyone=true]`, `GET /api/v1/jobs/{job_id}`,
`POST /api/v1/jobs/{job_id}/cancel` and `threadline jobs [--everyone]`, `jobs show ID`,
`jobs cancel ID`.

A mixin of `Workbench`. Each opens the job queue of the workbench's settings for the
call; the server and the CLI pass their own queue to `threadline.app.jobs.overseeing`
and `threadline.app.jobs.cancelling` instead.
"""

from __future__ import annotations

from threadline.app.jobs.cancelling import cancel_job
from threadline.app.jobs.overseeing import list_jobs, show_job
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore
from threadline.app.jobs.table import jobs_url
from threadline.app.verbs.base import VerbsBase


class JobVerbs(VerbsBase):
    """Persistent jobs, as the acting user sees them."""

    def jobs(self, kind: str | None = None, everyone: bool = False) -> list[Job]:
        """The caller's jobs (of `kind`), newest first; with `everyone`, all users'
        jobs, for an admin only, on record as `jobs.list`."""
        store = JobStore(jobs_url(self.settings))
        try:
            return list_jobs(self.accountability, self.context, store, kind, everyone)
        finally:
            store.close()

    def job_show(self, job_id: str) -> Job:
        """One of the caller's jobs (an admin: anyone's, on record as `job.show`)."""
        store = JobStore(jobs_url(self.settings))
        try:
            return show_job(self.accountability, self.context, store, job_id)
        finally:
            store.close()

    def job_cancel(self, job_id: str) -> Job:
        """Cancel a job of the caller's (an admin: anyone's): a queued one at once, a
        running one at its worker's next step, its current file rolled back (files
        already committed stay). A finished job stays as it ended; audited as
        `job.cancel`."""
        store = JobStore(jobs_url(self.settings))
        try:
            return cancel_job(self.accountability, self.context, store, job_id)
        finally:
            store.close()
