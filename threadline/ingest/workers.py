"""Records to statements, in worker processes when a file is large enough to pay off.

Reading stays in the calling process (so read errors surface in order, with their
line); chunks of records go to a pool and come back as statements, in order, so the
first provenance of a repeated fact is the same as in a single process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from threadline.errors import InputError
from threadline.ingest.convert import Converter, ConverterSpec
from threadline.model.statement import RawRow, entity_statements
from threadline.parallel import ordered_map

CHUNK_RECORDS = 2_000
# Statement ids a worker remembers, to avoid shipping repeats back; bounded for memory.
_SEEN_LIMIT = 500_000


@dataclass(frozen=True)
class Job:
    """What every chunk of one source shares: how to convert, and the provenance."""

    spec: ConverterSpec
    dataset: str
    source: str
    seen: str


@dataclass
class Converted:
    """The statements of one chunk, and the records that failed."""

    rows: list[RawRow] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    records: int = 0


class _Worker:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.convert: Converter = job.spec.build()
        self.seen: set[str] = set()

    def run(self, chunk: list[tuple[int, Any]]) -> Converted:
        job = self.job
        out = Converted()
        if len(self.seen) > _SEEN_LIMIT:
            self.seen.clear()
        for location, payload in chunk:
            try:
                entities = self.convert(location, payload)
            except InputError as error:
                out.errors.append((error.line, error.message))
                continue
            out.records += 1
            for entity in entities:
                out.entity_ids.append(str(entity.id))
                for row in entity_statements(entity, job.dataset, job.source, location, job.seen):
                    if row.id not in self.seen:
                        self.seen.add(row.id)
                        out.rows.append(tuple(row))  # type: ignore[arg-type]  # a RawRow
        return out


_STATE: dict[str, _Worker] = {}


def _init(job: Job) -> None:
    _STATE["worker"] = _Worker(job)


def _work(chunk: list[tuple[int, Any]]) -> Converted:
    return _STATE["worker"].run(chunk)


def convert(job: Job, chunks: Iterable[list[tuple[int, Any]]], workers: int) -> Iterator[Converted]:
    """Convert chunks in order; with more than one worker, in a process pool."""
    return ordered_map(_work, chunks, workers, _init, (job,))
