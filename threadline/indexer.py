"""The indexer: search documents built from the store's statements, in worker processes.

Building a document is Python work per entity (assembly, names, tokens); with a SQL
store each worker opens its own read connection, so only entity ids go out and
documents come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from itertools import combinations

from threadline.model.entity import Entity
from threadline.parallel import batched, ordered_map
from threadline.progress import Progress
from threadline.search.document import IndexDocument, make_document
from threadline.search.index import SearchIndex
from threadline.settings import Settings
from threadline.store.assembly import iter_entities, load_entities
from threadline.store.base import Store
from threadline.store.registry import open_store

CHUNK = 2_000
MAX_SLICED = 4
# Above this share of the store's entities, indexing scans id ranges instead of lookups.
DENSE_SHARE = 0.25

_STATE: dict[str, Store] = {}


def _init(settings: Settings) -> None:
    _STATE["store"] = open_store(settings)


Task = tuple[list[str], bool]


def _build_with(store: Store, task: Task) -> list[IndexDocument]:
    ids, ranged = task
    canonical = store.judgements.canonical(ids)
    heads = [i for i in ids if canonical[i] == i]
    if ranged:
        # The ids are most of their id range: one sequential scan of the range beats
        # looking each up (3x faster on SQLite), and unwanted ids are skipped.
        wanted = set(heads)
        found = [e for e in iter_entities(store, first=ids[0], last=ids[-1]) if e.id in wanted]
    else:
        loaded = load_entities(store, heads)
        found = [loaded[i] for i in heads if i in loaded]
    # Merged entities are indexed once, under their canonical id, with every member's
    # statements; members are not indexed on their own. A canonical record may have no
    # statements left (its dataset was erased): its members still make the entity.
    clusters = store.judgements.members_of(heads)
    if not clusters:
        return [doc for e in found for doc in entity_documents(e)]
    own = {e.id: e for e in found}
    extra = store.statements_for(
        {m for head, members in clusters.items() for m in members if m != head}
    )
    entities = []
    for head in heads:
        entity = own.get(head)
        if head in clusters:
            rows = [
                *(entity.statements if entity else []),
                *(r for m in clusters[head] if m != head for r in extra.get(m, [])),
            ]
            names = entity.source_names if entity else {}
            entity = Entity.assemble(head, rows, names) if rows else None
        if entity is not None:
            entities.append(entity)
    return [doc for e in entities for doc in entity_documents(e)]


def entity_documents(entity: Entity) -> list[IndexDocument]:
    """The whole entity's document, and, for a merged entity from several datasets, a
    slice per proper subset of them: a reader of only some of its datasets finds the
    part from those, and nothing of the rest (see `SearchIndex` access filters).

    Beyond `MAX_SLICED` datasets only the whole is indexed, so the entity stays
    unseen by readers of part of it rather than costing 2^n documents.
    """
    datasets = entity.datasets
    documents = [make_document(entity)]
    if 1 < len(datasets) <= MAX_SLICED:
        for size in range(1, len(datasets)):
            for subset in combinations(datasets, size):
                rows = [r for r in entity.statements if r.dataset in subset]
                part = Entity.assemble(entity.id, rows, entity.source_names)
                absent = [d for d in datasets if d not in subset]
                documents.append(make_document(part, absent))
    return documents


def _build(task: Task) -> list[IndexDocument]:
    return _build_with(_STATE["store"], task)


def documents(
    store: Store, settings: Settings, ids: Iterable[str], workers: int, dense: bool
) -> Iterator[list[IndexDocument]]:
    """Documents for the given ids (in order, in chunks); in worker processes if
    `workers` > 1 and the store can be opened again from the settings.

    `dense` says the ids are a large share of the store, so id ranges are scanned
    rather than ids looked up one by one.
    """
    tasks = ((chunk, dense) for chunk in batched(ids, CHUNK))
    if workers <= 1 or settings.store == "memory":
        yield from map(partial(_build_with, store), tasks)
        return
    yield from ordered_map(_build, tasks, workers, _init, (settings,))


def _write(
    store: Store,
    index: SearchIndex,
    settings: Settings,
    ids: Iterable[str],
    total: int,
    label: str,
    progress: Progress,
    dense: bool,
) -> int:
    progress.begin(label, total, "entities")
    # For few entities a pool costs more than it saves.
    workers = settings.workers if total >= settings.parallel_min_entities else 1

    def flat() -> Iterator[IndexDocument]:
        for chunk in documents(store, settings, ids, workers, dense):
            yield from chunk
            progress.advance(len(chunk))

    try:
        return index.upsert(flat())
    finally:
        progress.end()


def update(
    store: Store, index: SearchIndex, settings: Settings, ids: Iterable[str], progress: Progress
) -> int:
    """Re-index these entities from all their statements (after an ingest or a change of
    judgements): merged ones under their canonical id, whose members' own documents go."""
    wanted = set(ids)
    canonical = store.judgements.canonical(wanted)
    members = [i for i in wanted if canonical[i] != i]
    if members:
        index.delete(members)
    ordered = sorted(set(canonical.values()))
    stored = store.count_entities()
    dense = stored > 0 and len(ordered) / stored >= DENSE_SHARE
    return _write(store, index, settings, ordered, len(ordered), "indexing", progress, dense)


def rebuild(store: Store, index: SearchIndex, settings: Settings, progress: Progress) -> int:
    """Drop the index and build it again from every entity in the store."""
    index.clear()
    total = store.count_entities()
    count = _write(store, index, settings, store.iter_ids(), total, "reindexing", progress, True)
    # Merged entities whose canonical record has no statements (an erased dataset held
    # it) are not among the stored ids; their members are, and make them.
    heads = set(store.judgements.canonical_map().values())
    orphans = sorted(heads - set(store.statements_for(heads))) if heads else []
    if orphans:
        count += _write(
            store, index, settings, orphans, len(orphans), "reindexing", progress, False
        )
    return count
