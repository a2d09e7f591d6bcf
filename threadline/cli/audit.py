"""`threadline audit ...` and `threadline erase`: read and verify the accountability
record, answer who accessed an entity, and erase data with nothing of it left behind.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from threadline.app.sheets import csv_chunks
from threadline.audit import AuditEvent, VerifyReport
from threadline.audit.query import AuditFilter
from threadline.audit.rows import HEADER
from threadline.cli.console import RichProgress, err, out, print_json
from threadline.cli.context import workbench
from threadline.cli.witness import witness_app

audit_app = typer.Typer(
    name="audit",
    help="The audit log: read, filter and export it, verify it, report on one entity (admins).",
    no_args_is_help=True,
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def event_json(event: AuditEvent) -> dict[str, object]:
    """An event with every key present, in the log's own terms."""
    return {
        "time": event.time,
        "actor": event.actor,
        "kind": event.kind.value,
        "action": event.action,
        "object_ids": list(event.object_ids),
        "case_id": event.case_id,
        "purpose": event.purpose,
        "justification": event.justification,
        "outcome": event.outcome,
        "request_id": event.request_id,
        "detail": event.detail,
    }


def _print_events(events: list[AuditEvent], title: str, objects: bool = True) -> None:
    """Time, actor, case, purpose and action of each event; its objects if asked."""
    table = Table(title=title, title_justify="left")
    table.add_column("time", no_wrap=True)
    for column in ("actor", "case", "purpose", "action"):
        table.add_column(column)
    if objects:
        table.add_column("objects", ratio=1, overflow="fold")
    table.add_column("outcome")
    for e in events:
        row = [e.time, e.actor, e.case_id or "", e.purpose or "", e.action]
        if objects:
            more = " …" if len(e.object_ids) > 5 else ""
            row.append(", ".join(e.object_ids[:5]) + more)
        cells = [escape(cell) for cell in row]
        cells.append(escape(e.outcome) if e.outcome == "ok" else f"[red]{escape(e.outcome)}[/]")
        table.add_row(*cells)
    out.print(table)


Actor = Annotated[str | None, typer.Option("--actor", help="Only this user's events.")]
Kind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="Only this kind: consultation, disclosure, combination, alteration, "
        "collection or erasure.",
    ),
]
Action = Annotated[
    str | None, typer.Option("--action", help="Only this action (search, entity, export...).")
]
CaseId = Annotated[str | None, typer.Option("--case-id", help="Only events in this case.")]
Purpose = Annotated[
    str | None,
    typer.Option(
        "--purpose",
        help="Only events whose purpose contains this text (the global --purpose, before "
        "`audit`, states your own).",
    ),
]
Since = Annotated[
    str | None, typer.Option("--since", help="From this ISO date or time (2026-01-31).")
]
Until = Annotated[
    str | None, typer.Option("--until", help="To this ISO date (the whole day) or time.")
]
EntityId = Annotated[
    str | None,
    typer.Option(
        "--entity",
        help="Only events naming this entity (or one merged with it), or any object id "
        "(dataset:NAME, case:ID).",
    ),
]


