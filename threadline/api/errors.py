"""Threadline's errors as HTTP answers: JSON under /api, or the web layer's page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from threadline.access import AccessDenied, AccessError
from threadline.accountability import PurposeRequired
from threadline.audit import AuditWriteError
from threadline.cases import CaseError, CaseNotFound
from threadline.errors import IndexBusyError, NotFoundError, ThreadlineError

# (error class, status) in order: the first match wins.
STATUSES: list[tuple[type[Exception], int]] = [
    (AuditWriteError, 503),
    (IndexBusyError, 503),
    (PurposeRequired, 428),
    (AccessDenied, 403),
    (CaseNotFound, 404),
    (NotFoundError, 404),
    (AccessError, 400),
    (CaseError, 400),
    (ThreadlineError, 400),
    (ValueError, 422),
]

HtmlRenderer = Callable[[Request, int, str], Response]


def status_of(error: Exception) -> int:
    """The HTTP status for an error."""
    for kind, status in STATUSES:
        if isinstance(error, kind):
            return status
    return 500


def install(app: FastAPI) -> None:
    """Answer threadline's errors with their status and message."""

    async def handle(request: Request, error: Exception) -> Response:
        status = status_of(error)
        renderer: HtmlRenderer | None = getattr(app.state, "html_error", None)
        if renderer is not None and not request.url.path.startswith("/api/"):
            return renderer(request, status, str(error))
        return JSONResponse({"detail": str(error)}, status_code=status)

    for kind, _ in STATUSES:
        app.add_exception_handler(kind, handle)
