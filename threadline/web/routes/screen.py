"""The screening page: upload a list (CSV or XLSX) of names, map its columns to
followthemoney properties, and see each row's candidates with scores, the features
behind them and links to the entities, or download the results as CSV or XLSX.

It calls `Workbench.match_file`, as `POST /api/v1/match-file` does: the same upload
limits, the same access to what the visitor may read, and the same audit (every row
a consultation, and the list as a whole). The list itself is deleted once screened.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from threadline.api.routes.match import CSV, MAX_LIST_BYTES, XLSX, results_file
from threadline.api.uploads import remove, safe_name, save
from threadline.app.screening_list import RESULT_COLUMNS
from threadline.ingest.tabular import parse_maps
from threadline.web.visitor import Page, PageError

router = APIRouter(include_in_schema=False)
SHOWN = 500  # result rows shown on the page; the download holds them all


@router.get("/screen")
def screen_page(web: Page) -> HTMLResponse:
    form = {"entity_schema": "Person", "maps": "", "limit": 3, "threshold": ""}
    return web.page("screen.html", report=None, form=form)


@router.post("/screen")
def screen(
    web: Page,
    file: Annotated[UploadFile | None, File()] = None,
    entity_schema: Annotated[str, Form(max_length=64)] = "Person",
    maps: Annotated[str, Form(max_length=4000)] = "",
    limit: Annotated[int, Form(ge=1, le=20)] = 3,
    threshold: Annotated[str, Form(max_length=8)] = "",
    output: Annotated[str, Form(max_length=8)] = "page",
) -> Response:
    if file is None or not file.filename:
        raise PageError(400, "Choose a CSV or XLSX list to screen.")
    if output not in ("page", "csv", "xlsx"):
        raise PageError(400, "Show the results on the page, or download them as CSV or XLSX.")
    try:
        cut = float(threshold) if threshold.strip() else None
    except ValueError:
        raise PageError(400, f"threshold: {threshold!r} is not a number between 0 and 1") from None
    folder = web.bench.data_dir / "uploads" / f"screen-{secrets.token_hex(8)}"
    folder.mkdir(parents=True)
    try:
        name = safe_name(file.filename, "list.csv")
        path = save(file.file, folder, name, MAX_LIST_BYTES)
        report = web.bench.match_file(
            path,
            schema=entity_schema.strip(),
            maps=parse_maps([line for line in maps.splitlines() if line.strip()]),
            name=name,
            limit=limit,
            threshold=cut,
        )
    finally:
        remove(folder)
    if output != "page":
        stem = name.rsplit(".", 1)[0] or "list"
        headers = {"Content-Disposition": f'attachment; filename="{stem}-screened.{output}"'}
        media = XLSX if output == "xlsx" else CSV
        return StreamingResponse(results_file(report, output), media_type=media, headers=headers)
    width = len(report.header) - len(RESULT_COLUMNS)
    rows = [
        {"row": r[0], "input": r[1:width], **dict(zip(RESULT_COLUMNS, r[width:], strict=True))}
        for r in report.rows[:SHOWN]
    ]
    form = {"entity_schema": entity_schema, "maps": maps, "limit": limit, "threshold": threshold}
    return web.page(
        "screen.html",
        report=report,
        columns=report.header[1:width],
        rows=rows,
        shown=SHOWN,
        form=form,
    )
