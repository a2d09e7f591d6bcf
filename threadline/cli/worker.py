"""`threadline worker` runs queued jobs; `threadline jobs` lists them, and `jobs show`
and `jobs cancel` (also spelt `job show`, `job cancel`) watch and stop one.

A worker runs each job as the user who submitted it, at a lower CPU priority than
the API processes (`--nice`, 10 by default: on a machine they share, a graph build or
an ingest takes the cores only when no request wants them), until SIGTERM or Ctrl-C: its
running job then goes back to the queue (the current file rolled back) for the next
worker. Several workers, on one machine or several sharing the data directory and a
PostgreSQL store, share the queue. The job commands act for the caller: with a
token, that user's jobs; as the local admin (no token), every job. A cancel is
audited (`job.cancel`), and an admin's token may cancel anyone's job.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from threadline.app.jobs import Job, JobStore, jobs_url
from threadline.app.jobs.cancelling import cancel_job
from threadline.app.jobs.kinds import KINDS
from threadline.app.jobs.overseeing import list_jobs, show_job
from threadline.app.jobs.worker import LEASE_SECONDS, NICE, POLL_SECONDS, Worker
from threadline.cli.console import err, out, print_json
from threadline.cli.context import settings_of, workbench

# Tests of crashes only: while this file exists, a job waits after its first step.
PAUSE_FILE_VARIABLE = "THREADLINE_JOB_PAUSE_FILE"
job_app = typer.Typer(help="Show or cancel a queued or running job.", no_args_is_help=True)
jobs_app = typer.Typer(
    help="List jobs, newest first; `jobs show ID` and `jobs cancel ID` act on one.",
    invoke_without_command=True,
)


def worker(
    ctx: typer.Context,
    lease: Annotated[
        float,
        typer.Option("--lease", min=0.5, help="Seconds a job stays ours without a heartbeat."),
    ] = LEASE_SECONDS,
    poll: Annotated[
        float, typer.Option("--poll", min=0.05, help="Seconds between looks at an empty queue.")
    ] = POLL_SECONDS,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help=f"Run only jobs of this kind ({', '.join(sorted(KINDS))})."),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty.")] = False,
    nice: Annotated[
        int,
        typer.Option(
            "--nice",
            min=0,
            max=19,
            help="Lower the worker's CPU priority by this much (0 keeps it), so that on "
            "a machine shared with `serve` requests are answered first.",
        ),
    ] = NICE,
) -> None:
    """Run queued jobs (ingest, resolve, reindex; the graph and cover upkeep) until stopped
    (SIGTERM or Ctrl-C)."""
    unknown = sorted(set(kind or []) - set(KINDS))
    if unknown:
        raise typer.BadParameter(f"unknown job kinds {unknown}", param_hint="--kind")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    paused = os.environ.get(PAUSE_FILE_VARIABLE)
    if nice:
        os.nice(nice)  # before any pool starts: its processes inherit it
    with workbench(ctx) as bench:
        store = bench.job_queue  # closed with the workbench
        runner = Worker(
            bench,
            store,
            lease=lease,
            poll=poll,
            kinds=kind,
            pause_file=Path(paused) if paused else None,
        )

        def stop(signum: int, _frame: FrameType | None) -> None:
            err.print(f"{signal.Signals(signum).name}: stopping", markup=False)
            runner.stop()

        previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        err.print(f"threadline worker {runner.name}: waiting for jobs", markup=False)
        try:
            ran = runner.run(once=once)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
    err.print(f"threadline worker {runner.name}: stopped after {ran} jobs", markup=False)


def _line(job: Job) -> str:
    stage = job.stage
    where = ""
    if stage is not None and not job.finished:
        total = f"/{stage.total}" if stage.total is not None else ""
        where = f"  {stage.label}: {stage.done}{total} {stage.unit}"
    return f"{job.id}  {job.kind:<8} {job.status:<9} {job.actor:<16} {job.created_at}{where}"


def _json(job: Job) -> dict[str, object]:
    stage = job.stage
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "actor": job.actor,
        "stage": None
        if stage is None
        else {"label": stage.label, "done": stage.done, "total": stage.total, "unit": stage.unit},
        "cancel": job.cancel,
        "attempts": job.attempts,
        "result": job.result,
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _show(job: Job, as_json: bool) -> None:
    if as_json:
        print_json(_json(job))
        return
    out.print(_line(job), markup=False)
    if job.error:
        out.print(f"  error: {job.error}", markup=False)


JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


@jobs_app.callback()
def jobs(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="Only jobs of this kind.")] = None,
    everyone: Annotated[
        bool, typer.Option("--everyone", help="Every user's jobs (admins only; on record).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List jobs, newest first: yours, or with --everyone (an admin) all users'."""
    if ctx.invoked_subcommand is not None:
        return
    queue = JobStore(jobs_url(settings_of(ctx)))
    try:
        with workbench(ctx) as bench:
            found = list_jobs(bench.accountability, bench.context, queue, kind, everyone)
        for job in found:
            _show(job, as_json)
    finally:
        queue.close()


@jobs_app.command("show")
@job_app.command("show")
def job_show(ctx: typer.Context, job_id: str, as_json: JsonOption = False) -> None:
    """Show one job: its state, stage, result or error (an admin: anyone's, on record)."""
    queue = JobStore(jobs_url(settings_of(ctx)))
    try:
        with workbench(ctx) as bench:
            job = show_job(bench.accountability, bench.context, queue, job_id)
        _show(job, as_json)
    finally:
        queue.close()


@jobs_app.command("cancel")
@job_app.command("cancel")
def job_cancel(ctx: typer.Context, job_id: str, as_json: JsonOption = False) -> None:
    """Cancel a job (an admin: anyone's): a queued one now, a running one at its next step."""
    queue = JobStore(jobs_url(settings_of(ctx)))
    try:
        with workbench(ctx) as bench:
            job = cancel_job(bench.accountability, bench.context, queue, job_id)
        _show(job, as_json)
    finally:
        queue.close()


def register(app: typer.Typer) -> None:
    """Add the worker and job verbs."""
    app.command("worker")(worker)
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(job_app, name="job")
