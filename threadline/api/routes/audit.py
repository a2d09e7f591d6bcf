"""The audit log (admins only): filtered pages of events, a CSV export, a subject
report, who accessed an entity, and verification.

The filters have the same names here, on the web page and on the command line:
actor, kind, action, case_id, purpose, since, until and entity_id.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import StreamingResponse

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import EventOut
from threadline.api.schemas.audit import AuditPageOut, SubjectOut, VerifyRunOut
from threadline.app.sheets import csv_chunks
from threadline.audit.query import MAX_TEXT, AuditFilter
from threadline.audit.rows import HEADER

router = APIRouter(prefix="/audit", tags=["audit"], responses=responses())

CSV = "text/csv; charset=utf-8"
Text = Query(min_length=1, max_length=MAX_TEXT)
Cursor = Query(ge=0)
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"description": "One row an event, oldest first", "content": {CSV.split(";")[0]: {}}}
}


def audit_filter(
    actor: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    kind: Annotated[
        str | None,
        Query(description="consultation, disclosure, combination, alteration, collection, erasure"),
    ] = None,
    action: Annotated[str | None, Text] = None,
    case_id: Annotated[str | None, Text] = None,
    purpose: Annotated[str | None, Query(max_length=MAX_TEXT, description="A substring")] = None,
    since: Annotated[str | None, Query(max_length=40, description="An ISO date or time")] = None,
    until: Annotated[
        str | None, Query(max_length=40, description="An ISO date (included) or time")
    ] = None,
    entity_id: Annotated[
        str | None, Query(min_length=1, max_length=MAX_TEXT, description="Or any object id")
    ] = None,
) -> AuditFilter:
    """The filter of a request, from its query parameters."""
    return AuditFilter(
        actor=actor,
        kind=kind,
        action=action,
        case_id=case_id,
        purpose=purpose,
        since=since,
        until=until,
        entity_id=entity_id,
    )


Filter = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("/log", response_model=AuditPageOut)
def audit_log(
    bench: Bench,
    filters: Filter,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 50,
    before: Annotated[int | None, Cursor] = None,
    after: Annotated[int | None, Cursor] = None,
) -> AuditPageOut:
    """`Workbench.audit_log(filters, limit=, before=, after=)`: a page of events answering
    the filters, newest first, with their total."""
    return AuditPageOut.of(bench.audit_log(filters, limit=limit, before=before, after=after))


@router.get("/export", response_class=StreamingResponse, responses=DOWNLOAD)
def audit_export(bench: Bench, filters: Filter) -> StreamingResponse:
    """`Workbench.audit_export(filters)`: every event answering the filters as CSV, oldest
    first; the export is on record (filter, row count, purpose) before a row leaves."""
    exported = bench.audit_export(filters)
    disposition = {
        "Content-Disposition": 'attachment; filename="audit-log.csv"',
        "X-Rows": str(exported.count),
    }
    return StreamingResponse(
        csv_chunks(exported, header=HEADER), media_type=CSV, headers=disposition
    )


@router.get("/subject/{entity_id}", response_model=SubjectOut)
def audit_subject(
    bench: Bench, entity_id: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)]
) -> SubjectOut:
    """`Workbench.audit_subject(entity_id)`: everything on record about the entity (or the
    merged entity it belongs to), by section: reads, searches, disclosures, merges."""
    return SubjectOut.of(bench.audit_subject(entity_id))


@router.get("/who-accessed/{entity_id}", response_model=list[EventOut])
def audit_who_accessed(
    bench: Bench, entity_id: Annotated[str, Path(min_length=1, max_length=200)]
) -> list[EventOut]:
    """`Workbench.audit_who_accessed(entity_id)`: every consultation, combination or
    disclosure of the entity (or of the merged entity it belongs to)."""
    return [EventOut.of(e) for e in bench.audit_who_accessed(entity_id)]


@router.get("/verify", response_model=VerifyRunOut)
def audit_verify(bench: Bench) -> VerifyRunOut:
    """`Workbench.audit_verify()`: the whole log against its signed checkpoints, with the
    signed Merkle root and the time it took."""
    started = time.perf_counter()
    report = bench.audit_verify()
    return VerifyRunOut.run(report, time.perf_counter() - started)
