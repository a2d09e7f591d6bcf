"""`threadline watch search|entity|pair`, `watches`, `unwatch`, `alerts`, `alerts-seen`
and `evaluate-watches`: watchlists and their alerts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench
from threadline.cli.read import DocType, Recipient, Sender, Year
from threadline.watch import AlertView, Watch
from threadline.watch.records import MAX_HOPS

watch_app = typer.Typer(
    name="watch",
    help="Watch a saved search, an entity or a pair; alerts by e-mail and signed webhook.",
    no_args_is_help=True,
)

Email = Annotated[str | None, typer.Option("--email", help="Send alerts to this address too.")]
Webhook = Annotated[
    str | None,
    typer.Option("--webhook", help="POST signed alerts to this URL (public addresses only)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def watch_json(watch: Watch) -> dict[str, Any]:
    """A watch as JSON (its webhook secret included: the caller owns it)."""
    data = asdict(watch)
    data["kind"] = watch.kind.value
    return data


def _made(watch: Watch, as_json: bool) -> None:
    if as_json:
        print_json(watch_json(watch))
        return
    err.print(f"watching {watch.describe()}")
    if watch.secret:
        err.print(f"webhook signing secret (keep it): {watch.secret}", markup=False)
    typer.echo(watch.id)


@watch_app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The search to watch.")],
    schema: Annotated[str | None, typer.Option("--schema", help="Only this schema.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", help="Only this dataset.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only this country.")] = None,
    doc_type: DocType = None,
    sender: Sender = None,
    recipient: Recipient = None,
    year: Year = None,
    email: Email = None,
    webhook: Webhook = None,
    as_json: AsJson = False,
) -> None:
    """Alert on each entity that newly matches a search (with search's filters).
    Prints the watch id."""
    with workbench(ctx) as bench:
        watch = bench.watch_search(
            query,
            schema=schema,
            dataset=dataset,
            country=country,
            doc_type=doc_type,
            sender=sender,
            recipient=recipient,
            year=year,
            email=email,
            webhook=webhook,
        )
    _made(watch, as_json)


@watch_app.command("entity")
def entity(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ENTITY", help="The entity to watch.")],
    email: Email = None,
    webhook: Webhook = None,
    as_json: AsJson = False,
) -> None:
    """Alert on new records resolved into an entity and new links to it."""
    with workbench(ctx) as bench:
        watch = bench.watch_entity(entity_id, email=email, webhook=webhook)
    _made(watch, as_json)


@watch_app.command("pair")
def pair(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="A", help="One entity.")],
    target: Annotated[str, typer.Argument(metavar="B", help="The other entity.")],
    max_hops: Annotated[
        int, typer.Option("--max-hops", min=1, max=MAX_HOPS, help="Longest path to alert on.")
    ] = 3,
    email: Email = None,
    webhook: Webhook = None,
    as_json: AsJson = False,
) -> None:
    """Alert when a path of at most --max-hops appears between A and B."""
    with workbench(ctx) as bench:
        watch = bench.watch_pair(source, target, max_hops=max_hops, email=email, webhook=webhook)
    _made(watch, as_json)


def watches(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Your watches."""
    with workbench(ctx) as bench:
        found = bench.watches()
    if as_json:
        for watch in found:
            print_json(watch_json(watch))
        return
    table = Table(title=f"{len(found)} watches", title_justify="left")
    for column in ("id", "watches", "email", "webhook", "last error"):
        table.add_column(column)
    for w in found:
        row = (w.id, w.describe(), w.email or "", w.webhook or "", w.last_error)
        table.add_row(*(Text(v) for v in row))
    out.print(table)


def unwatch(
    ctx: typer.Context,
    watch_id: Annotated[str, typer.Argument(metavar="ID", help="The watch id.")],
) -> None:
    """Stop a watch; its alerts go with it."""
    with workbench(ctx) as bench:
        bench.unwatch(watch_id)
    err.print(f"stopped watch {watch_id}", markup=False)


def alert_json(view: AlertView) -> dict[str, Any]:
    """An alert and its deliveries as JSON."""
    data = asdict(view.alert)
    data["deliveries"] = [{**asdict(d), "status": d.status.value} for d in view.deliveries]
    data["seen"] = view.seen
    return data


def alerts(
    ctx: typer.Context,
    watch_id: Annotated[str | None, typer.Option("--watch", help="Only this watch's.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="How many.")] = 100,
    as_json: AsJson = False,
) -> None:
    """Your alerts, newest first, with how their sending went."""
    with workbench(ctx) as bench:
        found = bench.alerts(watch_id, limit)
    if as_json:
        for view in found:
            print_json(alert_json(view))
        return
    table = Table(title=f"{len(found)} alerts", title_justify="left")
    for column in ("when", "alert", "entities", "sent"):
        table.add_column(column)
    for view in found:
        a = view.alert
        sent = ", ".join(f"{d.channel} {d.status.value}" for d in view.deliveries)
        table.add_row(Text(a.created_at), Text(a.title), Text(", ".join(a.entity_ids)), sent)
    out.print(table)


def alerts_seen(
    ctx: typer.Context,
    watch_id: Annotated[str, typer.Argument(metavar="ID", help="The watch id.")],
) -> None:
    """Mark a watch's alerts seen."""
    with workbench(ctx) as bench:
        marked = bench.alerts_seen(watch_id)
    err.print(f"{marked} alerts of watch {watch_id} marked seen", markup=False)


def evaluate_watches(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Evaluate watches now and retry unsent alerts (ingest and resolve do it too)."""
    with workbench(ctx) as bench:
        report = bench.evaluate_watches()
    data = {
        "evaluated": report.evaluated,
        "alerts": [a.id for a in report.alerts],
        "sent": report.sent,
        "failed": report.failed,
        "errors": report.errors,
    }
    if as_json:
        print_json(data)
        return
    err.print(
        f"{report.evaluated} watches evaluated, {len(report.alerts)} new alerts, "
        f"{report.sent} sent, {report.failed} failed",
        markup=False,
    )
    for watch_id, why in report.errors.items():
        err.print(f"watch {watch_id}: {why}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the `watch` group and the `watches`, `unwatch`, `alerts` and
    `evaluate-watches` verbs."""
    app.add_typer(watch_app, name="watch")
    app.command("watches")(watches)
    app.command("unwatch")(unwatch)
    app.command("alerts")(alerts)
    app.command("alerts-seen")(alerts_seen)
    app.command("evaluate-watches")(evaluate_watches)
