"""Wire model of a batch screening job (`POST /match-file?wait=false`)."""

from __future__ import annotations

from pydantic import Field

from threadline.api.schemas.jobs import JobOut
from threadline.app.jobs import Job


class ScreeningJobOut(JobOut):
    """A list being screened in the background: the job, and where its results are
    downloaded once it is done (`result` holds the counts, the header and the first
    rows)."""

    download: str | None = Field(description="the results file, when the job is done")

    @classmethod
    def of_job(cls, job: Job) -> ScreeningJobOut:
        base = JobOut.of(job).model_dump()
        done = job.status == "done"
        return cls(**base, download=f"/api/v1/match-file/jobs/{job.id}/result" if done else None)
