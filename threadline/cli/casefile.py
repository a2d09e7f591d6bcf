"""How the case commands print: stable JSON keys, and Rich tables for people.

The JSON keys follow the evidence bundle's (`threadline.cases.bundle`), so a script
reads `case show --json` and an exported bundle the same way.
"""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from threadline.app.verbs.cases import CaseFile
from threadline.cases import ALL_SOURCES, Case, Task
from threadline.cases.bundle import case_json, note_json, pin_json, timeline_json
from threadline.cases.citation import iter_citations
from threadline.cli.console import out


def task_json(task: Task) -> dict[str, object]:
    """A task."""
    return {
        "id": task.id,
        "title": task.title,
        "status": task.status.value,
        "assignee": task.assignee,
        "due": task.due,
        "created_by": task.created_by,
        "created_at": task.created_at,
    }


def case_file_json(found: CaseFile) -> dict[str, object]:
    """A whole case file."""
    return {
        "case": case_json(found.case),
        "pins": [pin_json(p) for p in found.pins],
        "notes": [note_json(n) for n in found.notes],
        "tasks": [task_json(t) for t in found.tasks],
        "timeline": [timeline_json(i) for i in found.timeline],
    }


def _sources(case: Case) -> str:
    return ALL_SOURCES if case.all_sources else ", ".join(sorted(case.sources))


def print_cases(cases: list[Case]) -> None:
    """A table of cases."""
    table = Table(title=f"{len(cases)} cases", title_justify="left")
    table.add_column("id", no_wrap=True)  # passed to --case and `case show`: never fold
    for column in ("name", "purpose", "sources", "created"):
        table.add_column(column, ratio=1 if column in ("name", "purpose") else None)
    for case in cases:
        table.add_row(
            case.id,
            escape(case.name),
            escape(case.purpose),
            escape(_sources(case)),
            case.created_at,
        )
    out.print(table)


def cited_text(text: str) -> str:
    """A note's text as Rich markup, its citations in colour."""
    parts: list[str] = []
    last = 0
    for start, end, kind, target in iter_citations(text):
        parts.append(escape(text[last:start]))
        parts.append(f"[cyan]\\[\\[{kind}:{escape(target)}]][/]")
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts)


def print_case_file(found: CaseFile) -> None:
    """The case's header, members, pins, notes, tasks and timeline."""
    case = found.case
    out.print(f"[bold]{escape(case.name)}[/]  [dim]{case.id}[/]")
    out.print(f"purpose: {escape(case.purpose)}")
    out.print(f"sources: {escape(_sources(case))}")
    out.print(f"opened by {escape(case.created_by)} at {case.created_at}")
    members = ", ".join(f"{u} ({r.label})" for u, r in sorted(case.members.items()))
    out.print(f"members: {escape(members)}")
    if found.pins:
        pins = Table(title="pins", title_justify="left")
        pins.add_column("entity", no_wrap=True)
        for column in ("by", "at", "comment"):
            pins.add_column(column, ratio=1 if column == "comment" else None)
        for p in found.pins:
            pins.add_row(escape(p.entity_id), escape(p.pinned_by), p.pinned_at, escape(p.comment))
        out.print(pins)
    for n in found.notes:
        out.print(f"\n[bold]note {n.id}[/] by {escape(n.author)} at {n.created_at}")
        out.print(cited_text(n.text))
    if found.tasks:
        tasks = Table(title="tasks", title_justify="left")
        tasks.add_column("id", no_wrap=True)
        for column in ("title", "status", "assignee", "due"):
            tasks.add_column(column, ratio=1 if column == "title" else None)
        for t in found.tasks:
            tasks.add_row(
                t.id, escape(t.title), t.status.value, escape(t.assignee or ""), t.due or ""
            )
        out.print(tasks)
    if found.timeline:
        items = Table(title="timeline", title_justify="left")
        for column in ("date", "entity", "property", "dataset"):
            items.add_column(column)
        items.add_column("statement", overflow="fold")
        for item in found.timeline:
            items.add_row(
                item.date,
                escape(item.entity_id),
                item.prop,
                escape(item.dataset),
                item.statement_id,
            )
        out.print(items)
