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


def _events(ada: httpx.Client, action: str) -> list[dict[str, Any]]:
    """Events of `action`, newest first."""
    page = ada.get("/audit/log", params={"limit": 50, "action": action}).json()
    return [e for e in page["events"] if e["action"] == action]


def test_an_admin_oversees_everyones_jobs_on_record(world: World) -> None:
    with world.client("bob") as bob, world.client("ada") as ada, world.client("cat") as cat:
        answer = bob.post(
            "/ingest", files={"file": ("o.ijson", PEOPLE)}, data={"dataset": "jobs-oversight"}
        )
        job_id = answer.json()["id"]
        _done(bob, job_id)
        # bob's own looks are not on record; ada's look at bob's job is, naming bob.
        assert bob.get(f"/jobs/{job_id}").status_code == 200
        assert ada.get(f"/ingest/{job_id}").json()["id"] == job_id
        shown = ada.get(f"/jobs/{job_id}").json()
        assert (shown["id"], shown["status"]) == (job_id, "done")
        looks = [e for e in _events(ada, "job.show") if f"job:{job_id}" in e["object_ids"]]
        assert len(looks) == 2 and all(e["actor"] == "ada" for e in looks)
        assert "owner=bob" in looks[0]["detail"]
        # ada's own list stays hers; everyone's is asked for, and on record.
        assert job_id not in [j["id"] for j in ada.get("/jobs").json()]
        everyone = ada.get("/jobs", params={"everyone": "true"}).json()
        assert job_id in [j["id"] for j in everyone]
        listed = _events(ada, "jobs.list")[0]
        assert f"job:{job_id}" in listed["object_ids"] and "bob" in listed["detail"]
        # Nobody else may: cat is refused everyone's jobs (on record), bob's job is
        # not there for her.
        refused = cat.get("/jobs", params={"everyone": "true"})
        assert refused.status_code == 403
        assert any(e["outcome"].startswith("denied") for e in _events(ada, "jobs.list"))
        assert cat.get(f"/ingest/{job_id}").status_code == 404
