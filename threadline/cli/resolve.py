"""Resolution verbs: `resolve`, `judge`, `undo`, `explain`, `review`, `judgements`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from threadline.app.workbench import Workbench
from threadline.cli.console import RichProgress, out, print_json
from threadline.cli.context import workbench
from threadline.errors import ThreadlineError
from threadline.resolve.explain import Explanation
from threadline.resolve.judgement import Judgement


def resolve(
    ctx: typer.Context,
    dataset: Annotated[
        list[str] | None, typer.Option("--dataset", help="Only these datasets (repeatable).")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Compare every pair again.")] = False,
    train: Annotated[bool, typer.Option("--train", help="Re-estimate the match model.")] = False,
    link_only: Annotated[
        bool, typer.Option("--link-only", help="Only compare records of different datasets.")
    ] = False,
    twin_rule: Annotated[
        bool,
        typer.Option(
            "--twin-rule/--no-twin-rule",
            help="Keep apart different given names with the same birth date and address.",
        ),
    ] = True,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", help="duckdb or spark (default: the THREADLINE_RESOLVE_ENGINE setting)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Find the same person or company across sources: candidates, scores, merges."""
    with workbench(ctx) as bench:
        report = bench.resolve(
            dataset or None,
            full=full,
            train=train,
            link_only=link_only,
            twin_rule=twin_rule,
            progress=RichProgress(),
            engine=engine,
        )
    summary = {
        "records": report.records,
        "new_records": report.new_records,
        "pairs_considered": report.compared,
        "merged": report.merged,
        "unmerged": report.unmerged,
        "queued": report.queued,
        "clusters": report.clusters,
        "incremental": report.incremental,
        "trained": report.trained,
        "facts": report.facts,
        "seconds": round(report.seconds, 2),
    }
    if as_json:
        print_json(summary)
        return
    if report.records == 0:
        out.print("Nothing to resolve: ingest people or organisations first.")
        return
    mode = "incremental" if report.incremental else "full"
    out.print(
        f"Resolved {report.records:,} records ({mode}, {report.new_records:,} new) in "
        f"{report.seconds:.1f} s: {report.compared:,} pairs considered, "
        f"{report.merged:,} merged, {report.unmerged:,} unmerged, {report.queued:,} queued "
        f"for review; {report.clusters:,} entities."
    )
    if report.facts:
        out.print("Measured on the data: " + "; ".join(report.facts) + ".")


def _judgement_json(j: Judgement) -> dict[str, object]:
    return {
        "id": j.id,
        "left": j.left,
        "right": j.right,
        "verdict": j.verdict.value,
        "actor": j.actor,
        "created_at": j.created_at,
        "score": j.score,
        "reason": j.reason,
        "deleted_at": j.deleted_at,
        "deleted_by": j.deleted_by,
    }


def judge(
    ctx: typer.Context,
    left: Annotated[str, typer.Argument(help="An entity id.")],
    right: Annotated[str, typer.Argument(help="Another entity id.")],
    verdict: Annotated[str, typer.Argument(help="same, not-same or unsure.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the judgement as JSON.")] = False,
) -> None:
    """Record by hand that two entities are the same, not the same, or unsure."""
    with workbench(ctx) as bench:
        j = bench.judge(left, right, verdict, reason=reason)
    if as_json:
        print_json(_judgement_json(j))
    else:
        out.print(escape(f"Recorded judgement {j.id}: {j.left} {j.verdict.value} {j.right}"))


def undo(
    ctx: typer.Context,
    judgement_id: Annotated[
        str | None, typer.Argument(help="The judgement to undo (default: your last one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the judgement as JSON.")] = False,
) -> None:
    """Undo a judgement; the facts are never touched."""
    with workbench(ctx) as bench:
        j = bench.undo(judgement_id)
    if as_json:
        print_json(_judgement_json(j))
    else:
        out.print(escape(f"Undid judgement {j.id}: {j.left} {j.verdict.value} {j.right}"))


