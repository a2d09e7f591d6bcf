"""Reading verbs: `search`, `entity`, `datasets` and `export`."""

from __future__ import annotations

import html
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Annotated, Any

import orjson
import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from threadline.app.sheets import csv_chunks, export_rows, write_xlsx
from threadline.app.verbs.export import EXPORT_FORMATS
from threadline.app.workbench import EntityView
from threadline.cli.console import em_to_rich, err, out, print_json
from threadline.cli.context import workbench
from threadline.graph.export import EXPORT_FORMATS as GRAPH_FORMATS
from threadline.search import SearchResult


def print_result(result: SearchResult, as_json: bool) -> None:
    """Hits then facets, as a table or as JSON lines."""
    if as_json:
        for hit in result.hits:
            print_json(
                {
                    "id": hit.id,
                    "schema": hit.schema,
                    "caption": hit.caption,
                    "score": hit.score,
                    "datasets": hit.datasets,
                    "highlights": hit.highlights,
                }
            )
        print_json({"total": result.total, "facets": result.facets})
        return
    table = Table(title=f"{result.total:,} matches", title_justify="left", show_lines=False)
    table.add_column("score", justify="right")
    table.add_column("schema")
    table.add_column("caption", ratio=2)
    table.add_column("datasets")
    table.add_column("id", no_wrap=True)  # copied into `threadline entity ID`: never fold
    table.add_column("matched", ratio=2)
    for hit in result.hits:
        # The caption already shows a name match; show what else matched.
        extra = [
            h
            for h in hit.highlights
            if html.unescape(h.replace("<em>", "").replace("</em>", "")) != hit.caption
        ]
        table.add_row(
            f"{hit.score:.2f}",
            hit.schema,
            Text(hit.caption),
            Text(", ".join(hit.datasets)),
            Text(hit.id),
            " … ".join(em_to_rich(h) for h in extra[:2]),
        )
    out.print(table)
    for name, counts in result.facets.items():
        if counts:
            shown = escape(", ".join(f"{k} ({v:,})" for k, v in counts.items()))
            out.print(f"[bold]{name}[/]: {shown}")


# The document facets as search filters, the same options wherever a search is given
# (`search`, `watch search`).
DocType = Annotated[
    str | None,
    typer.Option("--doc-type", help="Only this document type, e.g. Email, Pages (a PDF)."),
]
Sender = Annotated[str | None, typer.Option("--sender", help="Only e-mail from this address.")]
Recipient = Annotated[
    str | None, typer.Option("--recipient", help="Only e-mail to (cc, bcc) this address.")
]
Year = Annotated[
    int | None, typer.Option("--year", min=1, max=9999, help="Only what is dated in this year.")
]


def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='Words, names (typos allowed) or "an exact phrase".')
    ],
    schema: Annotated[
        str | None, typer.Option("--schema", help="Only this schema (and its children).")
    ] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", help="Only this dataset.")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only this country code, e.g. de.")
    ] = None,
    doc_type: DocType = None,
    sender: Sender = None,
    recipient: Recipient = None,
    year: Year = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Hits to show.")] = 10,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Hits to skip.")] = 0,
    exact: Annotated[bool, typer.Option("--exact", help="No fuzzy name matching.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per hit, then the facets.")
    ] = False,
) -> None:
    """Search everything ingested: full text, names with typos and transliteration;
    records and documents together, with facets to filter by."""
    with workbench(ctx) as bench:
        try:
            result = bench.search(
                query,
                schema=schema,
                dataset=dataset,
                country=country,
                doc_type=doc_type,
                sender=sender,
                recipient=recipient,
                year=year,
                limit=limit,
                offset=offset,
                fuzzy=not exact,
            )
        except ValueError as error:  # it names the parameter: a usage error
            raise typer.BadParameter(str(error)) from None
    print_result(result, as_json)


def _entity_json(view: EntityView) -> dict[str, object]:
    entity = view.entity
    return {
        "id": entity.id,
        "schema": entity.schema.name,
        "caption": entity.caption,
        "datasets": entity.datasets,
        "properties": entity.proxy.to_dict()["properties"],
        "facts": [asdict(f) for f in entity.facts()],
        "relationships": [asdict(r) for r in view.relationships],
    }


