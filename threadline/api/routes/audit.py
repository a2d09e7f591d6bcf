"""The audit log: events, who accessed an entity, and verification (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import EventOut, VerifyOut

router = APIRouter(prefix="/audit", tags=["audit"], responses=responses())


@router.get("/log", response_model=list[EventOut])
def audit_log(
    bench: Bench,
    actor: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    entity_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=10_000)] = 100,
) -> list[EventOut]:
    """`Workbench.audit_log(actor=, entity_id=, limit=)`: oldest first, the last `limit`."""
    found = bench.audit_log(actor=actor, entity_id=entity_id, limit=limit)
    return [EventOut.of(e) for e in found]


@router.get("/who-accessed/{entity_id}", response_model=list[EventOut])
def audit_who_accessed(
    bench: Bench, entity_id: Annotated[str, Path(min_length=1, max_length=200)]
) -> list[EventOut]:
    """`Workbench.audit_who_accessed(entity_id)`: every consultation, combination or
    disclosure of the entity (or of the merged entity it belongs to)."""
    return [EventOut.of(e) for e in bench.audit_who_accessed(entity_id)]


@router.get("/verify", response_model=VerifyOut)
def audit_verify(bench: Bench) -> VerifyOut:
    """`Workbench.audit_verify()`: the whole log against its signed checkpoints."""
    return VerifyOut.of(bench.audit_verify())
