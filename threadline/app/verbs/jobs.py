"""The job verb of the workbench: `job_cancel`, the library's side of
`POST /api/v1/jobs/{job_id}/cancel` and `threadline jobs cancel ID`.

A mixin of `Workbench`. It opens the job
queue of the workbench's settings for the call; the server and the CLI pass their
own queue to `threadline.app.jobs.cancelling.cancel_job` instead.
"""

from __future__ import annotations

from threadline.app.jobs.cancelling import cancel_job
from threadline.app.jobs.record import Job
from threadline.app.jobs.store import JobStore
from threadline.app.jobs.table import jobs_url
from threadline.app.verbs.base import VerbsBase


class JobVerbs(VerbsBase):
    """Persistent jobs, as the acting user sees them."""

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
