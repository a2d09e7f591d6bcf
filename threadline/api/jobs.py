"""Ingest jobs: an uploaded file ingested in a background thread, its progress polled.

A job belongs to the user who started it; anyone else asking for it is told it does
not exist. Jobs live in this server process's memory (the statements they write are
in the store, which is what lasts), and the uploaded files are deleted when the job
ends: the statements keep each file's name and sha256 as provenance.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from threadline.audit.event import utc_timestamp
from threadline.errors import IngestAborted, InputError, NotFoundError, ThreadlineError
from threadline.ingest import FileReport

log = logging.getLogger(__name__)
KEEP_JOBS = 200  # finished jobs remembered, per server
JobStatus = Literal["queued", "running", "done", "failed"]


@dataclass
class Stage:
    """The task a job is on: a label and how many `unit`s of `total` are done."""

    label: str
    done: int = 0
    total: int | None = None
    unit: str = ""


@dataclass
class IngestJob:
    """One ingest: who started it, where it stands, and what it wrote or hit."""

    id: str
    user: str
    dataset: str | None
    files: list[str]
    status: JobStatus = "queued"
    stage: Stage | None = None
    reports: list[FileReport] = field(default_factory=list)
    failure: InputError | None = None  # the row that stopped a job, if a row did
    error: str | None = None
    created_at: str = field(default_factory=utc_timestamp)
    finished_at: str | None = None


class JobProgress:
    """A `Progress` sink that writes into the job, for polling."""

    def __init__(self, job: IngestJob) -> None:
        self.job = job

    def begin(self, label: str, total: int | None, unit: str) -> None:
        self.job.stage = Stage(label, 0, total, unit)

    def advance(self, amount: int) -> None:
        stage = self.job.stage
        if stage is not None:
            stage.done += amount

    def end(self) -> None:
        stage = self.job.stage
        if stage is not None and stage.total is not None:
            stage.done = stage.total


Work = Callable[[JobProgress], list[FileReport]]


class IngestJobs:
    """The ingest jobs of one server, each in its own thread."""

    def __init__(self) -> None:
        self._jobs: dict[str, IngestJob] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    @staticmethod
    def new_id() -> str:
        """A job id, too long to guess."""
        return secrets.token_hex(12)

    def start(self, job: IngestJob, work: Work, folder: Path) -> IngestJob:
        """Run `work` in a thread for `job`, then delete `folder` (the uploads)."""
        thread = threading.Thread(
            target=self._run, args=(job, work, folder), name=f"ingest-{job.id}", daemon=True
        )
        with self._lock:
            self._prune()
            self._jobs[job.id] = job
            self._threads[job.id] = thread
        thread.start()
        return job

    def _run(self, job: IngestJob, work: Work, folder: Path) -> None:
        job.status = "running"
        try:
            job.reports = work(JobProgress(job))
            job.status = "done"
        except (IngestAborted, InputError) as bad:
            job.failure = bad.error if isinstance(bad, IngestAborted) else bad
            job.error = str(bad)
            job.status = "failed"
        except ThreadlineError as error:
            job.error = str(error)
            job.status = "failed"
        except Exception:  # a bug: the job says it failed, the server log says why
            log.exception("ingest job %s failed", job.id)
            job.error = "internal error; see the server log"
            job.status = "failed"
        finally:
            job.finished_at = utc_timestamp()
            shutil.rmtree(folder, ignore_errors=True)

    def _prune(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished_at is not None]
        for job in finished[: max(0, len(finished) - KEEP_JOBS)]:
            self._jobs.pop(job.id, None)
            self._threads.pop(job.id, None)

    def get(self, job_id: str, user: str) -> IngestJob:
        """A job of this user's, or NotFoundError (whoever else's it is)."""
        job = self._jobs.get(job_id)
        if job is None or job.user != user:
            raise NotFoundError(f"No ingest job {job_id!r}")
        return job

    def of(self, user: str) -> list[IngestJob]:
        """A user's jobs, newest first."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.user == user]
        return sorted(jobs, key=lambda j: j.created_at, reverse=True)

    def wait(self, timeout: float) -> None:
        """Let running jobs finish (at shutdown), for at most `timeout` seconds each."""
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)
