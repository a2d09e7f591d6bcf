"""A real PostgreSQL server for the tests: Debian's `postgresql` (installed with apt if
it is missing), in a throwaway data folder, on a private port, started and stopped here.

Tests that take `postgres_url` run on it; the store contract suites add it as a backend.
Set THREADLINE_TEST_POSTGRES_URL to use a server of your own instead.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DEBIAN_BIN = Path("/usr/lib/postgresql")


def _bindir() -> Path | None:
    """The newest installed server's bin folder (initdb and pg_ctl), if any."""
    if DEBIAN_BIN.is_dir():
        versions = sorted(
            (p for p in DEBIAN_BIN.iterdir() if (p / "bin" / "initdb").exists()),
            key=lambda p: int(p.name) if p.name.isdigit() else 0,
        )
        if versions:
            return versions[-1] / "bin"
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _install() -> Path:
    """Install Debian's server once, whichever test worker asks first."""
    with open(Path(tempfile.gettempdir()) / "threadline-postgres.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = _bindir()
        if found is not None:
            return found
        apt = shutil.which("apt-get")
        if apt is None:
            pytest.fail("PostgreSQL is missing and apt-get is not available to install it")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update"], check=True, env=env, capture_output=True)
        install = [apt, "install", "-y", "--no-install-recommends", "postgresql"]
        subprocess.run(install, check=True, env=env, capture_output=True)
    found = _bindir()
    if found is None:
        pytest.fail("apt-get installed postgresql, but initdb is still missing")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` account then."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.fail("running as root, and runuser is missing to start PostgreSQL as postgres")
    return [runuser, "-u", "postgres", "--", *command]


@contextmanager
def postgres_server(folder: Path, durable: bool = False) -> Iterator[str]:
    """Start a server with its data in `folder`; yield its SQLAlchemy URL; stop it.
    Tests run without fsync; `durable` keeps the server's defaults (benchmarks)."""
    bindir = _install()
    folder.mkdir(parents=True, exist_ok=True)
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
        folder.chmod(0o700)
        # The server user must be able to reach its folder under pytest's tmp tree.
        for parent in folder.parents:
            if parent == Path(tempfile.gettempdir()):
                break
            parent.chmod(parent.stat().st_mode | 0o711)
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "threadline", "--auth=trust"]
    initdb += ["-E", "UTF8", "--locale=C.UTF-8"]
    subprocess.run(_as_server_user(initdb), check=True, capture_output=True)
    port = _free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
    options += "" if durable else " -c fsync=off"
    pg_ctl = str(bindir / "pg_ctl")
    log = folder / "server.log"
    start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
    started = subprocess.run(_as_server_user(start), capture_output=True, text=True)
    if started.returncode != 0:
        detail = log.read_text() if log.exists() else started.stderr
        pytest.fail(f"PostgreSQL did not start: {detail[-2000:]}")
    try:
        yield f"postgresql+psycopg://threadline@127.0.0.1:{port}/postgres"
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server, so each test starts clean."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
