"""Reader sets: the sets of datasets searches read, for which merged entities are sliced.

A merged entity of datasets D is indexed whole, and for each reader set R the index
covers, as the slice of D & R (when that is neither empty nor all of D): a reader of R
then finds the part of it they may read. Only the reader sets searches actually use are
covered, so an index that only its local admin searches holds no slices at all.

The access filter makes an uncovered reader set safe by construction: a slice is
visible to readers of R only if its datasets are within R and none of its absent ones
is in R, that is only if it is exactly D & R (see `TantivyIndex._access`). A reader
whose slices were never built misses the merged entities they partly read; they never
see a value of a dataset outside R.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson

ReaderSet = frozenset[str]
ReaderSets = frozenset[ReaderSet]
# Reader sets an index covers at most. A merged entity has at most one slice per reader
# set (and per proper subset of its datasets), and covering one more set re-reads every
# merged entity once. Beyond the cap a new reader set is not covered: its searches
# fail closed (merged entities it partly reads are missing) and say so in the log.
MAX_READER_SETS = 128


def reader_set(readable: frozenset[str] | None, hidden: frozenset[str]) -> ReaderSet | None:
    """The reader set a search needs slices for, from the datasets it may read among
    those that exist (`readable`) and the existing ones it may not (`hidden`); None
    when it needs none: it reads every dataset (whole documents only) or none."""
    if readable is None or not hidden or not readable:
        return None
    return frozenset(readable)


def slice_parts(datasets: Sequence[str], readers: Iterable[ReaderSet]) -> list[list[str]]:
    """The slices a merged entity of `datasets` needs for `readers`: each distinct part
    D & R that is neither empty nor whole, its datasets sorted; smaller parts first."""
    whole = frozenset(datasets)
    if len(whole) < 2:
        return []
    parts = {whole & reader for reader in readers}
    parts.discard(whole)
    parts.discard(frozenset())
    return sorted((sorted(part) for part in parts), key=lambda part: (len(part), part))


def encode_readers(readers: ReaderSets) -> bytes:
    """Reader sets as stored beside an index: a JSON list of sorted lists, in order."""
    return orjson.dumps(sorted(sorted(reader) for reader in readers))


def decode_readers(data: bytes) -> ReaderSets:
    """`encode_readers` read back; ValueError if it is not such a list."""
    found = orjson.loads(data)
    if not isinstance(found, list) or not all(
        isinstance(reader, list) and all(isinstance(name, str) for name in reader)
        for reader in found
    ):
        raise ValueError("reader sets must be a list of lists of dataset names")
    return frozenset(frozenset(reader) for reader in found)
