"""The screening page: upload a list (CSV or XLSX) of names, map its columns to
followthemoney properties, and follow its screening as a job: progress per batch of
rows, then each row's candidates (the first rows) with scores, the features behind
them and links to the entities, and the whole results as a CSV or XLSX download.

It queues `Workbench.match_file` as `POST /api/v1/match-file?wait=false` does: the
same upload limits, the same access to what the visitor may read, and the same audit
(every row a consultation, the list as a whole, and every download). The list is
deleted when its job ends; the results file is for the visitor who screened it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from threadline.api.routes.match import result_download, screening_job, submit_screening
from threadline.app.jobs import Job
from threadline.app.jobs.screening import ScreeningRequest
from threadline.app.screening_list import RESULT_COLUMNS
from threadline.ingest.tabular import parse_maps
from threadline.web.visitor import Page, PageError

router = APIRouter(include_in_schema=False)
FORM = {"entity_schema": "Person", "maps": "", "limit": 3, "threshold": ""}


@router.get("/screen")
def screen_page(web: Page) -> HTMLResponse:
    return web.page("screen.html", job=None, form=FORM)


@router.post("/screen")
def screen(
    web: Page,
    file: Annotated[UploadFile | None, File()] = None,
    entity_schema: Annotated[str, Form(max_length=64)] = "Person",
    maps: Annotated[str, Form(max_length=4000)] = "",
    limit: Annotated[int, Form(ge=1, le=20)] = 3,
    threshold: Annotated[str, Form(max_length=8)] = "",
    output: Annotated[str, Form(max_length=8)] = "csv",
) -> RedirectResponse:
    if file is None or not file.filename:
        raise PageError(400, "Choose a CSV or XLSX list to screen.")
    if output not in ("csv", "xlsx"):
        raise PageError(400, "Keep the results as CSV or as XLSX.")
    try:
        cut = float(threshold) if threshold.strip() else None
    except ValueError:
        raise PageError(400, f"threshold: {threshold!r} is not a number between 0 and 1") from None
    wanted = ScreeningRequest(
        file="",
        schema=entity_schema.strip(),
        maps=parse_maps([line for line in maps.splitlines() if line.strip()]),
        limit=limit,
        threshold=cut,
        format=output,
    )
    job = submit_screening(web.request, web.bench.context, file, wanted)
    return RedirectResponse(f"/screen/jobs/{job.id}", 303)


def _rows(job: Job) -> tuple[list[str], list[dict[str, Any]]]:
    """The input columns and the first result rows of a done job, as the page shows them."""
    result = job.result or {}
    header: list[str] = result.get("header", [])
    width = len(header) - len(RESULT_COLUMNS)
    rows = [
        {"row": r[0], "input": r[1:width], **dict(zip(RESULT_COLUMNS, r[width:], strict=True))}
        for r in result.get("preview", [])
    ]
    return header[1:width], rows


@router.get("/screen/jobs/{job_id}")
def screen_job(web: Page, job_id: str) -> HTMLResponse:
    job = screening_job(web.request, web.visitor.user or "", job_id)
    columns, rows = _rows(job) if job.status == "done" else ([], [])
    form = {**FORM, "entity_schema": job.params.get("schema", "Person")}
    return web.page("screen.html", job=job, columns=columns, rows=rows, form=form)


@router.get("/screen/jobs/{job_id}/result")
def screen_result(web: Page, job_id: str) -> FileResponse:
    return result_download(web.bench, screening_job(web.request, web.visitor.user or "", job_id))
