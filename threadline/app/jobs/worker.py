"""A job worker: claims jobs from the queue and runs each as the user who submitted it.

`threadline worker` runs one in its own process; `threadline serve` runs one in a
thread beside the web server. With several server processes, each runs a standby
worker instead (`Worker.standby`): it runs only the system's upkeep (the link graph's
view, covering reader sets), and only jobs that waited `STANDBY_SECONDS` in the queue,
so a `threadline worker` takes them first when one runs, and no request waits forever
for a worker that does not. A worker that is stopped gives its job back to the queue
(the job's current file is rolled back); a worker that dies stops renewing its lease,
and another worker takes the job over when the lease runs out.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import threading
from pathlib import Path
from typing import Any, Literal

from threadline.app.jobs import cover, graph
from threadline.app.jobs.kinds import KINDS, row_error, upload_folder
from threadline.app.jobs.progress import (
    Heartbeat,
    JobCancelled,
    JobProgress,
    LeaseLost,
    WorkerStopping,
)
from threadline.app.jobs.record import Job, JobStatus
from threadline.app.jobs.store import JobStore
from threadline.app.workbench import Workbench
from threadline.errors import IngestAborted, InputError, ThreadlineError

LEASE_SECONDS = 30.0
POLL_SECONDS = 1.0
BEAT_SECONDS = 1.0
# A standby worker's wait before it takes a queued job: a `threadline worker` polls
# every second, so an idle one takes it first.
STANDBY_SECONDS = 5.0
STANDBY_KINDS = (cover.KIND, graph.KIND)  # the system's upkeep, which requests wait for
# How much lower than the API a worker runs, by default: `threadline worker` lowers its
# process, and a server's in-process worker its own thread (Linux sets the priority of
# one thread, and the processes it starts inherit it).
NICE = 10
# Which jobs a server process runs: all of them, the upkeep no worker took, or none.
JobMode = Literal["all", "standby", "none"]
JOB_MODES: tuple[JobMode, ...] = ("all", "standby", "none")
log = logging.getLogger(__name__)


def job_mode(text: str) -> JobMode:
    """A job mode named by `text` (as `serve` passes it to its processes); an unknown
    name runs none."""
    return text if text in JOB_MODES else "none"


def worker_name() -> str:
    """A new worker's name in the job table: host, process id and a random part."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


class Worker:
    """Claim and run jobs until stopped."""

    def __init__(
        self,
        bench: Workbench,
        store: JobStore,
        *,
        lease: float = LEASE_SECONDS,
        poll: float = POLL_SECONDS,
        kinds: list[str] | None = None,
        pause_file: Path | None = None,
        waited: float | None = None,
    ) -> None:
        self.bench, self.store = bench, store
        self.lease, self.poll = lease, poll
        self.kinds = kinds or sorted(KINDS)
        self.pause_file = pause_file
        self.waited = waited  # claim queued jobs only once they waited this long
        self.name = worker_name()
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._current: JobProgress | None = None
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None

    @classmethod
    def standby(cls, bench: Workbench, store: JobStore, after: float = STANDBY_SECONDS) -> Worker:
        """A server process's worker when `threadline worker` processes run the jobs: it
        runs the upkeep jobs (`STANDBY_KINDS`) no worker took within `after` seconds."""
        # It looks at the queue half as often: every server process runs one.
        return cls(bench, store, poll=2 * POLL_SECONDS, kinds=list(STANDBY_KINDS), waited=after)

    @classmethod
    def for_mode(cls, bench: Workbench, store: JobStore, mode: JobMode) -> Worker | None:
        """The worker a server process runs in `mode`: one for every job, a standby for
        the upkeep, or none."""
        if mode == "all":
            return cls(bench, store)
        return cls.standby(bench, store) if mode == "standby" else None

    def wake(self) -> None:
        """Look for a job now (one was just submitted)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop: the running job (if any) goes back to the queue at its next step."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            if self._current is not None:
                self._current.interrupt(WorkerStopping)

    def run(self, *, once: bool = False) -> int:
        """Run jobs until stopped (or, with `once`, until the queue is empty); the
        number of jobs run."""
        ran = 0
        while not self._stopping.is_set():
            job = self.store.claim(self.name, self.lease, self.kinds, self.waited)
            if job is None:
                if once:
                    break
                self._wake.wait(self.poll)
                self._wake.clear()
                continue
            self.run_job(job)
            ran += 1
        return ran

    def start(self, nice: int = NICE) -> threading.Thread:
        """Run in a background thread (the server's in-process worker), `nice` lower in
        priority than the threads that answer requests."""

        def run() -> None:
            _lower(nice)
            self.run()

        self.thread = threading.Thread(target=run, name="job-worker", daemon=True)
        self.thread.start()
        return self.thread

    def join(self, timeout: float) -> None:
        """Wait for the background thread to end."""
        if self.thread is not None:
            self.thread.join(timeout)

    def run_job(self, job: Job) -> None:
        """Run one claimed job to its end (or give it back, or let it go)."""
        progress = JobProgress(self.pause_file)
        with self._lock:
            self._current = progress
            if self._stopping.is_set():
                progress.interrupt(WorkerStopping)
        run = KINDS.get(job.kind)

        def finish(
            status: JobStatus,
            result: object = None,
            error: str | None = None,
            failure: dict[str, Any] | None = None,
        ) -> bool:
            return self.store.finish(
                job.id,
                self.name,
                status,
                result=result,
                error=error,
                failure=failure,
                stage=progress.stage,
            )

        every = min(self.lease / 3, BEAT_SECONDS)  # the stage shows within a second
        beat = Heartbeat(self.store, job.id, self.name, self.lease, progress, every)
        try:
            with beat:
                if run is None:
                    raise ThreadlineError(f"this worker does not know jobs of kind {job.kind!r}")
                log.info("job %s (%s for %s) starts", job.id, job.kind, job.actor)
                result = run(self.bench.acting(job.context), job, progress)
            ended = finish("done", result=result)
            if ended:  # upkeep now, not in someone's graph request or first search
                cover.queue_after(self.store, job)  # first: searches are the most asked
                graph.queue_after(self.store, job)
        except JobCancelled:
            ended = finish("cancelled", error="cancelled")
        except WorkerStopping:
            self.store.release(job.id, self.name)
            ended = False
        except LeaseLost:
            ended = False  # another worker has it now
            log.warning("job %s: lease lost; another worker runs it", job.id)
        except (IngestAborted, InputError) as bad:
            failure = bad.error if isinstance(bad, IngestAborted) else bad
            ended = finish("failed", error=str(bad), failure=row_error(failure))
        except ThreadlineError as error:
            ended = finish("failed", error=str(error))
        except Exception:  # a bug: the job says it failed, the worker's log says why
            log.exception("job %s failed", job.id)
            ended = finish("failed", error="internal error; see the log")
        finally:
            with self._lock:
                self._current = None
        if ended:  # only the worker that ended the job deletes its files
            shutil.rmtree(upload_folder(self.bench.data_dir, job.id), ignore_errors=True)
            log.info("job %s ends", job.id)


def _lower(nice: int) -> None:
    """Lower the calling thread's CPU priority by `nice` (per thread on Linux; where
    the system cannot, the worker runs at the process's priority)."""
    if nice <= 0:
        return
    try:
        thread = threading.get_native_id()
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, now + nice))
    except (AttributeError, OSError) as error:
        log.warning("job worker thread: priority not lowered: %s", error)
