"""`threadline serve`: the web UI and the JSON API (OpenAPI docs at /docs), by uvicorn.

Server mode (the default) signs people in and asks every read for a case or a
purpose. `--local` is the single-user laptop mode: whoever reaches it acts as the
local admin, so it answers on a loopback address only.

With one process, the server also runs queued jobs (uploads' ingests) in a thread.
`--workers N` runs N API processes (uvicorn's), which share sessions, sign-in
counts and jobs through the database, and leave the jobs to `threadline worker`
processes unless `--jobs` asks each of them to run jobs too (see docs/jobs.md). They
still stand by for the system's upkeep (building the link graph's view, covering
reader sets): a job of it that no worker took within a few seconds they run
themselves, so no request waits forever for a worker that is not there.
`--no-jobs` turns that off too.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Annotated

import typer

from threadline.cli.console import err
from threadline.cli.context import settings_of
from threadline.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from threadline.app.jobs.worker import JobMode

LOCAL_NAMES = ("localhost",)
# How `serve --workers N` tells its API processes what the command line said.
LOCAL_VARIABLE = "THREADLINE_SERVE_LOCAL"
JOBS_VARIABLE = "THREADLINE_SERVE_JOBS"


def is_loopback(host: str) -> bool:
    """Whether a bind address is loopback only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _banner(settings: Settings, host: str, port: int, local: bool) -> None:
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    data_dir = settings.resolved_data_dir()
    mode = "local mode: you act as the local admin" if local else "server mode: sign-in required"
    err.print(f"threadline serving {url}  ({mode}; data in {data_dir})", markup=False)
    err.print(f"  web UI:   {url}/search", markup=False)
    err.print(f"  API docs: {url}/docs", markup=False)
    if local:
        return
    err.print(
        "  Every read needs a case (X-Case) or a stated purpose (X-Purpose).\n"
        "  To create a user who signs in to the web UI:\n"
        "    threadline user add alice --role investigator   (prints an API token)\n"
        "    threadline user password alice                  (asks for a password)\n"
        "    threadline grant alice --dataset NAME --read\n",
        markup=False,
    )
    if not is_loopback(host):
        err.print(
            "  Listening beyond this machine over plain HTTP: put a TLS proxy in front "
            "(session cookies are Secure only under https).",
            markup=False,
        )


def app_from_environment() -> FastAPI:
    """The app of one of `serve --workers N`'s processes (uvicorn's factory): the
    settings from THREADLINE_* variables, the mode from `serve`'s own."""
    from threadline.api.app import create_app
    from threadline.app.jobs.worker import job_mode

    local = os.environ.get(LOCAL_VARIABLE) == "1"
    return create_app(Settings(), local=local, run_jobs=job_mode(os.environ.get(JOBS_VARIABLE, "")))


def _mode(workers: int, jobs: bool | None) -> JobMode:
    """Which jobs each server process runs: `--jobs`/`--no-jobs` as asked; by default
    all of them with one process, and the upkeep no worker took with several."""
    if jobs is not None:
        return "all" if jobs else "none"
    return "all" if workers == 1 else "standby"


def _environment(settings: Settings, local: bool, jobs: JobMode) -> None:
    """Hand the command line's settings to `serve --workers N`'s processes."""
    os.environ["THREADLINE_DATA_DIR"] = str(settings.resolved_data_dir())
    if settings.checkpoint_dir is not None:
        os.environ["THREADLINE_CHECKPOINT_DIR"] = str(settings.checkpoint_dir)
    os.environ[LOCAL_VARIABLE] = "1" if local else "0"
    os.environ[JOBS_VARIABLE] = jobs


def run(
    settings: Settings,
    host: str,
    port: int,
    local: bool,
    workers: int = 1,
    jobs: bool | None = None,
) -> None:
    """Serve the app until interrupted; `jobs` (by default: with one process only)
    runs queued jobs in each server process. Several processes by default stand by
    for the upkeep jobs no worker took (`Worker.standby`); `jobs=False` runs none."""
    if local and not is_loopback(host):
        raise typer.BadParameter(
            f"--local answers only on a loopback address (127.0.0.1, ::1, localhost), "
            f"not {host!r}: in local mode anyone who reaches the server acts as the "
            "local admin. Leave out --local to serve others with sign-in.",
            param_hint="--host",
        )
    import uvicorn

    mode = _mode(workers, jobs)
    _banner(settings, host, port, local)
    if mode == "standby":
        err.print(
            "  Jobs are left to `threadline worker` processes; upkeep (the link graph, "
            "search slices) that none took within a few seconds runs here.",
            markup=False,
        )
    elif mode == "none":
        err.print("  Jobs are left to `threadline worker` processes.", markup=False)
    # proxy_headers=False: uvicorn would believe X-Forwarded-For from loopback peers;
    # the app reads it itself, from `trusted_proxies` only (threadline.api.client).
    if workers == 1:
        from threadline.api.app import create_app

        app = create_app(settings, local=local, run_jobs=mode)
        uvicorn.run(
            app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False
        )
        return
    _environment(settings, local, mode)
    uvicorn.run(
        f"{__name__}:{app_from_environment.__name__}",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
    )


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    local: Annotated[
        bool,
        typer.Option("--local", help="Single-user laptop mode: no sign-in, loopback only."),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="API processes (uvicorn workers).")
    ] = 1,
    jobs: Annotated[
        bool | None,
        typer.Option(
            "--jobs/--no-jobs",
            help="Run queued jobs in the server process(es) [default: with one process only;"
            " with several, run `threadline worker`: the servers then run only the upkeep"
            " no worker took]. --no-jobs: none at all.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the web UI and the JSON API (/api/v1, OpenAPI docs at /docs)."""
    run(settings_of(ctx), host, port, local, workers, jobs)


def register(app: typer.Typer) -> None:
    """Add the serve verb."""
    app.command("serve")(serve)
