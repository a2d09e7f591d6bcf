"""`threadline case ...`: case files with a purpose, members, pins, notes, tasks and an
evidence bundle. How a case is printed lives in `threadline.cli.casefile`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from threadline.cases import KEEP, TaskStatus, TimelineItem
from threadline.cases.bundle import case_json, note_json, pin_json, timeline_json
from threadline.cli.casefile import case_file_json, print_case_file, print_cases, task_json
from threadline.cli.charts import add_chart_commands
from threadline.cli.console import err, out, print_json
from threadline.cli.context import settings_of, workbench

case_app = typer.Typer(
    name="case",
    help="Case files: a purpose, sources, members, pins, notes citing evidence, tasks.",
    no_args_is_help=True,
)

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]
EntityId = Annotated[str, typer.Argument(metavar="ENTITY", help="An entity id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
EXPORTS_DIR = "exports"
STATUSES = ", ".join(status.value for status in TaskStatus)


@case_app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A short name for the case.")],
    purpose: Annotated[
        str, typer.Option("--purpose", help="Why this data is being looked at (required).")
    ],
    sources: Annotated[
        str, typer.Option("--sources", help="Datasets it may reach, comma-separated, or all.")
    ] = "all",
    as_json: AsJson = False,
) -> None:
    """Open a case; you own it. Prints its id."""
    with workbench(ctx) as bench:
        case = bench.case_create(name, purpose, sources)
    if as_json:
        print_json(case_json(case))
        return
    err.print(f"opened case {escape(case.name)}; work in it with --case {case.id}")
    typer.echo(case.id)


@case_app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The cases you are a member of, newest first."""
    with workbench(ctx) as bench:
        found = bench.case_list()
    if as_json:
        for case in found:
            print_json(case_json(case))
        return
    print_cases(found)


@case_app.command("show")
def show(ctx: typer.Context, case_id: CaseId, as_json: AsJson = False) -> None:
    """A case: purpose, members, pins, notes with their citations, tasks and timeline."""
    with workbench(ctx) as bench:
        found = bench.case_show(case_id)
    if as_json:
        print_json(case_file_json(found))
        return
    print_case_file(found)


@case_app.command("member")
def member(
    ctx: typer.Context,
    case_id: CaseId,
    user: Annotated[str, typer.Argument(metavar="USER", help="The user.")],
    role: Annotated[str | None, typer.Option("--role", help="owner, editor or reader.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take the user off the case.")] = False,
) -> None:
    """Give a user a role in the case, or take them off it with --remove."""
    if (role is None) == (not remove):
        raise typer.BadParameter("give exactly one of --role or --remove", param_hint="role")
    with workbench(ctx) as bench:
        bench.case_member(case_id, user, role)
    shown = "removed" if role is None else role
    err.print(f"{escape(user)} in case {escape(case_id)}: {escape(shown)}")


@case_app.command("pin")
def pin(
    ctx: typer.Context,
    case_id: CaseId,
    entity_id: EntityId,
    comment: Annotated[str, typer.Option("--comment", help="Why it matters.")] = "",
    as_json: AsJson = False,
) -> None:
    """Pin an entity to the case; its dated facts join the timeline."""
    with workbench(ctx) as bench:
        found = bench.case_pin(case_id, entity_id, comment)
    if as_json:
        print_json(pin_json(found))
        return
    err.print(f"pinned {escape(found.entity_id)} to case {escape(case_id)}")


@case_app.command("unpin")
def unpin(ctx: typer.Context, case_id: CaseId, entity_id: EntityId) -> None:
    """Unpin an entity."""
    with workbench(ctx) as bench:
        removed = bench.case_unpin(case_id, entity_id)
    state = "unpinned" if removed else "was not pinned:"
    err.print(f"{state} {escape(entity_id)}")


@case_app.command("note")
def note(
    ctx: typer.Context,
    case_id: CaseId,
    text: Annotated[
        str, typer.Argument(help="Markdown; cite evidence as [[stmt:ID]] or [[entity:ID]].")
    ],
    as_json: AsJson = False,
) -> None:
    """Add a note; every citation must be evidence the case reaches."""
    with workbench(ctx) as bench:
        found = bench.case_note(case_id, text)
    if as_json:
        print_json(note_json(found))
        return
    cites = len(found.statements) + len(found.entities)
    err.print(f"added note {found.id} with {cites} citation(s)")


