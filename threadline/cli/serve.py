"""`threadline serve`: the web UI and the JSON API (OpenAPI docs at /docs), by uvicorn.

Server mode (the default) signs people in and asks every read for a case or a
purpose. `--local` is the single-user laptop mode: whoever reaches it acts as the
local admin, so it answers on a loopback address only.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from threadline.cli.console import err
from threadline.cli.context import settings_of
from threadline.settings import Settings

LOCAL_NAMES = ("localhost",)


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


def run(settings: Settings, host: str, port: int, local: bool) -> None:
    """Serve the app until interrupted."""
    if local and not is_loopback(host):
        raise typer.BadParameter(
            f"--local answers only on a loopback address (127.0.0.1, ::1, localhost), "
            f"not {host!r}: in local mode anyone who reaches the server acts as the "
            "local admin. Leave out --local to serve others with sign-in.",
            param_hint="--host",
        )
    import uvicorn

    from threadline.api.app import create_app

    app = create_app(settings, local=local)
    _banner(settings, host, port, local)
    # proxy_headers=False: uvicorn would believe X-Forwarded-For from loopback peers;
    # the app reads it itself, from `trusted_proxies` only (threadline.api.client).
    uvicorn.run(
        app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False
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
) -> None:
    """Start the web UI and the JSON API (/api/v1, OpenAPI docs at /docs)."""
    run(settings_of(ctx), host, port, local)


def register(app: typer.Typer) -> None:
    """Add the serve verb."""
    app.command("serve")(serve)
