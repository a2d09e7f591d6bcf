"""Threadline's errors as HTTP answers: JSON under /api, or the web layer's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from threadline.access import AccessDenied, AccessError
from threadline.api.schemas import Problem
from threadline.api.uploads import UploadTooLarge
from threadline.app.accountability import PurposeRequired
from threadline.app.prompts import JustificationRequired
from threadline.audit import AuditWriteError
from threadline.cases import CaseError, CaseNotFound
from threadline.errors import GraphBuilding, IndexBusyError, NotFoundError, ThreadlineError

# (error class, status) in order: the first match wins.
STATUSES: list[tuple[type[Exception], int]] = [
    (UploadTooLarge, 413),
    (AuditWriteError, 503),
    (IndexBusyError, 503),
    (GraphBuilding, 503),
    (PurposeRequired, 428),
    (JustificationRequired, 428),
    (AccessDenied, 403),
    (CaseNotFound, 404),
    (NotFoundError, 404),
    (AccessError, 400),
    (CaseError, 400),
    (ThreadlineError, 400),
    (ValueError, 422),
]

# A page for an error: the request, the status, the message, and the seconds after
# which to try again (a view being built), if any.
HtmlRenderer = Callable[[Request, int, str, int | None], Response]

# The errors every JSON route may answer with, for OpenAPI (and so for schemathesis).
_MEANINGS = {
    400: "The request cannot be done as asked",
    401: "Sign in first, or send a valid API token",
    403: "Refused: no right to this, or a missing or wrong CSRF token",
    404: "No such thing, or none you may see",
    413: "The upload is too large",
    422: "Invalid parameters",
    428: "State a purpose (X-Purpose) or work inside a case (X-Case), or answer the "
    "justification prompt the message quotes (X-Justification)",
    429: "Too many failed sign-ins or unknown tokens; wait (Retry-After) and try again",
    503: "The audit log or the search index cannot be written just now, or the link "
    "graph is being built: try again after Retry-After seconds",
}


# 429: a client that sent too many unknown API tokens, or failed sign-ins.
COMMON = (400, 401, 403, 404, 422, 428, 429, 503)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for these error statuses (by default the COMMON ones)."""
    chosen = statuses or COMMON
    return {s: {"model": Problem, "description": _MEANINGS[s]} for s in chosen}


def status_of(error: Exception) -> int:
    """The HTTP status for an error."""
    for kind, status in STATUSES:
        if isinstance(error, kind):
            return status
    return 500


# What a validation error may say about itself: never the value sent (`input`),
# which could be a password, or a whole body holding one when a field is missing.
_INVALID_KEYS = ("type", "loc", "msg")


def invalid(error: RequestValidationError) -> list[dict[str, Any]]:
    """A request's validation errors without the values it sent."""
    found: list[dict[str, Any]] = jsonable_encoder(error.errors())
    return [{key: item[key] for key in _INVALID_KEYS if key in item} for item in found]


def install(app: FastAPI) -> None:
    """Answer threadline's errors with their status and message, and invalid
    requests with 422 naming each bad field (but never echoing its value)."""

    async def handle_invalid(_request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)  # registered for it alone
        return JSONResponse({"detail": invalid(error)}, status_code=422)

    app.add_exception_handler(RequestValidationError, handle_invalid)

    async def handle(request: Request, error: Exception) -> Response:
        status = status_of(error)
        # A view being built says when to come back; clients and proxies honour it.
        retry = error.retry_after if isinstance(error, GraphBuilding) else None
        headers = {"Retry-After": str(retry)} if retry is not None else None
        renderer: HtmlRenderer | None = getattr(app.state, "html_error", None)
        if renderer is not None and not request.url.path.startswith("/api/"):
            page = renderer(request, status, str(error), retry)
            page.headers.update(headers or {})
            return page
        return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)

    for kind, _ in STATUSES:
        app.add_exception_handler(kind, handle)
