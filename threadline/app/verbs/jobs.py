"""The job verbs of the workbench: `jobs`, `job_show` and `job_cancel`, the library's side
of `GET /api/v1/jobs[?everyone=true]`, `GET /api/v1/jobs/{job_id}`,
`POST /api/v1/jobs/{job_id}/cancel` and `threadline jobs [--everyone]`, `jobs show ID`,
`jobs cancel ID`.

A mixin of `Workbench`. They use the job queue the workbench opens beside its store
(`Backends.jobs`); the server and the CLI pass their own queue to
`threadline.app.jobs.overseeing` and `threadline.app.jobs.cancelling` instead.
"""

from __future__ import annotations

from threadline.app.jobs.cancelling import cancel_job
from threadline.app.jobs.overseeing import list_jobs, show_job
from threadline.app.jobs.record import Job
from threadline.app.verbs.base import VerbsBase


class JobVerbs(VerbsBase):
    """Persistent jobs, as the acting user sees them."""

    def jobs(self, kind: str | None = None, everyone: bool = False) -> list[Job]:
        """The caller's jobs (of `kind`), newest first; with `everyone`, all users'
        jobs, for an admin only, on record as `jobs.list`."""
        return list_jobs(self.accountability, self.context, self._backends.jobs, kind, everyone)

    def job_show(self, job_id: str) -> Job:
        """One of the caller's jobs (an admin: anyone's, on record as `job.show`)."""
        return show_job(self.accountability, self.context, self._backends.jobs, job_id)

    def job_cancel(self, job_id: str) -> Job:
        """Cancel a job of the caller's (an admin: anyone's): a queued one at once, a
        running one at its worker's next step, its current file rolled back (files
        already committed stay). A finished job stays as it ended; audited as
        `job.cancel`."""
        return cancel_job(self.accountability, self.context, self._backends.jobs, job_id)
