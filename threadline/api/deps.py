"""FastAPI dependencies: the workbench acting for the caller of this request.

The context's case and purpose come from the `X-Case` / `X-Purpose` headers, or
else from what the caller's session is working on; the request id from
`X-Request-Id`, or a new one. Every route is a thin layer over the workbench.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from threadline.api.security import Caller, caller
from threadline.api.state import server
from threadline.app.context import Context, new_request_id
from threadline.app.workbench import Workbench


def context_for(request: Request, who: Caller) -> Context:
    """The context of this request for its caller."""
    session = who.session
    case = request.headers.get("x-case") or (session.case if session else None)
    purpose = request.headers.get("x-purpose") or (session.purpose if session else None)
    return Context(
        actor=who.user,
        # `caller` has just checked the token and named its user; the context names the
        # user, so the token is not looked up a second time for the same request. The
        # principal is still read afresh from the access store on every call.
        case=case or None,
        purpose=purpose or None,
        justification=request.headers.get("x-justification", ""),
        request_id=request.headers.get("x-request-id") or new_request_id(),
    )


def acting_bench(request: Request, who: Annotated[Caller, Depends(caller)]) -> Workbench:
    """The shared workbench, acting for this request's caller."""
    return server(request).bench.acting(context_for(request, who))


Bench = Annotated[Workbench, Depends(acting_bench)]
Who = Annotated[Caller, Depends(caller)]
