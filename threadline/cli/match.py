"""`match`: screen records from a JSON file against what you may read, scored by the
resolver (yente's request body works as is); `match-algorithms`: how it scores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table
from rich.text import Text

from threadline.cli.console import out, print_json
from threadline.cli.context import workbench
from threadline.errors import InputError
from threadline.verbs.matching import ALL_DATASETS, MAX_LIMIT


def _queries(path: Path) -> dict[str, Any]:
    """The queries of a file: `{"queries": {key: {schema, properties}}}` or the bare
    object of queries."""
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as error:
        raise InputError(path, f"cannot read it ({error.strerror})") from None
    except orjson.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON ({error})") from None
    if isinstance(data, dict) and isinstance(data.get("queries"), dict):
        data = data["queries"]
    if not isinstance(data, dict):
        raise InputError(path, 'expected {"queries": {KEY: {"schema": ..., "properties": ...}}}')
    return data


def match(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help='JSON: {"queries": {KEY: {schema, properties}}}')
    ],
    dataset: Annotated[
        str, typer.Option("--dataset", help="A collection, or 'default' for all you may read.")
    ] = ALL_DATASETS,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Candidates per query.")
    ] = 5,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0, max=1, help="A match from this score up."),
    ] = None,
    cutoff: Annotated[
        float, typer.Option("--cutoff", min=0, max=0.999, help="Leave out scores up to this.")
    ] = 0.0,
    include_dataset: Annotated[
        list[str] | None, typer.Option("--include-dataset", help="Only these collections.")
    ] = None,
    exclude_dataset: Annotated[
        list[str] | None, typer.Option("--exclude-dataset", help="Not these collections.")
    ] = None,
    exclude_schema: Annotated[
        list[str] | None, typer.Option("--exclude-schema", help="Not these schemata.")
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option("--changed-since", help="Only entities changed since (YYYY-MM-DD)."),
    ] = None,
    exclude_entity_id: Annotated[
        list[str] | None, typer.Option("--exclude-entity-id", help="Not these entities.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per candidate.")] = False,
) -> None:
    """Score each query against the entities you may read, with the resolver's features
    (what `explain` shows); each query is audited as a consultation."""
    queries = _queries(file)
    with workbench(ctx) as bench:
        results = bench.match(
            queries,
            dataset=dataset,
            limit=limit,
            threshold=threshold,
            cutoff=cutoff,
            include_dataset=include_dataset or (),
            exclude_dataset=exclude_dataset or (),
            exclude_schema=exclude_schema or (),
            changed_since=changed_since,
            exclude_entity_ids=exclude_entity_id or (),
        )
    for key, result in results.items():
        if as_json:
            for found in result.results:
                print_json(
                    {
                        "query": key,
                        "id": found.entity.id,
                        "caption": found.entity.caption,
                        "schema": found.entity.schema.name,
                        "datasets": found.entity.datasets,
                        "score": found.scored.probability,
                        "match": found.match,
                        "features": {f.name: f.weight for f in found.scored.informative},
                    }
                )
            continue
        table = Table(title=f"{key}: {result.matches} matching", title_justify="left")
        for column in ("caption", "schema", "score", "match", "features", "id"):
            table.add_column(column, no_wrap=column == "id")
        for found in result.results:
            table.add_row(
                Text(found.entity.caption),
                found.entity.schema.name,
                f"{found.scored.probability:.3f}",
                "yes" if found.match else "",
                Text(", ".join(f"{f.name} {f.weight:+.2f}" for f in found.scored.informative)),
                Text(found.entity.id),
            )
        out.print(table)


def match_algorithms(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """How `match` scores: the resolver's features and their current weights."""
    with workbench(ctx) as bench:
        algorithms = bench.match_algorithms()
    for algorithm in algorithms:
        if as_json:
            print_json(
                {
                    "name": algorithm.name,
                    "version": algorithm.version,
                    "trained": algorithm.trained,
                    "features": {f.name: f.coefficient for f in algorithm.features},
                }
            )
            continue
        table = Table(title=f"{algorithm.name} ({algorithm.version})", title_justify="left")
        table.add_column("feature")
        table.add_column("full agreement", justify="right")
        table.add_column("description")
        for feature in algorithm.features:
            table.add_row(feature.name, f"{feature.coefficient:+.3f}", Text(feature.description))
        out.print(table)


def register(app: typer.Typer) -> None:
    """Add the `match` and `match-algorithms` verbs."""
    app.command("match")(match)
    app.command("match-algorithms")(match_algorithms)