def print_explanation(e: Explanation) -> None:
    """A table of features with their weights, then the verdict."""
    table = Table(title=escape(f"{e.left}  vs  {e.right}"), title_justify="left")
    table.add_column("feature")
    table.add_column("left")
    table.add_column("right")
    table.add_column("level")
    table.add_column("weight", justify="right")
    for f in e.features:
        table.add_row(
            f.name, Text(_show(f.left)), Text(_show(f.right)), f.label, f"{f.weight:+.1f}"
        )
    table.add_row("prior", "", "", "chance two random records match", f"{e.prior_weight:+.1f}")
    out.print(table)
    out.print(
        f"total weight {e.total_weight:+.1f} bits, probability {e.probability:.4f}: "
        f"[bold]{e.decision}[/]"
    )
    blocking = ", ".join(e.blocking) if e.blocking else "none (never a candidate pair)"
    out.print(f"blocking: {blocking}")
    out.print(f"status: {e.status}")
    for j in e.judgements:
        out.print(escape(f"judgement {j.id}: {j.verdict.value} by {j.actor} at {j.created_at}"))


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def explain(
    ctx: typer.Context,
    left: Annotated[str, typer.Argument(help="An entity id.")],
    right: Annotated[str, typer.Argument(help="Another entity id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
) -> None:
    """Why two entities match or not: each feature's value and weight, and the decision."""
    with workbench(ctx) as bench:
        e = bench.explain(left, right)
    if as_json:
        print_json(e.to_json())
    else:
        print_explanation(e)


_KEYS = {"s": "same", "n": "not-same", "u": "unsure"}


_PROMPT = "[s]ame, [n]ot same, [u]nsure, [k] skip, [z] undo, [q]uit"


def _key() -> str:
    """One answer: a single key press at a terminal, a line when input is piped."""
    if sys.stdin.isatty():
        out.print(_PROMPT + ": ", end="")
        key = typer.getchar()
        out.print(key)
        return key
    return str(typer.prompt(_PROMPT))


def _review_one(bench: Workbench, left: str, right: str) -> str:
    print_explanation(bench.explain(left, right))
    while True:
        answer = _key().strip()
        if answer[:1].lower() in {"s", "n", "u", "k", "z", "q"}:
            return answer[:1].lower()


def review(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Pairs to review.")] = 20,
) -> None:
    """Judge the queued pairs one by one, the most uncertain first; one key per pair
    at a terminal. After an undo (z) the undone pair comes back first."""
    with workbench(ctx) as bench:
        queue = bench.review(limit=limit)
        if not queue:
            out.print("The review queue is empty. Run `threadline resolve` to fill it.")
            return
        done = 0
        skipped: set[tuple[str, str]] = set()
        again: tuple[str, str] | None = None
        while True:
            if again is not None:
                left, right = again
                again = None
            else:
                pending = [
                    i
                    for i in bench.review(limit=limit + len(skipped))
                    if (i.left, i.right) not in skipped
                ]
                if not pending or done >= limit:
                    break
                left, right = pending[0].left, pending[0].right
            key = _review_one(bench, left, right)
            if key == "q":
                break
            if key == "k":
                skipped.add((left, right))
                continue
            if key == "z":
                try:
                    j = bench.undo()
                    out.print(f"Undid {escape(j.left)} {j.verdict.value} {escape(j.right)}")
                    done = max(done - 1, 0)
                    skipped.discard((j.left, j.right))
                    again = (j.left, j.right)
                except ThreadlineError as exc:
                    out.print(f"[red]{escape(str(exc))}[/]")
                    again = (left, right)  # nothing to undo: the same pair again
                continue
            try:
                j = bench.judge(left, right, _KEYS[key])
                out.print(f"Recorded {escape(j.left)} {j.verdict.value} {escape(j.right)}")
                done += 1
            except ThreadlineError as exc:
                out.print(f"[red]{escape(str(exc))}[/]")
                skipped.add((left, right))
        out.print(f"{done} judged.")


def judgements(
    ctx: typer.Context,
    entity_id: Annotated[str | None, typer.Argument(help="Only those about this entity.")] = None,
    include_undone: Annotated[
        bool, typer.Option("--all", help="Include undone judgements.")
    ] = False,
    cluster: Annotated[
        bool, typer.Option("--cluster", help="About any record merged with the entity.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List judgements, oldest first."""
    with workbench(ctx) as bench:
        found = bench.judgements(entity_id, include_undone=include_undone, cluster=cluster)
    if as_json:
        for j in found:
            print_json(_judgement_json(j))
        return
    table = Table(title=f"{len(found):,} judgements", title_justify="left")
    for column in ("id", "left", "verdict", "right", "actor", "score", "at", "undone"):
        table.add_column(column)
    for j in found:
        table.add_row(
            j.id,
            Text(j.left),
            j.verdict.value,
            Text(j.right),
            Text(j.actor),
            "" if j.score is None else f"{j.score:.3f}",
            j.created_at,
            j.deleted_at or "",
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the resolution verbs."""
    app.command("resolve")(resolve)
    app.command("judge")(judge)
    app.command("undo")(undo)
    app.command("explain")(explain)
    app.command("review")(review)
    app.command("judgements")(judgements)
