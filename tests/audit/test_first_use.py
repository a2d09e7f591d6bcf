"""The audit salt and signing key are created on first use, once, even when several
processes (the workers of `threadline serve --workers N`) all use them first at the
same moment: every process then hashes with the one salt and signs with the one key
that the files hold. (A load test found the race: two workers wrote the salt at once,
one failed with a 500, and the other could have kept a salt no file holds.)"""

from __future__ import annotations

import multiprocessing
import stat
from multiprocessing.synchronize import Barrier
from pathlib import Path

from threadline.audit.keys import Keyring, create_private
from threadline.audit.redact import SALT_FILE, load_salt

RACERS = 6


def _salt(directory: str, barrier: Barrier, out: multiprocessing.Queue[bytes]) -> None:
    barrier.wait()
    out.put(load_salt(Path(directory)))


def _key(directory: str, barrier: Barrier, out: multiprocessing.Queue[str]) -> None:
    barrier.wait()
    out.put(Keyring(Path(directory)).current_id)


def _race(target: object, directory: Path | str, start: str = "fork") -> list[object]:
    context = multiprocessing.get_context(start)
    barrier = context.Barrier(RACERS)
    out = context.Queue()
    racers = [
        context.Process(target=target, args=(str(directory), barrier, out))  # type: ignore[arg-type]
        for _ in range(RACERS)
    ]
    for racer in racers:
        racer.start()
    results = [out.get(timeout=60) for _ in racers]
    for racer in racers:
        racer.join(timeout=60)
        assert racer.exitcode == 0
    return results


def test_processes_racing_to_make_the_salt_all_get_the_one_on_disk(tmp_path: Path) -> None:
    keys = tmp_path / "audit-keys"
    salts = _race(_salt, keys)
    assert len(set(salts)) == 1
    assert salts[0] == (keys / SALT_FILE).read_bytes()
    assert sorted(p.name for p in keys.iterdir()) == [SALT_FILE]  # no temporary file left
    assert stat.S_IMODE((keys / SALT_FILE).stat().st_mode) == 0o600


def test_processes_racing_to_make_the_signing_key_all_sign_with_the_one_on_disk(
    tmp_path: Path,
) -> None:
    keys = tmp_path / "audit-keys"
    ids = _race(_key, keys)
    assert len(set(ids)) == 1
    assert Keyring(keys).current_id == ids[0]


def test_create_private_keeps_what_was_there(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    assert create_private(path, b"first") == b"first"
    assert create_private(path, b"second") == b"first"
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]


APPENDS = 60


def _appender(url: str, barrier: Barrier, out: multiprocessing.Queue[str]) -> None:
    from tests.audit.conftest import make_event
    from threadline.audit.sql import SQLAuditLog

    log = SQLAuditLog(url, synchronous="normal")
    barrier.wait()
    try:
        indexes = [log.append(make_event(i)) for i in range(APPENDS)]
        out.put(",".join(map(str, indexes)))
    except Exception as error:  # reported to the test, which fails on it
        out.put(f"error: {error}")


def test_processes_appending_at_once_all_land_each_at_its_own_index(tmp_path: Path) -> None:
    """The processes of one server append to one SQLite audit log at once: every append
    lands, none is refused (a load test once saw 'UNIQUE constraint failed' and a 503)."""
    from threadline.audit.sql import SQLAuditLog

    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with SQLAuditLog(url) as made:  # the tables, made once, and closed before the race
        made.size()
    # Fresh processes, as uvicorn starts its workers: a forked child would inherit this
    # process's SQLite handles, and closing one drops the child's own POSIX locks.
    results = _race(_appender, url, start="spawn")
    assert not [r for r in results if str(r).startswith("error")], results
    indexes = sorted(int(i) for r in results for i in str(r).split(","))
    assert indexes == list(range(RACERS * APPENDS))
    with SQLAuditLog(url) as log:
        assert log.size() == RACERS * APPENDS
        assert [e.index for e in log.entries()] == indexes
