"""The visitor of a page: who is signed in, what they work on, and the workbench acting
for them. Nobody signed in means a redirect to /login, not a JSON 401.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from threadline.access import LOCAL_USER, UnknownName
from threadline.api.deps import context_for
from threadline.api.security import Caller, caller, session_of
from threadline.api.state import server
from threadline.app.workbench import Workbench

ADMIN = "admin"


class LoginRequired(Exception):
    """Nobody is signed in: send the browser to the sign-in page, then back."""

    def __init__(self, back: str) -> None:
        super().__init__("sign in first")
        self.back = back


class PageError(Exception):
    """A refusal to show as an error page (bad CSRF token, bad input)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Visitor:
    """The signed-in person, as the page header shows them."""

    user: str | None
    role: str | None = None
    csrf: str | None = None
    case: str | None = None
    purpose: str | None = None
    local: bool = False

    @property
    def admin(self) -> bool:
        return self.role == ADMIN


def back_path(request: Request) -> str:
    """This request's path and query, to come back to after signing in."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(value: str | None, default: str = "/search") -> str:
    """A local path to go to next; anything else (another site) gives the default."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return default


def login_url(back: str) -> str:
    return f"/login?next={quote(back, safe='')}"


def anonymous(request: Request) -> Visitor:
    """The visitor as far as the session cookie tells, without a database lookup of
    the role (for error pages, which must render whatever went wrong)."""
    state = server(request)
    found = session_of(request)
    if found is None:
        return Visitor(None, local=state.local)
    session = found[1]
    return Visitor(session.user, None, session.csrf, session.case, session.purpose, state.local)


@dataclass
class Web:
    """One page request: the visitor, the workbench acting for them, the templates."""

    request: Request
    who: Caller
    visitor: Visitor
    bench: Workbench

    def in_case(self, case_id: str | None) -> Workbench:
        """The workbench acting for the visitor inside a given case (or none: so the
        work picker still opens when the session's case is out of reach)."""
        context = replace(context_for(self.request, self.who), case=case_id)
        return server(self.request).bench.acting(context)

    @property
    def work_label(self) -> str | None:
        """What the header says the visitor is working on."""
        return work_label(self.request, self.visitor)

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return render(self.request, self.visitor, template, status, **values)


def work_label(request: Request, visitor: Visitor) -> str | None:
    labels: dict[str, str] = request.app.state.web_case_labels
    if visitor.case:
        return f"Case: {labels.get(visitor.case, visitor.case)}"
    if visitor.purpose:
        return f"Purpose: {visitor.purpose}"
    return None


def remember_case(request: Request, case_id: str, name: str) -> None:
    """Keep a case's name to show in the header of those working in it."""
    request.app.state.web_case_labels[case_id] = name


def render(
    request: Request, visitor: Visitor, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    """A template rendered as a page for the visitor."""
    env: Environment = request.app.state.web_templates
    body = env.get_template(template).render(
        visitor=visitor,
        work=work_label(request, visitor),
        here=request.url.path,
        back=back_path(request),
        **values,
    )
    return HTMLResponse(body, status_code=status)


async def web(request: Request) -> Web:
    """The page dependency: the signed-in visitor, or a redirect to /login."""
    try:
        who = await caller(request)
    except HTTPException as exc:
        if exc.status_code == 401:
            raise LoginRequired(back_path(request)) from None
        raise PageError(exc.status_code, str(exc.detail)) from None
    state = server(request)
    role = ADMIN
    if who.user != LOCAL_USER:  # the local admin is built in, not in the access store
        try:
            user = state.bench.accountability.access.user(who.user)
        except UnknownName:
            raise LoginRequired(back_path(request)) from None
        if user.disabled:
            raise PageError(403, f"the account {who.user!r} is disabled")
        role = user.role.value
    session = who.session
    visitor = Visitor(
        who.user,
        role,
        session.csrf if session else None,
        session.case if session else None,
        session.purpose if session else None,
        state.local,
    )
    bench = state.bench.acting(context_for(request, who))
    return Web(request, who, visitor, bench)


Page = Annotated[Web, Depends(web)]
