"""`find-mentions` and `mentions`: known names found in documents, and where an entity
is mentioned, with snippets."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from threadline.app.verbs.mentions import MAX_LIMIT
from threadline.cli.console import RichProgress, err, out, print_json
from threadline.cli.context import workbench


def find_mentions(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Option("--dataset", "-d", help="The dataset whose documents to read.")
    ],
) -> None:
    """Find the names, aliases and identifiers of known entities (and their e-mail
    addresses, phone numbers and IBANs) in a dataset's documents, as mentions."""
    with workbench(ctx) as bench:
        try:
            report = bench.find_mentions(dataset, progress=RichProgress())
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
    rate = report.characters / report.seconds / 1e6 if report.seconds else 0.0
    err.print(
        f"{report.documents:,} documents read ({report.characters:,} characters, "
        f"{rate:,.1f} M/s) for {report.names:,} known values: {report.mentions:,} mentions, "
        f"{report.written:,} new or changed, {report.removed:,} removed",
        markup=False,
    )


def mentions(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ENTITY_ID", help="Any member id works.")],
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Places to show.")
    ] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per place.")] = False,
) -> None:
    """Where an entity is mentioned in documents you may read, with snippets."""
    with workbench(ctx) as bench:
        try:
            found = bench.mentions(entity_id, limit=limit)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
    if as_json:
        for view in found:
            print_json(
                {
                    "mention_id": view.mention_id,
                    "document_id": view.document_id,
                    "document": view.document_caption,
                    "page": view.page,
                    "start": view.start,
                    "end": view.end,
                    "text": view.text,
                    "confidence": view.confidence,
                    "snippet": view.snippet.before + view.snippet.match + view.snippet.after,
                }
            )
        return
    table = Table(title=f"{len(found):,} mentions", title_justify="left")
    table.add_column("document", ratio=1)
    table.add_column("page")
    table.add_column("snippet", ratio=3)
    table.add_column("confidence")
    for view in found:
        snippet = Text(view.snippet.before)
        snippet.append(view.snippet.match, style="bold")
        snippet.append(view.snippet.after)
        page = "" if view.page is None else str(view.page)
        table.add_row(Text(view.document_caption), page, snippet, f"{view.confidence:.2f}")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the `find-mentions` and `mentions` verbs."""
    app.command("find-mentions")(find_mentions)
    app.command("mentions")(mentions)
