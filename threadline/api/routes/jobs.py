"""The caller's persistent jobs, of every kind: list, show, cancel.

`GET /jobs` lists them newest first, `GET /jobs/{job_id}` shows one, and
`POST /jobs/{job_id}/cancel` cancels one (a queued job at once, a running one at its
worker's next step, its current file rolled back), audited as `job.cancel`; an admin
may cancel anyone's. Another user's job does not exist for the caller. An ingest
job's per-file results are at `GET /ingest/{job_id}`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from threadline.api.deps import Bench, Who
from threadline.api.errors import responses
from threadline.api.schemas.jobs import JobOut
from threadline.api.state import server
from threadline.app.jobs.cancelling import cancel_job

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=responses())
JobId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=list[JobOut])
def jobs(
    request: Request,
    who: Who,
    kind: Annotated[
        str | None, Query(max_length=32, description="ingest, resolve or reindex")
    ] = None,
) -> list[JobOut]:
    """The caller's jobs, newest first."""
    return [JobOut.of(j) for j in server(request).jobs.of(who.user, kind)]


@router.get("/{job_id}", response_model=JobOut)
def job_show(request: Request, who: Who, job_id: JobId) -> JobOut:
    """One of the caller's jobs."""
    return JobOut.of(server(request).jobs.get(job_id, who.user))


@router.post("/{job_id}/cancel", response_model=JobOut)
def job_cancel(request: Request, bench: Bench, job_id: JobId) -> JobOut:
    """Cancel one of the caller's jobs (an admin: anyone's); a finished job stays as it
    ended."""
    store = server(request).jobs.store
    return JobOut.of(cancel_job(bench.accountability, bench.context, store, job_id))
