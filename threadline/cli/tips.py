"""`threadline tip list|show|reject|case|submit|purge`: the triage queue of anonymous
tips, and its retention."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench
from threadline.tips import Tip

tips_app = typer.Typer(
    name="tip",
    help="Triage anonymous tips: list, read, reject, or open one as a case.",
    no_args_is_help=True,
)
TipId = Annotated[str, typer.Argument(metavar="TIP", help="The tip's id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def tip_json(tip: Tip) -> dict[str, Any]:
    """A tip as JSON."""
    data = asdict(tip)
    data["status"] = tip.status.value
    return data


@tips_app.command("list")
def list_tips(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="Only new, opening, rejected or opened tips.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="How many.")] = 100,
    as_json: AsJson = False,
) -> None:
    """The tips, newest first."""
    with workbench(ctx) as bench:
        found = bench.tip_list(status, limit)
    if as_json:
        for tip in found:
            print_json(tip_json(tip))
        return
    table = Table(title=f"{len(found)} tips", title_justify="left")
    for column in ("id", "received", "status", "files", "text"):
        table.add_column(column)
    for t in found:
        preview = t.text[:60] + ("…" if len(t.text) > 60 else "")
        row = (t.id, t.received_at, t.status.value, str(len(t.files)), preview)
        table.add_row(*(Text(v) for v in row))
    out.print(table)


@tips_app.command("show")
def show(ctx: typer.Context, tip_id: TipId, as_json: AsJson = False) -> None:
    """One tip: its text, files and the decision on it."""
    with workbench(ctx) as bench:
        tip = bench.tip_show(tip_id)
    if as_json:
        print_json(tip_json(tip))
        return
    out.print(Text(f"tip {tip.id}, received {tip.received_at}, {tip.status.value}"))
    if tip.client:
        out.print(Text(f"from {tip.client}"))
    if tip.decided_by:
        out.print(Text(f"decided by {tip.decided_by} on {tip.decided_at} {tip.reason}".rstrip()))
    if tip.case_id:
        out.print(Text(f"case {tip.case_id}, collection {tip.dataset}"))
    out.print(Text(tip.text or "(no text)"))
    for f in tip.files:
        out.print(Text(f"file {f.position}: {f.name} ({f.kind}, {f.size:,} bytes, {f.sha256})"))


@tips_app.command("reject")
def reject(
    ctx: typer.Context,
    tip_id: TipId,
    reason: Annotated[str, typer.Option("--reason", help="Why the tip is rejected.")],
) -> None:
    """Reject a new tip, saying why."""
    with workbench(ctx) as bench:
        bench.tip_reject(tip_id, reason)
    err.print(f"rejected tip {tip_id}", markup=False)


@tips_app.command("case")
def case(
    ctx: typer.Context,
    tip_id: TipId,
    name: Annotated[str | None, typer.Option("--name", help="The case's name.")] = None,
    purpose: Annotated[
        str | None, typer.Option("--case-purpose", help="The case's purpose.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Open a case with a tip: its files become documents, its text the first pin."""
    with workbench(ctx) as bench:
        opened = bench.tip_case(tip_id, name=name, purpose=purpose)
    if as_json:
        print_json(
            {
                "tip": tip_json(opened.tip),
                "case_id": opened.case.id,
                "pinned": list(opened.pinned),
                "repeated": opened.repeated,
            }
        )
        return
    err.print(opened.message, markup=False)
    typer.echo(opened.case.id)


@tips_app.command("submit")
def submit(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The tip's text; - reads standard input.")] = "",
    files: Annotated[
        list[Path] | None, typer.Option("--file", help="A file sent with the tip (repeatable).")
    ] = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option(
            "--idempotency-key", help="Sent again with this key, the tip is not taken twice."
        ),
    ] = None,
) -> None:
    """Put a tip that came by another way (post, a phone call) in the queue, under the
    same caps as the public form; prints its id."""
    if text == "-":
        text = sys.stdin.read()
    with workbench(ctx) as bench:
        tip = bench.tip_submit(
            text, [(path.name, path) for path in files or []], idempotency_key=idempotency_key
        )
    typer.echo(tip.id)


@tips_app.command("purge")
def purge(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the tips past retention; delete nothing.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Delete new and rejected tips older than `tips_retention_days`, with their files;
    tips opened as cases stay. Admins only; audited."""
    with workbench(ctx) as bench:
        done = bench.tip_purge(dry_run=dry_run)
    if as_json:
        print_json(asdict(done))
        return
    for tip_id in done.tips:
        typer.echo(tip_id)
    verb = "would delete" if done.dry_run else "deleted"
    err.print(
        f"{verb} {len(done.tips)} tips ({done.files} files) received or rejected "
        f"more than {done.days} days ago (before {done.before})",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add the `tip` group (its commands are the `tip_*` verbs)."""
    app.add_typer(tips_app, name="tip")
