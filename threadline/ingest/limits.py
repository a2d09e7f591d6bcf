"""The most one file may ask of ingest: sizes, counts, time and memory.

A 1 MB XLSX can hold a shared string that expands to 1 GiB, or 30 million shared
strings; a few kilobytes of input can keep a converter busy for minutes. Every cap
here turns such a file into an `InputError` naming it, instead of exhausting the
machine. The defaults leave room for real registers (a full Excel sheet, a CSV of
gigabytes) and are documented in README.md ("Ingest formats").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from threadline.errors import InputError

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Caps for one file's ingest; the defaults suit a laptop."""

    # XLSX: the archive's parts together, once decompressed.
    max_uncompressed_bytes: int = 2 << 30
    # XLSX: how many times larger than on disk a part (of over `ratio_floor_bytes`)
    # may become; real sheets compress 5-20 fold, zip bombs about 1,000 fold.
    max_compression_ratio: int = 100
    ratio_floor_bytes: int = MIB
    # XLSX: openpyxl holds the whole shared-string table in memory.
    max_shared_strings: int = 5_000_000
    # XLSX: cells read from the sheet, including the empty ones openpyxl fills in up to
    # the sheet's declared size (a one-row sheet can claim 17 billion cells).
    max_cells: int = 50_000_000
    # Characters in one value: a CSV field, an XLSX cell or shared string, an FtM value.
    max_field_chars: int = MIB
    # Time to convert one file: a base plus one second per this many bytes of it, so
    # a small file cannot keep ingest busy for long and a big one gets its time.
    base_seconds: float = 120.0
    bytes_per_second: int = 50_000
    # Address space a worker process may add while converting (RLIMIT_AS); the
    # calling process is bounded by the caps above, not by an rlimit.
    max_worker_memory_bytes: int = 2 << 30

    def seconds_for(self, size: int) -> float:
        """The time budget for converting a file of `size` bytes."""
        return self.base_seconds + size / self.bytes_per_second


@dataclass(frozen=True)
class Deadline:
    """When one file's conversion must be done; comparable across processes because
    `time.monotonic` is the system-wide monotonic clock on Linux and macOS."""

    path: str
    seconds: float
    ends: float = field(default=0.0)

    @classmethod
    def start(cls, path: str, seconds: float) -> Deadline:
        """A deadline `seconds` from now."""
        return cls(path, seconds, time.monotonic() + seconds)

    def error(self, line: int | None = None) -> InputError:
        """The error of a file that ran out of time."""
        return InputError(
            self.path,
            f"converting it took longer than {self.seconds:.0f} s, the limit for a file "
            "of this size (split it into smaller files)",
            line,
        )

    def expired(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() > self.ends
