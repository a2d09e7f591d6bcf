"""The store database's schema over HTTP: `GET /db/current`, `POST /db/upgrade`,
`GET /db/history` and `POST /recount`, the `threadline db ...` and `threadline
recount` verbs for an operator who runs only the server (admins only, audited)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import BaseModel

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.app.verbs.schema import SchemaStatus
from threadline.store.base import DatasetStats

router = APIRouter(tags=["admin"], responses=responses())


class SchemaStatusOut(BaseModel):
    """Where the store database's schema stands. `upgraded_from`: the revision before
    this server upgraded it (null: not upgraded; empty: created)."""

    database: str
    current: str | None
    head: str
    upgraded_from: str | None = None

    @classmethod
    def of(cls, status: SchemaStatus) -> SchemaStatusOut:
        return cls(**asdict(status))


class RevisionOut(BaseModel):
    """One schema revision: its id, the one it follows, what it does."""

    revision: str
    down_revision: str | None
    doc: str


class CountsOut(BaseModel):
    """A dataset's counts."""

    entities: int
    statements: int
    sources: int

    @classmethod
    def of(cls, stats: DatasetStats | None) -> CountsOut | None:
        if stats is None:
            return None
        return cls(entities=stats.entities, statements=stats.statements, sources=stats.sources)


class DriftOut(BaseModel):
    """A dataset whose kept counts differed from what a scan found (null: none)."""

    dataset: str
    kept: CountsOut | None
    counted: CountsOut | None


@router.get("/db/current", response_model=SchemaStatusOut)
def db_current(bench: Bench) -> SchemaStatusOut:
    """`Workbench.db_current()`: the database's schema revision and the newest one."""
    return SchemaStatusOut.of(bench.db_current())


@router.post("/db/upgrade", response_model=SchemaStatusOut)
def db_upgrade(bench: Bench) -> SchemaStatusOut:
    """`Workbench.db_upgrade()`: bring the database to the newest schema revision."""
    return SchemaStatusOut.of(bench.db_upgrade())


@router.get("/db/history", response_model=list[RevisionOut])
def db_history(bench: Bench) -> list[RevisionOut]:
    """`Workbench.db_history()`: every schema revision, oldest first."""
    return [RevisionOut(**asdict(r)) for r in bench.db_history()]


@router.post("/recount", response_model=list[DriftOut])
def recount(bench: Bench) -> list[DriftOut]:
    """`Workbench.recount()`: count every dataset again; the datasets that had drifted."""
    return [
        DriftOut(dataset=d.dataset, kept=CountsOut.of(d.kept), counted=CountsOut.of(d.counted))
        for d in bench.recount()
    ]
