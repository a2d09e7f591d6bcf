"""Shared helpers of the benchmark scripts: work folders, tables, machine facts, profiles."""

from __future__ import annotations

import cProfile
import importlib.util
import io
import multiprocessing
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self, TypeVar

T = TypeVar("T")
BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / "work"


def fresh_dir(path: Path) -> Path:
    """An empty directory at `path` (anything there before is removed)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def snapshot_threadline(work: Path) -> str:
    """Freeze the threadline code this run measures, and say which code it is.

    Others edit the package while benchmarks run for many minutes; child processes
    import it later than the parent does. Copying the package once and putting the copy
    first on sys.path (which spawned children inherit) makes every phase run the same
    code. Call before anything imports threadline.
    """
    spec = importlib.util.find_spec("threadline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("threadline is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    target = fresh_dir(work / "code")
    shutil.copytree(package, target / "threadline", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(target))
    return f"{git_revision(package.parent)}, frozen at {target}"


def git_revision(repo: Path) -> str:
    """The commit of the repository, and which files under threadline/ differ from it."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "threadline"],
            cwd=repo,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
    except OSError:  # no git: say so rather than fail
        return "unknown revision"
    changed = [line[3:] for line in dirty if line.strip()]
    if not rev:
        return "unknown revision"
    return f"commit {rev}" + (f" + uncommitted: {', '.join(changed)}" if changed else "")


def in_child(function: Callable[..., T], *args: Any) -> T:
    """Run `function(*args)` in a new interpreter and return its result.

    Each phase gets a clean process: its peak RSS is its own, and nothing one phase
    leaves in memory slows the next. A ProcessPoolExecutor worker, unlike a
    multiprocessing.Pool one, is not a daemon, so threadline may start worker processes
    of its own inside the phase. `function` must be importable (module level).
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    On Linux, VmHWM of this process's own memory map: ru_maxrss survives fork and exec,
    so a child started by a parent holding 1.4 GiB would report at least 1.4 GiB.
    Elsewhere ru_maxrss (KiB on Linux and BSD), which has that flaw.
    """
    own = _status_mb(os.getpid(), "VmHWM:")
    return own or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TreeSampler:
    """Calls `sample` with this process and all its descendants every `interval`
    seconds, in a thread, while the block runs.

    Threadline's worker processes may be children of a forkserver rather than of us,
    and a pool may outlive the phase, so getrusage cannot see them; sampling /proc
    can (Linux only; elsewhere a sampler sees nothing).
    """

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample(_descendants(os.getpid()))
            self._stop.wait(self.interval)

    def sample(self, pids: list[int]) -> None:
        """Note what the processes use now (this process first)."""
        raise NotImplementedError


class TreeRSS(TreeSampler):
    """The peak of the summed RSS of this process (unless not `include_self`) and all
    its descendants."""

    def __init__(self, interval: float = 0.25, include_self: bool = True) -> None:
        super().__init__(interval)
        self.include_self = include_self
        self.peak_mb = 0.0
        self.peak_processes = 0

    def sample(self, pids: list[int]) -> None:
        if not self.include_self:
            pids = pids[1:]
        total = sum(_status_mb(pid, "VmRSS:") for pid in pids)
        if total > self.peak_mb:
            self.peak_mb, self.peak_processes = total, len(pids)


def cpu_ticks(pid: int, children: bool = False) -> int | None:
    """A process's user + system CPU time in clock ticks, from /proc (with `children`,
    that of its waited-for children too); None if it ended or /proc has no such file."""
    try:
        # After the command name (which may hold spaces): utime..cstime are 14-17.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return sum(int(f) for f in fields[11 : 15 if children else 13])


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # Fields after the command name (which may hold spaces) start with state, ppid.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # the process ended while we looked
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    return found


def _status_mb(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:  # the process ended while we looked
        pass
    return 0.0


def machine() -> str:
    """One line describing where the numbers came from."""
    from importlib.metadata import version

    return (
        f"{platform.node()}: {os.cpu_count()} cores, {_mem_gib():.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"followthemoney {version('followthemoney')}, tantivy-py {version('tantivy')}"
    )


def _mem_gib() -> float:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):  # not every platform reports it
        return 0.0
    return pages / 2**30


def header(title: str, code: str) -> None:
    """Print what ran, when and where: the first lines of every results file."""
    print(f"# {title}")
    print(f"code:    threadline {code}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"date:    {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"machine: {machine()}")
    print(f"load:    {load()} (before the run)")
    print()


def load() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews wall times."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # not available on this platform
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, columns padded so it also reads well in a terminal."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in cells:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def verdict(ok: bool) -> str:
    """PASS or FAIL, for goal lines."""
    return "PASS" if ok else "FAIL"


def print_profile(profile: cProfile.Profile, top: int = 25) -> None:
    """The top functions by cumulative and by own (total) time."""
    for key, label in (("cumulative", "cumulative"), ("tottime", "total (own) time")):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(key).print_stats(top)
        text = out.getvalue()
        # Drop pstats' preamble down to the column header line.
        start = text.find("   ncalls")
        print(f"## Top {top} by {label}")
        print(text[start:].rstrip() if start >= 0 else text.rstrip())
        print()
