"""Persistent jobs: long work (ingest, resolve, reindex) queued in the database and
run by workers, as the user who submitted it (see docs/jobs.md).

`JobStore` is the queue; `threadline.app.jobs.worker.Worker` runs its jobs (imported on
its own: it needs the workbench, which this package's queue does not).
"""

from threadline.app.jobs.record import FINISHED, Job, JobStatus, Stage
from threadline.app.jobs.store import MAX_ATTEMPTS, Beat, JobStore
from threadline.app.jobs.table import jobs_url

__all__ = ["FINISHED", "MAX_ATTEMPTS", "Beat", "Job", "JobStatus", "JobStore", "Stage", "jobs_url"]
