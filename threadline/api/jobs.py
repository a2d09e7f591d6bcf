"""The server's jobs: uploads queued as persistent ingest jobs, and the worker that
runs them beside the web server on a laptop.

Jobs live in the job table (`threadline.app.jobs`), so they outlast the server process
and any API process can show them; a job belongs to the user who submitted it, and
anyone else asking for it is told it does not exist. With one server process and no
separate worker, `worker` runs jobs in a thread here; `threadline serve --workers N`
leaves them to `threadline worker` processes. An upload is kept in
`uploads/JOB_ID` in the data directory until its job ends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadline.app.context import Context
from threadline.app.jobs import Job, JobStore
from threadline.app.jobs.kinds import upload_folder
from threadline.app.jobs.worker import Worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestRequest:
    """The options of an uploaded file's ingest, as `Workbench.ingest` takes them."""

    ingest: list[str]  # the file names to pass (a mapping, or else the data file)
    files: list[str]  # every file uploaded
    dataset: str | None = None
    schema: str | None = None
    maps: dict[str, str] | None = None
    keys: list[str] | None = None
    skip_errors: bool = False
    country: str | None = None
    ocr_lang: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "ingest": self.ingest,
            "files": self.files,
            "dataset": self.dataset,
            "schema": self.schema,
            "maps": self.maps or {},
            "keys": self.keys or [],
            "skip_errors": self.skip_errors,
            "country": self.country,
            "ocr_lang": self.ocr_lang,
        }


class IngestJobs:
    """The job queue as the server uses it, and its in-process worker, if any."""

    def __init__(self, store: JobStore, data_dir: Path, worker: Worker | None = None) -> None:
        self.store = store
        self.data_dir = data_dir
        self.worker = worker

    def new_id(self) -> str:
        """A job id, too long to guess."""
        return self.store.new_id()

    def folder(self, job_id: str) -> Path:
        """Where a job's uploads go (made here; the job deletes it when it ends)."""
        folder = upload_folder(self.data_dir, job_id)
        folder.mkdir(parents=True)
        return folder

    def submit_ingest(self, job_id: str, context: Context, request: IngestRequest) -> Job:
        """Queue an ingest of the files already saved in the job's folder."""
        job = self.store.submit("ingest", context, request.params(), job_id=job_id)
        if self.worker is not None:
            self.worker.wake()
        return job

    def submit(self, kind: str, context: Context, params: dict[str, Any]) -> Job:
        """Queue a job of `kind` that needs no uploaded files (resolve, reindex)."""
        job = self.store.submit(kind, context, params)
        if self.worker is not None:
            self.worker.wake()
        return job

    def get(self, job_id: str, user: str) -> Job:
        """A job of this user's, or NotFoundError (whoever else's it is)."""
        return self.store.get(job_id, user)

    def of(self, user: str, kind: str | None = None) -> list[Job]:
        """A user's jobs (of one kind), newest first."""
        return self.store.jobs(user, kind)

    def cancel(self, job_id: str, user: str) -> Job:
        """Cancel one of this user's jobs."""
        return self.store.cancel(job_id, user)

    def start(self) -> None:
        """Start the in-process worker, if there is one."""
        if self.worker is not None:
            self.worker.start()

    def stop(self, timeout: float) -> None:
        """Stop the in-process worker: a running job goes back to the queue at its next
        step (waiting at most `timeout` seconds), to resume at the next start."""
        if self.worker is not None:
            self.worker.stop()
            self.worker.join(timeout)
        # The queue is the workbench's (`Workbench.job_queue`): closed with it.
