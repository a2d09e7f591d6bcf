"""Signing in and out, and choosing what to work on (a case, or a stated purpose).

The sign-in form carries its own token, checked against a short-lived cookie, so
another site cannot sign a browser into an account of its choosing.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from threadline.api.routes.auth import sign_in
from threadline.api.security import COOKIE
from threadline.api.state import server
from threadline.web.render import link
from threadline.web.visitor import (
    Page,
    PageError,
    anonymous,
    remember_case,
    render,
    safe_next,
)

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "threadline_login"
MAX_PURPOSE = 1000


def _login_page(
    request: Request, next_path: str, message: str | None = None, status: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    page = render(
        request,
        anonymous(request),
        "login.html",
        status,
        next=next_path,
        login_token=token,
        message=message,
    )
    page.set_cookie(
        LOGIN_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/login"
    )
    return page


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", 303)


@router.get("/login")
def login_form(request: Request, next: str = "/search") -> HTMLResponse:
    return _login_page(request, safe_next(next))


@router.post("/login", response_model=None)
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    login_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/search",
) -> Response:
    next_path = safe_next(next)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, login_token):
        return _login_page(request, next_path, "The sign-in form expired; try again.", 403)
    if not username or not password:
        return _login_page(request, next_path, "Give your user name and password.", 400)
    state = server(request)
    target = next_path
    if state.bench.settings.require_purpose:
        target = link("/work", {"next": next_path})  # reading needs a case or purpose
    response = RedirectResponse(target, 303)
    try:
        sign_in(request, response, username[:64], password[:1024])
    except HTTPException as refused:
        page = _login_page(request, next_path, str(refused.detail), refused.status_code)
        page.headers.update(refused.headers or {})
        return page
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(web: Page) -> RedirectResponse:
    if web.who.session_id:
        server(web.request).sessions.end(web.who.session_id)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/work")
def work_form(web: Page, next: str = "/search", asked: str = "") -> HTMLResponse:
    cases = web.in_case(None).case_list()
    for case in cases:
        remember_case(web.request, case.id, case.name)
    return web.page("work.html", cases=cases, next=safe_next(next), asked=bool(asked))


@router.post("/work")
def set_work(
    web: Page,
    case: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/search",
) -> RedirectResponse:
    if not web.who.session_id:
        raise PageError(400, "only a signed-in browser session has a current case")
    case_id = case.strip() or None
    stated = purpose.strip()[:MAX_PURPOSE] or None
    if case_id:
        opened = web.in_case(case_id).case_show(case_id).case  # checks membership
        remember_case(web.request, opened.id, opened.name)
        stated = None  # the case's own purpose applies
    server(web.request).sessions.set_work(web.who.session_id, case_id, stated)
    return RedirectResponse(safe_next(next), 303)
