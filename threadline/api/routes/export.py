"""Export, streamed: followthemoney JSON lines, CSV and XLSX made safe to open, or the
link graph as GEXF, GraphML or Cytoscape JSON (the CLI's `export` and `graph export`).

`Workbench.export` spools and audits the whole export before it returns, so a refusal
is an error status, never a truncated download.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.app.sheets import csv_chunks, export_rows, write_xlsx
from threadline.app.verbs.graph import view_builds
from threadline.graph.export import EXPORT_FORMATS as GRAPH_FORMATS

router = APIRouter(tags=["export"], responses=responses())

CHUNK = 1 << 16
NDJSON = "application/x-ndjson"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS: dict[str, tuple[str, str]] = {  # format: (media type, file suffix)
    "ftm": (NDJSON, "ijson"),
    "csv": (CSV, "csv"),
    "xlsx": (XLSX, "xlsx"),
    "gexf": ("application/gexf+xml", "gexf"),
    "graphml": ("application/graphml+xml", "graphml"),
    "cyjs": ("application/json", "cyjs"),
}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The entities: FtM JSON lines, or one row per property value; "
        "or the link graph",
        "content": {media.split(";")[0]: {} for media, _ in FORMATS.values()},
    }
}


def _ndjson(entities: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    lines: list[bytes] = []
    for entity in entities:
        lines.append(orjson.dumps(entity) + b"\n")
        if len(lines) == 200:
            yield b"".join(lines)
            lines = []
    yield b"".join(lines)


def _xlsx(entities: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    # openpyxl writes a zip, which needs a seekable file: spool to disk, then stream.
    with tempfile.TemporaryFile() as spool:
        write_xlsx(export_rows(entities), spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


@router.get("/export", response_class=StreamingResponse, responses=DOWNLOAD)
def export(
    bench: Bench,
    dataset: Annotated[str | None, Query(max_length=200, description="Default: all.")] = None,
    format: Annotated[
        Literal["ftm", "csv", "xlsx", "gexf", "graphml", "cyjs"],
        Query(
            description="ftm: JSON lines; csv and xlsx: one row per value, formulas "
            "neutralised; gexf, graphml and cyjs: the link graph (`graph export`)."
        ),
    ] = "ftm",
) -> StreamingResponse:
    """`Workbench.export(dataset)`: every entity the caller may read, merged entities
    once under their canonical id with their `referents` and `markings`; for a graph
    format, `Workbench.graph_export(format, dataset=dataset)`."""
    media, suffix = FORMATS[format]
    name = _UNSAFE_NAME.sub("_", dataset or "threadline") + f".{suffix}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format in GRAPH_FORMATS:
        chunks = view_builds(bench, background=True).graph_export(format, dataset=dataset)
        graph = (chunk.encode("utf-8") for chunk in chunks)
        return StreamingResponse(graph, media_type=media, headers=disposition)
    entities = bench.export(dataset, format)
    if format == "ftm":
        body: Iterator[Any] = _ndjson(entities)
    elif format == "csv":
        body = csv_chunks(export_rows(entities))
    else:
        body = _xlsx(entities)
    return StreamingResponse(body, media_type=media, headers=disposition)
