"""`threadline serve`: a real server process, and the loopback rule of local mode."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from threadline.cli.serve import is_loopback


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "threadline", "--data-dir", str(data_dir), "serve", *args]


@contextmanager
def serving(data_dir: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`threadline serve ARGS` on a free port, until the block ends."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    process = subprocess.Popen(
        _command(data_dir, "--port", str(port), *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the server did not start"
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=30)


def test_local_mode_serves_the_local_admin(tmp_path: Path) -> None:
    with serving(tmp_path / "data", "--local") as (url, _):
        me = httpx.get(f"{url}/api/v1/me").json()
        assert (me["user"], me["local"]) == ("local", True)
        assert httpx.get(f"{url}/docs").status_code == 200


def test_server_mode_asks_for_sign_in_and_says_how_to_add_users(tmp_path: Path) -> None:
    with serving(tmp_path / "data") as (url, process):
        assert httpx.get(f"{url}/api/v1/me").status_code == 401
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "threadline user add alice" in stderr
    assert "threadline user password alice" in stderr


def test_local_mode_refuses_a_non_loopback_host(tmp_path: Path) -> None:
    done = subprocess.run(
        _command(tmp_path / "data", "--local", "--host", "0.0.0.0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "loopback" in done.stderr


def test_is_loopback() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org", ""]))
