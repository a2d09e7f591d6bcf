"""`threadline demo`: generate the synthetic investigation, ingest it, and give a tour."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from threadline.app.workbench import Workbench
from threadline.cli.console import RichProgress, em_to_rich, err, out
from threadline.cli.context import settings_of, workbench


def _tour_searches() -> list[tuple[str, str]]:
    from threadline.demo import STORY

    return [
        ("The contractor, typed without the umlaut", STORY.contractor.replace("ü", "u")),
        ("The official's relative, typed in Latin script", STORY.relative),
        ("An exact phrase from the leak", f'"{STORY.offshore}"'),
    ]


def _show_counts(bench: Workbench) -> None:
    table = Table(title="what was loaded", title_justify="left")
    table.add_column("dataset")
    table.add_column("entities", justify="right")
    table.add_column("statements", justify="right")
    table.add_column("by schema")
    for stats in bench.datasets():
        facets = bench.search("", dataset=stats.name, limit=0).facets.get("schema", {})
        by_schema = ", ".join(f"{k} {v:,}" for k, v in facets.items())
        table.add_row(stats.name, f"{stats.entities:,}", f"{stats.statements:,}", by_schema)
    out.print(table)


def _show_searches(bench: Workbench) -> None:
    for title, query in _tour_searches():
        result = bench.search(query, limit=3)
        out.print(f"\n[bold]{title}[/]: threadline search {query!r}  ({result.total:,} matches)")
        for hit in result.hits:
            marked = " … ".join(em_to_rich(h) for h in hit.highlights[:1])
            out.print(
                f"  {hit.score:6.2f}  {hit.schema:<12} {hit.caption}  [dim]{hit.id}[/]  {marked}"
            )


def _show_mentions(bench: Workbench) -> None:
    """Where the seized correspondence names the official's relative: mention finding
    links the documents to the records of the other sources."""
    from threadline.demo import STORY

    people = bench.search(STORY.relative, schema="Person", limit=5).hits
    for hit in people:
        found = bench.mentions(hit.id, limit=5)
        if found:
            out.print(f"\n[bold]Documents that name {hit.caption}[/] ({hit.id}, {hit.datasets[0]})")
            for place in found:
                where = place.document_caption + (f", page {place.page}" if place.page else "")
                cut = place.snippet
                out.print(f"  {where}: …{cut.before}[bold]{cut.match}[/]{cut.after}…")
            return


def demo(
    ctx: typer.Context,
    serve: Annotated[
        bool, typer.Option("--serve", help="Then serve the web UI in local mode on 127.0.0.1.")
    ] = False,
    scale: Annotated[
        float, typer.Option("--scale", min=0.01, help="Size of the generated data.")
    ] = 1.0,
) -> None:
    """Generate a synthetic investigation, ingest and index it, and print a short tour."""
    from threadline.demo import STORY

    started = time.perf_counter()
    with workbench(ctx) as bench:
        report = bench.demo(scale=scale, progress=RichProgress())
        err.print(f"generated the sources in {report.folder}")
        _show_counts(bench)
        _show_searches(bench)
        _show_mentions(bench)
    out.print("\n[bold]The story to uncover[/]")
    out.print(STORY.narrative)
    out.print("\n[bold]Try next[/]")
    for command in (
        f'threadline search "{STORY.official}"',
        f"threadline search {STORY.relative_native!r} --schema Person",
        f'threadline search "{STORY.holding}" --json',
        "threadline entity ID   (an id from any search hit)",
        "threadline datasets",
        'threadline search "consulting services" --dataset correspondence',
        "threadline export --dataset leak -o leak.ijson",
    ):
        out.print(f"  {command}")
    out.print(f"\n[dim]done in {time.perf_counter() - started:.1f}s[/]")
    if serve:
        from threadline.cli.serve import run

        run(settings_of(ctx), "127.0.0.1", 8000, local=True)


def register(app: typer.Typer) -> None:
    """Add the demo verb."""
    app.command("demo")(demo)
