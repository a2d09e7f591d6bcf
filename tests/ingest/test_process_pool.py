"""Worker processes: plain scripts without a main guard still work, and workers never
outlive their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

JOBS = """
import os, time
from threadline.ingest.parallel import ordered_map

def pid_of(item: int) -> int:
    time.sleep(0.05)
    return os.getpid()

def pid_met(item: int) -> int:
    # Waits (a minute at most) until a second worker has started: on a loaded machine
    # one worker could otherwise run every item before the other is up.
    os.makedirs("met", exist_ok=True)
    open(os.path.join("met", str(os.getpid())), "w").close()
    deadline = time.monotonic() + 60
    while len(os.listdir("met")) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    return os.getpid()

def pids_below(item: int) -> tuple[int, list[int]]:
    # Started in a worker: work that would start a pool of its own.
    return os.getpid(), sorted(set(ordered_map(pid_of, range(6), 2)))
"""

IN_A_CHILD = """
import multiprocessing, os
from concurrent.futures import ProcessPoolExecutor
from threadline.ingest.parallel import ordered_map
import jobs

def child() -> tuple[int, list[int]]:
    return os.getpid(), sorted(set(ordered_map(jobs.pid_met, range(8), 2)))

def main() -> None:
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        me, workers = pool.submit(child).result()
    print("child", me, "workers", len(workers), me in workers)
    nested = list(ordered_map(jobs.pids_below, range(2), 2))
    print("nested", all(below == [worker] for worker, below in nested))

if __name__ == "__main__":
    main()
"""

UNGUARDED = """
from threadline.ingest.parallel import ordered_map
import jobs
pids = set(ordered_map(jobs.pid_of, range(8), 2))
print("done", len(pids))
"""

GUARDED = """
import os, sys
from threadline.ingest.parallel import ordered_map
import jobs

def main() -> None:
    print("parent", os.getpid(), flush=True)
    for pid in ordered_map(jobs.pid_of, range(100_000), 2):
        print("worker", pid, flush=True)

if __name__ == "__main__":
    main()
"""


def _write(folder: Path, script: str) -> Path:
    (folder / "jobs.py").write_text(JOBS)
    path = folder / "script.py"
    path.write_text(script)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not reaped it yet.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_a_script_without_a_main_guard_runs_in_one_process_and_says_so(tmp_path: Path) -> None:
    script = _write(tmp_path, UNGUARDED)
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done 1"  # every item ran in this one process
    assert "no `if __name__ == '__main__':` guard" in done.stderr


def test_a_process_of_the_callers_may_start_workers_but_ours_never_nest(tmp_path: Path) -> None:
    script = _write(tmp_path, IN_A_CHILD)
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # A process the caller started (a harness, a task runner) works with two workers...
    assert lines[0].split()[2:] == ["workers", "2", "False"]
    # ...while work running in one of threadline's workers stays in that worker.
    assert lines[1] == "nested True"


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    script = _write(tmp_path, GUARDED)
    proc = subprocess.Popen(
        [sys.executable, str(script)], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    parent = int(proc.stdout.readline().split()[1])
    workers: set[int] = set()
    while len(workers) < 2:
        kind, pid = proc.stdout.readline().split()
        assert kind == "worker"
        workers.add(int(pid))
    assert parent not in workers  # the work really runs in other processes
    os.kill(parent, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
