"""Covering a reader set: the slices a reader of part of the datasets searches.

A merged entity is indexed whole, and as one slice for each part of its datasets that a
reader set the index covers can read (`threadline.search.readers`). A reader set is
covered before its first search answers (`Workbench._catch_up`); until then the access
filter admits none of its slices, so an uncovered reader fails closed.

Covering a new set re-reads the merged entities it partly reads (12-18 s at 100k
entities), so a `cover` job (`threadline.app.jobs.cover`) covers the sets of every
user ahead of time (`wanted`, `cover_all`) when grants change or new data arrives;
the search's own covering is the fallback, and either way covering adds slices only a
reader of exactly that set can see.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from threadline.access import AccessDenied
from threadline.app.accountability import Accountability
from threadline.app.indexer import DENSE_SHARE, NONE, write
from threadline.cases.scope import case_scope
from threadline.progress import Progress
from threadline.search.index import SearchIndex
from threadline.search.readers import MAX_READER_SETS, ReaderSet, reader_set
from threadline.settings import Settings
from threadline.store.base import Store

log = logging.getLogger(__name__)
# Reader sets covered ahead of any search at most: the rest of `MAX_READER_SETS` is
# left to the sets readers actually search with (`cover` on their first search).
AHEAD_MAX = MAX_READER_SETS * 3 // 4


@dataclass(frozen=True)
class Covered:
    """What `cover_all` did: reader sets wanted, newly covered, and left uncovered
    (the cap), and the entities given a new slice."""

    wanted: int
    covered: int
    skipped: int
    entities: int


def cover(
    store: Store,
    index: SearchIndex,
    settings: Settings,
    progress: Progress,
    reader: ReaderSet,
    wait: bool = True,
) -> int:
    """Cover a reader set (see `threadline.search.readers`): give every entity of
    several datasets the slice of them `reader` reads, then record it. Returns the
    number of entities given a new slice.

    Only the entities that hold a dataset of `reader` and one outside it are read (the
    index's whole documents tell which); one whose part another covered set already
    gave is left as it is, and new slices are added beside what the index holds. An
    index that never recorded its reader sets (built with a slice per subset) has the
    documents of those entities and of every entity it holds slices of replaced
    instead, so no part is indexed twice. Beyond `MAX_READER_SETS` nothing is added:
    the reader's searches fail closed (entities they partly read are missing) and the
    log says so, until `rebuild` (`threadline reindex`) forgets them all. Without
    `wait`, another process writing the index raises `IndexBusyError`.
    """
    if _full(index, reader):
        return 0
    with index.writing(wait) as batch:
        known = index.readers()  # again, under the lock: another process may have added it
        if _full(index, reader):
            return 0
        outside = {d.name for d in store.datasets()} - reader
        ids = index.spanning(reader, outside)
        if known is None:
            ids = sorted({*ids, *index.sliced()})
        now = (known or NONE) | {reader}
        stored = store.count_entities()
        dense = stored > 0 and len(ids) / stored >= DENSE_SHARE
        args = (store, batch, settings, ids, len(ids), "slicing", progress, dense, index.encoder())
        if known is None:
            batch.delete(ids)
            count = write(*args, now)
        else:
            count = write(*args, now, known)
        batch.readers = now
    return count


def _full(index: SearchIndex, reader: ReaderSet) -> bool:
    """Whether `cover` has nothing to do: the reader set is covered, or the index
    covers as many as it may (which the log says, as searches then fail closed)."""
    known = index.readers()
    if known is None:
        return False
    if reader in known:
        return True
    if len(known) >= MAX_READER_SETS:
        log.warning(
            "the search index covers %d reader sets, its most: readers of part of the "
            "datasets it does not cover find no entity merged across their datasets and "
            "others (but nothing they may not read)",
            len(known),
        )
        return True
    return False


def wanted(accountability: Accountability) -> list[ReaderSet]:
    """The reader sets every enabled user searches with now: outside a case and in
    each case they belong to (as `Workbench._catch_up` computes them), the sets most
    users share first. Read afresh from the access store: whatever changed since a
    job was queued, it covers what the grants say when it runs."""
    known = accountability.known()
    access, cases = accountability.access, accountability.cases
    counts: Counter[ReaderSet] = Counter()
    for user in access.users():
        if user.disabled:
            continue
        principal = access.principal(user.name)
        if principal.local:
            continue  # the local admin's searches read whole documents only
        scopes = [principal.readable]
        for case in cases.cases(member=user.name):
            try:
                scopes.append(case_scope(case, principal))
            except AccessDenied:  # no longer a member since the list was read
                continue
        for readable in scopes:
            reader = reader_set(known & readable, known - readable)
            if reader is not None:
                counts[reader] += 1
    return sorted(counts, key=lambda reader: (-counts[reader], sorted(reader)))


def cover_all(
    store: Store,
    index: SearchIndex,
    settings: Settings,
    progress: Progress,
    readers: list[ReaderSet],
    limit: int = AHEAD_MAX,
) -> Covered:
    """Cover `readers` in order (waiting for the index's writer lock), until the index
    covers `limit` sets: the others are left to their readers' first searches."""
    covered = skipped = entities = 0
    for reader in readers:
        known = index.readers()
        if known is not None and reader not in known and len(known) >= limit:
            skipped += 1
            continue
        before = known is not None and reader in known
        entities += cover(store, index, settings, progress, reader, wait=True)
        covered += 0 if before else 1
    if skipped:
        log.info(
            "%d reader sets not covered ahead of a search: the index covers %d, the most "
            "covered ahead (their readers' first searches cover them)",
            skipped,
            limit,
        )
    return Covered(len(readers), covered, skipped, entities)
