"""`threadline grant`, `grants`, `mark` and `clear`: who may reach which collection.

A grant gives a user or group a level on a dataset; a marking on a dataset hides it
from everyone not cleared for that marking, whatever their grants.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from threadline.access import Level
from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench

Dataset = Annotated[str, typer.Option("--dataset", help="The dataset (collection).")]
Marking = Annotated[
    str, typer.Argument(help="A marking label, e.g. confidential or source-protected.")
]


def _level(read: bool, write: bool, manage: bool, revoke: bool) -> Level | None:
    """The one level the flags name, None for --revoke; any other mix is a usage error."""
    chosen = [
        level
        for flag, level in ((read, Level.READ), (write, Level.WRITE), (manage, Level.MANAGE))
        if flag
    ]
    if len(chosen) + revoke != 1:
        raise typer.BadParameter(
            "give exactly one of --read, --write, --manage or --revoke", param_hint="level"
        )
    return chosen[0] if chosen else None


def grant(
    ctx: typer.Context,
    holder: Annotated[str, typer.Argument(metavar="USER|GROUP", help="Who gets the level.")],
    dataset: Dataset,
    read: Annotated[bool, typer.Option("--read", help="May search and read it.")] = False,
    write: Annotated[bool, typer.Option("--write", help="May also ingest and judge.")] = False,
    manage: Annotated[
        bool, typer.Option("--manage", help="May also grant, mark and erase it.")
    ] = False,
    revoke: Annotated[bool, typer.Option("--revoke", help="Take the grant away.")] = False,
) -> None:
    """Give a user or group read, write or manage on a dataset, or revoke it."""
    level = _level(read, write, manage, revoke)
    with workbench(ctx) as bench:
        bench.grant(holder, dataset, level)
    if level is None:
        err.print(f"revoked {escape(holder)}'s grant on {escape(dataset)}")
    else:
        err.print(f"granted {escape(holder)} {level.label} on {escape(dataset)}")


def grants(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per grant.")] = False,
) -> None:
    """Every grant: holder, dataset and level."""
    with workbench(ctx) as bench:
        found = bench.grants()
    rows = sorted(found, key=lambda g: (g.collection, g.holder))
    if as_json:
        for item in rows:
            print_json(
                {"holder": item.holder, "dataset": item.collection, "level": item.level.label}
            )
        return
    table = Table(title=f"{len(rows)} grants", title_justify="left")
    for column in ("dataset", "holder", "level"):
        table.add_column(column)
    for item in rows:
        table.add_row(escape(item.collection), escape(item.holder), item.level.label)
    out.print(table)


def mark(
    ctx: typer.Context,
    marking: Marking,
    dataset: Dataset,
    remove: Annotated[bool, typer.Option("--remove", help="Take the marking off.")] = False,
) -> None:
    """Put a marking on a dataset: only users cleared for it see the data from then on."""
    with workbench(ctx) as bench:
        bench.mark(dataset, marking, not remove)
    verb = "took" if remove else "put"
    where = "off" if remove else "on"
    err.print(f"{verb} marking {escape(marking)} {where} {escape(dataset)}")


def clear(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(metavar="USER", help="The user to clear.")],
    marking: Marking,
    revoke: Annotated[bool, typer.Option("--revoke", help="Take the marking away.")] = False,
) -> None:
    """Clear a user for a marking (they may then see data so marked), or revoke it."""
    with workbench(ctx) as bench:
        bench.clear(user, marking, not revoke)
    if revoke:
        err.print(f"{escape(user)} is no longer cleared for {escape(marking)}")
    else:
        err.print(f"{escape(user)} is cleared for {escape(marking)}")


def register(app: typer.Typer) -> None:
    """Add the access verbs."""
    app.command("grant")(grant)
    app.command("grants")(grants)
    app.command("mark")(mark)
    app.command("clear")(clear)
