"""Covering a reader set: the slices a reader of part of the datasets searches.

A merged entity is indexed whole, and as one slice for each part of its datasets that a
reader set the index covers can read (`threadline.search.readers`). A reader set is
covered before its first search answers (`Workbench._catch_up`); until then the access
filter admits none of its slices, so an uncovered reader fails closed.
"""

from __future__ import annotations

import logging

from threadline.app.indexer import DENSE_SHARE, NONE, write
from threadline.progress import Progress
from threadline.search.index import SearchIndex
from threadline.search.readers import MAX_READER_SETS, ReaderSet
from threadline.settings import Settings
from threadline.store.base import Store

log = logging.getLogger(__name__)


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
