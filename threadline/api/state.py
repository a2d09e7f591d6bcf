"""The server's shared state: one workbench (its backends shared by every request),
the session store, the mode, and the sign-in limiter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from fastapi import Request

from threadline.api.sessions import SessionStore
from threadline.workbench import Workbench

if TYPE_CHECKING:
    from threadline.api.security import LoginLimiter


@dataclass
class Server:
    """Everything a request handler needs besides the request."""

    bench: Workbench
    sessions: SessionStore
    local: bool
    limiter: LoginLimiter


def server(request: Request) -> Server:
    """The server state of the app handling `request`."""
    return cast(Server, request.app.state.server)
