"""Mentions: the documents an entity is named in ("mentioned in"), with snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas.mentions import MentionOut
from threadline.app.verbs.mentions import MAX_LIMIT

router = APIRouter(tags=["read"], responses=responses())

EntityId = Annotated[str, Path(min_length=1, max_length=200, description="Any member id works.")]


@router.get("/entities/{entity_id}/mentions", response_model=list[MentionOut])
def mentions(
    bench: Bench,
    entity_id: EntityId,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> list[MentionOut]:
    """`Workbench.mentions(entity_id, limit=)`: each place a document the caller may
    read names the entity (by a name, alias or identifier), best first, with the page,
    character offsets and a plain-text snippet; audited as a consultation."""
    return [MentionOut.of(v) for v in bench.mentions(entity_id, limit=limit)]
