"""Runs threadline CLI commands in child processes and SIGKILLs them on request.

A launcher for the crash test: it imports the CLI once, then for each request (a
JSON line on stdin: the arguments, a log file and a delay) forks a child that runs
the same entry point as `python -m threadline`, waits the delay, kills the child with
SIGKILL if it is still running, and answers with a JSON line. Forking from an
imported interpreter puts the kills in the work, not in Python's start-up (which
takes most of a second and writes nothing). For the same reason the launcher also
imports what the commands would import on first use, and freezes its objects out of
the children's garbage collection.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
import time

import orjson

from threadline.cli.app import main

# Imported by the commands on first use: duckdb imports pandas when it is handed an
# Arrow table (resolve reads the store so), and the search index's modules load with
# the index. Without this, every child imported them again.
FIRST_USE = (
    "pandas",
    "threadline.search.tantivy_index",
    "threadline.search.tantivy_batch",
    "threadline.search.highlight",
)


def _child(args: list[str], log: str) -> None:
    """Run one command with its output in `log`; never return."""
    code = 0
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        sys.argv = ["threadline", *args]
        main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # report any crash through the exit code
        code = 99
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _prepare() -> None:
    """Import what the children would, before any of them is forked; no file, database
    or thread is opened here."""
    for name in FIRST_USE:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:  # an optional dependency: the child imports less
            continue
    # The imported objects live as long as the launcher: leave them out of garbage
    # collection, whose full passes in a child would otherwise walk (and copy, page by
    # page) every one of them.
    gc.freeze()


def serve() -> None:
    """Answer requests until stdin closes."""
    _prepare()
    for line in sys.stdin:
        request = orjson.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request["args"], request["log"])
        started = time.monotonic()
        deadline = started + float(request["delay"])
        killed = False
        status = 0
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                killed = os.WIFSIGNALED(status)
                break
            time.sleep(0.002)
        answer = {
            "killed": killed,
            "code": os.waitstatus_to_exitcode(status),
            "seconds": time.monotonic() - started,
        }
        sys.stdout.write(orjson.dumps(answer).decode() + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
