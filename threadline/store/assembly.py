"""Entities assembled on read from a store's statements, with source file names attached."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from threadline.model.entity import Entity
from threadline.store.base import Store


def source_names(store: Store) -> dict[str, str]:
    """File name of every ingested source, by sha256."""
    return {s.sha256: s.name for s in store.sources()}


def load_entities(store: Store, ids: Collection[str]) -> dict[str, Entity]:
    """The entities with these ids that exist, assembled from all their statements."""
    names = source_names(store)
    return {
        entity_id: Entity.assemble(entity_id, rows, names)
        for entity_id, rows in store.statements_for(ids).items()
    }


def iter_entities(
    store: Store, dataset: str | None = None, first: str | None = None, last: str | None = None
) -> Iterator[Entity]:
    """Every entity in id order; with `dataset`, only that dataset's statements; with
    `first`/`last`, only that id range."""
    names = source_names(store)
    for rows in store.iter_entities(dataset, first, last):
        yield Entity.assemble(rows[0].entity_id, rows, names)
