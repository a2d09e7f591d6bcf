"""The FastAPI app: the JSON API under /api/v1, the web pages, OpenAPI at /docs.

One `Workbench` serves every request; each request acts through `bench.acting(...)`
in its caller's context. In server mode every read of entity data needs a case or
a purpose; `--local` is the single-user laptop mode: it answers only on loopback
and acts as the local admin, with a session (and CSRF token) made for the browser.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware

from threadline import __version__
from threadline.access import LOCAL_USER
from threadline.api import errors
from threadline.api.crossorigin import OpenCors
from threadline.api.jobs import IngestJobs
from threadline.api.limitstore import SQLLoginLimiter
from threadline.api.middleware import ResponseGuard
from threadline.api.routes import auth
from threadline.api.security import COOKIE
from threadline.api.sessions import SessionStore
from threadline.api.state import Server
from threadline.app.jobs.worker import JobMode, Worker
from threadline.app.workbench import Workbench
from threadline.audit import AuditError
from threadline.errors import ConfigError
from threadline.settings import Settings

API_PREFIX = "/api/v1"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# JSON routers under /api/v1, each a module in threadline.api.routes with a `router`.
API_ROUTERS = ["auth", "read", "ingest", "jobs", "export", "resolution", "graph", "cases"]
API_ROUTERS += ["audit", "admin"]
API_ROUTERS += ["mentions"]
API_ROUTERS += ["reconcile", "match"]  # open to other origins: see api/crossorigin.py
API_ROUTERS += ["watches"]
API_ROUTERS += ["sharing"]
API_ROUTERS += ["tips"]
API_ROUTERS += ["documents"]
API_ROUTERS += ["schema", "longwork"]
JOB_GRACE_SECONDS = 30.0  # how long shutdown waits for a running job to give way
DESCRIPTION = """An investigative workbench: search, entities, resolution, graph, cases and
audit. Every call is access-checked and audited.

**Who you are**: an API token (`Authorization: Bearer TOKEN`; an admin's
`POST /api/v1/users` makes one), or a session from `POST /api/v1/login`, which then
sends the returned CSRF token as `X-CSRF-Token` with every change.

**Why you read**: in server mode every read of entity data needs a case
(`X-Case: CASE_ID`, whose purpose applies) or a stated purpose (`X-Purpose: ...`);
without either the answer is 428. A session may set both once with `PUT /api/v1/me/work`.
`X-Justification` and `X-Request-Id` go into the audit log as given."""


def _local_sessions(app: FastAPI) -> None:
    """In local mode, give every browser a session for the local admin on its first
    visit, so its changes carry a CSRF token like anyone else's."""

    @app.middleware("http")
    async def local_session(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        state: Server = app.state.server
        made = None
        wants_page = "text/html" in request.headers.get("accept", "")
        if wants_page and request.method == "GET" and "authorization" not in request.headers:
            cookie = request.cookies.get(COOKIE)
            if not cookie or state.sessions.get(cookie) is None:
                made = state.sessions.create(LOCAL_USER)
                request.state.new_session = made
        response = await call_next(request)
        if made is not None:
            auth.set_cookie(request, response, made[0])
        return response


async def _sign_periodically(bench: Workbench, seconds: float) -> None:
    """Checkpoint the audit events this server appended, every `seconds` while they arrive."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await asyncio.to_thread(bench.accountability.sign_pending)
        except AuditError as error:  # a full disk now must not stop the next attempt
            logging.getLogger(__name__).warning("audit checkpoint not written: %s", error)


def _jobs(bench: Workbench, run_jobs: JobMode) -> IngestJobs:
    """The job queue in the store's database (or beside it), with the worker `run_jobs`
    asks for."""
    store = bench.job_queue
    return IngestJobs(store, bench.data_dir, Worker.for_mode(bench, store, run_jobs))


def create_app(
    settings: Settings | None = None,
    *,
    local: bool = False,
    bench: Workbench | None = None,
    run_jobs: JobMode = "all",
) -> FastAPI:
    """The app over one data directory; `local` for the single-user laptop mode;
    `run_jobs` says which queued jobs a thread of this process runs: all of them, only
    the upkeep no `threadline worker` took ("standby"), or none."""
    settings = (settings or Settings()).model_copy(update={"require_purpose": not local})
    if bench is not None and bench.settings.require_purpose != settings.require_purpose:
        raise ConfigError(
            "the workbench given to create_app must be made with "
            f"Settings(require_purpose={settings.require_purpose}) for this mode"
        )
    bench = bench or Workbench(settings)
    store_url = settings.resolved_store_url() if settings.store != "memory" else "sqlite://"
    # Sessions and sign-in counts live in the database: every server process, and a
    # restarted one, sees the same.
    limiter = SQLLoginLimiter(store_url)
    state = Server(bench, SessionStore(store_url), local, limiter, _jobs(bench, run_jobs))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # New audit events are signed within `checkpoint_seconds`, not only at shutdown.
        signer = asyncio.create_task(_sign_periodically(bench, settings.checkpoint_seconds))
        state.jobs.start()
        yield
        signer.cancel()
        await asyncio.to_thread(state.jobs.stop, JOB_GRACE_SECONDS)
        state.sessions.close()
        limiter.close()
        bench.close()

    app = FastAPI(
        title="threadline",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.server = state
    # Tips per client, counted in the sign-in table under `tip:ADDRESS` (the same window,
    # so each limiter's pruning keeps what the other counts).
    app.state.tip_limiter = SQLLoginLimiter(limiter.engine, per_client=settings.tips_rate_limit)
    errors.install(app)
    for name in API_ROUTERS:
        module: Any = importlib.import_module(f"threadline.api.routes.{name}")
        app.include_router(module.router, prefix=API_PREFIX)
    try:
        web: Any = importlib.import_module("threadline.web.pages")
    except ModuleNotFoundError as missing:
        if missing.name != "threadline.web.pages":
            raise
    else:
        web.install(app)
    app.add_middleware(OpenCors)  # CORS on the reconciliation and match routes only
    if local:
        _local_sessions(app)
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_HOSTS)
    # Outermost, so its Server-Timing covers every other layer.
    app.add_middleware(ResponseGuard)
    return app
