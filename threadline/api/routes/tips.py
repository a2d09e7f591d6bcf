"""Tips: the public intake (`POST /tips`, no account needed) and the triage queue of
the configured group (list, read, reject, open as a case).

The intake is limited per client (the sign-in limiter's rules and database table,
keyed `tip:ADDRESS`), capped in size and files before the body is read, and answers
404 while tip intake is off. A sender's retry with the same `Idempotency-Key` header
(or form field `idempotency_key`) gets the first tip's receipt and adds nothing.
Admins purge the tips past retention (`POST /tips/purge`). The web form (`threadline.web.routes.tips`) takes tips
through `receive` here, so both ways in keep the same rules.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from starlette.datastructures import UploadFile
from starlette.types import Message

from threadline.api.client import client_address
from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.limiter import SignInLimited
from threadline.api.schemas.tips import (
    TipCaseIn,
    TipCaseOut,
    TipOut,
    TipPurgeOut,
    TipReceipt,
    TipRejectIn,
)
from threadline.api.state import server
from threadline.api.uploads import UploadTooLarge, safe_name, save
from threadline.app.context import Context, new_request_id
from threadline.tips import Tip
from threadline.tips.records import ANONYMOUS, what_is_kept
from threadline.tips.vault import FOLDER, private_folder

router = APIRouter(tags=["tips"], responses=responses())
TipId = Annotated[str, Path(min_length=1, max_length=32)]
FORM_OVERHEAD = 64 << 10  # bytes of multipart framing and field names allowed besides
MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "idempotency_key": {"type": "string", "maxLength": 200},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            }
        },
    }
}


def _refuse_rate(refusal: SignInLimited) -> HTTPException:
    return HTTPException(
        429,
        "too many tips from your address; wait and try again",
        headers={"Retry-After": str(refusal.retry_after)},
    )


def _bounded(request: Request, budget: int) -> Request:
    """The request, refusing (413) a body over `budget` bytes: at once if it says
    so, else as soon as that many bytes arrived (a chunked body says nothing), so
    no more than a tip may have is ever spooled to disk."""
    too_large = UploadTooLarge("tip", f"is larger than the {budget:,} bytes a tip may have")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > budget:
        raise too_large
    seen = 0

    async def receive() -> Message:
        nonlocal seen
        message = await request.receive()
        seen += len(message.get("body", b""))
        if seen > budget:
            raise too_large
        return message

    return Request(request.scope, receive)


async def receive(request: Request) -> Tip:
    """Take the tip this request carries (multipart: `text`, `files`), or refuse it:
    404 while intake is off, 429 over the client's rate, 413 over the size caps,
    400 for anything else the caps refuse."""
    state = server(request)
    settings = state.bench.settings
    if not settings.tips_enabled:
        raise HTTPException(404, "Not Found")
    client = client_address(request)
    limiter = request.app.state.tip_limiter
    try:
        # Counted when it starts, whatever becomes of it, as sign-in attempts are.
        await asyncio.to_thread(limiter.bad_token, f"tip:{client}")
    except SignInLimited as refusal:
        raise _refuse_rate(refusal) from None
    budget = settings.tips_max_files * settings.tips_max_file_bytes
    budget += 4 * settings.tips_max_text_chars + FORM_OVERHEAD
    form = await _bounded(request, budget).form(max_files=settings.tips_max_files, max_fields=8)
    text = form.get("text")
    request.state.tip_text = text if isinstance(text, str) else ""  # for the form to keep
    field = form.get("idempotency_key")
    key = request.headers.get("idempotency-key") or (field if isinstance(field, str) else None)
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    request_id = request.headers.get("x-request-id") or new_request_id()
    bench = state.bench.acting(Context(actor=ANONYMOUS, request_id=request_id))

    def take() -> Tip:
        folder = bench.data_dir / FOLDER / "incoming" / uuid.uuid4().hex
        private_folder(folder)
        try:
            files = []
            for number, upload in enumerate(uploads, 1):
                name = safe_name(upload.filename, f"file-{number}")
                target = folder / str(number)
                target.mkdir()
                limit = settings.tips_max_file_bytes
                try:
                    files.append((name, save(upload.file, target, name, limit)))
                except UploadTooLarge:
                    raise UploadTooLarge(
                        name, f"is larger than the {limit:,} bytes allowed"
                    ) from None
            typed = text if isinstance(text, str) else ""
            return bench.tip_submit(typed, files, client, idempotency_key=key or None)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    try:
        return await asyncio.to_thread(take)
    finally:
        await form.close()


@router.post(
    "/tips",
    response_model=TipReceipt,
    status_code=201,
    openapi_extra=MULTIPART,
    responses=responses(413),
)
async def submit_tip(request: Request) -> TipReceipt:
    """`Workbench.tip_submit(text, files, idempotency_key=)`: send a tip, no account
    needed (multipart `text` and up to `tips_max_files` `files`; an `Idempotency-Key`
    header makes a retry give back the first tip's receipt). Off unless `tips_enabled`
    (404)."""
    tip = await receive(request)
    kept = what_is_kept(tip.client is not None)
    return TipReceipt(id=tip.id, received_at=tip.received_at, files=len(tip.files), kept=kept)


@router.get("/tips", response_model=list[TipOut])
def tips(
    bench: Bench,
    status: Annotated[str | None, Query(pattern="^(new|opening|rejected|opened)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[TipOut]:
    """`Workbench.tip_list(status=, limit=)`: the queue, for the triage group."""
    return [TipOut.of(t) for t in bench.tip_list(status, limit)]


@router.post("/tips/purge", response_model=TipPurgeOut)
def purge_tips(bench: Bench, dry_run: bool = False) -> TipPurgeOut:
    """`Workbench.tip_purge(dry_run=)`: delete new and rejected tips past
    `tips_retention_days` with their files (admins only); tips opened as cases stay."""
    return TipPurgeOut.of(bench.tip_purge(dry_run=dry_run))


@router.get("/tips/{tip_id}", response_model=TipOut)
def tip(bench: Bench, tip_id: TipId) -> TipOut:
    """`Workbench.tip_show(tip_id)`: one tip, for the triage group."""
    return TipOut.of(bench.tip_show(tip_id))


@router.post("/tips/{tip_id}/reject", response_model=TipOut)
def reject_tip(bench: Bench, tip_id: TipId, body: TipRejectIn) -> TipOut:
    """`Workbench.tip_reject(tip_id, reason)`."""
    return TipOut.of(bench.tip_reject(tip_id, body.reason))


@router.post(
    "/tips/{tip_id}/case",
    response_model=TipCaseOut,
    status_code=201,
    responses={200: {"description": "The tip was opened before: its case", "model": TipCaseOut}},
)
def tip_case(bench: Bench, tip_id: TipId, body: TipCaseIn, response: Response) -> TipCaseOut:
    """`Workbench.tip_case(tip_id, name=, purpose=)`: open a case with the tip (201);
    asked again, the case the tip became (200, `repeated`), and nothing new."""
    opened = bench.tip_case(tip_id, name=body.name, purpose=body.purpose)
    if opened.repeated:
        response.status_code = 200
    return TipCaseOut.of(opened)
