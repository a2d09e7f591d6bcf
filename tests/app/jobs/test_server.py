"""A real multi-process server: `threadline serve --workers 2` (uvicorn's processes over
one data directory) with a separate `threadline worker`.

Two users sign in and upload at once; the server is restarted before any worker
runs: their sessions and their queued jobs are still there. Then a worker runs both
jobs, each as its submitter, and both API processes find the new data.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.app.jobs.processes import free_port, serve, start, stop, until
from tests.conftest import entity
from threadline.access import Role
from threadline.app.workbench import Workbench

pytestmark = pytest.mark.slow  # real processes
PASSWORD = "correct horse battery staple"
PURPOSE = "multi-process test"
USERS = ("bob", "cat")


def _sign_in(base: str, user: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60, headers={"X-Purpose": PURPOSE})
    answer = client.post("/login", json={"username": user, "password": PASSWORD})
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf"]
    return client


def _people(user: str) -> bytes:
    rows = [
        entity(f"{user}-{n}", "Person", name=f"{user.title()}person Number{n}") for n in range(20)
    ]
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def test_two_users_a_restart_and_a_separate_worker(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Workbench(data_dir=data_dir) as bench:
        for user in USERS:
            bench.user_add(user, Role.INVESTIGATOR)
            bench.accountability.access.set_password(user, PASSWORD)
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = serve(data_dir, tmp_path / "server-1.log", port)
    clients = {user: _sign_in(base, user) for user in USERS}
    jobs: dict[str, dict[str, Any]] = {}
    try:

        def upload(user: str) -> None:
            files = {"file": (f"{user}.ijson", _people(user))}
            answer = clients[user].post("/ingest", files=files, data={"dataset": f"{user}-data"})
            assert answer.status_code == 202, answer.text
            jobs[user] = answer.json()

        uploads = [threading.Thread(target=upload, args=(user,)) for user in USERS]
        for thread in uploads:
            thread.start()
        for thread in uploads:
            thread.join(120)
        assert {j["status"] for j in jobs.values()} == {"queued"}  # no worker runs yet

        assert stop(server, tmp_path / "server-1.log") == 0
        server = serve(data_dir, tmp_path / "server-2.log", port)
        for user, client in clients.items():  # the same sessions, in the new processes
            assert client.get("/me").json()["user"] == user
            kept = client.get(f"/jobs/{jobs[user]['id']}").json()
            assert (kept["status"], kept["kind"]) == ("queued", "ingest")
        other = clients["cat"].get(f"/ingest/{jobs['bob']['id']}")
        assert other.status_code == 404  # bob's job does not exist for cat

        worker_log = tmp_path / "worker.log"
        worker = start(data_dir, worker_log, "worker", "--poll", "0.2")
        for user, client in clients.items():

            def finished(user: str = user, client: httpx.Client = client) -> Any:
                job = client.get(f"/ingest/{jobs[user]['id']}").json()
                assert worker.poll() is None, worker_log.read_text()
                return job if job["status"] not in ("queued", "running") else None

            done = until(finished, f"{user}'s job", timeout=180)
            assert done["status"] == "done", done
            assert done["results"][0]["entities"] == 20
            assert done["results"][0]["dataset"] == f"{user}-data"
        assert stop(worker, worker_log) == 0, worker_log.read_text()

        # Each user finds their own data through either API process (requests go to
        # whichever accepts first), within a few seconds of the worker's commit.
        for user, client in clients.items():
            for _ in range(4):

                def found(user: str = user, client: httpx.Client = client) -> bool | None:
                    query: dict[str, str | int] = {"q": f"{user.title()}person", "limit": 50}
                    answer = client.get("/search", params=query).json()
                    return answer["total"] == 20 or None

                until(found, f"{user}'s data in search", timeout=10)
            mine = client.get("/jobs").json()
            assert [j["id"] for j in mine] == [jobs[user]["id"]]
    finally:
        for client in clients.values():
            client.close()
        assert stop(server, tmp_path / "server-2.log") == 0
