"""What each kind of job does: a workbench call, its parameters from the job, and its
result as plain JSON for the job table.

An ingest job reads the files uploaded for it from its own folder in the data
directory (`uploads/JOB_ID`), which stays until the job ends, so a job resumed by
another worker reads the same files. `Workbench.ingest` is idempotent per file, and
each file is one transaction: a job killed half-way and run again stores every
statement once. A screening job (`match-file`) is in `threadline.app.jobs.screening`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from threadline.app import covering
from threadline.app.jobs import cover as cover_jobs
from threadline.app.jobs import graph as graph_jobs
from threadline.app.jobs import screening
from threadline.app.jobs.progress import JobProgress
from threadline.app.jobs.record import Job
from threadline.app.jobs.table import UPLOADS
from threadline.app.verbs.graph import refresh_view
from threadline.app.workbench import Workbench
from threadline.errors import InputError
from threadline.ingest import FileReport

Run = Callable[[Workbench, Job, JobProgress], Any]


def upload_folder(data_dir: Path, job_id: str) -> Path:
    """Where the files of an ingest job are kept until it ends."""
    return data_dir / UPLOADS / job_id


def row_error(error: InputError) -> dict[str, Any]:
    """An input error as JSON: the file's name (not the server's path), line, message."""
    return {"file": Path(error.path).name, "line": error.line, "message": error.message}


def report_json(report: FileReport) -> dict[str, Any]:
    """A file's ingest report as JSON."""
    return {
        "file": Path(report.path).name,
        "dataset": report.dataset,
        "kind": report.kind,
        "records": report.records,
        "entities": report.entities,
        "statements": report.statements,
        "seconds": report.seconds,
        "errors": [row_error(e) for e in report.errors],
        "discarded": [row_error(e) for e in report.notices],
        "failed": [row_error(e) for e in report.failed],
        "skipped": report.skipped,
    }


def ingest(bench: Workbench, job: Job, progress: JobProgress) -> Any:
    """`Workbench.ingest` of the job's uploaded files, with its options."""
    p = job.params
    folder = upload_folder(bench.data_dir, job.id)
    reports = bench.ingest(
        [folder / name for name in p["ingest"]],
        p.get("dataset"),
        schema=p.get("schema"),
        maps=p.get("maps") or {},
        keys=p.get("keys") or [],
        skip_errors=bool(p.get("skip_errors")),
        confine_to=folder,
        country=p.get("country"),
        ocr_lang=p.get("ocr_lang"),
        progress=progress,
    )
    return [report_json(r) for r in reports]


def reindex(bench: Workbench, job: Job, progress: JobProgress) -> Any:
    """`Workbench.reindex`."""
    return {"entities": bench.reindex(progress=progress)}


def resolve(bench: Workbench, job: Job, progress: JobProgress) -> Any:
    """`Workbench.resolve` with the job's options."""
    p = job.params
    report = bench.resolve(
        p.get("datasets"),
        full=bool(p.get("full")),
        train=bool(p.get("train")),
        link_only=bool(p.get("link_only")),
        engine=p.get("engine"),
        progress=progress,
    )
    # orjson writes the report dataclass; sets become sorted lists.
    return orjson.loads(orjson.dumps(report, default=_sets))


def _sets(value: object) -> list[Any]:
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(type(value).__name__)


def graph(bench: Workbench, job: Job, progress: JobProgress) -> Any:
    """Rebuild the link graph's view if it is stale (`threadline.app.jobs.graph`)."""
    stats = refresh_view(bench, progress)
    if stats is None:
        return {"built": False}
    return {"built": True, "nodes": stats.nodes, "edges": stats.edges, "seconds": stats.seconds}


def cover(bench: Workbench, job: Job, progress: JobProgress) -> Any:
    """Cover the reader sets of every enabled user ahead of their searches
    (`threadline.app.jobs.cover`)."""
    readers = covering.wanted(bench.accountability)
    done = covering.cover_all(bench.store, bench.index, bench.settings, progress, readers)
    return {
        "reader_sets": done.wanted,
        "covered": done.covered,
        "skipped": done.skipped,
        "entities": done.entities,
    }


KINDS: dict[str, Run] = {
    cover_jobs.KIND: cover,
    graph_jobs.KIND: graph,
    "ingest": ingest,
    "reindex": reindex,
    "resolve": resolve,
    screening.KIND: screening.screen,
}
