"""`threadline graph ...`: neighbours, paths, connect, hubs, export and rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from threadline.app.verbs.graph import view_builds
from threadline.app.workbench import Workbench
from threadline.cli.console import RichProgress, err, out, print_json
from threadline.cli.context import workbench
from threadline.graph.export import EXPORT_FORMATS
from threadline.graph.results import GraphEdge, GraphNode, HubRanking, PathResult, Subgraph
from threadline.graph.scope import Filters

graph_app = typer.Typer(
    name="graph",
    help="Follow the links: neighbours, ranked paths, who connects entities, hubs, exports.",
    no_args_is_help=True,
)

Types = Annotated[
    str | None,
    typer.Option("--types", help="Only these link types, comma-separated (Ownership,Family...)."),
]
At = Annotated[str | None, typer.Option("--at", help="Only links that hold on this date.")]
Between = Annotated[
    tuple[str, str] | None,
    typer.Option("--between", help="Only links that hold at some time in D1..D2."),
]
Datasets = Annotated[
    str | None, typer.Option("--datasets", help="Only these datasets, comma-separated.")
]
NoDerived = Annotated[
    bool, typer.Option("--no-derived", help="Leave out derived links (shared address, id).")
]
MaxHops = Annotated[int, typer.Option("--max-hops", min=1, max=12, help="Longest path, in hops.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")]


@contextmanager
def _graph_bench(ctx: typer.Context) -> Iterator[Workbench]:
    """The workbench, showing a bar while a stale link graph view is built (or another
    process's build is waited for)."""
    with workbench(ctx) as bench:
        yield view_builds(bench, progress=RichProgress())


@contextmanager
def _usage_errors() -> Iterator[None]:
    """Bad link types and dates are the caller's to fix: say so as a usage error."""
    try:
        yield
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _filters(
    types: str | None,
    at: str | None,
    between: tuple[str, str] | None,
    datasets: str | None,
    no_derived: bool,
) -> Filters:
    def split(value: str | None) -> list[str] | None:
        return None if value is None else [v.strip() for v in value.split(",") if v.strip()]

    return Filters(
        types=split(types), at=at, between=between, datasets=split(datasets), derived=not no_derived
    )


def _label(node: GraphNode) -> str:
    return f"{escape(node.caption)} [dim]({node.schema}, {escape(node.id)})[/]"


def _when(edge: GraphEdge) -> str:
    if edge.start is None and edge.end is None:
        return ""
    if edge.start == edge.end:
        return f" {edge.start}"
    if edge.end is None:
        return f" since {edge.start}"
    if edge.start is None:
        return f" until {edge.end}"
    return f" {edge.start} to {edge.end}"


def _print_subgraph(result: Subgraph, title: str) -> None:
    nodes = Table(title=title, title_justify="left")
    if result.depth:
        nodes.add_column("depth", justify="right")
    nodes.add_column("schema")
    nodes.add_column("caption", ratio=2)
    nodes.add_column("datasets")
    nodes.add_column("id", no_wrap=True)  # copied into `threadline entity ID`: never fold
    for node in result.nodes:
        depth = [str(result.depth[node.id])] if result.depth else []
        nodes.add_row(
            *depth, node.schema, Text(node.caption), Text(", ".join(node.datasets)), Text(node.id)
        )
    out.print(nodes)
    captions = {n.id: n.caption for n in result.nodes}
    links = Table(title=f"{len(result.edges)} links", title_justify="left")
    for column in ("type", "from", "to", "when"):
        links.add_column(column, ratio=1 if column in ("from", "to") else None)
    # Reference and derived edge ids are long and are not entities: fold them.
    links.add_column("id", overflow="fold", ratio=1)
    for edge in result.edges:
        links.add_row(
            edge.type,
            Text(captions.get(edge.source, edge.source)),
            Text(captions.get(edge.target, edge.target)),
            _when(edge).strip(),
            Text(edge.id),
        )
    out.print(links)
    if len(result.groups) > 1:
        out.print(
            "[bold]Not joined within the hop limit:[/] "
            + escape(" | ".join(", ".join(g) for g in result.groups))
        )
    if result.truncated:
        err.print("[yellow]truncated:[/] the result was cut at its limit")


def _print_paths(result: PathResult) -> None:
    if not result.paths:
        out.print(escape(f"No path from {result.source} to {result.target} within the hop limit."))
    for path in result.paths:
        out.print(f"\n[bold]#{path.rank}[/]  {path.explanation}")
        out.print(f"  {_label(path.nodes[0])}")
        for edge, here, there in zip(path.edges, path.nodes[:-1], path.nodes[1:], strict=True):
            arrow = "→" if edge.source == here.id else "←"
            out.print(f"    {arrow} [cyan]{edge.type}[/]{_when(edge)} [dim]{escape(edge.id)}[/]")
            out.print(f"  {_label(there)}")
    if result.truncated:
        err.print("[yellow]search cut short:[/] cheaper paths may exist beyond those shown")


def _print_hubs(result: HubRanking) -> None:
    table = Table(
        title=f"{result.nodes:,} entities, {result.edges:,} links; betweenness {result.betweenness}",
        title_justify="left",
    )
    for column in ("betweenness", "degree", "schema", "caption"):
        table.add_column(column, justify="right" if column in ("betweenness", "degree") else "left")
    table.add_column("id", no_wrap=True)
    for hub in result.hubs:
        score = "" if hub.betweenness is None else f"{hub.betweenness:.4f}"
        table.add_row(
            score, str(hub.degree), hub.node.schema, Text(hub.node.caption), Text(hub.node.id)
        )
    out.print(table)


@graph_app.command("neighbours")
def neighbours(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="The entity to start from.")],
    depth: Annotated[int, typer.Option("--depth", min=1, max=6, help="Hops to go out.")] = 1,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most entities to return.")] = 500,
    types: Types = None,
    at: At = None,
    between: Between = None,
    datasets: Datasets = None,
    no_derived: NoDerived = False,
    as_json: AsJson = False,
) -> None:
    """Entities linked to one, up to --depth hops away, and the links between them."""
    filters = _filters(types, at, between, datasets, no_derived)
    with _graph_bench(ctx) as bench, _usage_errors():
        result = bench.graph_neighbours(entity_id, depth=depth, limit=limit, **filters)
    if as_json:
        print_json(result.to_dict())
        return
    _print_subgraph(result, f"{len(result.nodes) - 1} neighbours of {entity_id}")


