"""The server's shared state: one workbench (its backends shared by every request),
the session store, the mode, the sign-in limiter and the ingest jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fastapi import Request

from threadline.api.jobs import IngestJobs
from threadline.api.limiter import SignInLimiter
from threadline.api.sessions import SessionStore
from threadline.app.workbench import Workbench


@dataclass
class Server:
    """Everything a request handler needs besides the request."""

    bench: Workbench
    sessions: SessionStore
    local: bool
    limiter: SignInLimiter
    jobs: IngestJobs


def server(request: Request) -> Server:
    """The server state of the app handling `request`."""
    return cast(Server, request.app.state.server)
