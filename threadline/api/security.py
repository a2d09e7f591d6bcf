"""Who is calling: a bearer API token, a session cookie (with CSRF on every change),
or, in `--local` mode only, the local admin.

A token caller is resolved again on every call by the accountability layer, so a
revoked token stops working at once. An unknown token is audited (never the token,
only a short salted hash) and counts against its client's sign-in cap. A session is
live only in its user's current session epoch, so a password change, a token
revocation or disabling the user ends it. Cookie callers must send the session's
CSRF token (header `X-CSRF-Token`, or form field `csrf_token`) with every request
that changes state; a bearer token carries no ambient authority, so needs none.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

from threadline.access import LOCAL_USER, token_digest
from threadline.api import authlog
from threadline.api.client import client_address
from threadline.api.limiter import SignInLimited
from threadline.api.sessions import Session
from threadline.api.state import Server, server

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
    found = live_session(state, cookie)
    return (cookie, found) if found else None


def live_session(state: Server, cookie: str) -> Session | None:
    """The session behind a cookie if it is live: not expired, and made in its
    user's current session epoch. A session of an earlier epoch is ended."""
    found = state.sessions.get(cookie)
    if found is None:
        return None
    if found.epoch != state.bench.accountability.access.session_epoch(found.user):
        state.sessions.end(cookie)
        return None
    return found


def limited(refusal: SignInLimited) -> HTTPException:
    """The 429 answer to a refusal of the sign-in limit."""
    return HTTPException(429, str(refusal), headers={"Retry-After": str(refusal.retry_after)})


def refuse_token(request: Request, token: str) -> HTTPException:
    """The answer to an unknown or revoked token, recorded in the audit log; a client
    over its cap gets 429 and no further events (so it cannot flood the log)."""
    client = client_address(request)
    try:
        server(request).limiter.bad_token(client)
    except SignInLimited as refusal:
        return limited(refusal)
    authlog.bad_token(request, token, client)
    return HTTPException(401, "invalid or revoked API token")


async def caller(request: Request) -> Caller:
    """The caller, or 401 (nobody signed in, or an unknown token), 403 (CSRF) or 429
    (a client sending too many unknown tokens)."""
    state = server(request)
    token = _bearer(request)
    if token is not None:
        # Only name the token's user here; the workbench call reads their principal
        # (refusing a disabled user) from the access store, once per call.
        name = state.bench.accountability.access.token_user(token_digest(token))
        if name is None:
            raise refuse_token(request, token)
        return Caller(name, token=token)
    found = session_of(request)
    if found is not None:
        session_id, session = found
        await _check_csrf(request, session)
        return Caller(session.user, session_id=session_id, session=session)
    if state.local and request.method in SAFE_METHODS:
        return Caller(LOCAL_USER)
    raise HTTPException(401, "sign in first (or send an API token)")
