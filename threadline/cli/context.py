"""Opening the Workbench for a command from the global options: settings and context."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from threadline.app.context import LOCAL, Context
from threadline.app.workbench import Workbench
from threadline.settings import Settings

# Where `main_options` leaves the acting context; ctx.obj keeps the Settings.
CONTEXT_KEY = "threadline.app.context"


def cli_context(
    token: str | None = None,
    case: str | None = None,
    purpose: str | None = None,
    justification: str | None = None,
) -> Context:
    """The context of one invocation: the local admin, unless a token names someone else.

    Empty values (an exported but blank THREADLINE_TOKEN, say) count as not given, so
    a blank token never turns into an attempt to sign in.
    """
    return Context(
        actor=LOCAL.actor,
        token=token or None,
        case=case or None,
        purpose=purpose or None,
        justification=justification or "",
    )


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the global options built (or the defaults)."""
    return ctx.obj if isinstance(ctx.obj, Settings) else Settings()


def context_of(ctx: typer.Context) -> Context:
    """The context the global options built (or the local admin's)."""
    found = ctx.meta.get(CONTEXT_KEY)
    return found if isinstance(found, Context) else LOCAL


@contextmanager
def workbench(ctx: typer.Context) -> Iterator[Workbench]:
    """The Workbench for this invocation, acting in its context, closed afterwards."""
    bench = Workbench(settings_of(ctx), context=context_of(ctx))
    try:
        yield bench
    finally:
        bench.close()
