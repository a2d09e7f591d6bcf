"""The audit pages (admins): the log filtered and paged, its CSV export, "verify now",
and the subject report of one entity.

The filters have the same names as in the API and on the command line (actor, kind,
action, case_id, purpose, since, until, entity_id). Reading the log is itself audited,
and so is an export (a disclosure, with the filter and the row count); a non-admin gets
the workbench's refusal (403).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, StreamingResponse

from threadline.app.sheets import csv_chunks
from threadline.audit import ActionKind
from threadline.audit.query import AuditFilter, QueryError
from threadline.audit.rows import HEADER
from threadline.web.render import number
from threadline.web.visitor import Page, PageError

router = APIRouter(include_in_schema=False)
SHOWN_IDS = 3  # object ids listed per event before "+N more"
PAGE_SIZES = (25, 50, 100, 200)
PAGE_SIZE = 50
CSV = "text/csv; charset=utf-8"
FilterField = Annotated[str, Form()]


def _filter(
    actor: str = "",
    kind: str = "",
    action: str = "",
    case_id: str = "",
    purpose: str = "",
    since: str = "",
    until: str = "",
    entity_id: str = "",
) -> AuditFilter:
    try:
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
    except QueryError as error:
        raise PageError(400, str(error)) from None


def _cursor(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@router.get("/audit")
def audit_page(
    web: Page,
    actor: str = "",
    kind: str = "",
    action: str = "",
    case_id: str = "",
    purpose: str = "",
    since: str = "",
    until: str = "",
    entity_id: str = "",
    limit: str = "",
    before: str = "",
    after: str = "",
) -> HTMLResponse:
    filters = _filter(actor, kind, action, case_id, purpose, since, until, entity_id)
    size = number(limit, PAGE_SIZE, 1, max(PAGE_SIZES))
    params: dict[str, str | int] = {**filters.params()}
    if size != PAGE_SIZE:
        params["limit"] = size
    common: dict[str, Any] = {"filters": filters, "params": params, "limit": size}
    common.update(_choices())
    try:
        page = web.bench.audit_log(
            filters, limit=size, before=_cursor(before), after=_cursor(after)
        )
    except QueryError as error:
        # The form stays, with what was wrong said beside it.
        return web.page("audit.html", status=400, page=None, problem=str(error), **common)
    return web.page("audit.html", page=page, problem=None, **common)


def _choices() -> dict[str, Any]:
    return {
        "kinds": [k.value for k in ActionKind],
        "sizes": PAGE_SIZES,
        "default_size": PAGE_SIZE,
        "shown_ids": SHOWN_IDS,
    }


@router.post("/audit/export")
def audit_export(
    web: Page,
    actor: FilterField = "",
    kind: FilterField = "",
    action: FilterField = "",
    case_id: FilterField = "",
    purpose: FilterField = "",
    since: FilterField = "",
    until: FilterField = "",
    entity_id: FilterField = "",
) -> StreamingResponse:
    filters = _filter(actor, kind, action, case_id, purpose, since, until, entity_id)
    try:
        exported = web.bench.audit_export(filters)
    except QueryError as error:
        raise PageError(400, str(error)) from None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return StreamingResponse(
        csv_chunks(exported, header=HEADER),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )


@router.post("/audit/verify")
def audit_verify(web: Page) -> HTMLResponse:
    started = time.perf_counter()
    report = web.bench.audit_verify()
    seconds = time.perf_counter() - started
    return web.page("audit_verify.html", report=report, seconds=seconds)


@router.get("/audit/subject/{entity_id:path}")
def audit_subject(web: Page, entity_id: str) -> HTMLResponse:
    report = web.bench.audit_subject(entity_id)
    return web.page("audit_subject.html", report=report)
