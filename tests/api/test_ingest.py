"""Uploading files to ingest: background jobs, progress, row errors, confined mappings."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.api.conftest import World

GOOD = b'{"id": "up-1", "schema": "Person", "properties": {"name": ["Uma Upload"]}}\n'
BAD = b"{not json\n"
MAPPING = b"""uploaded-map:
  queries:
    - csv_url: people.csv
      entities:
        person:
          schema: Person
          keys: [name]
          properties:
            name: {column: name}
"""


def _finished(client: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
        job = client.get(f"/ingest/{job['id']}").json()
    return job


def _upload(client: httpx.Client, files: dict[str, Any], **data: Any) -> dict[str, Any]:
    answer = client.post("/ingest", files=files, data=data)
    assert answer.status_code == 202, answer.text
    return _finished(client, answer.json())


def test_an_upload_is_ingested_in_the_background(world: World) -> None:
    with world.client("bob") as client:
        job = _upload(client, {"file": ("people.ijson", GOOD)}, dataset="uploads-good")
        assert job["status"] == "done", job
        assert job["results"][0]["entities"] == 1
        assert job["results"][0]["file"] == "people.ijson"
        assert job["stage"]["done"] == job["stage"]["total"]
        assert client.get("/search", params={"q": "Uma Upload"}).json()["total"] == 1
        assert job["id"] in [j["id"] for j in client.get("/ingest").json()]
    with world.client("cat") as other:  # another user's job does not exist for them
        assert other.get(f"/ingest/{job['id']}").status_code == 404


def test_row_errors_are_reported_row_by_row(world: World) -> None:
    with world.client("bob") as client:
        files = {"file": ("mixed.ijson", GOOD + BAD + GOOD.replace(b"up-1", b"up-2"))}
        stopped = _upload(client, files, dataset="uploads-bad")
        skipped = _upload(client, files, dataset="uploads-bad", skip_errors="true")
    assert stopped["status"] == "failed"
    assert stopped["errors"][0]["line"] == 2
    assert "nothing from this file was written" in stopped["error"]
    assert skipped["status"] == "done"
    assert skipped["results"][0]["entities"] == 2
    assert [(e["file"], e["line"]) for e in skipped["errors"]] == [("mixed.ijson", 2)]


def test_a_table_with_a_mapping(world: World) -> None:
    with world.client("bob") as client:
        files = {
            "file": ("people.csv", b"name\nMapped Person\n", "text/csv"),
            "mapping": ("map.yml", MAPPING, "application/yaml"),
        }
        job = _upload(client, files)
        assert job["status"] == "done", job
        assert job["results"][0]["dataset"] == "uploaded-map"
        quick = _upload(
            client,
            {"file": ("quick.csv", b"full name\nQuick Person\n")},
            dataset="uploads-quick",
            schema="Person",
            maps=["name=full name"],
        )
        assert quick["status"] == "done", quick
        assert client.get("/search", params={"q": "Quick Person"}).json()["total"] == 1


def test_a_mapping_may_only_read_its_own_uploads(world: World) -> None:
    with world.client("bob") as client:
        for target in ("/etc/passwd", "../../store.sqlite3", "file:///etc/passwd"):
            mapping = MAPPING.replace(b"people.csv", target.encode())
            answer = client.post("/ingest", files={"file": ("evil.yml", mapping)})
            assert answer.status_code == 400, target
            detail = answer.json()["detail"]
            assert "outside the folder this ingest may read" in detail or "not a URL" in detail
