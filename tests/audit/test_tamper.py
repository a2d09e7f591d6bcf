"""Tampering with a 2,000-entry log through raw SQL: verify names the first bad index.

One pristine log (ten checkpoints, one every 200 entries, in two places) is built per
module; each case copies its file, mutates the copy with sqlite3, and verifies it.
Every verification reads and hashes the whole log: the log is as long as the cases
need (positions either side of checkpoints, the first and last, some in between), not
longer, since some 200 verifications run.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audit.conftest import make_event
from threadline.audit.checkpoint import CheckpointPlaces, CheckpointPolicy
from threadline.audit.checkpointer import Checkpointer
from threadline.audit.keys import Keyring
from threadline.audit.merkle import leaf_hash
from threadline.audit.sql import AUDIT_FILE, SQLAuditLog, audit_url
from threadline.audit.verify import VerifyReport, verify

SIZE = 2_000
EVERY = 200
# First, last, and either side of checkpoint boundaries, plus a few in between.
POSITIONS = [
    0,
    1,
    2,
    99,
    198,
    199,
    200,
    201,
    399,
    400,
    863,
    1000,
    1555,
    1799,
    1800,
    1998,
    1999,
]
FAR = SIZE // 3 + 1  # swap_far's partner: a third of the log away

Mutation = Callable[[sqlite3.Connection, int], None]


class Pristine:
    """The untouched log, its key and checkpoint places, and a way to copy the log."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.keyring = Keyring(root / "keys")
        self.places = CheckpointPlaces(root / "checkpoints", root / "second")
        (root / "log-dir").mkdir()
        with SQLAuditLog(audit_url(root / "log-dir")) as log:
            writer = Checkpointer(log, self.keyring, self.places, CheckpointPolicy(EVERY))
            batch = EVERY // 2  # a checkpoint every second batch, at each multiple of EVERY
            for start in range(0, SIZE, batch):
                log.extend([make_event(i) for i in range(start, start + batch)])
                writer.maybe_checkpoint()
        self.source = root / "log-dir" / AUDIT_FILE
        self.keys = self.keyring.public_keys()

    def mutated(self, work: Path, mutate: Mutation, position: int) -> VerifyReport:
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.source, work / AUDIT_FILE)
        with sqlite3.connect(work / AUDIT_FILE) as conn:
            mutate(conn, position)
        with SQLAuditLog(audit_url(work)) as log:
            return verify(log, self.places, self.keys)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    return Pristine(tmp_path_factory.mktemp("pristine"))


def _row(conn: sqlite3.Connection, index: int) -> tuple[bytes, bytes]:
    data, digest = conn.execute(
        'SELECT data, leaf_hash FROM audit_entries WHERE "index" = ?', (index,)
    ).fetchone()
    return bytes(data), bytes(digest)


def _set(conn: sqlite3.Connection, index: int, data: bytes, digest: bytes) -> None:
    conn.execute(
        'UPDATE audit_entries SET data = ?, leaf_hash = ? WHERE "index" = ?', (data, digest, index)
    )


def _flip(value: bytes, at: int) -> bytes:
    return value[:at] + bytes([value[at] ^ 0x01]) + value[at + 1 :]


