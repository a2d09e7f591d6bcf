"""A yente-compatible match API: `POST /match/{dataset}` and `GET /algorithms`, so that
screening clients and nomenklatura's yente enricher work against threadline (point
them at `<server>/api/v1`). Scores come from threadline's resolver, as `explain` gives
them; each query is one audited consultation; `dataset` is a collection, or `default`
for every collection the caller may read. Open to other origins (see `crossorigin`).

`POST /match-file` screens a whole list: in the request, or with `wait=false` as a
persistent job (`threadline.app.jobs.screening`) polled at `GET /match-file/jobs/{id}`,
whose results file only its submitter downloads (`.../result`, an audited disclosure).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

from threadline.api.crossorigin import OpenBench
from threadline.api.deps import Bench, Who
from threadline.api.errors import COMMON, responses
from threadline.api.schemas.match import (
    AlgorithmOut,
    AlgorithmsResponse,
    EntityMatches,
    MatchRequest,
    MatchResponse,
    ScreenReportOut,
    matcher,
)
from threadline.api.schemas.screening import ScreeningJobOut
from threadline.api.schemas.wire import Problem
from threadline.api.state import server
from threadline.api.uploads import remove, safe_name, save
from threadline.app.context import Context
from threadline.app.jobs import Job
from threadline.app.jobs.screening import (
    KIND,
    ResultNotReady,
    ScreeningRequest,
    download_name,
    result_file,
)
from threadline.app.screening import ALGORITHM_NAME
from threadline.app.screening_list import write_results
from threadline.app.verbs.matching import ALL_DATASETS, MAX_IDS, MAX_LIMIT
from threadline.app.verbs.screening_batch import ScreenReport
from threadline.errors import NotFoundError
from threadline.ingest.tabular import parse_maps

router = APIRouter(tags=["match"], responses=responses())

Names = Annotated[list[str], Query(max_length=50)]
DATE = r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?)?$"


@router.post("/match/{dataset}", response_model=MatchResponse)
def match(
    bench: OpenBench,
    response: Response,
    body: MatchRequest,
    dataset: Annotated[
        str, Path(min_length=1, max_length=200, description="A collection, or `default`: all.")
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 5,
    threshold: Annotated[
        float | None, Query(ge=0, le=1, description="Default: the resolver's merge threshold.")
    ] = None,
    cutoff: Annotated[float, Query(ge=0, lt=1, description="Leave out scores up to this.")] = 0.0,
    algorithm: Annotated[
        Literal["threadline-resolver", "best", "default"], Query(description=ALGORITHM_NAME)
    ] = "best",
    include_dataset: Names = [],  # noqa: B006 - FastAPI copies defaults per request
    exclude_dataset: Names = [],  # noqa: B006
    exclude_schema: Names = [],  # noqa: B006
    changed_since: Annotated[str | None, Query(pattern=DATE)] = None,
    exclude_entity_ids: Annotated[list[str], Query(max_length=MAX_IDS)] = [],  # noqa: B006
    fuzzy: Annotated[
        bool,
        Query(
            description="Accepted for yente clients; names are always matched with typos allowed."
        ),
    ] = True,
) -> MatchResponse:
    """`Workbench.match(queries, ...)`: each query (a schema and property values, keys
    as the client likes) scored against the candidates the caller may read, with the
    resolver's per-feature weights (`features`, `explanations`); `match` is a score at
    or above `threshold`, `total` counts the matches."""
    results = bench.match(
        {key: example.data() for key, example in body.queries.items()},
        dataset=dataset,
        limit=limit,
        threshold=threshold,
        cutoff=cutoff,
        include_dataset=include_dataset,
        exclude_dataset=exclude_dataset,
        exclude_schema=exclude_schema,
        changed_since=changed_since,
        exclude_entity_ids=exclude_entity_ids,
    )
    response.headers["X-Batch-Size"] = str(len(results))
    return MatchResponse(
        responses={key: EntityMatches.of(result) for key, result in results.items()},
        matcher=matcher(bench.match_algorithms()[0]),
        limit=limit,
    )


@router.get("/algorithms", response_model=AlgorithmsResponse)
def algorithms(bench: OpenBench) -> AlgorithmsResponse:
    """`Workbench.match_algorithms()`: the one scoring algorithm, threadline's resolver,
    with each feature's description and current full-agreement weight."""
    return AlgorithmsResponse(algorithms=[AlgorithmOut.of(a) for a in bench.match_algorithms()])


MAX_LIST_BYTES = 64 << 20  # a list of names; a larger upload is not one
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The results: JSON, or a CSV or XLSX table (one row per input row "
        "and candidate)",
        "content": {"application/json": {}, CSV.split(";")[0]: {}, XLSX: {}},
    }
}


def results_file(report: ScreenReport, fmt: str) -> Iterator[bytes]:
    """The results as CSV or XLSX bytes, in chunks (the web page downloads them too)."""
    # openpyxl writes a zip, which needs a seekable file: spool to disk, then stream.
    with tempfile.TemporaryFile() as spool:
        write_results(report.header, report.rows, spool, fmt)
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


