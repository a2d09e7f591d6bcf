"""Cases over the API: a member's workflow, and nobody else's way in."""

from __future__ import annotations

import re

from tests.api.conftest import World


def _person(world: World) -> str:
    with world.client("bob") as client:
        hits = client.get("/search", params={"schema": "Person", "limit": 1}).json()["hits"]
    return str(hits[0]["id"])


def test_a_case_from_creation_to_export(world: World) -> None:
    entity_id = _person(world)
    with world.client("bob", purpose=None) as client:
        case = client.post(
            "/cases", json={"name": "Procurement ring", "purpose": "tender 2024", "sources": "all"}
        ).json()
        base = f"/cases/{case['id']}"
        # No X-Purpose: working inside the case gives the call its purpose.
        pin = client.post(f"{base}/pins", json={"entity_id": entity_id, "comment": "lead"})
        assert pin.status_code == 201, pin.text
        note = client.post(f"{base}/notes", json={"text": f"see [[entity:{entity_id}]]"})
        assert note.json()["entities"] == [entity_id]
        task = client.post(f"{base}/tasks", json={"title": "call registry", "assignee": "bob"})
        done = client.patch(f"{base}/tasks/{task.json()['id']}", json={"status": "done"})
        assert done.json()["status"] == "done"
        assert done.json()["assignee"] == "bob"  # left out: kept
        cleared = client.patch(f"{base}/tasks/{task.json()['id']}", json={"assignee": None})
        assert cleared.json()["assignee"] is None
        member = client.post(f"{base}/members", json={"user": "cat", "role": "reader"})
        assert member.json()["members"] == {"bob": "owner", "cat": "reader"}
        shown = client.get(base).json()
        assert [p["entity_id"] for p in shown["pins"]] == [entity_id]
        assert len(shown["notes"]) == 1
        bundle = client.get(f"{base}/export")
        assert bundle.headers["content-type"].startswith("application/json")
        assert bundle.json()["case"]["id"] == case["id"]
        report = client.get(f"{base}/export", params={"format": "html"})
        assert report.headers["content-type"].startswith("text/html")
        assert "sandbox" in report.headers["content-security-policy"]
        assert report.headers["content-disposition"].startswith("attachment")
        assert client.delete(f"{base}/pins/{entity_id}").status_code == 204
        assert client.delete(f"{base}/pins/{entity_id}").status_code == 404
    with world.client("cat") as reader:
        assert reader.get(base).status_code == 200
        assert reader.post(f"{base}/notes", json={"text": "mine"}).status_code == 403
        assert case["id"] in [c["id"] for c in reader.get("/cases").json()]


def test_another_users_case_is_refused_like_a_missing_one(world: World) -> None:
    with world.client("bob") as owner:
        case = owner.post("/cases", json={"name": "private", "purpose": "own work"}).json()
    with world.client("cat") as other:
        theirs = other.get(f"/cases/{case['id']}")
        missing = other.get("/cases/0123456789ab")
        pin = other.post(f"/cases/{case['id']}/pins", json={"entity_id": "x"})
        export = other.get(f"/cases/{case['id']}/export")
        listed = other.get("/cases").json()
    assert theirs.status_code == missing.status_code == pin.status_code == 403
    assert export.status_code == 403
    same = re.sub(case["id"], "ID", theirs.text)
    assert same == re.sub("0123456789ab", "ID", missing.text)
    assert case["id"] not in [c["id"] for c in listed]
