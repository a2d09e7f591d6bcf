"""The caller's persistent jobs over HTTP: list, show, cancel; another user's job
does not exist for them. The server runs jobs in its own thread (one process)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.api.conftest import World

PEOPLE = b'{"id": "job-1", "schema": "Person", "properties": {"name": ["Jobina Queue"]}}\n'


def _done(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def test_jobs_are_listed_shown_and_cancelled_by_their_owner(world: World) -> None:
    with world.client("bob") as bob, world.client("cat") as cat:
        answer = bob.post(
            "/ingest", files={"file": ("q.ijson", PEOPLE)}, data={"dataset": "jobs-api"}
        )
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        done = _done(bob, job_id)
        assert (done["kind"], done["status"], done["attempts"]) == ("ingest", "done", 1)
        assert done["result"][0]["entities"] == 1
        assert done["started_at"] is not None and done["finished_at"] is not None
        assert job_id in [j["id"] for j in bob.get("/jobs").json()]
        assert job_id in [j["id"] for j in bob.get("/jobs", params={"kind": "ingest"}).json()]
        assert bob.get("/jobs", params={"kind": "reindex"}).json() == []
        # A finished job stays as it ended.
        kept = bob.post(f"/jobs/{job_id}/cancel").json()
        assert (kept["status"], kept["cancel"]) == ("done", False)
        # Someone else's job does not exist for them, to show or to cancel.
        assert cat.get(f"/jobs/{job_id}").status_code == 404
        assert cat.post(f"/jobs/{job_id}/cancel").status_code == 404
        assert job_id not in [j["id"] for j in cat.get("/jobs").json()]
        assert bob.get("/jobs/no-such-job").status_code == 404


def test_jobs_need_a_caller(world: World) -> None:
    with world.client() as nobody:
        assert nobody.get("/jobs").status_code == 401
