"""Batch screening as a job: `Workbench.match_file` of an uploaded list, with progress
per batch of rows, and its results kept as a file for the one who screened it.

The list waits in the job's upload folder (`uploads/JOB_ID`), deleted when the job
ends. The results are written beside it under `uploads/screened/` (left out of
backups, as every upload is): first to a partial file, renamed into place only when
the whole list is screened, so a job stopped half-way leaves no results to download.
A download is an audited disclosure (`match-file.download`) naming the job and the
list's hash; only the job's submitter is given the file (`JobStore.get` with the
actor tells anyone else the job does not exist).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from threadline.app.jobs.progress import JobProgress
from threadline.app.jobs.record import Job
from threadline.app.jobs.table import UPLOADS
from threadline.app.screening_list import OUT_FORMATS, check_maps
from threadline.app.verbs.matching import ALL_DATASETS, MatchOptions
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind
from threadline.errors import NotFoundError, ThreadlineError

KIND = "match-file"
RESULTS = "screened"
PREVIEW = 100  # result rows kept in the job's result for a page to show


class ResultNotReady(ThreadlineError):
    """The job has not (or not successfully) finished: there is no file yet."""


@dataclass(frozen=True)
class ScreeningRequest:
    """What to screen and how: the uploaded list's name and `match_file`'s options."""

    file: str
    schema: str
    maps: dict[str, str] = field(default_factory=dict)
    dataset: str = ALL_DATASETS
    limit: int = 5
    threshold: float | None = None
    cutoff: float = 0.0
    format: str = "csv"

    def check(self) -> ScreeningRequest:
        """Refuse, before the job is queued, what the job would refuse at once (the
        columns themselves are checked when the list is read)."""
        if self.format not in OUT_FORMATS:
            raise ValueError(f"format: use one of {', '.join(OUT_FORMATS)}")
        MatchOptions(
            dataset=self.dataset, limit=self.limit, threshold=self.threshold, cutoff=self.cutoff
        ).check()
        return ScreeningRequest(**{**asdict(self), "schema": check_maps(self.schema, self.maps)})

    def params(self) -> dict[str, Any]:
        return asdict(self)


def result_path(data_dir: Path, job_id: str, fmt: str) -> Path:
    """Where a screening job's results are kept."""
    return data_dir / UPLOADS / RESULTS / f"{job_id}.{fmt}"


def screen(bench: Workbench, job: Job, progress: JobProgress) -> Any:
    """`Workbench.match_file` of the job's list; the counts and the first rows as JSON."""
    wanted = ScreeningRequest(**job.params)
    target = result_path(bench.data_dir, job.id, wanted.format)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(f"{job.id}.partial.{wanted.format}")
    try:
        report = bench.match_file(
            bench.data_dir / UPLOADS / job.id / wanted.file,
            schema=wanted.schema,
            maps=wanted.maps,
            name=wanted.file,
            out=partial,
            progress=progress,
            dataset=wanted.dataset,
            limit=wanted.limit,
            threshold=wanted.threshold,
            cutoff=wanted.cutoff,
        )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return {
        "file": report.file,
        "sha256": report.sha256,
        "schema": report.schema,
        "format": wanted.format,
        "screened": report.screened,
        "with_candidates": report.with_candidates,
        "matched": report.matched,
        "invalid": report.invalid,
        "candidates": report.candidates,
        "rows": len(report.rows),
        "header": report.header,
        "preview": [list(r) for r in report.rows[:PREVIEW]],
    }


def download_name(job: Job) -> str:
    """The name a screening job's results are downloaded as: `LIST-screened.FORMAT`."""
    stem = str(job.params.get("file", "list")).rsplit(".", 1)[0] or "list"
    return f"{stem}-screened.{job.params.get('format', 'csv')}"


def result_file(bench: Workbench, job: Job) -> Path:
    """The results of a finished screening job (already read as its submitter, with
    `JobStore.get(job_id, actor)`), their download recorded in the audit log first."""
    if job.kind != KIND:
        raise NotFoundError(f"No screening job {job.id!r}")
    if job.actor != bench.context.actor:
        raise NotFoundError(f"No screening job {job.id!r}")  # others' jobs stay unknown
    if job.status != "done":
        why = job.error or "it has not finished"
        raise ResultNotReady(f"job {job.id}: no results to download ({job.status}: {why})")
    path = result_path(bench.data_dir, job.id, str(job.params.get("format", "csv")))
    if not path.is_file():
        raise ResultNotReady(f"job {job.id}: its results file is gone from the server")
    accountability = bench.accountability
    action = "match-file.download"
    scope = accountability.begin(bench.context.with_request(), ActionKind.DISCLOSURE, action)
    result = job.result or {}
    detail = f"file=sha256:{result.get('sha256', '')} rows={result.get('rows', 0)}"
    accountability.record(scope, ActionKind.DISCLOSURE, action, [f"job:{job.id}"], detail=detail)
    return path
