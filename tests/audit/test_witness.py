"""A real witness process countersigns checkpoints; verify against it catches a log cut
short or rewritten and re-signed with the data directory's own key, even after both
local checkpoint places were deleted."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audit.conftest import make_event
from tests.cli.runner import cli, ok
from threadline.audit.anchored import NO_WITNESS, verify_anchored
from threadline.audit.checkpoint import CheckpointPlaces, CheckpointPolicy
from threadline.audit.checkpointer import Checkpointer
from threadline.audit.keys import PUBLIC_DIR, Keyring
from threadline.audit.sql import AUDIT_FILE, SQLAuditLog, audit_url
from threadline.audit.trust import TrustedKeys
from threadline.audit.verify import VerifyReport
from threadline.audit.witness_client import WitnessClient


class Site:
    """A data directory whose log sends each checkpoint to the witness."""

    def __init__(self, root: Path, url: str, witness_key: str) -> None:
        self.data = root / "data"
        self.keyring = Keyring(self.data / "audit-keys")
        self.places = CheckpointPlaces(self.data / "audit-checkpoints", root / "second")
        self.client = WitnessClient(url, TrustedKeys.parse(witness_key))

    def write(self, start: int, end: int, every: int = 10) -> Checkpointer:
        with SQLAuditLog(audit_url(self.data)) as log:
            writer = Checkpointer(
                log, self.keyring, self.places, CheckpointPolicy(every), witness=self.client
            )
            for i in range(start, end):
                log.append(make_event(i))
                writer.maybe_checkpoint()
            writer.checkpoint()
        return writer

    def verify(self, witness: bool) -> VerifyReport:
        with SQLAuditLog(audit_url(self.data)) as log:
            return verify_anchored(
                log,
                self.places,
                [self.keyring.directory / PUBLIC_DIR],
                TrustedKeys.parse(self.keyring.current_fingerprint()),
                self.client if witness else None,
            )

    def sql(self, statement: str) -> None:
        with sqlite3.connect(self.data / AUDIT_FILE) as conn:
            conn.execute(statement)
        conn.close()

    def delete_checkpoints_above(self, size: int) -> None:
        for place in self.places.all():
            for path in place.glob("*.json"):
                if int(path.stem) > size:
                    path.unlink()


def _query(site: Site, statement: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(site.data / AUDIT_FILE) as conn:
        rows = conn.execute(statement).fetchall()
    conn.close()
    return rows


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """A witness started as its own process (port chosen by the OS), and a site using it."""
    log_key = Keyring(tmp_path / "data" / "audit-keys").current_fingerprint()  # as at init
    command = [sys.executable, "-m", "threadline", "audit", "witness", "serve"]
    command += ["--state", str(tmp_path / "witness-state"), "--log-key", log_key, "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    try:
        words = process.stdout.readline().split()
        assert words[:1] == ["witness"], words
        yield Site(tmp_path, url=words[1], witness_key=words[3])
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_an_untouched_witnessed_log_verifies(site: Site) -> None:
    writer = site.write(0, 35)
    assert writer.unwitnessed is None
    report = site.verify(witness=True)
    assert report.ok, report.problems
    assert NO_WITNESS not in report.notes
    head = site.client.latest()
    assert head is not None and head.checkpoint.size == 35 and head.trusted


def test_truncation_and_deleted_checkpoints_are_caught_only_by_the_witness(site: Site) -> None:
    site.write(0, 40)
    site.sql('DELETE FROM audit_entries WHERE "index" >= 20')
    site.delete_checkpoints_above(20)
    alone = site.verify(witness=False)
    assert alone.ok and NO_WITNESS in alone.notes  # undetectable without a witness
    report = site.verify(witness=True)
    assert not report.ok and report.first_bad_index == 20
    assert "the witness's checkpoint (size 40)" in report.summary()


def test_rewrite_re_signed_with_the_data_dir_key_is_caught_by_the_witness(site: Site) -> None:
    site.write(0, 30)
    # The intruder rewrites every entry, deletes both checkpoint places and re-signs
    # a new chain with the key in the data directory.
    site.sql("DELETE FROM audit_entries")
    tables = {row[0] for row in _query(site, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables - {"audit_entries"}:  # what the log keeps beside its entries
        site.sql(f"DELETE FROM {table}")
    shutil.rmtree(site.places.primary)
    assert site.places.second is not None
    shutil.rmtree(site.places.second)
    writer = site.write(1000, 1030)
    # The witness refuses to cosign a head that does not extend the one it holds.
    assert writer.unwitnessed is not None and "refused" in writer.unwitnessed
    alone = site.verify(witness=False)
    assert alone.ok  # the key is the trusted one, so nothing local can tell
    report = site.verify(witness=True)
    assert not report.ok
    assert "the witness's checkpoint (size 30)" in report.summary()


def test_a_witness_outage_keeps_the_checkpoint_and_catches_up(site: Site, tmp_path: Path) -> None:
    site.write(0, 10)
    good = site.client
    site.client = WitnessClient("http://127.0.0.1:9", good.witness_keys, timeout=2.0)
    writer = site.write(10, 20)
    assert writer.unwitnessed is not None and "cannot be reached" in writer.unwitnessed
    latest = site.places.latest()
    assert latest is not None and latest.size == 20
    site.client = good
    assert "10 entries are not yet witnessed" in site.verify(witness=True).notes
    writer = site.write(20, 25)  # sends a proof from size 10, the witness's last
    assert writer.unwitnessed is None
    head = good.latest()
    assert head is not None and head.checkpoint.size == 25
    assert site.verify(witness=True).ok


def test_the_workbench_sends_checkpoints_to_the_configured_witness(site: Site) -> None:
    head = site.client.latest
    assert site.client.witness_keys is not None
    env = {
        "THREADLINE_AUDIT_WITNESS_URL": site.client.url,
        "THREADLINE_AUDIT_WITNESS_KEY": ",".join(site.client.witness_keys.fingerprints),
    }
    ok(site.data, "audit", "init", env=env)
    ok(site.data, "datasets", env=env)
    witnessed = head()
    assert witnessed is not None and witnessed.checkpoint.size > 1
    report = ok(site.data, "audit", "verify", "--json", env=env).json()
    assert isinstance(report, dict) and report["ok"]
    assert not any("not yet witnessed" in note for note in report["notes"])
    # Cut the log short and remove both checkpoint places: only the witness knows.
    site.sql('DELETE FROM audit_entries WHERE "index" >= 1')
    shutil.rmtree(site.places.primary)
    done = cli(site.data, "audit", "verify", "--witness", site.client.url)
    assert done.code == 1 and "the witness's checkpoint" in done.stderr