def entity(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id.")],
    ids: Annotated[
        bool, typer.Option("--ids", help="Add each value's statement id, to cite: [[stmt:ID]].")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show an entity: every value with its source file and row, and its links."""
    with workbench(ctx) as bench:
        view = bench.entity(entity_id)
    if as_json:
        print_json(_entity_json(view))
        return
    ent = view.entity
    # Values come from the data: printed as text, never read as Rich markup.
    out.print(f"[bold]{escape(ent.caption)}[/]  {ent.schema.name}  [dim]{escape(ent.id)}[/]")
    out.print(f"datasets: {escape(', '.join(ent.datasets))}")
    table = Table(title="properties", title_justify="left")
    columns = ["property", "value", "dataset", "source", "row/line"]
    for column in [*columns, "statement"] if ids else columns:
        table.add_column(column, overflow="fold", no_wrap=column == "statement")
    for fact in ent.facts():
        cells = [
            fact.prop,
            fact.value,
            fact.dataset,
            fact.source_name or fact.source[:12],
            "" if fact.location is None else str(fact.location),
        ]
        if ids:
            cells.append(fact.statement_id)
        table.add_row(*map(Text, cells))
    out.print(table)
    if view.relationships:
        rel = Table(title="relationships", title_justify="left")
        rel.add_column("link")
        rel.add_column("details", ratio=1)
        rel.add_column("other end", ratio=1)
        rel.add_column("other end id", no_wrap=True)  # to follow with `threadline entity`
        for link in view.relationships:
            if link.direction == "out":
                rel.add_row(*map(Text, (f"{link.prop} →", "", link.caption, link.id)))
                continue
            ends = link.others or []
            label = f"{link.schema} ({link.prop})"
            details = link.details or link.caption
            if not ends:
                rel.add_row(*map(Text, (label, details, "", link.id)))
            for end in ends:
                rel.add_row(*map(Text, (label, details, f"{end.prop}: {end.caption}", end.id)))
        out.print(rel)


def datasets(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per dataset.")] = False,
) -> None:
    """List datasets with their entity, statement and source counts."""
    with workbench(ctx) as bench:
        stats = bench.datasets()
    if as_json:
        for item in stats:
            print_json(asdict(item))
        return
    table = Table()
    for column in ("name", "entities", "statements", "sources"):
        table.add_column(column, justify="left" if column == "name" else "right")
    for item in stats:
        table.add_row(
            Text(item.name), f"{item.entities:,}", f"{item.statements:,}", str(item.sources)
        )
    out.print(table)


def export(
    ctx: typer.Context,
    dataset: Annotated[str | None, typer.Option("--dataset", help="Only this dataset.")] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="ftm (JSON lines), csv or xlsx (one row per value, formulas neutralised), "
            "or the link graph as gexf, graphml or cyjs.",
        ),
    ] = "ftm",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE, not stdout.")
    ] = None,
) -> None:
    """Stream entities as FtM JSON lines, CSV or XLSX, or the link graph as GEXF,
    GraphML or Cytoscape JSON (`graph export` is the same, with link filters)."""
    if format in GRAPH_FORMATS:
        _export_graph(ctx, format, dataset, output)
        return
    if format not in EXPORT_FORMATS:
        known = ", ".join((*EXPORT_FORMATS, *GRAPH_FORMATS))
        raise typer.BadParameter(f"use one of {known}", param_hint="--format")
    if format == "xlsx" and output is None:
        raise typer.BadParameter("an XLSX workbook needs a file: add -o FILE.xlsx", param_hint="-o")
    with workbench(ctx) as bench:
        entities = _Counted(bench.export(dataset=dataset, format=format))
        if output is None:
            _write(format, entities, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        # Written beside the target and moved into place only once complete.
        tmp = output.with_name(output.name + ".partial")
        with tmp.open("wb") as fh:
            _write(format, entities, fh)
        tmp.replace(output)
        err.print(f"exported {entities.count:,} entities to {escape(str(output))}")


def _export_graph(
    ctx: typer.Context, format: str, dataset: str | None, output: Path | None
) -> None:
    """The link graph in one of GRAPH_FORMATS, to stdout or moved into place whole."""
    with workbench(ctx) as bench:
        chunks = bench.graph_export(format, dataset=dataset)
        if output is None:
            sys.stdout.writelines(chunks)
            sys.stdout.flush()
            return
        tmp = output.with_name(output.name + ".partial")
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(chunks)
        tmp.replace(output)
    err.print(f"exported the link graph to {escape(str(output))}")


def _write(format: str, entities: Iterable[dict[str, Any]], sink: IO[bytes]) -> None:
    """The entities in one of EXPORT_FORMATS, written to a binary sink."""
    if format == "xlsx":
        write_xlsx(export_rows(entities), sink)
    elif format == "csv":
        for chunk in csv_chunks(export_rows(entities)):
            sink.write(chunk.encode("utf-8"))
    else:
        for data in entities:
            sink.write(orjson.dumps(data) + b"\n")


class _Counted:
    """Entities passed through, counted."""

    def __init__(self, entities: Iterator[dict[str, Any]]) -> None:
        self._entities = entities
        self.count = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for entity in self._entities:
            self.count += 1
            yield entity


def register(app: typer.Typer) -> None:
    """Add the reading verbs."""
    app.command("search")(search)
    app.command("entity")(entity)
    app.command("datasets")(datasets)
    app.command("export")(export)