@graph_app.command("path")
def path(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Where the path starts (an entity id).")],
    target: Annotated[str, typer.Argument(help="Where it ends.")],
    max_hops: MaxHops = 6,
    k: Annotated[int, typer.Option("--k", min=1, max=20, help="How many paths (1-20).")] = 3,
    types: Types = None,
    at: At = None,
    between: Between = None,
    datasets: Datasets = None,
    no_derived: NoDerived = False,
    as_json: AsJson = False,
) -> None:
    """The k best paths between two entities: short, strong and recent links first."""
    filters = _filters(types, at, between, datasets, no_derived)
    with _graph_bench(ctx) as bench, _usage_errors():
        result = bench.graph_path(source, target, max_hops=max_hops, k=k, **filters)
    if as_json:
        print_json(result.to_dict())
        return
    _print_paths(result)


@graph_app.command("connect")
def connect(
    ctx: typer.Context,
    entity_ids: Annotated[list[str], typer.Argument(help="Two or more entity ids.")],
    max_hops: MaxHops = 6,
    types: Types = None,
    at: At = None,
    between: Between = None,
    datasets: Datasets = None,
    no_derived: NoDerived = False,
    as_json: AsJson = False,
) -> None:
    """Who connects these entities: the small subgraph that joins them."""
    filters = _filters(types, at, between, datasets, no_derived)
    with _graph_bench(ctx) as bench, _usage_errors():
        result = bench.graph_connect(entity_ids, max_hops=max_hops, **filters)
    if as_json:
        print_json(result.to_dict())
        return
    _print_subgraph(result, f"{len(result.nodes)} entities joining {len(entity_ids)}")


@graph_app.command("hubs")
def hubs(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Option("--ids", help="The set: these entity ids (comma-separated or repeated)."),
    ] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="The set: this dataset's entities.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many to show.")] = 20,
    types: Types = None,
    at: At = None,
    between: Between = None,
    datasets: Datasets = None,
    no_derived: NoDerived = False,
    as_json: AsJson = False,
) -> None:
    """The most central entities of a set, by betweenness and degree inside it."""
    filters = _filters(types, at, between, datasets, no_derived)
    with _graph_bench(ctx) as bench, _usage_errors():
        members = (
            None if ids is None else [i.strip() for v in ids for i in v.split(",") if i.strip()]
        )
        result = bench.graph_hubs(ids=members, dataset=dataset, limit=limit, **filters)
    if as_json:
        print_json(result.to_dict())
        return
    _print_hubs(result)


@graph_app.command("export")
def export(
    ctx: typer.Context,
    format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ] = "gexf",
    dataset: Annotated[str | None, typer.Option("--dataset", help="Only this dataset.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE, not stdout.")
    ] = None,
    types: Types = None,
    at: At = None,
    between: Between = None,
    datasets: Datasets = None,
    no_derived: NoDerived = False,
) -> None:
    """Stream the link graph as GEXF (Gephi), GraphML or Cytoscape JSON."""
    filters = _filters(types, at, between, datasets, no_derived)
    with _graph_bench(ctx) as bench, _usage_errors():
        chunks = bench.graph_export(format, dataset=dataset, **filters)
        if output is None:
            for chunk in chunks:
                typer.echo(chunk, nl=False)
            return
        tmp = output.with_name(output.name + ".partial")
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(chunks)
        tmp.replace(output)
    err.print(f"exported the link graph to {escape(str(output))}")


@graph_app.command("rebuild")
def rebuild(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Drop the link graph's adjacency view and rebuild it from the store."""
    with workbench(ctx) as bench:
        stats = bench.graph_rebuild(progress=RichProgress())
    if as_json:
        print_json(stats.to_dict())
        return
    kinds = ", ".join(f"{k} {v:,}" for k, v in stats.types.items())
    err.print(
        f"link graph: {stats.nodes:,} entities, {stats.edges:,} links ({kinds}); "
        f"{stats.skipped_groups:,} shared keys too common to link; {stats.seconds or 0:.1f}s"
    )


def register(app: typer.Typer) -> None:
    """Add the graph verb group."""
    app.add_typer(graph_app, name="graph")
