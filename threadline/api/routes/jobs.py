"""The caller's persistent jobs, of every kind: list, show, cancel.

`GET /jobs` lists them newest first, `GET /jobs/{job_id}` shows one, and
`POST /jobs/{job_id}/cancel` cancels one (a queued job at once, a running one at its
worker's next step, its current file rolled back), audited as `job.cancel`. An admin
may show and cancel anyone's, and list everyone's (`GET /jobs?everyone=true`), each
look at another user's jobs on record (`threadline.app.jobs.overseeing`). For anyone
else, another user's job does not exist. An ingest job's per-file results are at
`GET /ingest/{job_id}`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas.jobs import JobOut
from threadline.api.state import server
from threadline.app.jobs.cancelling import cancel_job
from threadline.app.jobs.overseeing import list_jobs, show_job

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=responses())
JobId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=list[JobOut])
def jobs(
    request: Request,
    bench: Bench,
    kind: Annotated[
        str | None, Query(max_length=32, description="ingest, resolve or reindex")
    ] = None,
    everyone: Annotated[
        bool, Query(description="Every user's jobs (admins only; on record)")
    ] = False,
) -> list[JobOut]:
    """The caller's jobs, newest first; an admin's `everyone=true` lists all users'."""
    store = server(request).jobs.store
    found = list_jobs(bench.accountability, bench.context, store, kind, everyone)
    return [JobOut.of(j) for j in found]


@router.get("/{job_id}", response_model=JobOut)
def job_show(request: Request, bench: Bench, job_id: JobId) -> JobOut:
    """One of the caller's jobs (an admin: anyone's, on record)."""
    store = server(request).jobs.store
    return JobOut.of(show_job(bench.accountability, bench.context, store, job_id))


@router.post("/{job_id}/cancel", response_model=JobOut)
def job_cancel(request: Request, bench: Bench, job_id: JobId) -> JobOut:
    """Cancel one of the caller's jobs (an admin: anyone's); a finished job stays as it
    ended."""
    store = server(request).jobs.store
    return JobOut.of(cancel_job(bench.accountability, bench.context, store, job_id))
