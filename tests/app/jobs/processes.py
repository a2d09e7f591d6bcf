"""Real `threadline` processes for the job tests: workers and servers started as the
CLI would be, their output in files, stopped by signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[3]
T = TypeVar("T")


def environment(**extra: str) -> dict[str, str]:
    """This environment without THREADLINE_* settings, small and single-process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env.update(THREADLINE_WORKERS="1", THREADLINE_INDEX_MEMORY_MB="64", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def start(data_dir: Path, log: Path, *args: str, **env: str) -> subprocess.Popen[bytes]:
    """`threadline --data-dir DATA_DIR ARGS…` in the background, its output in `log`."""
    command = [sys.executable, "-m", "threadline", "--data-dir", str(data_dir), *args]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=environment(**env)
        )


def stop(process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> int:
    """SIGTERM a process and wait for it; its exit code."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
        raise AssertionError(f"did not stop on SIGTERM:\n{log.read_text()}") from None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def until(probe: Callable[[], T | None], what: str, timeout: float = 90) -> T:
    """Poll `probe` until it gives something other than None."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def serve(data_dir: Path, log: Path, port: int, *args: str, **env: str) -> subprocess.Popen[bytes]:
    """`threadline serve --workers 2` on `port` (with `args`, and THREADLINE_* settings
    in `env`), once it answers."""
    import httpx

    server = start(data_dir, log, "serve", "--workers", "2", "--port", str(port), *args, **env)

    def answering() -> bool | None:
        assert server.poll() is None, log.read_text()
        try:
            return httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).is_success or None
        except httpx.TransportError:
            return None

    until(answering, "the server to answer", timeout=180)
    return server
