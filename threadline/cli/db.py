"""`threadline db upgrade|current|history`, the store database's schema migrations, and
`threadline recount`, which rebuilds the counts per dataset kept in the store.

Not to be confused with `threadline migrate`, which moves a data directory's
databases into PostgreSQL.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape

from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench
from threadline.store.counts import Drift

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]

db_app = typer.Typer(
    help="The store database's schema: its revision and its migrations.",
    no_args_is_help=True,
)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Bring the store's database to the newest schema revision (opening it does too)."""
    with workbench(ctx) as bench:
        status = bench.db_upgrade()
    if as_json:
        print_json(asdict(status))
        return
    if status.upgraded_from is None:
        err.print(f"{escape(status.database)} is at the newest revision, {status.head}")
    else:
        frm = status.upgraded_from or "nothing (created)"
        err.print(f"{escape(status.database)} upgraded from {frm} to {status.current}")


@db_app.command("current")
def current(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Show the schema revision of the store's database and the newest one."""
    with workbench(ctx) as bench:
        status = bench.db_current()
    if as_json:
        print_json(asdict(status))
        return
    state = "newest" if status.current == status.head else f"newest is {status.head}"
    out.print(f"{escape(status.database)}: {status.current} ({state})")


@db_app.command("history")
def history(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the schema revisions this threadline knows, oldest first."""
    with workbench(ctx) as bench:
        revisions = bench.db_history()
    for revision in revisions:
        if as_json:
            print_json(asdict(revision))
        else:
            out.print(f"{revision.revision}  {escape(revision.doc.splitlines()[0])}")


def _stats(stats: object) -> str:
    if stats is None:
        return "nothing"
    e, s, f = (getattr(stats, n) for n in ("entities", "statements", "sources"))
    return f"{e:,} entities, {s:,} statements, {f} sources"


def recount(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Count every dataset again from the store's statements, fix the kept counts, and
    report the datasets whose counts had drifted."""
    with workbench(ctx) as bench:
        drift: list[Drift] = bench.recount()
    if as_json:
        for item in drift:
            print_json(asdict(item))
        return
    for item in drift:
        was, now = _stats(item.kept), _stats(item.counted)
        out.print(f"{escape(item.dataset)}: was {was}; now {now}")
    err.print(f"recounted; {len(drift)} datasets had drifted" if drift else "no drift")


def register(app: typer.Typer) -> None:
    """Add the `db` group and `recount`."""
    app.add_typer(db_app, name="db")
    app.command("recount")(recount)
