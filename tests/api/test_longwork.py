"""Resolve and reindex over HTTP, queued as persistent jobs: 202 with the job, then
its result by `GET /jobs/{id}`; reindex is refused to a non-admin at once; a resolve
of a dataset the caller may not write fails its job with the reason; the work is on
the audit record as the caller's."""

from __future__ import annotations

from tests.api.conftest import World
from tests.api.test_jobs import _done

PEOPLE = (
    b'{"id": "lw-1", "schema": "Person", "properties": {"name": ["Longa Worka"], '
    b'"birthDate": ["1970-02-03"]}}\n'
    b'{"id": "lw-2", "schema": "Person", "properties": {"name": ["Longa Worka"], '
    b'"birthDate": ["1970-02-03"]}}\n'
)


def test_resolve_is_queued_and_reports(world: World) -> None:
    with world.client("bob") as bob:
        ingest = bob.post("/ingest", files={"file": ("lw.ijson", PEOPLE)}, data={"dataset": "lw"})
        assert _done(bob, ingest.json()["id"])["status"] == "done"
        answer = bob.post("/resolve", params={"datasets": ["lw"]})
        assert answer.status_code == 202, answer.text
        queued = answer.json()
        assert (queued["kind"], queued["status"]) == ("resolve", "queued")
        done = _done(bob, queued["id"])
        assert done["status"] == "done", done
        result = done["result"]
        assert result["records"] >= 2 and result["merged"] + result["queued"] >= 1
        assert bob.post("/resolve", params={"engine": "hadoop"}).status_code == 422
    with world.client("cat") as cat:  # cat reads the registry, and may not write it
        refused = cat.post("/resolve", params={"datasets": ["registry"]})
        failed = _done(cat, refused.json()["id"])
        assert failed["status"] == "failed" and "write" in failed["error"]


def test_reindex_is_for_admins(world: World) -> None:
    with world.client("bob") as bob:
        assert bob.post("/reindex").status_code == 403
    with world.client("ada") as ada:
        answer = ada.post("/reindex")
        assert answer.status_code == 202, answer.text
        done = _done(ada, answer.json()["id"])
        assert done["status"] == "done" and done["result"]["entities"] > 0
        page = ada.get("/audit/log", params={"limit": 20}).json()
        assert "reindex" in [e["action"] for e in page["events"]]
