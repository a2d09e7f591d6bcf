"""Who is calling: a bearer API token, a session cookie (with CSRF on every change),
or, in `--local` mode only, the local admin. Plus the sign-in rate limit.

A token caller is resolved again on every call by the accountability layer, so a
revoked token stops working at once. Cookie callers must send the session's CSRF
token (header `X-CSRF-Token`, or form field `csrf_token`) with every request that
changes state; a bearer token carries no ambient authority, so needs none.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

from threadline.access import LOCAL_USER, token_digest
from threadline.api.sessions import Session
from threadline.api.state import server

COOKIE = "threadline_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of one request."""

    user: str
    token: str | None = field(default=None, repr=False)
    session_id: str | None = field(default=None, repr=False)
    session: Session | None = None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def _check_csrf(request: Request, session: Session) -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # cached by Starlette; the endpoint reads it again
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, session.csrf):
        raise HTTPException(403, "CSRF token missing or wrong; reload the page and try again")


def session_of(request: Request) -> tuple[str, Session] | None:
    """The request's live session (cookie value, session), if any."""
    state = server(request)
    made = getattr(request.state, "new_session", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    found = state.sessions.get(cookie)
    return (cookie, found) if found else None


async def caller(request: Request) -> Caller:
    """The caller, or 401 (nobody signed in) / 403 (bad token or CSRF)."""
    state = server(request)
    token = _bearer(request)
    if token is not None:
        # Only name the token's user here; the workbench call reads their principal
        # (refusing a disabled user) from the access store, once per call.
        name = state.bench.accountability.access.token_user(token_digest(token))
        if name is None:
            raise HTTPException(401, "invalid or revoked API token")
        return Caller(name, token=token)
    found = session_of(request)
    if found is not None:
        session_id, session = found
        await _check_csrf(request, session)
        return Caller(session.user, session_id=session_id, session=session)
    if state.local and request.method in SAFE_METHODS:
        return Caller(LOCAL_USER)
    raise HTTPException(401, "sign in first (or send an API token)")


class LoginLimiter:
    """At most `attempts` failed sign-ins per `window` seconds, per client and per name."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def check(self, client: str, name: str) -> None:
        """429 with Retry-After if this client or this name failed too often."""
        now = time.monotonic()
        for key in (f"client:{client}", f"user:{name}"):
            times = self._recent(key, now)
            if len(times) >= self.attempts:
                wait = int(self.window - (now - times[0])) + 1
                raise HTTPException(
                    429,
                    "too many failed sign-ins; wait and try again",
                    headers={"Retry-After": str(wait)},
                )

    def failed(self, client: str, name: str) -> None:
        """Count a failed sign-in."""
        now = time.monotonic()
        for key in (f"client:{client}", f"user:{name}"):
            self._recent(key, now).append(now)

    def succeeded(self, client: str, name: str) -> None:
        """Forget a name's failures after a good sign-in."""
        self._failures.pop(f"user:{name}", None)
