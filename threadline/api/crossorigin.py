"""The endpoints other tools call from elsewhere: OpenRefine's reconciliation service and
the yente-compatible match API. The reconciliation specification requires CORS on every
endpoint, and screening clients send yente's `Authorization: ApiKey TOKEN`.

CORS: every answer on these paths (errors included) carries
`Access-Control-Allow-Origin: *`, never with credentials, so a browser sends no cookie
cross-origin and a page elsewhere cannot read an answer made for a session; preflight
requests are answered here. The rest of the API stays same-origin.

Who calls: an API token (`Bearer` or yente's `ApiKey` scheme) or a session, as anywhere
in the API. In `--local` mode a caller without either is the local admin, as for reads
elsewhere, for POSTs too (these routes only read), but only when the request comes from
no web page (no `Origin`, as OpenRefine's server sends) or from a loopback origin (an
OpenRefine in the same machine's browser): with CORS open, any web site the user visits
could otherwise read the local data.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from threadline.access import LOCAL_USER, token_digest
from threadline.api.deps import context_for
from threadline.api.security import Caller, caller, refuse_token, session_of
from threadline.api.state import server
from threadline.app.workbench import Workbench

OPEN_PATHS = ("/api/v1/reconcile", "/api/v1/match", "/api/v1/algorithms")
ALLOW_HEADERS = "Authorization, Content-Type, X-Purpose, X-Case, X-Justification, X-Request-Id"
_LOOPBACK_ORIGIN = re.compile(r"^https?://(127(\.\d{1,3}){3}|localhost|\[::1\])(:\d{1,5})?$")


def is_open(path: str) -> bool:
    """Whether a path is one of the cross-origin endpoints (or below one)."""
    return any(path == p or path.startswith(p + "/") for p in OPEN_PATHS)


class OpenCors:
    """CORS for the open endpoints only (a pure ASGI middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_open(str(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope.get("method") == "OPTIONS" and "access-control-request-method" in headers:
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        (b"access-control-allow-origin", b"*"),
                        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                        (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
                        (b"access-control-max-age", b"600"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def opened(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = "*"
                out["Access-Control-Expose-Headers"] = "X-Batch-Size"
            await send(message)

        await self.app(scope, receive, opened)


def _api_key(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "apikey" and value.strip() else None


async def open_caller(request: Request) -> Caller:
    """The caller of an open endpoint (see the module's docstring), or 401."""
    state = server(request)
    token = _api_key(request)
    if token is not None:
        name = state.bench.accountability.access.token_user(token_digest(token))
        if name is None:
            raise refuse_token(request, token)
        return Caller(name, token=token)
    anonymous = "authorization" not in request.headers and session_of(request) is None
    if state.local and anonymous:
        origin = request.headers.get("origin")
        if origin is None or _LOOPBACK_ORIGIN.match(origin):
            return Caller(LOCAL_USER)
        raise HTTPException(401, "a web page elsewhere must send an API token")
    return await caller(request)


def open_bench(request: Request, who: Annotated[Caller, Depends(open_caller)]) -> Workbench:
    """The shared workbench, acting for the caller of an open endpoint."""
    return server(request).bench.acting(context_for(request, who))


OpenBench = Annotated[Workbench, Depends(open_bench)]
