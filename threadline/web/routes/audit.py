"""The audit page (admins): the log's newest events, filtered by actor or entity.

Reading the log is itself audited; a non-admin gets the workbench's refusal (403).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from threadline.web.render import number
from threadline.web.visitor import Page

router = APIRouter(include_in_schema=False)
SHOWN_IDS = 6  # object ids listed per event before "and N more"


@router.get("/audit")
def audit_page(web: Page, actor: str = "", entity_id: str = "", limit: str = "") -> HTMLResponse:
    size = number(limit, 200, 1, 5000)
    events = web.bench.audit_log(
        actor=actor.strip() or None, entity_id=entity_id.strip() or None, limit=size
    )
    return web.page(
        "audit.html",
        events=list(reversed(events)),
        actor=actor,
        entity_id=entity_id,
        limit=size,
        shown_ids=SHOWN_IDS,
    )
