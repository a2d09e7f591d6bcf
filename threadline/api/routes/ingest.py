"""Ingest an uploaded file in the background, and watch its progress and row errors.

`POST /ingest` takes a multipart form: `file` (FtM JSON lines, a CSV or XLSX, or an
FtM mapping YAML) and optionally `mapping` (a mapping YAML whose `csv_url` is the
uploaded file's name), with the same options as `Workbench.ingest`. It answers 202
with a job; `GET /ingest/{job_id}` shows the job's stage, its per-file results and
every row error (with `skip_errors`, bad rows are skipped and listed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile

from threadline.api.deps import Bench, Who
from threadline.api.errors import COMMON, responses
from threadline.api.jobs import IngestRequest
from threadline.api.schemas import FileResult, IngestJobOut, RowError, Stage
from threadline.api.state import server
from threadline.api.uploads import check_mapping, remove, safe_name, save
from threadline.app.jobs import Job
from threadline.app.jobs.overseeing import show_job
from threadline.errors import NotFoundError
from threadline.ingest.mapping import EXTENSIONS as MAPPING_SUFFIXES
from threadline.ingest.phones import check_country
from threadline.ingest.tabular import parse_maps

router = APIRouter(prefix="/ingest", tags=["ingest"], responses=responses(*COMMON, 413))


def job_out(job: Job) -> IngestJobOut:
    """The wire form of an ingest job."""
    results = [FileResult.model_validate(r) for r in job.result or []]
    errors = [e for r in results for e in r.errors]
    if job.failure is not None:
        errors.append(RowError.model_validate(job.failure))
    stage = job.stage
    files: list[Any] = job.params.get("files", [])
    return IngestJobOut(
        id=job.id,
        status=job.status,
        dataset=job.params.get("dataset"),
        files=[str(f) for f in files],
        stage=None
        if stage is None
        else Stage(label=stage.label, done=stage.done, total=stage.total, unit=stage.unit),
        results=results,
        errors=errors,
        error=job.error,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


@router.post("", response_model=IngestJobOut, status_code=202)
def ingest(
    request: Request,
    bench: Bench,
    who: Who,
    file: Annotated[UploadFile, File(description="FtM JSON lines, CSV, XLSX or mapping YAML")],
    mapping: Annotated[UploadFile | None, File(description="A mapping YAML for `file`")] = None,
    dataset: Annotated[str | None, Form(max_length=200)] = None,
    schema_: Annotated[
        str | None, Form(alias="schema", max_length=64, description="For a plain table")
    ] = None,
    maps: Annotated[list[str] | None, Form(description="property=column, for a table")] = None,
    keys: Annotated[list[str] | None, Form(description="Columns that identify a record")] = None,
    skip_errors: Annotated[bool, Form()] = False,
    country: Annotated[
        str | None,
        Form(max_length=16, description="Where phone numbers without a +prefix are dialed"),
    ] = None,
    ocr_lang: Annotated[
        str | None,
        Form(
            max_length=64,
            pattern=r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$",
            description="Tesseract languages for scans and images, such as deu+eng",
        ),
    ] = None,
) -> IngestJobOut:
    """`Workbench.ingest([file], dataset, schema=, maps=, keys=, skip_errors=, country=,
    ocr_lang=)`,
    queued as a persistent job; poll `GET /ingest/{job_id}`."""
    jobs = server(request).jobs
    job_id = jobs.new_id()
    folder = jobs.folder(job_id)
    try:
        paths = _save_all(folder, file, mapping, bench.data_dir)
        parsed_maps = parse_maps(maps or [])
        checked_country = check_country(country)  # a bad code fails now, not in the job
        wanted = IngestRequest(
            ingest=[p.name for p in paths[-1:]],
            files=[p.name for p in paths],
            dataset=dataset,
            schema=schema_,
            maps=parsed_maps,
            keys=keys or [],
            skip_errors=skip_errors,
            country=checked_country,
            ocr_lang=ocr_lang,
        )
        job = jobs.submit_ingest(job_id, bench.context.with_request(), wanted)
    except BaseException:
        remove(folder)
        raise
    return job_out(job)


def _save_all(
    folder: FilePath, file: UploadFile, mapping: UploadFile | None, data_dir: FilePath
) -> list[FilePath]:
    """Save the data file (and mapping, last); check every mapping stays in `folder`."""
    uploads: Sequence[tuple[UploadFile, str]] = [(file, "upload")]
    if mapping is not None:
        uploads = [(file, "upload"), (mapping, "mapping.yml")]
    paths: list[FilePath] = []
    for upload, default in uploads:
        name = safe_name(upload.filename, default)
        if paths and name == paths[0].name:
            name = f"mapping-{name}"
        paths.append(save(upload.file, folder, name))
    for path in paths:
        if path.suffix.lower() in MAPPING_SUFFIXES:
            check_mapping(path, data_dir)
    return paths


@router.get("", response_model=list[IngestJobOut])
def ingest_jobs(request: Request, who: Who) -> list[IngestJobOut]:
    """The caller's ingest jobs, newest first."""
    return [job_out(j) for j in server(request).jobs.of(who.user, "ingest")]


@router.get("/{job_id}", response_model=IngestJobOut)
def ingest_job(
    request: Request, bench: Bench, job_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> IngestJobOut:
    """One of the caller's ingest jobs (an admin: anyone's, on record): stage, results
    and row errors."""
    store = server(request).jobs.store
    job = show_job(bench.accountability, bench.context, store, job_id)
    if job.kind != "ingest":
        raise NotFoundError(f"No ingest job {job_id!r}")
    return job_out(job)
