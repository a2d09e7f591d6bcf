"""A yente-compatible match API: `POST /match/{dataset}` and `GET /algorithms`, so that
screening clients and nomenklatura's yente enricher work against threadline (point
them at `<server>/api/v1`). Scores come from threadline's resolver, as `explain` gives
them; each query is one audited consultation; `dataset` is a collection, or `default`
for every collection the caller may read. Open to other origins (see `crossorigin`).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile
from fastapi.responses import StreamingResponse

from threadline.api.crossorigin import OpenBench
from threadline.api.deps import Bench
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
from threadline.api.uploads import remove, safe_name, save
from threadline.app.screening import ALGORITHM_NAME
from threadline.app.screening_list import write_results
from threadline.app.verbs.matching import ALL_DATASETS, MAX_IDS, MAX_LIMIT
from threadline.app.verbs.screening_batch import ScreenReport
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
    responses={**responses(*COMMON, 413), **LIST_DOWNLOAD},
)
def match_file(
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
) -> Any:
    """`Workbench.match_file(file, schema=, maps=, dataset=, limit=, threshold=,
    cutoff=)`: every row of the list screened against what the caller may read, as
    JSON (`header` and `rows`) or as a CSV or XLSX download. Each row is audited as
    a consultation, and the list as a whole (by its hash and row count)."""
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
