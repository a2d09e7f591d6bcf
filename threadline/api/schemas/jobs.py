"""Wire models of persistent jobs (ingest, resolve, reindex) of any kind."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from threadline.api.schemas.read import Stage
from threadline.api.schemas.wire import Wire
from threadline.app.jobs import Job


class JobOut(Wire):
    """A job in the queue: its kind, state, progress, and result or error."""

    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    stage: Stage | None
    cancel: bool = Field(description="whether someone asked to cancel it")
    attempts: int = Field(description="how many times a worker started it")
    result: Any = Field(default=None, description="what it did, when done (by kind)")
    error: str | None = Field(description="why it failed, if it did")
    created_at: str
    started_at: str | None
    finished_at: str | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        stage = job.stage
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            stage=None
            if stage is None
            else Stage(label=stage.label, done=stage.done, total=stage.total, unit=stage.unit),
            cancel=job.cancel,
            attempts=job.attempts,
            result=job.result,
            error=job.error,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )
