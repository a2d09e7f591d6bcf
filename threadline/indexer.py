"""The indexer: search documents built from the store's statements, in worker processes.

Building a document is Python work per entity (assembly, names, tokens); with a SQL
store each worker opens its own read connection, so only entity ids go out and
documents come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from threadline.parallel import batched, ordered_map
from threadline.search.document import IndexDocument, make_document
from threadline.settings import Settings
from threadline.store.assembly import load_entities
from threadline.store.base import Store
from threadline.store.registry import open_store

CHUNK = 2_000

_STATE: dict[str, Store] = {}


def _init(settings: Settings) -> None:
    _STATE["store"] = open_store(settings)


def _build_with(store: Store, ids: list[str]) -> list[IndexDocument]:
    entities = load_entities(store, ids)
    return [make_document(entities[i]) for i in ids if i in entities]


def _build(ids: list[str]) -> list[IndexDocument]:
    return _build_with(_STATE["store"], ids)


def documents(
    store: Store, settings: Settings, ids: Iterable[str], workers: int
) -> Iterator[list[IndexDocument]]:
    """Documents for the given ids, in chunks and in order; in worker processes if
    `workers` > 1 and the store can be opened again from the settings."""
    id_chunks = batched(ids, CHUNK)
    if workers <= 1 or settings.store == "memory":
        yield from map(partial(_build_with, store), id_chunks)
        return
    yield from ordered_map(_build, id_chunks, workers, _init, (settings,))
