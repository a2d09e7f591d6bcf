"""Whether this process may start worker processes of its own (ingest's pool, the
document sandbox, resolve's address worker): one place for every user, since the
answer is the same for all of them.
"""

from __future__ import annotations

import ast
import functools
import multiprocessing
import sys
import warnings
from pathlib import Path

_IN_WORKER = False  # set in the worker processes threadline starts (`mark_worker`)


def mark_worker() -> None:
    """Note that this process is one of threadline's workers: it starts none itself."""
    global _IN_WORKER
    _IN_WORKER = True


def processes_allowed() -> bool:
    """Whether worker processes can start here without running the caller's script again.

    forkserver children import the main script, as spawn does. A script whose top level
    calls threadline without an `if __name__ == "__main__":` guard would run again in
    every worker (and fail there), so it gets one process and a warning instead.
    """
    if _IN_WORKER or multiprocessing.current_process().daemon:
        # One of our workers never starts a pool of its own, and a daemon process may
        # not have children. Any other child process may: a benchmark harness or a
        # task runner that starts threadline in a process of its own.
        return False
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        return True  # interactive, `python -c`, or `python -m`: nothing is re-run
    if _guarded(str(path)):
        return True
    warnings.warn(
        f"{path} has no `if __name__ == '__main__':` guard, so threadline works in one "
        "process; put the calls under that guard to use worker processes",
        RuntimeWarning,
        stacklevel=3,
    )
    return False


@functools.cache
def _guarded(path: str) -> bool:
    """True if the script's top level has an `if __name__ == "__main__":` block."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return False
    for node in tree.body:
        test = node.test if isinstance(node, ast.If) else None
        if (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
        ):
            return True
    return False
