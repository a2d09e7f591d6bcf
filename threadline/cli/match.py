"""`match`: screen records from a JSON file (yente's request body works as is), or a
whole CSV/XLSX list (`--schema Person --map name=COLUMN`), against what you may read,
scored by the resolver; `match-file`: the list form alone; `match-algorithms`: how
it scores."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table
from rich.text import Text

from threadline.app.screening_list import LIST_SUFFIXES
from threadline.app.verbs.matching import ALL_DATASETS, MAX_LIMIT
from threadline.app.verbs.screening_batch import ScreenReport
from threadline.cli.console import RichProgress, err, out, print_json
from threadline.cli.context import workbench
from threadline.errors import InputError, MappingError
from threadline.ingest.tabular import parse_maps


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


@contextmanager
def _named(path: Path) -> Iterator[None]:
    """A query the matcher refuses (a ValueError naming the field, e.g.
    `queries.q.schema`) becomes an error naming the file too."""
    try:
        yield
    except ValueError as error:
        raise InputError(path, str(error)) from None


SchemaOption = Annotated[
    str | None, typer.Option("--schema", help="A CSV/XLSX list's schema (Person, Company...).")
]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help="A list's property=COLUMN, e.g. name='Full name' (repeat)."),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write a list's results to this .csv or .xlsx.")
]


def match(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help='JSON: {"queries": {KEY: {schema, properties}}}; or a CSV/XLSX list.',
        ),
    ],
    schema: SchemaOption = None,
    maps: MapOption = None,
    out_path: OutOption = None,
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
    (what `explain` shows); each query is audited as a consultation. A CSV or XLSX
    file is a list to screen (as `match-file`): one query per row."""
    options: dict[str, Any] = {
        "dataset": dataset,
        "limit": limit,
        "threshold": threshold,
        "cutoff": cutoff,
        "include_dataset": include_dataset or (),
        "exclude_dataset": exclude_dataset or (),
        "exclude_schema": exclude_schema or (),
        "changed_since": changed_since,
        "exclude_entity_ids": exclude_entity_id or (),
    }
    if file.suffix.lower() in LIST_SUFFIXES:
        _match_list(ctx, file, schema, maps, out_path, as_json, options)
        return
    for flag, given in (("--schema", schema), ("--map", maps), ("--out", out_path)):
        if given:
            raise MappingError(flag, f"is for a CSV or XLSX list; {file.name} is read as JSON")
    queries = _queries(file)
    with workbench(ctx) as bench, _named(file):
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


def _match_list(
    ctx: typer.Context,
    file: Path,
    schema: str | None,
    maps: list[str] | None,
    out_path: Path | None,
    as_json: bool,
    options: dict[str, Any],
) -> None:
    """Screen a CSV/XLSX list and write or print its results table."""
    if not schema:
        raise MappingError(
            "--schema", f"say what the rows of {file.name} are, e.g. --schema Person"
        )
    with workbench(ctx) as bench:
        report = bench.match_file(
            file,
            schema=schema,
            maps=parse_maps(maps or []),
            out=out_path,
            progress=RichProgress(),
            **options,
        )
    if as_json:
        for row in report.rows:
            print_json(dict(zip(report.header, row, strict=True)))
    elif out_path is None:
        _print_table(report)
    written = f"; results in {out_path}" if out_path is not None else ""
    err.print(
        f"{report.screened:,} rows screened: {report.with_candidates:,} with candidates, "
        f"{report.matched:,} matching, {report.invalid:,} not screened (invalid or empty)"
        f"{written}"
    )


def _print_table(report: ScreenReport) -> None:
    table = Table(title=f"{report.file}: {report.matched:,} rows matching", title_justify="left")
    shown = ("row", "status", "caption", "score", "features", "link")
    for column in shown:
        table.add_column(column, no_wrap=column in ("row", "link"))
    where = [report.header.index(c) for c in shown]
    for row in report.rows:
        table.add_row(*(Text(row[i]) for i in where))
    out.print(table)


def match_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV or XLSX list to screen.")],
    schema: Annotated[
        str, typer.Option("--schema", help="What the rows are (Person, Company...).")
    ],
    maps: Annotated[
        list[str], typer.Option("--map", help="property=COLUMN, e.g. name='Full name' (repeat).")
    ],
    out_path: OutOption = None,
    dataset: Annotated[
        str, typer.Option("--dataset", help="A collection, or 'default' for all you may read.")
    ] = ALL_DATASETS,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Candidates per row.")
    ] = 5,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0, max=1, help="A match from this score up."),
    ] = None,
    cutoff: Annotated[
        float, typer.Option("--cutoff", min=0, max=0.999, help="Leave out scores up to this.")
    ] = 0.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per result row.")
    ] = False,
) -> None:
    """Screen every row of a CSV or XLSX list (names, with dates, countries and
    identifiers) against the entities you may read: one result row per candidate,
    with its score, the features behind it and a link. Each row is audited as a
    consultation, and the list as a whole."""
    if file.suffix.lower() not in LIST_SUFFIXES:
        raise InputError(file, f"screen a CSV or XLSX list ({', '.join(LIST_SUFFIXES)})")
    options = {"dataset": dataset, "limit": limit, "threshold": threshold, "cutoff": cutoff}
    _match_list(ctx, file, schema, maps, out_path, as_json, options)


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
    """Add the `match`, `match-file` and `match-algorithms` verbs."""
    app.command("match")(match)
    app.command("match-file")(match_file)
    app.command("match-algorithms")(match_algorithms)
