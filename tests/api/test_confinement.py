"""Path tricks through the server: every mapping in the corpus, uploaded to
`POST /api/v1/ingest`, reads nothing outside its upload
folder. Nothing secret ends up in the store, and the real audit signing key (in the
server's data directory, two folders above every upload) stays unread."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.api.conftest import World
from tests.ingest.pathtricks import HARMLESS, SECRET, leaks, server_tricks

DATA = f"name\n{HARMLESS}\n".encode()


def _wait(client: httpx.Client, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, object] = client.get(f"/ingest/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def test_no_trick_escapes_through_the_api(world: World, tmp_path: Path) -> None:
    data_dir: Path = world.app.state.server.bench.data_dir
    cases = server_tricks(data_dir, tmp_path / "outside", "conf-api")
    refused = 0
    with world.client("bob") as client:
        for name, text in cases:
            files = {
                "file": ("data.csv", DATA, "text/csv"),
                "mapping": ("m.yml", text.encode("utf-8", "surrogatepass"), "application/yaml"),
            }
            answer = client.post("/ingest", files=files)
            assert not leaks(answer.text), name
            if answer.status_code == 400:
                refused += 1
                continue
            assert answer.status_code == 202, (name, answer.text)
            job = _wait(client, answer.json()["id"])
            assert not leaks(str(job)), name
            refused += job["status"] == "failed"
        exported = client.get("/export", params={"dataset": "conf-api"})
        searched = client.get("/search", params={"q": SECRET})
    assert not leaks(exported.text)
    assert searched.json()["total"] == 0
    # Only the tricks that end up naming data.csv alone may run.
    assert refused >= len(cases) - 2
