"""A job's progress sink, and the heartbeat that carries it to the job table.

Long work reports through `Progress` between batches; that is where a job can stop
safely (the batch's file transaction rolls back whole). The heartbeat thread renews
the job's lease, writes the stage, and reads the cancel flag; when the job must stop
(cancelled, its worker stopping, or its lease lost) the sink raises at the next step.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from threadline.app.jobs.record import Stage
from threadline.app.jobs.store import JobStore

PAUSE_POLL = 0.05
log = logging.getLogger(__name__)


class JobStopped(BaseException):
    """The job must stop here. A BaseException, so that no `except Exception` (an
    ingest that reports a failed index update, say) turns it into a failure."""


class JobCancelled(JobStopped):
    """Someone cancelled the job."""


class WorkerStopping(JobStopped):
    """The worker is shutting down: the job goes back to the queue."""


class LeaseLost(JobStopped):
    """The worker no longer holds the job (it was presumed dead and the job reclaimed)."""


class JobProgress:
    """A `Progress` sink that keeps the stage for the heartbeat and stops when told.

    `pause_file` is for tests of crashes: while that file exists, the job waits after
    its first step (with its transaction open and its progress written), so a test can
    kill the worker at that point.
    """

    def __init__(self, pause_file: Path | None = None) -> None:
        self._stage: Stage | None = None
        self._lock = threading.Lock()
        self._stop: type[JobStopped] | None = None
        self.changed = threading.Event()  # wakes the heartbeat to write a new stage now
        self._pause_file = pause_file

    @property
    def stage(self) -> Stage | None:
        """The current stage."""
        with self._lock:
            return self._stage

    def interrupt(self, reason: type[JobStopped]) -> None:
        """Stop the job at its next step (the first reason given wins)."""
        with self._lock:
            self._stop = self._stop or reason
        self.changed.set()

    def check(self) -> None:
        """Raise the reason to stop, if there is one."""
        with self._lock:
            reason = self._stop
        if reason is not None:
            raise reason()

    def begin(self, label: str, total: int | None, unit: str) -> None:
        with self._lock:
            self._stage = Stage(label, 0, total, unit)
        self.changed.set()
        self.check()

    def advance(self, amount: int) -> None:
        with self._lock:
            stage = self._stage
            if stage is not None:
                self._stage = Stage(stage.label, stage.done + amount, stage.total, stage.unit)
        self.check()
        self._pause()

    def end(self) -> None:
        with self._lock:
            stage = self._stage
            if stage is not None and stage.total is not None:
                self._stage = Stage(stage.label, stage.total, stage.total, stage.unit)
        self.changed.set()
        self.check()

    def _pause(self) -> None:
        if self._pause_file is None or not self._pause_file.exists():
            return
        self.changed.set()  # the progress so far is written before the pause
        while self._pause_file.exists():
            time.sleep(PAUSE_POLL)
            self.check()


class Heartbeat:
    """A thread that renews a job's lease every `every` seconds (and when the stage
    changes), writing the stage and interrupting the job when it must stop."""

    def __init__(
        self,
        store: JobStore,
        job_id: str,
        worker: str,
        lease: float,
        progress: JobProgress,
        every: float,
    ) -> None:
        self.store, self.job_id, self.worker, self.lease = store, job_id, worker, lease
        self.progress, self.every = progress, every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"beat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self.progress.changed.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.is_set():
            self.progress.changed.wait(self.every)
            self.progress.changed.clear()
            if self._done.is_set():
                return
            try:
                beat = self.store.beat(self.job_id, self.worker, self.lease, self.progress.stage)
            except Exception as error:  # a database hiccup: the next beat tries again
                log.warning("job %s: heartbeat not written: %s", self.job_id, error)
                continue
            if not beat.held:
                self.progress.interrupt(LeaseLost)
            elif beat.cancel:
                self.progress.interrupt(JobCancelled)
