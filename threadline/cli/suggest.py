"""`suggest`: the entities a name being typed may mean, with the ids to use."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from threadline.cli.console import out, print_json
from threadline.cli.context import workbench


def suggest(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(metavar="NAME", help="The start of a name (two letters or more).")
    ],
    schema: Annotated[
        str | None, typer.Option("--schema", help="Only this schema (and its children).")
    ] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", help="Only this dataset.")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only this country code, e.g. de.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="Suggestions to show.")] = 8,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per suggestion.")
    ] = False,
) -> None:
    """Complete a name to the entities you may read, with their ids (for `entity`,
    `graph path`, `judge`, `case pin`)."""
    with workbench(ctx) as bench:
        try:
            result = bench.suggest(
                query, schema=schema, dataset=dataset, country=country, limit=limit
            )
        except ValueError as error:  # it names the parameter: a usage error
            raise typer.BadParameter(str(error)) from None
    if as_json:
        for hit in result.hits:
            print_json(
                {
                    "id": hit.id,
                    "caption": hit.caption,
                    "schema": hit.schema,
                    "datasets": hit.datasets,
                    "countries": hit.countries,
                }
            )
        return
    table = Table(title=f"{result.total:,} matches", title_justify="left")
    table.add_column("caption", ratio=2)
    table.add_column("schema")
    table.add_column("datasets")
    table.add_column("country")
    table.add_column("id", no_wrap=True)  # copied into other commands: never fold
    for hit in result.hits:
        table.add_row(
            Text(hit.caption),
            hit.schema,
            Text(", ".join(hit.datasets)),
            Text(", ".join(hit.countries)),
            Text(hit.id),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the `suggest` verb."""
    app.command("suggest")(suggest)
