"""What a child extracting a file used of its memory limit, as its parent sees it:
enough to tell a child that ran out of memory in C code from one that crashed.

The child works under RLIMIT_AS (`documents.child`). A Python allocation past it raises
MemoryError, which the child reports; a C library that cannot allocate (pdfium,
libxml2) aborts or crashes instead, and the parent only sees a signal.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass

from threadline.ingest.documents.limits import DocumentLimits

# A child that dies by one of these signals with its address space this close to its
# limit (a share of what the file may add) ran out of memory in C code: a library
# that cannot allocate aborts or crashes instead of raising MemoryError.
_MEMORY_SIGNALS = frozenset({signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL})
_NEAR_SHARE = 0.1


@dataclass
class MemoryWatch:
    """The address space a child used for the file it is extracting, sampled by the
    parent from /proc while it waits (Linux; elsewhere nothing is known).

    Once the child is dead its memory is gone, so it is sampled while it lives: the
    kernel's peak (VmPeak) if it rose during this file, else the largest size seen.
    The limit is the child's own RLIMIT_AS, as it set it for this file.
    """

    pid: int | None = None
    peak_before: int = 0  # VmPeak when the file was sent
    peak: int = 0  # the most this file was seen to use
    limit: int = 0  # the child's soft RLIMIT_AS (0: none or unknown)
    sampled: float = 0.0  # time.monotonic() of the last sample

    def start(self, pid: int | None) -> None:
        """Before the file is sent."""
        self.pid, self.peak, self.limit = pid, 0, 0
        self.peak_before = _status(pid).get("VmPeak:", 0)

    def sample(self) -> None:
        """Note the child's size now (a read of /proc: a few microseconds)."""
        self.sampled = time.monotonic()
        status = _status(self.pid)
        if not status:
            return
        peak = status.get("VmPeak:", 0)
        grown = peak if peak > self.peak_before else 0
        self.peak = max(self.peak, status.get("VmSize:", 0), grown)
        self.limit = _address_limit(self.pid)

    def ran_out(self, signum: int, limits: DocumentLimits) -> bool:
        """Whether a child that died by `signum` most likely ran out of memory: it
        was under a limit, and this file took it to within a share of it."""
        if signum not in _MEMORY_SIGNALS or self.limit <= 0 or limits.max_memory_bytes <= 0:
            return False
        return self.peak >= self.limit - _NEAR_SHARE * limits.max_memory_bytes


def _status(pid: int | None) -> dict[str, int]:
    """The Vm* sizes of /proc/<pid>/status, in bytes; empty if it cannot be read."""
    if pid is None:
        return {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            lines = [line.split() for line in status if line.startswith("Vm")]
    except OSError:
        return {}
    return {f[0]: int(f[1]) * 1024 for f in lines if len(f) == 3 and f[1].isdigit()}


def _address_limit(pid: int | None) -> int:
    """The soft RLIMIT_AS of a process, in bytes (0: unlimited or unknown)."""
    try:
        with open(f"/proc/{pid}/limits", encoding="ascii", errors="replace") as limits:
            for line in limits:
                if line.startswith("Max address space"):
                    soft = line[len("Max address space") :].split()[0]
                    return int(soft) if soft.isdigit() else 0
    except OSError:
        pass
    return 0
