"""A job as read from the job table: what to do, for whom, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson
from sqlalchemy import Row

from threadline.app.context import Context

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: tuple[JobStatus, ...] = ("done", "failed", "cancelled")


@dataclass(frozen=True)
class Stage:
    """The task a job is on: a label and how many `unit`s of `total` are done."""

    label: str
    done: int = 0
    total: int | None = None
    unit: str = ""


@dataclass(frozen=True)
class Job:
    """One job: its kind and parameters, its submitter's context, and its state."""

    id: str
    kind: str
    actor: str
    context: Context
    params: dict[str, Any]
    status: JobStatus
    created_at: str
    cancel: bool = False
    attempts: int = 0
    worker: str | None = None
    stage: Stage | None = None
    result: Any = None
    error: str | None = None
    failure: dict[str, Any] | None = None
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def finished(self) -> bool:
        """Whether the job has ended (done, failed or cancelled)."""
        return self.status in FINISHED


def dump_context(context: Context) -> str:
    """The parts of a context a job keeps: everything but the token."""
    kept = {
        "case": context.case,
        "purpose": context.purpose,
        "justification": context.justification,
        "request_id": context.request_id,
    }
    return orjson.dumps(kept).decode()


def load_context(actor: str, text: str) -> Context:
    """The context a job runs in: its submitter, trusted as the job table names them."""
    data = orjson.loads(text)
    return Context(
        actor=actor,
        case=data.get("case"),
        purpose=data.get("purpose"),
        justification=data.get("justification") or "",
        request_id=data.get("request_id") or "",
    )


def _json(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def from_row(row: Row[Any]) -> Job:
    """The job of a table row."""
    stage = None
    if row.stage_label is not None:
        stage = Stage(row.stage_label, row.stage_done or 0, row.stage_total, row.stage_unit or "")
    return Job(
        id=row.id,
        kind=row.kind,
        actor=row.actor,
        context=load_context(row.actor, row.context),
        params=orjson.loads(row.params),
        status=row.status,
        created_at=row.created_at,
        cancel=bool(row.cancel),
        attempts=row.attempts,
        worker=row.worker,
        stage=stage,
        result=_json(row.result),
        error=row.error,
        failure=_json(row.failure),
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
