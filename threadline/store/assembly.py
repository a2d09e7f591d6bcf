"""Entities assembled on read from a store's statements, with source file names attached."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from threadline.model.entity import Entity
from threadline.store.base import Store


def load_entities(store: Store, ids: Collection[str]) -> dict[str, Entity]:
    """The entities with these ids that exist, assembled from all their statements.
    Each is given the names of the files that any of them came from (enough for an
    entity merged from them, whose statements are theirs)."""
    found = store.statements_for(ids)
    names = store.source_names({row.source for rows in found.values() for row in rows})
    return {entity_id: Entity.assemble(entity_id, rows, names) for entity_id, rows in found.items()}


def iter_entities(
    store: Store, dataset: str | None = None, first: str | None = None, last: str | None = None
) -> Iterator[Entity]:
    """Every entity in id order; with `dataset`, only that dataset's statements; with
    `first`/`last`, only that id range."""
    names = store.source_names()
    for rows in store.iter_entities(dataset, first, last):
        yield Entity.assemble(rows[0].entity_id, rows, names)