@router.post(
    "/match-file",
    response_model=ScreenReportOut,
    responses={
        **responses(*COMMON, 413),
        **LIST_DOWNLOAD,
        202: {"model": ScreeningJobOut, "description": "Queued as a job (`wait=false`)"},
    },
)
def match_file(
    request: Request,
    bench: Bench,
    file: Annotated[UploadFile, File(description="A CSV or XLSX list, one record per row")],
    schema_: Annotated[str, Form(alias="schema", max_length=64, examples=["Person"])],
    maps: Annotated[
        list[str], Form(description="property=COLUMN, e.g. name=Full name (one per field)")
    ],
    dataset: Annotated[str, Form(min_length=1, max_length=200)] = ALL_DATASETS,
    limit: Annotated[int, Form(ge=1, le=MAX_LIMIT)] = 5,
    threshold: Annotated[float | None, Form(ge=0, le=1)] = None,
    cutoff: Annotated[float, Form(ge=0, lt=1)] = 0.0,
    format_: Annotated[Literal["json", "csv", "xlsx"], Form(alias="format")] = "json",
    wait: Annotated[
        bool,
        Query(
            description="false: screen as a background job (202 with the job; poll "
            "`GET /match-file/jobs/{job_id}`, then download its CSV or XLSX)"
        ),
    ] = True,
) -> Any:
    """`Workbench.match_file(file, schema=, maps=, dataset=, limit=, threshold=,
    cutoff=)`: every row of the list screened against what the caller may read, as
    JSON (`header` and `rows`) or as a CSV or XLSX download; with `wait=false`, as a
    persistent job whose results file (CSV unless `format=xlsx`) only the caller may
    download. Each row is audited as a consultation, and the list as a whole (by its
    hash and row count)."""
    if not wait:
        wanted = ScreeningRequest(
            file="",
            schema=schema_,
            maps=parse_maps(maps),
            dataset=dataset,
            limit=limit,
            threshold=threshold,
            cutoff=cutoff,
            format="xlsx" if format_ == "xlsx" else "csv",
        )
        job = submit_screening(request, bench.context, file, wanted)
        return JSONResponse(ScreeningJobOut.of_job(job).model_dump(mode="json"), 202)
    folder = bench.data_dir / "uploads" / f"match-{secrets.token_hex(8)}"
    folder.mkdir(parents=True)
    try:
        name = safe_name(file.filename, "list.csv")
        path = save(file.file, folder, name, MAX_LIST_BYTES)
        report = bench.match_file(
            path,
            schema=schema_,
            maps=parse_maps(maps),
            name=name,
            dataset=dataset,
            limit=limit,
            threshold=threshold,
            cutoff=cutoff,
        )
    finally:
        remove(folder)  # the list is screened, and kept nowhere
    if format_ == "json":
        return ScreenReportOut.of(report)
    stem = name.rsplit(".", 1)[0] or "list"
    disposition = {"Content-Disposition": f'attachment; filename="{stem}-screened.{format_}"'}
    media = XLSX if format_ == "xlsx" else CSV
    return StreamingResponse(results_file(report, format_), media_type=media, headers=disposition)


def submit_screening(
    request: Request, context: Context, file: UploadFile, wanted: ScreeningRequest
) -> Job:
    """Save an uploaded list in a new job's folder and queue its screening (the options
    checked first); the web page submits its lists here too."""
    jobs = server(request).jobs
    job_id = jobs.new_id()
    folder = jobs.folder(job_id)
    try:
        name = safe_name(file.filename, "list.csv")
        save(file.file, folder, name, MAX_LIST_BYTES)
        checked = replace(wanted, file=name).check()
        job = jobs.store.submit(KIND, context.with_request(), checked.params(), job_id=job_id)
    except BaseException:
        remove(folder)
        raise
    if jobs.worker is not None:
        jobs.worker.wake()
    return job


def screening_job(request: Request, user: str, job_id: str) -> Job:
    """One of `user`'s screening jobs, or NotFoundError (whoever else's it is)."""
    job = server(request).jobs.get(job_id, user)
    if job.kind != KIND:
        raise NotFoundError(f"No screening job {job_id!r}")
    return job


def result_download(bench: Bench, job: Job) -> FileResponse:
    """A done screening job's results file, as its submitter's audited download."""
    try:
        path = result_file(bench, job)
    except ResultNotReady as error:
        raise HTTPException(409, str(error)) from None
    media = XLSX if path.suffix == ".xlsx" else CSV
    return FileResponse(path, media_type=media, filename=download_name(job))


JobId = Annotated[str, Path(min_length=1, max_length=64)]
NOT_READY = {"model": Problem, "description": "The job has not finished, or it failed"}


@router.get("/match-file/jobs/{job_id}", response_model=ScreeningJobOut)
def match_file_job(request: Request, who: Who, job_id: JobId) -> ScreeningJobOut:
    """One of the caller's screening jobs: state, progress, counts and first rows, and
    the download link once done. Another user's job does not exist for the caller."""
    return ScreeningJobOut.of_job(screening_job(request, who.user, job_id))


@router.get(
    "/match-file/jobs/{job_id}/result",
    response_class=FileResponse,
    responses={**responses(), **LIST_DOWNLOAD, 409: NOT_READY},
)
def match_file_result(request: Request, bench: Bench, who: Who, job_id: JobId) -> FileResponse:
    """The results of one of the caller's done screening jobs (CSV or XLSX, as asked);
    each download is an audited disclosure. 409 while the job has not finished."""
    return result_download(bench, screening_job(request, who.user, job_id))
