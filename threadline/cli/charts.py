"""`threadline case chart` and `case charts`: save a chart (as the API takes it, in a
JSON file) into a case, and list a case's charts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.markup import escape

from threadline.cases.chart import Chart, chart_body, drawing_from
from threadline.cases.errors import CaseError
from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise typer.BadParameter(f"cannot read {path}: {error}", param_hint="FILE") from None
    if not isinstance(data, dict):
        raise typer.BadParameter("expected a JSON object", param_hint="FILE")
    return data


def chart_json(chart: Chart) -> dict[str, Any]:
    """A saved chart as `--json` prints it (the API's shape)."""
    header = {
        "id": chart.id,
        "case_id": chart.case_id,
        "title": chart.title,
        "created_by": chart.created_by,
        "created_at": chart.created_at,
    }
    return {**header, **chart_body(chart)}


def chart(
    ctx: typer.Context,
    case_id: CaseId,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="The chart as JSON: title, note, nodes, edges (as the API)."
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Save a chart into the case (the graph page's "Save to case" does the same)."""
    data = _read(file)
    try:
        nodes, edges = drawing_from(data)
    except CaseError as error:
        raise typer.BadParameter(str(error), param_hint="FILE") from None
    title, note = data.get("title"), data.get("note", "")
    if not isinstance(title, str) or not isinstance(note, str):
        raise typer.BadParameter(
            "title, note: a chart's title and note are text", param_hint="FILE"
        )
    with workbench(ctx) as bench:
        saved = bench.case_chart(case_id, title, nodes, edges, note)
    if as_json:
        print_json(chart_json(saved))
        return
    err.print(f"saved chart {saved.id} with {len(saved.nodes)} entities")


def charts(ctx: typer.Context, case_id: CaseId, as_json: AsJson = False) -> None:
    """The charts saved in the case, oldest first."""
    with workbench(ctx) as bench:
        found = bench.case_charts(case_id)
    if as_json:
        print_json([chart_json(c) for c in found])
        return
    if not found:
        err.print("no charts in this case")
    for c in found:
        out.print(
            f"{c.id}  {escape(c.title)}  {len(c.nodes)} entities, {len(c.edges)} links  "
            f"({escape(c.created_by)}, {c.created_at})"
        )


def add_chart_commands(case_app: typer.Typer) -> None:
    """Add `chart` and `charts` to the case verb group."""
    case_app.command("chart")(chart)
    case_app.command("charts")(charts)
