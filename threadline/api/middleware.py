"""What every response gets on its way out: its server time, and for the JSON API,
headers that keep a browser from reading data as a page.

`Server-Timing: app;dur=<ms>` is the time from the request's arrival to its response
headers (for a JSON answer, the whole work; for a stream, until the first byte), so a
load generator can tell server time from network and client time.

JSON under /api/ is sent with `<`, `>` and `&` as `\\u003c`, `\\u003e` and `\\u0026`:
the same JSON to any parser, but a value an attacker ingested (`<script>...`) cannot
become markup even where a browser or a careless page treats the body as HTML.
"""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_PATH = "/api/"
_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def escape_json(body: bytes) -> bytes:
    """JSON text with <, > and & escaped; these appear only inside JSON strings."""
    for raw, escaped in _ESCAPES:
        body = body.replace(raw, escaped)
    return body


class ResponseGuard:
    """A pure ASGI middleware (no per-request task, unlike `@app.middleware`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        api = str(scope.get("path", "")).startswith(API_PATH)
        rewrite = api and scope.get("method") != "HEAD"  # HEAD has no body to escape
        held: Message | None = None  # a JSON response's start, sent with its body
        parts: list[bytes] = []

        async def guarded(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                elapsed = (time.perf_counter() - started) * 1000
                headers.append("Server-Timing", f"app;dur={elapsed:.2f}")
                if api:
                    headers.setdefault("X-Content-Type-Options", "nosniff")
                    headers.setdefault("Cache-Control", "no-store")
                    json = headers.get("content-type", "").startswith("application/json")
                    if rewrite and json:
                        held = message
                        return
                await send(message)
            elif message["type"] == "http.response.body" and held is not None:
                parts.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = escape_json(b"".join(parts))
                MutableHeaders(scope=held)["content-length"] = str(len(body))
                await send(held)
                await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(scope, receive, guarded)
