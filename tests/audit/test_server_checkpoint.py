"""A running server signs new audit events on its timer, not only when it stops."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.cli.runner import ok
from tests.live_server import LiveServer
from threadline.api.app import create_app
from threadline.app.accountability import CHECKPOINTS_DIR
from threadline.audit.checkpoint import CheckpointPlaces
from threadline.audit.sql import SQLAuditLog, audit_url
from threadline.settings import Settings


def _signed(data: Path) -> int:
    latest = CheckpointPlaces(data / CHECKPOINTS_DIR).latest()
    return 0 if latest is None else latest.size


def test_the_server_signs_new_events_while_running(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ok(data, "audit", "init")
    before = _signed(data)
    settings = Settings(data_dir=data, checkpoint_seconds=0.2)
    with LiveServer(create_app(settings, local=True)) as server:
        with httpx.Client(base_url=f"{server.url}/api/v1") as client:
            assert client.get("/audit/verify").json()["ok"]
        with SQLAuditLog(audit_url(data)) as log:
            size = log.size()
        assert size > before
        # Waits for the timer (a bound, not a speed check): the server is still up.
        deadline = time.monotonic() + 30
        while _signed(data) < size and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _signed(data) == size
    assert ok(data, "audit", "verify").stdout.startswith("ok: ")
