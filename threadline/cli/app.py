"""The `threadline` command: global options, error handling, and the verb groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.markup import escape

from threadline import __version__
from threadline.cli import (
    access,
    admin,
    audit,
    backup,
    cases,
    db,
    demo,
    documents,
    graph,
    ingest,
    match,
    mentions,
    read,
    resolve,
    serve,
    sharing,
    suggest,
    tips,
    users,
    watch,
    worker,
)
from threadline.cli.console import err
from threadline.cli.context import CONTEXT_KEY, cli_context
from threadline.errors import ThreadlineError
from threadline.settings import Settings

app = typer.Typer(
    name="threadline",
    help="An investigative workbench: ingest records, search everything, follow the links.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"threadline {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="THREADLINE_DATA_DIR",
            help="Where the store and index live (default: your per-user data directory).",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="THREADLINE_TOKEN",
            show_envvar=True,
            help="Act as the user of this API token (default: the local admin). Prefer the "
            "variable: other users of the machine can see a command line.",
        ),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            envvar="THREADLINE_CASE",
            show_envvar=True,
            help="Work inside this case: its sources only, its purpose on record.",
        ),
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option(
            "--purpose",
            envvar="THREADLINE_PURPOSE",
            show_envvar=True,
            help="Why you are reading this data, for the audit log (when not in a case).",
        ),
    ] = None,
    checkpoint_dir: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint-dir",
            envvar="THREADLINE_CHECKPOINT_DIR",
            show_envvar=True,
            help="A second place for the audit log's signed checkpoints (another disk or host).",
        ),
    ] = None,
    justification: Annotated[
        str | None,
        typer.Option("--justification", help="Why this particular action, for the audit log."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """An investigative workbench: ingest records, search everything, follow the links."""
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    if checkpoint_dir is not None:
        settings = settings.model_copy(update={"checkpoint_dir": checkpoint_dir})
    ctx.obj = settings
    ctx.meta[CONTEXT_KEY] = cli_context(token, case, purpose, justification)


for module in (
    demo,
    ingest,
    read,
    suggest,
    mentions,
    documents,
    match,
    resolve,
    admin,
    graph,
    users,
    access,
    cases,
    sharing,  # adds to the case group
    audit,
    backup,
    db,
    serve,
    worker,
    watch,
    tips,
):
    module.register(app)


def main(args: list[str] | None = None) -> None:
    """Console entry point: turns threadline errors into a message and exit code 1.

    `args` replaces the command line (for running the CLI in-process, as tests do).
    """
    try:
        app(args)
    except ThreadlineError as exc:
        # Messages quote input (file text, property names): never read as Rich markup.
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        raise SystemExit(1) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        message = f"[bold red]error:[/] invalid setting: {escape(problems)}"
        err.print(message, markup=True, highlight=False)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise SystemExit(130) from None
