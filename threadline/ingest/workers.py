"""Records to statements, in worker processes when a file is large enough to pay off.

Reading stays in the calling process (so read errors surface in order, with their
line); chunks of records go to a pool and come back as statements, in order, so the
first provenance of a repeated fact is the same as in a single process.

Each file's conversion has a time budget (`Limits.seconds_for`), checked at every
record here and in the workers. A worker process also gets an address-space limit
(RLIMIT_AS) and a CPU-time limit (RLIMIT_CPU) for what a per-record check cannot
stop; the calling process gets no rlimit, its memory is bounded by the size caps.
Running over a limit fails the file with an InputError naming it, even with
`skip_errors`.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from threadline.errors import InputError
from threadline.ingest.convert import Converter, ConverterSpec, MappingSpec
from threadline.ingest.limits import MIB, Deadline, Limits
from threadline.ingest.notices import Notice, collecting
from threadline.ingest.parallel import batched, ordered_map
from threadline.model.statement import RawRow, raw_statements

CHUNK_RECORDS = 2_000
# Statement ids a worker remembers, to avoid shipping repeats back; bounded for memory.
_SEEN_LIMIT = 500_000
# CPU seconds past the soft limit before the kernel kills a worker that does not stop.
_CPU_GRACE = 10


@dataclass(frozen=True)
class Job:
    """What every chunk of one source shares: how to convert, and the provenance."""

    spec: ConverterSpec
    dataset: str
    source: str
    seen: str
    deadline: Deadline | None = None
    memory: int = 0  # bytes of address space a worker process may add; 0: no limit
    parent: int = field(default_factory=os.getpid)  # rlimits apply in other processes only


@dataclass
class Converted:
    """The statements of one chunk, the records that failed, and a failure of the
    whole file (over a limit, or a mapping that does not compile).

    Id statements are not among `rows`: `entities` says which entity each record
    produced, with which schema, and the caller writes one id statement per entity
    with the schema merged over the whole file (see `ingest.schemata`)."""

    rows: list[RawRow] = field(default_factory=list)
    entities: list[tuple[str, str, int]] = field(default_factory=list)  # id, schema, line
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)  # values dropped from kept records
    records: int = 0
    fatal: tuple[int | None, str] | None = None


class _OutOfTime(BaseException):
    """Raised by the SIGXCPU handler; a BaseException, so no `except Exception` in a
    converter takes it for a bad row."""


def _out_of_time(signum: int, frame: object) -> None:
    raise _OutOfTime


class _Worker:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.seen: set[str] = set()
        self.convert: Converter | None = None
        self.failure = ""
        try:
            self.convert = job.spec.build()
        except InputError as error:
            self.failure = error.message

    def run(self, chunk: list[tuple[int, Any]]) -> Converted:
        out = Converted()
        if self.convert is None:
            out.fatal = (None, self.failure)
            return out
        if len(self.seen) > _SEEN_LIMIT:
            self.seen.clear()
        deadline = self.job.deadline
        location: int | None = None
        try:
            for location, payload in chunk:
                if deadline is not None and deadline.expired():
                    out.fatal = (location, deadline.error().message)
                    return out
                self._one(out, location, payload)
        except MemoryError:
            out.rows.clear()
            limit = self.job.memory // MIB
            message = f"converting it needed more than the {limit:,} MiB a worker may use"
            out.fatal = (location, message)
        except _OutOfTime:
            assert deadline is not None  # the CPU limit is only set with a deadline
            out.fatal = (location, deadline.error().message)
        return out

    def _one(self, out: Converted, location: int, payload: Any) -> None:
        job = self.job
        assert self.convert is not None
        dropped: list[Notice] = []
        try:
            with collecting(dropped):
                entities = self.convert(location, payload)
        except InputError as error:
            out.errors.append((error.line, error.message))
            return
        out.notices += dropped
        out.records += 1
        seen, rows = self.seen, out.rows
        for entity in entities:
            out.entities.append((str(entity.id), entity.schema.name, location))
            for row in raw_statements(entity, job.dataset, job.source, location, job.seen):
                if row[1] not in seen:  # the statement id
                    seen.add(row[1])
                    rows.append(row)


# Thread-local: in one process, ingests in several threads (the API's jobs) each have
# their own worker; a worker process runs its tasks in its main thread.
_STATE = threading.local()


def _confine(job: Job) -> None:
    """Limit this worker process's memory and CPU time (Unix only)."""
    if sys.platform == "win32":
        return
    import resource
    import signal

    if job.memory > 0:
        try:
            with open("/proc/self/statm") as statm:
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            used = -1  # no /proc (macOS, which does not enforce RLIMIT_AS anyway)
        if used >= 0:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            soft = used + job.memory
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    if job.deadline is not None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(usage.ru_utime + usage.ru_stime)
        soft = spent + int(job.deadline.seconds) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        wanted = soft + _CPU_GRACE
        if hard != resource.RLIM_INFINITY:
            soft, wanted = min(soft, hard), min(wanted, hard)
        signal.signal(signal.SIGXCPU, _out_of_time)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, wanted))


def _init(job: Job) -> None:
    if os.getpid() != job.parent:
        _confine(job)
    _STATE.worker = _Worker(job)


def _work(chunk: list[tuple[int, Any]]) -> Converted:
    worker: _Worker = _STATE.worker
    return worker.run(chunk)


def spec_path(spec: ConverterSpec) -> str:
    """The file a converter reads, for errors."""
    return spec.path if isinstance(spec, MappingSpec) else str(spec.source.path)


def _timed(records: Iterable[tuple[int, Any]], deadline: Deadline) -> Iterator[tuple[int, Any]]:
    for record in records:
        if deadline.expired():
            raise deadline.error(record[0])
        yield record


def convert(
    job: Job,
    records: Iterable[tuple[int, Any]],
    workers: int,
    limits: Limits,
    size: int,
) -> Iterator[Converted]:
    """Convert records in order, in chunks; with more than one worker, in a process pool.

    `size` is the file's size in bytes, which sets its time budget.
    """
    path = spec_path(job.spec)
    deadline = Deadline.start(path, limits.seconds_for(size))
    job = replace(job, deadline=deadline, memory=limits.max_worker_memory_bytes)
    chunks = batched(_timed(records, deadline), CHUNK_RECORDS)
    try:
        for done in ordered_map(_work, chunks, workers, _init, (job,)):
            if done.fatal is not None:
                line, message = done.fatal
                raise InputError(path, message, line)
            yield done
    except BrokenProcessPool:
        raise InputError(
            path,
            "a worker process died converting it (over its memory limit of "
            f"{limits.max_worker_memory_bytes // MIB:,} MiB or its time limit of "
            f"{deadline.seconds:.0f} s?)",
        ) from None
