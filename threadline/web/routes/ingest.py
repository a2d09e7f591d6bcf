"""The ingest page: upload a file (CSV/XLSX with a quick mapping, FtM JSON lines, or a
table with its mapping YAML), then watch it load on the job page.

The upload is queued as a persistent ingest job, the same as `POST /api/v1/ingest`
(same safe file names, size limit, and mapping confined to its own upload folder);
the job page shows it server-rendered, and ingest.js polls
`GET /api/v1/ingest/{job_id}` for progress and row errors. Its cancel button posts a
form (with the CSRF token) that cancels the job as `POST /api/v1/jobs/{job_id}/cancel`
does: at once if queued, at its next step if running.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from threadline.api.jobs import IngestRequest
from threadline.api.routes.ingest import job_out
from threadline.api.state import server
from threadline.api.uploads import check_mapping, remove, safe_name, save
from threadline.app.jobs import Job
from threadline.app.jobs.cancelling import cancel_job
from threadline.app.jobs.overseeing import show_job
from threadline.errors import NotFoundError
from threadline.ingest.phones import check_country
from threadline.ingest.tabular import parse_maps
from threadline.web.visitor import Page, PageError

router = APIRouter(include_in_schema=False)


@router.get("/ingest")
def ingest_page(web: Page) -> HTMLResponse:
    return web.page("ingest.html", datasets=web.bench.datasets())


@router.post("/ingest")
def upload(
    web: Page,
    file: Annotated[UploadFile | None, File()] = None,
    mapping: Annotated[UploadFile | None, File()] = None,
    dataset: Annotated[str, Form()] = "",
    entity_schema: Annotated[str, Form()] = "",
    maps: Annotated[str, Form()] = "",
    keys: Annotated[str, Form()] = "",
    skip_errors: Annotated[str, Form()] = "",
    country: Annotated[str, Form(max_length=16)] = "",
) -> RedirectResponse:
    if file is None or not file.filename:
        raise PageError(400, "Choose a file to upload.")
    jobs = server(web.request).jobs
    job_id = jobs.new_id()
    folder = jobs.folder(job_id)
    try:
        paths = [save(file.file, folder, safe_name(file.filename, "upload"))]
        if mapping is not None and mapping.filename:
            saved_as = safe_name(mapping.filename, "mapping.yml")
            if saved_as == paths[0].name:
                saved_as = f"mapping-{saved_as}"
            paths.append(save(mapping.file, folder, saved_as))
            check_mapping(paths[-1], web.bench.data_dir)
        wanted = IngestRequest(
            ingest=[p.name for p in paths[-1:]],
            files=[p.name for p in paths],
            dataset=dataset.strip() or None,
            schema=entity_schema.strip() or None,
            maps=parse_maps([line for line in maps.splitlines() if line.strip()]),
            keys=[k.strip() for k in keys.split(",") if k.strip()],
            skip_errors=bool(skip_errors),
            country=check_country(country),
        )
        jobs.submit_ingest(job_id, web.bench.context.with_request(), wanted)
    except BaseException:
        remove(folder)
        raise
    return RedirectResponse(f"/ingest/jobs/{job_id}", 303)


def _ingest_job(web: Page, job_id: str) -> Job:
    """One of the visitor's ingest jobs (an admin's: anyone's, on record), or
    NotFoundError."""
    job = show_job(
        web.bench.accountability, web.bench.context, server(web.request).jobs.store, job_id
    )
    if job.kind != "ingest":
        raise NotFoundError(f"No ingest job {job_id!r}")
    return job


@router.get("/ingest/jobs/{job_id}")
def job_page(web: Page, job_id: str) -> HTMLResponse:
    job = _ingest_job(web, job_id)
    # An admin watching someone else's job polls it less often: every look is on record.
    owner = None if job.actor == web.visitor.user else job.actor
    return web.page("job.html", job=job_out(job), cancelling=job.cancel, owner=owner)


@router.post("/ingest/jobs/{job_id}/cancel")
def job_cancel(web: Page, job_id: str) -> RedirectResponse:
    cancel_job(web.bench.accountability, web.bench.context, server(web.request).jobs.store, job_id)
    return RedirectResponse(f"/ingest/jobs/{job_id}", 303)
