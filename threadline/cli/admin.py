"""Maintenance verbs: `reindex`."""

from __future__ import annotations

import typer

from threadline.cli.console import RichProgress, err
from threadline.cli.context import workbench


def reindex(ctx: typer.Context) -> None:
    """Drop the search index and rebuild it from the store."""
    with workbench(ctx) as bench:
        count = bench.reindex(progress=RichProgress())
    err.print(f"reindexed {count:,} entities")


def register(app: typer.Typer) -> None:
    """Add the maintenance verbs."""
    app.command("reindex")(reindex)
