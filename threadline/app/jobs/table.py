"""The job table, and which database it lives in.

On PostgreSQL the jobs are a table of the store's own database, which every API
process and worker already shares. On SQLite they get a database file of their own
(`uploads/jobs.sqlite3` in the data directory): an ingest holds the store's one
write transaction for as long as a file takes, and the job's progress must be
written meanwhile. The file sits with the uploaded files the jobs read, both left
out of backups (see `threadline.backup.layout`).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import make_url

from threadline.settings import Settings

UPLOADS = "uploads"
JOBS_FILE = "jobs.sqlite3"

metadata = MetaData()
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("actor", String(64), nullable=False, index=True),
    # The submitter's context (case, purpose, justification, request id), never a token.
    Column("context", Text, nullable=False),
    Column("params", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("cancel", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("worker", String(128), nullable=True),
    Column("lease_until", Float, nullable=True),  # seconds since the epoch
    Column("stage_label", String(200), nullable=True),
    Column("stage_done", Integer, nullable=True),
    Column("stage_total", Integer, nullable=True),
    Column("stage_unit", String(32), nullable=True),
    Column("result", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("failure", Text, nullable=True),  # the row that stopped an ingest, as JSON
    Column("created_at", String(32), nullable=False, index=True),
    Column("started_at", String(32), nullable=True),
    Column("finished_at", String(32), nullable=True),
)


def jobs_url(settings: Settings) -> str:
    """The database of the job table for these settings."""
    if settings.store == "memory":
        return "sqlite://"  # one process, nothing lasts: a database in memory
    store_url = settings.resolved_store_url()
    if make_url(store_url).get_backend_name() != "sqlite":
        return store_url
    folder = settings.resolved_data_dir() / UPLOADS
    folder.mkdir(mode=0o700, exist_ok=True)
    return f"sqlite:///{folder / JOBS_FILE}"