def alter_byte(conn: sqlite3.Connection, k: int) -> None:
    data, digest = _row(conn, k)
    _set(conn, k, _flip(data, len(data) // 2), digest)


def alter_and_rehash(conn: sqlite3.Connection, k: int) -> None:
    data, _ = _row(conn, k)
    changed = data.replace(b"user", b"USER", 1)
    _set(conn, k, changed, leaf_hash(changed))


def alter_leaf_hash(conn: sqlite3.Connection, k: int) -> None:
    data, digest = _row(conn, k)
    _set(conn, k, data, _flip(digest, 0))


def remove(conn: sqlite3.Connection, k: int) -> None:
    conn.execute('DELETE FROM audit_entries WHERE "index" = ?', (k,))


def _shift(conn: sqlite3.Connection, start: int, by: int) -> None:
    # Through a far-away range, so no intermediate row collides with another's key.
    conn.execute(
        'UPDATE audit_entries SET "index" = "index" + 1000000 WHERE "index" >= ?', (start,)
    )
    conn.execute(
        'UPDATE audit_entries SET "index" = "index" - 1000000 + ? WHERE "index" >= 1000000', (by,)
    )


def remove_and_renumber(conn: sqlite3.Connection, k: int) -> None:
    remove(conn, k)
    _shift(conn, k + 1, -1)


def insert(conn: sqlite3.Connection, k: int) -> None:
    _shift(conn, k, 1)
    data = make_event(SIZE + 1).to_bytes()
    conn.execute("INSERT INTO audit_entries VALUES (?, ?, ?)", (k, data, leaf_hash(data)))


def swap_with_next(conn: sqlite3.Connection, k: int) -> None:
    other = k + 1 if k + 1 < SIZE else k - 1
    a, b = _row(conn, k), _row(conn, other)
    _set(conn, k, *b)
    _set(conn, other, *a)


def swap_far(conn: sqlite3.Connection, k: int) -> None:
    other = (k + FAR) % SIZE
    a, b = _row(conn, k), _row(conn, other)
    _set(conn, k, *b)
    _set(conn, other, *a)


def truncate(conn: sqlite3.Connection, k: int) -> None:
    conn.execute('DELETE FROM audit_entries WHERE "index" >= ?', (k,))


@cache
def _refill_rows() -> list[tuple[int, bytes, bytes]]:
    """Other entries for every index, with their own leaf hashes: made once, not once
    per position (a refill from 0 makes a whole log's worth)."""
    rows = []
    for i in range(SIZE):
        data = make_event(SIZE + i).to_bytes()
        rows.append((i, data, leaf_hash(data)))
    return rows


def truncate_and_refill(conn: sqlite3.Connection, k: int) -> None:
    truncate(conn, k)
    conn.executemany("INSERT INTO audit_entries VALUES (?, ?, ?)", _refill_rows()[k:])


def _expected(mutation: Mutation, k: int) -> int:
    if mutation is swap_with_next and k == SIZE - 1:
        return k - 1
    if mutation is swap_far:
        return min(k, (k + FAR) % SIZE)
    return k


MUTATIONS: list[Mutation] = [
    alter_byte,
    alter_and_rehash,
    alter_leaf_hash,
    remove,
    remove_and_renumber,
    insert,
    swap_with_next,
    swap_far,
    truncate,
    truncate_and_refill,
]


def test_untouched_log_verifies_clean(pristine: Pristine, tmp_path: Path) -> None:
    report = pristine.mutated(tmp_path, lambda conn, k: None, 0)
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints, report.signed) == (SIZE, SIZE // EVERY, SIZE)
    assert report.first_bad_index is None
    assert report.summary().startswith(f"ok: {SIZE} entries")


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_every_class_at_every_position(
    pristine: Pristine, tmp_path: Path, mutation: Mutation
) -> None:
    for k in POSITIONS:
        report = pristine.mutated(tmp_path / str(k), mutation, k)
        assert not report.ok, (mutation.__name__, k)
        assert report.first_bad_index == _expected(mutation, k), (
            mutation.__name__,
            k,
            report.problems,
        )
        assert str(report.first_bad_index) in report.summary()


def test_truncation_names_the_checkpoint(pristine: Pristine, tmp_path: Path) -> None:
    report = pristine.mutated(tmp_path, truncate, 900)
    assert (
        report.summary()
        == "truncated: log has 900 entries but checkpoint 5 (size 1000) covers 1000"
    )


def test_insert_before_the_first_index(pristine: Pristine, tmp_path: Path) -> None:
    def before(conn: sqlite3.Connection, k: int) -> None:
        data = make_event(k).to_bytes()
        conn.execute("INSERT INTO audit_entries VALUES (-1, ?, ?)", (data, leaf_hash(data)))

    report = pristine.mutated(tmp_path, before, 0)
    assert report.first_bad_index == 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutation=st.sampled_from(MUTATIONS), k=st.integers(min_value=0, max_value=SIZE - 1))
def test_random_mutations(pristine: Pristine, tmp_path: Path, mutation: Mutation, k: int) -> None:
    report = pristine.mutated(tmp_path / f"{mutation.__name__}-{k}", mutation, k)
    assert report.first_bad_index == _expected(mutation, k)


def test_without_signed_leaf_hashes_the_damaged_stretch_is_named(
    pristine: Pristine, tmp_path: Path
) -> None:
    import json

    places = CheckpointPlaces(tmp_path / "bare")
    places.primary.mkdir()
    for path in pristine.places.primary.glob("*.json"):
        data = json.loads(path.read_bytes())
        data["leaves"] = ""
        (places.primary / path.name).write_text(json.dumps(data))
    work = tmp_path / "log"
    work.mkdir()
    shutil.copy(pristine.source, work / AUDIT_FILE)
    with sqlite3.connect(work / AUDIT_FILE) as conn:
        # Swapped rows no longer match their own values; a rehashed one only the root.
        alter_and_rehash(conn, 500)
    with SQLAuditLog(audit_url(work)) as log:
        report = verify(log, places, pristine.keys)
    assert report.first_bad_index == 400
    assert "entries 400..599 do not match checkpoint 3" in report.summary()