@case_app.command("task")
def task(
    ctx: typer.Context,
    case_id: CaseId,
    title: Annotated[str, typer.Argument(help="What needs doing.")],
    assignee: Annotated[str | None, typer.Option("--assignee", help="A case member.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="A date, YYYY-MM-DD.")] = None,
    as_json: AsJson = False,
) -> None:
    """Add an open task. Prints its id."""
    with workbench(ctx) as bench:
        found = bench.case_task(case_id, title, assignee=assignee, due=due)
    if as_json:
        print_json(task_json(found))
        return
    err.print(f"added task {escape(found.title)}")
    typer.echo(found.id)


@case_app.command("task-update")
def task_update(
    ctx: typer.Context,
    case_id: CaseId,
    task_id: Annotated[str, typer.Argument(metavar="TASK", help="The task id.")],
    status: Annotated[str | None, typer.Option("--status", help=f"{STATUSES}.")] = None,
    assignee: Annotated[
        str | None, typer.Option("--assignee", help="Assign it to this case member.")
    ] = None,
    unassign: Annotated[bool, typer.Option("--unassign", help="Assign it to no one.")] = False,
    as_json: AsJson = False,
) -> None:
    """Change a task's status or assignee."""
    if assignee is not None and unassign:
        raise typer.BadParameter("give --assignee or --unassign, not both", param_hint="assignee")
    if status is None and assignee is None and not unassign:
        raise typer.BadParameter("give --status, --assignee or --unassign", param_hint="options")
    # KEEP leaves the assignee as it is; None takes it away.
    who: Any = None if unassign else (KEEP if assignee is None else assignee)
    with workbench(ctx) as bench:
        found = bench.case_task_update(case_id, task_id, status=status, assignee=who)
    if as_json:
        print_json(task_json(found))
        return
    owner = f", assigned to {found.assignee}" if found.assignee else ""
    err.print(f"task {found.id}: {found.status.value}{escape(owner)}")


Schema = Annotated[
    str | None, typer.Option("--schema", help="Only this type, e.g. Payment, or Interval.")
]
Prop = Annotated[str | None, typer.Option("--prop", help="Only this date property.")]
Since = Annotated[str | None, typer.Option("--since", help="From this date (YYYY[-MM[-DD]]).")]
Until = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY[-MM[-DD]]).")]


def print_timeline(items: list[TimelineItem], as_json: bool) -> None:
    """Dated facts as JSON lines (the bundle's keys), or a table for people."""
    if as_json:
        for item in items:
            print_json(timeline_json(item))
        return
    table = Table(title=f"{len(items)} dated facts", title_justify="left")
    for column in ("when", "what", "property", "dataset"):
        table.add_column(column, ratio=1 if column == "what" else None)
    table.add_column("statement", overflow="fold")
    for item in items:
        when = f"{item.date} to {item.end or '…'}" if item.period else item.date
        table.add_row(when, escape(item.label), item.prop, escape(item.dataset), item.statement_id)
    out.print(table)


@case_app.command("timeline")
def timeline(
    ctx: typer.Context,
    case_id: CaseId,
    schema: Schema = None,
    prop: Prop = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """The dated facts of the pinned entities and of the links touching them
    (payments, awards, ownership and directorship periods), in date order."""
    with workbench(ctx) as bench:
        items = bench.case_timeline(case_id, schema=schema, prop=prop, since=since, until=until)
    print_timeline(items, as_json)


def entity_timeline(
    ctx: typer.Context,
    entity_id: EntityId,
    schema: Schema = None,
    prop: Prop = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """The dated facts of an entity and of the links touching it, in date order."""
    with workbench(ctx) as bench:
        items = bench.timeline(entity_id, schema=schema, prop=prop, since=since, until=until)
    print_timeline(items, as_json)


@case_app.command("export")
def export(
    ctx: typer.Context,
    case_id: CaseId,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the bundle (default: exports/ in the data dir)."),
    ] = None,
) -> None:
    """Write the evidence bundle (JSON and a self-contained HTML page); prints the paths."""
    folder = out_dir or settings_of(ctx).resolved_data_dir() / EXPORTS_DIR
    with workbench(ctx) as bench:
        paths = bench.case_export(case_id, folder)
    for path in paths:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add the case verb group."""
    add_chart_commands(case_app)
    app.add_typer(case_app, name="case")
    app.command("timeline")(entity_timeline)
