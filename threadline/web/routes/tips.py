"""The tip pages: the public form at /tips (no account needed; it says plainly what is
kept), and the triage desk of the configured group: the queue, one tip, reject it or
open a case with it.

The form takes tips through the API's `receive`, so the rate limit, the caps and the
404 while intake is off are the same both ways in.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException  # what form parsing raises, too

from threadline.api.routes.tips import receive
from threadline.api.state import server
from threadline.api.uploads import UploadTooLarge
from threadline.errors import ThreadlineError
from threadline.tips.records import what_is_kept
from threadline.web.render import path_part
from threadline.web.visitor import Page, PageError, anonymous, render

router = APIRouter(include_in_schema=False)


def _form(request: Request, status: int = 200, **values: Any) -> HTMLResponse:
    settings = server(request).bench.settings
    if not settings.tips_enabled:
        raise PageError(404, "This server does not take tips.")
    return render(
        request,
        anonymous(request),
        "tips_form.html",
        status,
        kept=what_is_kept(settings.tips_keep_ip),
        keep_ip=settings.tips_keep_ip,
        max_files=settings.tips_max_files,
        max_size=_size(settings.tips_max_file_bytes),
        max_chars=settings.tips_max_text_chars,
        form_key=secrets.token_hex(16),  # a double click sends one tip, not two
        **{"receipt": None, "error": None, "text": ""} | values,
    )


def _size(count: int) -> str:
    """Bytes as the form says them: 64 KiB, 50 MiB."""
    if count >= 1 << 20:
        return f"{count / (1 << 20):.3g} MiB"
    return f"{count / 1024:.3g} KiB" if count >= 1024 else f"{count} bytes"


@router.get("/tips")
def tip_form(request: Request) -> HTMLResponse:
    return _form(request)


@router.post("/tips")
async def send_tip(request: Request) -> HTMLResponse:
    try:
        tip = await receive(request)
    except HTTPException as refused:
        if refused.status_code == 404:
            raise PageError(404, "This server does not take tips.") from None
        response = _form(request, refused.status_code, error=str(refused.detail))
        response.headers.update(refused.headers or {})
        return response
    except ThreadlineError as refused:
        status = 413 if isinstance(refused, UploadTooLarge) else 400
        typed = getattr(request.state, "tip_text", "")  # so the sender need not type it again
        return _form(request, status, error=str(refused), text=typed)
    return _form(request, 201, receipt=tip)


@router.get("/tips/triage")
def triage(web: Page, status: str = "new") -> HTMLResponse:
    wanted = status if status in ("new", "opening", "rejected", "opened") else None
    return web.page("tips_triage.html", tips=web.bench.tip_list(wanted), showing=wanted or "all")


@router.get("/tips/{tip_id}")
def tip_page(web: Page, tip_id: str) -> HTMLResponse:
    return web.page("tip.html", tip=web.bench.tip_show(tip_id))


@router.post("/tips/{tip_id}/reject")
def reject(web: Page, tip_id: str, reason: Annotated[str, Form()] = "") -> RedirectResponse:
    web.bench.tip_reject(tip_id, reason)
    return RedirectResponse(f"/tips/{path_part(tip_id)}", 303)


@router.post("/tips/{tip_id}/case")
def open_case(
    web: Page,
    tip_id: str,
    name: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
) -> RedirectResponse:
    opened = web.bench.tip_case(tip_id, name=name.strip() or None, purpose=purpose.strip() or None)
    return RedirectResponse(f"/cases/{path_part(opened.case.id)}", 303)
