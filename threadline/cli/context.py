"""Opening the Workbench for a command from the global options."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from threadline.settings import Settings
from threadline.workbench import Workbench


@contextmanager
def workbench(ctx: typer.Context) -> Iterator[Workbench]:
    """The Workbench for this invocation, closed afterwards."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    bench = Workbench(settings)
    try:
        yield bench
    finally:
        bench.close()