@audit_app.command("log")
def log(
    ctx: typer.Context,
    actor: Actor = None,
    kind: Kind = None,
    action: Action = None,
    case_id: CaseId = None,
    purpose: Purpose = None,
    since: Since = None,
    until: Until = None,
    entity_id: EntityId = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the newest N events (a page).")
    ] = None,
    before: Annotated[
        int | None, typer.Option("--before", min=0, help="Only events older than this index.")
    ] = None,
    after: Annotated[
        int | None, typer.Option("--after", min=0, help="Only events newer than this index.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Audit events answering the filters, oldest first (a page of the newest with --limit)."""
    filters = AuditFilter(
        actor=actor,
        kind=kind,
        action=action,
        case_id=case_id,
        purpose=purpose,
        since=since,
        until=until,
        entity_id=entity_id,
    )
    with workbench(ctx) as bench:
        page = bench.audit_log(filters, limit=limit, before=before, after=after)
    events = [found.event for found in reversed(page.events)]
    if as_json:
        for event in events:
            print_json(event_json(event))
        return
    _print_events(events, f"{len(events)} of {page.total} events")
    if page.older is not None:
        err.print(f"older events: add --before {page.older}")
    if page.newer is not None:
        err.print(f"newer events: add --after {page.newer}")


@audit_app.command("export")
def export(
    ctx: typer.Context,
    actor: Actor = None,
    kind: Kind = None,
    action: Action = None,
    case_id: CaseId = None,
    purpose: Purpose = None,
    since: Since = None,
    until: Until = None,
    entity_id: EntityId = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE, not stdout.")
    ] = None,
) -> None:
    """The events answering the filters as CSV, oldest first. The export is itself on
    record, with the filter, the row count and your purpose."""
    filters = AuditFilter(
        actor=actor,
        kind=kind,
        action=action,
        case_id=case_id,
        purpose=purpose,
        since=since,
        until=until,
        entity_id=entity_id,
    )
    with workbench(ctx) as bench:
        exported = bench.audit_export(filters)
        chunks = csv_chunks(exported, header=HEADER)
        if output is None:
            sys.stdout.writelines(chunks)
            sys.stdout.flush()
            return
        # Written beside the target and moved into place only once complete.
        tmp = output.with_name(output.name + ".partial")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(chunks)
        tmp.replace(output)
    err.print(f"exported {exported.count:,} events to {escape(str(output))}")


@audit_app.command("subject")
def subject(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ENTITY_ID", help="An entity id.")],
    as_json: AsJson = False,
) -> None:
    """Everything on record about an entity: reads, searches that returned it,
    disclosures, merges and case work, with when, who, case and purpose."""
    with workbench(ctx) as bench:
        report = bench.audit_subject(entity_id)
    if as_json:
        print_json(
            {
                "entity_id": report.entity_id,
                "ids": list(report.ids),
                "total": report.total,
                "sections": [
                    {"key": key, "title": title, "events": [event_json(e.event) for e in found]}
                    for key, title, found in report.sections()
                ],
                "named": [asdict(n) for n in report.named],
            }
        )
        return
    out.print(f"{report.total} events about {escape(entity_id)} ({escape(', '.join(report.ids))})")
    for _key, title, found in report.sections():
        events = [e.event for e in found]
        _print_events(events, f"{title}: {len(events)}", objects=False)
    for n in report.named:  # records outside the statements naming the person: tips
        where = ", ".join(n.fields)
        out.print(
            escape(f"{n.kind} {n.id} ({n.status}, received {n.received_at}) names it in {where}")
        )


@audit_app.command("who-accessed")
def who_accessed(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ENTITY_ID", help="An entity id.")],
    as_json: AsJson = False,
) -> None:
    """Every time someone read, combined or disclosed an entity: when, who, case, purpose."""
    with workbench(ctx) as bench:
        events = bench.audit_who_accessed(entity_id)
    if as_json:
        for event in events:
            print_json(event_json(event))
        return
    _print_events(events, f"{len(events)} accesses of {entity_id}", objects=False)


def report_json(report: VerifyReport, seconds: float | None = None) -> dict[str, object]:
    """A verification report (and how long it took, if timed)."""
    return {
        "ok": report.ok,
        "root": report.root.hex(),
        "seconds": None if seconds is None else round(seconds, 3),
        "unsigned": report.unsigned,
        "notes": list(report.notes),
        "entries": report.entries,
        "checkpoints": report.checkpoints,
        "signed": report.signed,
        "first_bad_index": report.first_bad_index,
        "problems": [{"index": p.index, "message": p.message} for p in report.problems],
    }


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    trusted_key: Annotated[
        str | None,
        typer.Option(
            "--trusted-key",
            help="Fingerprint(s) or public key file(s) recorded at `audit init`, "
            "comma-separated (default: THREADLINE_AUDIT_TRUSTED_KEY or the config file).",
        ),
    ] = None,
    witness: Annotated[
        str | None,
        typer.Option(
            "--witness", help="Check against this witness's latest cosigned checkpoint (URL)."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Check the whole log against its signed checkpoints; exit 1 naming the first bad entry."""
    started = time.perf_counter()
    with workbench(ctx) as bench:
        report = bench.audit_verify(trusted_key=trusted_key, witness=witness)
    seconds = time.perf_counter() - started
    if as_json:
        print_json(report_json(report, seconds))
    elif report.ok:
        out.print(report.summary())
        if report.root:
            err.print(f"signed root {report.root.hex()} ({seconds:.2f} s)")
    else:
        err.print(f"[bold red]audit log verification failed:[/] {escape(report.summary())}")
        if report.first_bad_index is not None:
            err.print(f"first bad entry: index {report.first_bad_index}")
        for problem in report.problems[1:]:
            err.print(f"also: {escape(problem.message)}")
    if not as_json:
        for note in report.notes:
            err.print(f"note: {escape(note)}")
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("init")
def init(
    ctx: typer.Context,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Also write the public key to this file (keep it elsewhere)."
        ),
    ] = None,
) -> None:
    """Make the signing key and sign a first checkpoint; print the fingerprint to record."""
    with workbench(ctx) as bench:
        signed = bench.audit_checkpoint()
        keyring = bench.accountability.keyring
        fingerprint, pem = keyring.current_fingerprint(), keyring.current_public_pem()
    if export is not None:
        export.write_bytes(pem)
    out.print(fingerprint)
    err.print(
        f"signed checkpoint of {signed.size} entries. Record this fingerprint outside the "
        "data directory and verify with: threadline audit verify --trusted-key "
        f"{fingerprint} (or set THREADLINE_AUDIT_TRUSTED_KEY)"
    )


@audit_app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the log now."""
    with workbench(ctx) as bench:
        signed = bench.audit_checkpoint()
    err.print(f"signed checkpoint of {signed.size} entries with key {signed.key_id}")


@audit_app.command("rotate-key")
def rotate_key(ctx: typer.Context) -> None:
    """Sign future checkpoints with a new key; old checkpoints still verify."""
    with workbench(ctx) as bench:
        key = bench.audit_rotate_key()
    err.print(f"new signing key {key}")


def erase(
    ctx: typer.Context,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Erase this whole dataset.")
    ] = None,
    entity_id: Annotated[
        str | None, typer.Option("--entity", help="Erase this entity (every merged record).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a dataset or an entity: statements, index, graph and match candidates.

    The audit log keeps only salted hashes of the erased ids.
    """
    if (dataset is None) == (entity_id is None):
        raise typer.BadParameter("give exactly one of --dataset or --entity", param_hint="target")
    what = f"dataset {dataset!r}" if dataset is not None else f"entity {entity_id!r}"
    if not yes:
        typer.confirm(f"Erase {what} for good? This cannot be undone", abort=True)
    with workbench(ctx) as bench:
        report = bench.erase(dataset=dataset, entity_id=entity_id, progress=RichProgress())
    err.print(
        f"erased {escape(what)}: {report.statements:,} statements of "
        f"{report.entities:,} records removed; the search index was rebuilt"
    )


def register(app: typer.Typer) -> None:
    """Add the audit verb group (with `audit witness`) and erase."""
    audit_app.add_typer(witness_app, name="witness")
    app.add_typer(audit_app, name="audit")
    app.command("erase")(erase)
