"""The indexer: search documents built from the store's statements, in worker processes.

Building a document is Python work per entity (assembly, names, tokens); with a SQL
store each worker opens its own read connection, so only entity ids go out and
documents come back, serialised there by the index's encoder when it has one.

A merged entity is indexed whole and as a slice for each reader set the index covers
(`entity_documents`, `threadline.search.readers`): a search of a reader of part of the
datasets first has its reader set covered (`cover`). Slices of every subset made 80k
of the 107k documents after a resolve of 100k records, which no search of the local
admin reads. What else made that refresh slow was not the work per value (names,
folded terms and trigrams are cached across documents) but the cost around it: the
cyclic garbage collector walking every statement read so far, many times per chunk (a
third of the build; it is paused while a chunk is built), and id ranges scanned for
merged entities whose members lie elsewhere (looked up instead, below `DENSE_SHARE`).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from threadline.app.schema import SCHEMA
from threadline.errors import IndexBehind
from threadline.ingest.parallel import batched, ordered_map
from threadline.model.caption import EndCaptions
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.progress import Progress
from threadline.search.document import PAGE, IndexDocument, link_ends, make_document
from threadline.search.facets import PageOf, page_of
from threadline.search.index import EncodedChunk, Encoder, IndexBatch, SearchIndex
from threadline.search.readers import ReaderSets, slice_parts
from threadline.settings import Settings
from threadline.store.base import Store
from threadline.store.judgements import ClusterMap, JudgementStore
from threadline.store.registry import open_store

CHUNK = 2_000
# Above this share of the store's entities, indexing scans id ranges instead of lookups:
# a scan reads every entity of a chunk's range (on SQLite about 3 us a statement, a lookup
# 6.5 us), so it pays when at least about half of them are wanted. A resolve's merged
# entities (27% of the store at 100k) read 35% faster looked up than scanned.
DENSE_SHARE = 0.5
# From this share of the store's entities on, a refresh reads the canonical map whole,
# once, instead of looking the changed ids, their clusters and their referrers up in it
# (about 15 us an id in chunks of `IN (...)`, against 2 us a row of the map).
WHOLE_MAP_SHARE = 0.1
# A search brings a lagging index up to date itself for up to this many entities
# (tens of seconds); beyond, it says to run `threadline reindex`.
CATCH_UP_LIMIT = 250_000

_STATE: dict[str, Store] = {}
NONE: ReaderSets = frozenset()
log = logging.getLogger(__name__)


def _init(settings: Settings) -> None:
    _STATE["store"] = open_store(settings, SCHEMA)


@dataclass(frozen=True)
class Task:
    """One chunk of ids to build documents of (in a worker process, say).

    `ranged`: scan the ids' range rather than look each up (see `documents`).
    `readers`: the reader sets to slice merged entities for. `since`: build only the
    slices `readers` add to those of `since` (no whole documents), for a reader set
    just covered. `encoder`: serialise the documents where they are built.
    `clusters`: the ids are all canonical, and these are the members of those that
    head a merged cluster (as the caller knows them, so they are not looked up again
    per chunk); None: look both up.
    """

    ids: list[str]
    ranged: bool = False
    readers: ReaderSets = NONE
    since: ReaderSets | None = None
    encoder: Encoder | None = None
    clusters: Mapping[str, list[str]] | None = None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a chunk is built.

    A chunk allocates hundreds of thousands of small containers (statements, lists,
    documents) and keeps most of them until it is done, so the collector ran over and
    over and walked all of them each time: 30% of the build's CPU on 107k documents.
    Statements, entities and documents hold no reference cycles, so reference
    counting frees them as before; anything cyclic (a connection's bookkeeping) waits
    for the collector's next run, after the chunk.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_with(store: Store, task: Task) -> list[IndexDocument]:
    with _collector_paused():
        return _build_chunk(store, task)


def _build_chunk(store: Store, task: Task) -> list[IndexDocument]:
    ids, ranged = task.ids, task.ranged
    # Merged entities are indexed once, under their canonical id, with every member's
    # statements; members are not indexed on their own. A canonical record may have no
    # statements left (its dataset was erased): its members still make the entity.
    if task.clusters is None:
        canonical = store.judgements.canonical(ids)
        heads = [i for i in ids if canonical[i] == i]
        clusters = store.judgements.members_of(heads)
    else:
        heads, clusters = ids, dict(task.clusters)
    members = {m for head, group in clusters.items() for m in group if m != head}
    rows = _statements(store, ids, set(heads) | members, ranged)
    names = store.source_names()
    entities = []
    for head in heads:
        own = rows.get(head)
        group = clusters.get(head)
        if group is None:
            if own:
                entities.append(Entity.assemble(head, own, names))
            continue
        merged = [*(own or []), *(r for m in group if m != head for r in rows.get(m, []))]
        if merged:
            entities.append(Entity.assemble(head, merged, names if own else {}))
    if task.since is not None:
        # New slices only: of merged entities whose datasets give a new part.
        entities = [e for e in entities if _new_parts(e.datasets, task.readers, task.since)]
    within = _page_documents(store, entities, names)
    ends = link_ends(entities, partial(_end_rows, store))  # a link's hit names its ends
    readers, since = task.readers, task.since
    return [
        doc for e in entities for doc in entity_documents(e, within.get(e.id), ends, readers, since)
    ]


def _new_parts(
    datasets: list[str], readers: ReaderSets, since: ReaderSets | None
) -> list[list[str]]:
    """The slices `readers` give an entity of `datasets` beyond those `since` gave."""
    parts = slice_parts(datasets, readers)
    if since is None or not parts:
        return parts
    old = slice_parts(datasets, since)
    return [part for part in parts if part not in old]


def _page_documents(
    store: Store, entities: list[Entity], names: dict[str, str]
) -> dict[str, PageOf]:
    """The document each `Page` belongs to (caption, type, years), by page id, so a
    page's hit reads "report.pdf, page 3" and it has its document's facets (one extra
    read per chunk that holds pages)."""
    parents = {
        e.id: r.value
        for e in entities
        if e.schema.name == PAGE
        for r in e.statements
        if r.prop == "document"
    }
    if not parents:
        return {}
    found = store.statements_for(set(parents.values()))
    captions = {
        doc_id: page_of(Entity.assemble(doc_id, rows, names))
        for doc_id, rows in found.items()
        if rows
    }
    return {page: captions[doc] for page, doc in parents.items() if doc in captions}


def _end_rows(store: Store, ends: Collection[str]) -> dict[str, list[StatementRow]]:
    """The statements of the entities links point at, for their captions: a merged
    end's are all its members', so a link names the entity its end now belongs to.
    Assembled (in an entity's order), as are the ends among the chunk's own entities,
    so an end's caption is the same whichever chunk it is read in."""
    canonical = store.judgements.canonical(ends)
    clusters = store.judgements.members_of(set(canonical.values()))
    if not clusters:
        found = store.statements_for(ends)
        return {end: Entity.assemble(end, rows).statements for end, rows in found.items()}
    groups = {end: {canonical[end], *clusters.get(canonical[end], [end])} for end in ends}
    rows = store.statements_for(set().union(*groups.values()))
    found = {end: [r for m in group for r in rows.get(m, [])] for end, group in groups.items()}
    return {end: Entity.assemble(end, got).statements for end, got in found.items() if got}


def _statements(
    store: Store, ids: list[str], wanted: set[str], ranged: bool
) -> dict[str, list[StatementRow]]:
    """The statements of the `wanted` entities, each read once and assembled by the
    caller only once (a merged entity from its own and its members' statements)."""
    if not ranged:
        return store.statements_for(wanted)
    # The ids are most of their id range: one sequential scan of the range beats
    # looking each up (3x faster on SQLite); unwanted entities are skipped unassembled,
    # and members the range holds are kept from the scan rather than read again.
    found: dict[str, list[StatementRow]] = {}
    for group in store.iter_entities(first=ids[0], last=ids[-1]):
        if group[0].entity_id in wanted:
            found[group[0].entity_id] = group
    outside = [i for i in wanted if i not in found and not ids[0] <= i <= ids[-1]]
    if outside:
        found.update(store.statements_for(outside))
    return found


def entity_documents(
    entity: Entity,
    within: str | PageOf | None = None,
    ends: EndCaptions | None = None,
    readers: ReaderSets = NONE,
    since: ReaderSets | None = None,
) -> list[IndexDocument]:
    """The whole entity's document, and, for a merged entity from several datasets, a
    slice for each distinct part of them a reader set of `readers` reads: a reader
    of only some of its datasets finds the part from those, and nothing of the rest
    (see `SearchIndex` access filters). With `since`, only the slices `readers` add
    to those of `since`, and no whole document (for a reader set just covered).

    An entity has at most one slice per reader set (and per proper subset of its
    datasets), however many datasets it has.
    """
    documents = [] if since is not None else [make_document(entity, within=within, ends=ends)]
    datasets = entity.datasets
    for subset in _new_parts(datasets, readers, since):
        # The entity's statements are sorted: a filtered copy stays sorted.
        rows = [r for r in entity.statements if r.dataset in subset]
        part = Entity(entity.id, rows, entity.source_names)
        absent = [d for d in datasets if d not in subset]
        documents.append(make_document(part, absent, within, ends))
    return documents


def _build(task: Task) -> list[IndexDocument]:
    return _build_with(_STATE["store"], task)


def _encode_with(store: Store, task: Task) -> EncodedChunk:
    encoder = task.encoder
    if encoder is None:
        raise ValueError("a task to encode names its encoder")
    with _collector_paused():
        built = _build_chunk(store, task)
        return EncodedChunk([doc.id for doc in built], [encoder(doc) for doc in built])


def _encode(task: Task) -> EncodedChunk:
    return _encode_with(_STATE["store"], task)


def documents(
    store: Store,
    settings: Settings,
    ids: Iterable[str],
    workers: int,
    dense: bool,
    readers: ReaderSets = NONE,
    since: ReaderSets | None = None,
    clusters: Mapping[str, list[str]] | None = None,
) -> Iterator[list[IndexDocument]]:
    """Documents for the given ids (in order, in chunks); in worker processes if
    `workers` > 1 and the store can be opened again from the settings.

    `dense` says the ids are a large share of the store, so id ranges are scanned
    rather than ids looked up one by one. `readers` and `since` as in `Task`;
    `clusters`, when given, holds the members of every merged entity among the ids,
    which are then all canonical ids (see `Task`).
    """
    tasks = _tasks(ids, dense, readers, since, None, clusters)
    if workers <= 1 or settings.store == "memory":
        yield from map(partial(_build_with, store), tasks)
        return
    yield from ordered_map(_build, tasks, workers, _init, (settings,))


def _tasks(
    ids: Iterable[str],
    dense: bool,
    readers: ReaderSets,
    since: ReaderSets | None,
    encoder: Encoder | None,
    clusters: Mapping[str, list[str]] | None,
) -> Iterator[Task]:
    """The chunks of `ids` as tasks, each with the clusters of its own merged entities."""
    for chunk in batched(ids, CHUNK):
        within = None if clusters is None else {i: clusters[i] for i in chunk if i in clusters}
        yield Task(chunk, dense, readers, since, encoder, within)


def encoded(
    store: Store,
    settings: Settings,
    ids: Iterable[str],
    workers: int,
    dense: bool,
    encoder: Encoder,
    readers: ReaderSets = NONE,
    since: ReaderSets | None = None,
    clusters: Mapping[str, list[str]] | None = None,
) -> Iterator[EncodedChunk]:
    """`documents`, serialised by `encoder` where they are built (see `documents`)."""
    tasks = _tasks(ids, dense, readers, since, encoder, clusters)
    if workers <= 1 or settings.store == "memory":
        yield from map(partial(_encode_with, store), tasks)
        return
    yield from ordered_map(_encode, tasks, workers, _init, (settings,))


def write(
    store: Store,
    batch: IndexBatch,
    settings: Settings,
    ids: Iterable[str],
    total: int,
    label: str,
    progress: Progress,
    dense: bool,
    encoder: Encoder | None,
    readers: ReaderSets = NONE,
    since: ReaderSets | None = None,
    clusters: Mapping[str, list[str]] | None = None,
) -> int:
    """Build and add the documents of `ids`; with `since`, only new slices, added
    beside what the index holds for them; with `clusters`, the ids are canonical and
    their merged entities' members are not looked up again (see `Task`)."""
    progress.begin(label, total, "entities")
    # For few entities a pool costs more than it saves.
    workers = settings.workers if total >= settings.parallel_min_entities else 1
    beside = since is not None

    def chunks(encoder: Encoder) -> Iterator[EncodedChunk]:
        for chunk in encoded(
            store, settings, ids, workers, dense, encoder, readers, since, clusters
        ):
            yield chunk
            progress.advance(len(set(chunk.ids)))

    def flat() -> Iterator[IndexDocument]:
        # Progress counts entities, as `total` does: a merged entity makes several
        # documents (its slices), which once drove the count past the total.
        for chunk in documents(store, settings, ids, workers, dense, readers, since, clusters):
            yield from chunk
            progress.advance(len({doc.id for doc in chunk}))

    try:
        if encoder is not None:
            return batch.add_encoded(chunks(encoder), beside)
        return batch.add(flat(), beside)
    finally:
        progress.end()


def _changed(
    store: Store,
    batch: IndexBatch,
    settings: Settings,
    ids: set[str],
    progress: Progress,
    encoder: Encoder | None = None,
    readers: ReaderSets = NONE,
) -> int:
    """Re-index these entities from all their statements: merged ones under their
    canonical id, whose members' own documents go, as do the documents of ids that
    no longer make an entity (erased, or merged into another). The links pointing at
    them are re-indexed too: their captions name their ends.

    The clusters are read once, here, and handed to the documents' builders with the
    ids, which are all canonical ids."""
    stored = store.count_entities()
    whole = len(ids) >= stored * WHOLE_MAP_SHARE
    judged: JudgementStore | ClusterMap = (
        ClusterMap.read(store.judgements) if whole else store.judgements
    )
    heads = set(judged.canonical(ids).values())
    clusters = judged.members_of(heads)
    # When the changed ids are as many as the store holds (a first ingest), every
    # entity is re-indexed anyway: looking up referrers (~6 us an id) would find none
    # outside them. The ids changed are stored ids (erasure rebuilds instead).
    referring = _referring(store, judged, heads, clusters) if len(ids) < stored else set()
    if referring - heads:
        clusters.update(judged.members_of(referring - heads))
    ordered = sorted(heads | referring)
    batch.delete(sorted(ids | set(ordered)))
    dense = stored > 0 and len(ordered) / stored >= DENSE_SHARE
    total = len(ordered)
    return write(
        store,
        batch,
        settings,
        ordered,
        total,
        "indexing",
        progress,
        dense,
        encoder,
        readers,
        clusters=clusters,
    )


def _referring(
    store: Store,
    judged: JudgementStore | ClusterMap,
    heads: set[str],
    clusters: dict[str, list[str]],
) -> set[str]:
    """The canonical ids of the entities that point at these `heads` or at a member of
    their merged entities (`clusters`): their captions (a Payment's "Sokolov →
    Bürgerbund") may change. Every changed id is a head or in its head's cluster (an
    unmerged one is its own head), so the heads' clusters hold them all: 27k lookups
    instead of 77k after a first resolve of 100k records."""
    ends = heads.union(*clusters.values()) if clusters else heads
    found = store.referrers(ends)
    return set(judged.canonical(found).values()) if found else set()


def _everything(
    store: Store,
    batch: IndexBatch,
    settings: Settings,
    progress: Progress,
    encoder: Encoder | None = None,
    readers: ReaderSets = NONE,
) -> int:
    """Every entity in the store, in place of whatever the index held (added only:
    after the clear, no id needs its old documents deleted)."""
    batch.clear()
    total = store.count_entities()
    ids = store.iter_ids()
    label = "reindexing"
    count = write(store, batch, settings, ids, total, label, progress, True, encoder, readers)
    # Merged entities whose canonical record has no statements (an erased dataset held
    # it) are not among the stored ids; their members are, and make them.
    heads = set(store.judgements.canonical_map().values())
    orphans = sorted(heads - set(store.statements_for(heads))) if heads else []
    if orphans:
        total = len(orphans)
        count += write(
            store, batch, settings, orphans, total, label, progress, False, encoder, readers
        )
    return count


def pending(store: Store, index: SearchIndex) -> set[str] | None:
    """What the index lacks: the ids changed since the generation it reflects (empty
    when it is current), or None when only a rebuild can tell (it reflects no known
    generation of this store, or an erasure came since)."""
    current = store.generation()
    known = index.generation()
    if known is None:
        # A new, empty index of a store that never changed is current.
        return set() if current.number == 0 and index.count() == 0 else None
    store_id, number = known
    if store_id != current.store_id or number > current.number:
        return None
    if number == current.number:
        return set()
    return store.changes_since(number)


def catch_up(
    store: Store,
    index: SearchIndex,
    settings: Settings,
    progress: Progress,
    also: Iterable[str] = (),
    limit: int | None = None,
    prune: bool = True,
    wait: bool = True,
) -> int:
    """Bring the index up to the store's generation (and re-index `also`); returns the
    number of entities indexed.

    Incremental from the change log when it can tell, a rebuild otherwise. With a
    `limit`, more entities than that are not indexed here: `IndexBehind` says so and
    how to fix it. The generation is read under the index's write lock and before
    the documents are built, so the index never claims a change it has not seen;
    so are the reader sets merged entities are sliced for, so none is left out of a
    document built after another process covered it.
    `prune` forgets the changes caught up with, a store write: a search does not,
    as it would wait for an ingest's open transaction (the next writer prunes).
    Without `wait`, another process writing the index raises `IndexBusyError` at once.
    """
    extra = set(also)
    if not extra and pending(store, index) == set():
        # Current (a re-run that skipped every file): no index commit to make, but the
        # changes the index already reflects may still be forgotten.
        known = index.generation()
        if prune and known is not None:
            store.forget_changes(known[1])
        return 0
    with index.writing(wait) as batch:
        current = store.generation()
        wanted = pending(store, index)
        readers = index.readers()
        encoder = index.encoder()
        if wanted is None:
            total = store.count_entities()
            if limit is not None and total > limit:
                raise IndexBehind(_behind(f"it must be rebuilt for {total:,} entities"))
            count = _everything(store, batch, settings, progress, encoder, readers or NONE)
            batch.readers = readers or NONE  # rebuilt: no slice older than that is left
        else:
            wanted |= extra
            if limit is not None and len(wanted) > limit:
                raise IndexBehind(_behind(f"{len(wanted):,} entities changed since it was built"))
            count = (
                _changed(store, batch, settings, wanted, progress, encoder, readers or NONE)
                if wanted
                else 0
            )
        batch.generation = (current.store_id, current.number)
    if prune:
        store.forget_changes(current.number)
    return count


def _behind(why: str) -> str:
    return (
        f"the search index is behind the store ({why}), too many to catch up during a "
        "search; run `threadline reindex`"
    )


def update(
    store: Store, index: SearchIndex, settings: Settings, ids: Iterable[str], progress: Progress
) -> int:
    """Re-index these entities (after an ingest or a change of judgements), together
    with whatever else changed since the index last caught up."""
    return catch_up(store, index, settings, progress, also=ids)


def rebuild(store: Store, index: SearchIndex, settings: Settings, progress: Progress) -> int:
    """Rebuild the index from every entity in the store, in one commit: searches see
    the old index until the new one is complete, and a crash leaves the old one.

    It covers no reader set: those of searches since are covered again as they come
    (`cover`), which prunes the sets nobody searches with any more (and is the way
    out when an index covers `MAX_READER_SETS`)."""
    with index.writing() as batch:
        current = store.generation()
        count = _everything(store, batch, settings, progress, index.encoder())
        batch.generation = (current.store_id, current.number)
        batch.readers = NONE
    store.forget_changes(current.number)
    return count
