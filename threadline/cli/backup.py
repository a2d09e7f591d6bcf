"""`threadline backup DEST` and `threadline restore SRC`: copy a data directory while it
is in use, and put a copy back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.markup import escape

from threadline.cli.console import RichProgress, err, out, print_json
from threadline.cli.context import workbench

AsJson = Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")]


def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(help="A new (or empty) folder for the backup.")],
    as_json: AsJson = False,
) -> None:
    """Write a consistent backup of the data directory (the server may keep running)."""
    with workbench(ctx) as bench:
        manifest = bench.backup(dest)
    if as_json:
        print_json(orjson.loads(manifest.to_json()))
        return
    summary = manifest.summary
    out.print(
        f"backup written to {escape(str(dest))}: {len(manifest.files)} files, "
        f"{summary.get('entities', 0):,} entities, {summary.get('judgements', 0):,} judgements, "
        f"{manifest.audit_entries:,} audit entries ({escape(manifest.audit_verified)})"
    )
    err.print("left out (rebuilt after a restore): " + ", ".join(sorted(manifest.left_out)))


def restore(
    ctx: typer.Context,
    src: Annotated[Path, typer.Argument(help="A backup folder written by `threadline backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a data directory that is not empty."),
    ] = False,
) -> None:
    """Check a backup whole, put it in place as the data directory, rebuild the index."""
    with workbench(ctx) as bench:
        report = bench.restore(src, force=force, progress=RichProgress())
        where = bench.data_dir
    out.print(
        f"restored the backup of {escape(report.manifest.created)} into {escape(str(where))}: "
        f"{report.entities:,} entities indexed; audit log {escape(report.audit)}"
    )
    if report.config is not None:
        err.print(
            f"the backup holds a config file: {escape(str(report.config))} "
            "(copy it into place if this is a new machine)"
        )


def migrate(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option("--to", help="The empty database to move into: postgresql://USER@HOST/DB"),
    ],
    as_json: AsJson = False,
) -> None:
    """Move the store and the audit log into another (empty) database, and check them."""
    with workbench(ctx) as bench:
        report = bench.migrate(to, progress=RichProgress())
    if as_json:
        tables = {t.name: {"source": t.source, "target": t.target} for t in report.tables}
        print_json(
            {"target": report.target, "tables": tables, "audit_entries": report.audit_entries}
        )
        return
    out.print(
        f"moved {report.rows:,} rows in {len(report.tables)} tables into "
        f"{escape(report.target)}; audit log: {report.audit_entries:,} entries, "
        "same Merkle root"
    )
    err.print(
        "to use it, set THREADLINE_STORE_URL and THREADLINE_AUDIT_URL to that database, "
        "then run `threadline reindex`; everyone signs in again"
    )


def register(app: typer.Typer) -> None:
    """Add `backup`, `restore` and `migrate`."""
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("migrate")(migrate)
