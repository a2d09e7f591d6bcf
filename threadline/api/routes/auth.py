"""Signing in and out, and what the caller is working on (case or purpose).

A sign-in is limited per client and name (see `threadline.api.limiter`) and
recorded in the audit log whether it succeeds or fails (never the password).
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from threadline.access import AccessDenied
from threadline.api import authlog
from threadline.api.client import client_address
from threadline.api.deps import Bench, Who
from threadline.api.errors import responses
from threadline.api.limiter import SignInLimited
from threadline.api.security import COOKIE, limited
from threadline.api.sessions import LIFETIME, Session
from threadline.api.state import server

router = APIRouter(tags=["auth"], responses=responses())


class Credentials(BaseModel):
    """A local account's name and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Me(BaseModel):
    """The signed-in caller."""

    user: str
    role: str
    csrf: str | None = None
    case: str | None = None
    purpose: str | None = None
    local: bool = False


class Work(BaseModel):
    """What a session works on: a case (its purpose applies) or a stated purpose."""

    case: str | None = None
    purpose: str | None = Field(default=None, max_length=1000)


def set_cookie(request: Request, response: Response, session_id: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure under https."""
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def sign_in(request: Request, response: Response, username: str, password: str) -> Session:
    """Check a password (limited per client and name), record the sign-in in the
    audit log, and start a session."""
    state = server(request)
    access = state.bench.accountability.access
    client = client_address(request)
    try:
        state.limiter.attempt(client, username)
    except SignInLimited as refusal:
        raise limited(refusal) from None
    # Read before the password is checked: if it changes meanwhile (or the user is
    # disabled), the new session is of an old epoch and so already over.
    epoch = access.session_epoch(username)
    try:
        access.login(username, password)
    except AccessDenied:
        authlog.sign_in(request, username, client, ok=False)
        raise HTTPException(401, "wrong user name or password") from None
    state.limiter.succeeded(client, username)
    authlog.sign_in(request, username, client, ok=True)
    session_id, session = state.sessions.create(username, epoch)
    set_cookie(request, response, session_id)
    return session


@router.post("/login", response_model=Me)
def login(request: Request, response: Response, credentials: Credentials) -> Me:
    """Sign in with a local account; sets the session cookie and returns the CSRF
    token to send as `X-CSRF-Token` with every change."""
    session = sign_in(request, response, credentials.username, credentials.password)
    role = server(request).bench.accountability.access.user(session.user).role.value
    return Me(user=session.user, role=role, csrf=session.csrf)


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, who: Who) -> Response:
    """End the session."""
    if who.session_id:
        server(request).sessions.end(who.session_id)
    response.delete_cookie(COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", response_model=Me)
def me(request: Request, who: Who) -> Me:
    """Who the caller is, their CSRF token (for sessions) and current work."""
    state = server(request)
    if state.local and who.user == "local":
        role = "admin"
    else:
        user = state.bench.accountability.access.user(who.user)
        if user.disabled:
            raise HTTPException(403, "this account is disabled")
        role = user.role.value
    session = who.session
    return Me(
        user=who.user,
        role=role,
        csrf=session.csrf if session else None,
        case=session.case if session else None,
        purpose=session.purpose if session else None,
        local=state.local,
    )


@router.put("/me/work", response_model=Work)
def set_work(request: Request, work: Work, who: Who, bench: Bench) -> Work:
    """Work inside a case (checked: you must be a member) or under a stated purpose."""
    if not who.session_id:
        raise HTTPException(400, "only a signed-in session has a current case; send X-Case")
    if work.case:
        # Checked outside the session's current case, which may no longer be open to
        # the caller: leaving a case one was removed from must stay possible.
        bench.acting(replace(bench.context, case=None)).case_show(work.case)
    server(request).sessions.set_work(who.session_id, work.case or None, work.purpose or None)
    return work
