"""The web pages: `install(app)` adds the page routers, /static, the HTML error page
and the security headers every page carries.

Pages are rendered on the server from the workbench's answers; our own small scripts
in /static add keyboard shortcuts, the graph drawing and progress polling. The
Content-Security-Policy allows scripts and styles only from our own origin's files,
so a value that slipped through escaping still could not run.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from threadline.web import render
from threadline.web.routes import ROUTERS
from threadline.web.visitor import LoginRequired, PageError, anonymous, login_url
from threadline.web.visitor import render as render_page

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
# FastAPI's own docs pages load Swagger UI from a CDN; they keep their own rules.
UNGUARDED = ("/docs", "/redoc")
TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    429: "Too many tries",
    503: "Not available just now",
}


class SecurityHeaders:
    """Adds the CSP and friends to every response outside the API docs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(UNGUARDED):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error_page(
    request: Request, status: int, message: str, retry_after: int | None = None
) -> Response:
    """Threadline's errors on a page: a purpose is asked for, anything else explained.
    With `retry_after` (the link graph being built), a GET page reloads itself then."""
    if status == 428:  # PurposeRequired: choose a case or state a purpose, then come back
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":  # back to the page whose form was sent
            sent_from = urlsplit(request.headers.get("referer", "/search"))
            back = sent_from.path + (f"?{sent_from.query}" if sent_from.query else "")
        return RedirectResponse(render.link("/work", {"next": back, "asked": "1"}), 303)
    title = TITLES.get(status, "Something went wrong")
    reload = retry_after if request.method == "GET" else None
    return render_page(
        request,
        anonymous(request),
        "error.html",
        status,
        title=title,
        message=message,
        reload=reload,
    )


def install(app: FastAPI) -> None:
    """Add the pages, their static files and their error handling to the app."""
    app.state.web_templates = render.environment()
    app.state.web_case_labels = {}
    app.state.html_error = error_page
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(login_url(exc.back), 303)

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_page(request, exc.status, exc.message)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(PageError, page_error)
    app.add_middleware(SecurityHeaders)
