"""Cancelling a job over HTTP (`POST /api/v1/jobs/{id}/cancel`) and with
`threadline jobs cancel`: its submitter or an admin may, nobody else may see it; a
queued job ends at once, a running one at its next step with its file rolled back;
every try is in the audit log."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from tests.app.jobs.test_worker import _held, _people
from tests.live_server import LiveServer
from threadline.access import Role
from threadline.api.app import create_app
from threadline.app.context import Context
from threadline.app.jobs import JobStore, jobs_url
from threadline.app.jobs.worker import Worker
from threadline.app.workbench import Workbench
from threadline.audit.query import AuditFilter
from threadline.cli.app import app as cli
from threadline.settings import Settings

PASSWORD = "correct horse battery staple"
ROLES = {"bob": Role.INVESTIGATOR, "cat": Role.INVESTIGATOR, "ada": Role.ADMIN}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, FastAPI]]:
    """A server with no worker of its own: the test runs one when it wants the job to run."""
    data_dir = tmp_path / "data"
    with Workbench(data_dir=data_dir) as bench:
        for user, role in ROLES.items():
            bench.user_add(user, role)
            bench.accountability.access.set_password(user, PASSWORD)
    app = create_app(Settings(data_dir=data_dir), run_jobs="none")
    with LiveServer(app) as live:
        yield f"{live.url}/api/v1", app


@contextmanager
def _client(base: str, user: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60, headers={"X-Purpose": "cancel tests"}) as client:
        answer = client.post("/login", json={"username": user, "password": PASSWORD})
        answer.raise_for_status()
        client.headers["X-CSRF-Token"] = answer.json()["csrf"]
        yield client


def _upload(client: httpx.Client, dataset: str) -> dict[str, Any]:
    files = {"file": ("people.ijson", _people(50))}
    answer = client.post("/ingest", files=files, data={"dataset": dataset})
    assert answer.status_code == 202, answer.text
    job: dict[str, Any] = answer.json()
    return job


def _cancels(app: FastAPI, job_id: str) -> list[tuple[str, str]]:
    bench: Workbench = app.state.server.bench
    events = bench.audit_log(AuditFilter(action="job.cancel")).events
    return [
        (e.event.actor, e.event.outcome) for e in events if f"job:{job_id}" in e.event.object_ids
    ]


def test_a_queued_job_is_cancelled_by_its_submitter_only(
    served: tuple[str, FastAPI],
) -> None:
    base, app = served
    with _client(base, "bob") as bob, _client(base, "cat") as cat:
        job = _upload(bob, "cancel-queued")
        refused = cat.post(f"/jobs/{job['id']}/cancel")
        assert refused.status_code == 404  # cat cannot tell bob's job exists
        assert bob.get(f"/jobs/{job['id']}").json()["status"] == "queued"
        done = bob.post(f"/jobs/{job['id']}/cancel")
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["cancel"]) == ("cancelled", True)
    store: JobStore = app.state.server.jobs.store
    assert store.get(job["id"]).status == "cancelled"
    outcomes = _cancels(app, job["id"])
    assert ("bob", "ok") in outcomes and ("bob", "started") in outcomes
    assert any(actor == "cat" and outcome.startswith("failed") for actor, outcome in outcomes)


def test_an_admin_cancels_a_running_job_at_its_next_step(
    served: tuple[str, FastAPI], tmp_path: Path
) -> None:
    base, app = served
    server = app.state.server
    pause = tmp_path / "pause"
    pause.touch()
    with _client(base, "bob") as bob, _client(base, "ada") as ada:
        job = _upload(bob, "cancel-running")
        worker = Worker(server.bench, server.jobs.store, lease=0.6, pause_file=pause)
        thread = threading.Thread(target=worker.run, kwargs={"once": True})
        thread.start()
        try:
            _held(server.jobs.store, job["id"])
            asked = ada.post(f"/jobs/{job['id']}/cancel")
            assert asked.status_code == 200, asked.text
            # Still running: the flag is in the job table, for its worker's next beat.
            assert (asked.json()["status"], asked.json()["cancel"]) == ("running", True)
            thread.join(30)
        finally:
            pause.unlink(missing_ok=True)
            thread.join(30)
        assert not thread.is_alive()
        ended = bob.get(f"/jobs/{job['id']}").json()
        assert ended["status"] == "cancelled"
    bench: Workbench = server.bench
    assert not any(d.name == "cancel-running" for d in bench.datasets())  # rolled back
    assert ("ada", "ok") in _cancels(app, job["id"])


def test_jobs_cancel_on_the_command_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Workbench(data_dir=data_dir) as bench:
        tokens = {user: bench.user_add(user, role).token for user, role in ROLES.items()}
        store = JobStore(jobs_url(bench.settings))
    try:
        bobs = store.submit("reindex", Context(actor="bob"), {})
        runner = CliRunner()
        args = ["--data-dir", str(data_dir), "jobs", "cancel", bobs.id, "--json"]
        refused = runner.invoke(cli, args, env={"THREADLINE_TOKEN": tokens["cat"]})
        assert refused.exit_code != 0
        assert store.get(bobs.id).status == "queued"
        done = runner.invoke(cli, args, env={"THREADLINE_TOKEN": tokens["ada"]})
        assert done.exit_code == 0, done.output
        assert orjson.loads(done.stdout.splitlines()[-1])["status"] == "cancelled"
    finally:
        store.close()
    with Workbench(data_dir=data_dir) as bench:
        events = bench.audit_log(AuditFilter(action="job.cancel")).events
        assert {(e.event.actor, e.event.outcome.split(":")[0]) for e in events} >= {
            ("cat", "failed"),
            ("ada", "ok"),
        }
