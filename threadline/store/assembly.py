"""Entities assembled on read from a store's statements, with source file names attached;
and the other reads of the ingested files a request makes, kept to the rows it needs."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sqlalchemy import select

from threadline.model.entity import Entity
from threadline.store.base import Store
from threadline.store.sql import SQLStore
from threadline.store.tables import sources

# Digests per statement: SQLite binds at most 32,766 values in one statement.
_CHUNK = 500


def source_names(store: Store, sha256s: Collection[str] | None = None) -> dict[str, str]:
    """File name of every ingested source, by sha256; with `sha256s`, of those only.

    A file ingested into two datasets under two names is named as `sources()` orders
    it last (by dataset, then name), with or without `sha256s`.
    """
    if sha256s is None:
        return {s.sha256: s.name for s in store.sources()}
    wanted = sorted(set(sha256s))
    if not wanted:
        return {}
    if not isinstance(store, SQLStore):
        found = set(wanted)
        return {s.sha256: s.name for s in store.sources() if s.sha256 in found}
    # An entity read names a few files: read their rows, not every file's (a store
    # holds thousands, and one entity view loads entities several times).
    names: dict[str, str] = {}
    c = sources.c
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = select(c.sha256, c.name).where(c.sha256.in_(chunk))
            for sha256, name in conn.execute(query.order_by(c.dataset, c.name)):
                names[sha256] = name
    return names


def source_datasets(store: Store) -> set[str]:
    """The datasets that hold an ingested file: `{s.dataset for s in store.sources()}`,
    read as the few distinct names rather than every file (a search asks, each time)."""
    if not isinstance(store, SQLStore):
        return {s.dataset for s in store.sources()}
    with store.engine.connect() as conn:
        return set(conn.execute(select(sources.c.dataset).distinct()).scalars())


def load_entities(store: Store, ids: Collection[str]) -> dict[str, Entity]:
    """The entities with these ids that exist, assembled from all their statements.
    Each is given the names of the files that any of them came from (enough for an
    entity merged from them, whose statements are theirs)."""
    found = store.statements_for(ids)
    names = source_names(store, {row.source for rows in found.values() for row in rows})
    return {entity_id: Entity.assemble(entity_id, rows, names) for entity_id, rows in found.items()}


def iter_entities(
    store: Store, dataset: str | None = None, first: str | None = None, last: str | None = None
) -> Iterator[Entity]:
    """Every entity in id order; with `dataset`, only that dataset's statements; with
    `first`/`last`, only that id range."""
    names = source_names(store)
    for rows in store.iter_entities(dataset, first, last):
        yield Entity.assemble(rows[0].entity_id, rows, names)
