"""Long work over HTTP, queued as persistent jobs: `POST /resolve` and `POST /reindex`
answer 202 with the job at once; `GET /jobs/{job_id}` shows its progress, then its
result (the resolve report, or the number of entities indexed) or its error. A
`threadline worker` (or the server's own worker) runs it as the caller, under the
caller's grants, audited like the CLI's `threadline resolve` and `reindex`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from threadline.access.policy import require_admin
from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas.jobs import JobOut
from threadline.api.state import server

router = APIRouter(tags=["jobs"], responses=responses())
Dataset = Annotated[str, Query(min_length=1, max_length=200)]


@router.post("/resolve", response_model=JobOut, status_code=202)
def resolve(
    request: Request,
    bench: Bench,
    datasets: Annotated[
        list[Dataset] | None,
        Query(max_length=200, description="Datasets to resolve (default: all you may write)"),
    ] = None,
    full: Annotated[bool, Query(description="Compare every pair again")] = False,
    train: Annotated[bool, Query(description="Estimate the model again")] = False,
    link_only: Annotated[bool, Query(description="Only pairs across datasets")] = False,
    engine: Annotated[Literal["duckdb", "spark"] | None, Query()] = None,
) -> JobOut:
    """`Workbench.resolve(datasets, full=, train=, link_only=, engine=)`, queued as a
    persistent job; poll `GET /jobs/{job_id}`."""
    params = {
        "datasets": datasets or None,
        "full": full,
        "train": train,
        "link_only": link_only,
        "engine": engine,
    }
    job = server(request).jobs.submit("resolve", bench.context.with_request(), params)
    return JobOut.of(job)


@router.post("/reindex", response_model=JobOut, status_code=202)
def reindex(request: Request, bench: Bench) -> JobOut:
    """`Workbench.reindex()` (admins only), queued as a persistent job; poll
    `GET /jobs/{job_id}`."""
    principal = bench.accountability.principal(bench.context)
    if not principal.local:
        require_admin(principal, "reindex")  # refused now, not later in the job
    job = server(request).jobs.submit("reindex", bench.context.with_request(), {})
    return JobOut.of(job)
