"""The store database's schema over HTTP: an admin reads the revision and history,
upgrades (a no-op at the newest revision) and recounts; an investigator is refused;
each call is on the audit record."""

from __future__ import annotations

from tests.api.conftest import World


def test_an_admin_reads_upgrades_and_recounts(world: World) -> None:
    with world.client("ada") as client:
        history = client.get("/db/history").json()
        assert history and history[0]["down_revision"] is None
        head = history[-1]["revision"]
        current = client.get("/db/current")
        assert current.status_code == 200, current.text
        assert current.json()["current"] == current.json()["head"] == head
        assert "password" not in current.json()["database"]
        upgraded = client.post("/db/upgrade")
        assert upgraded.status_code == 200 and upgraded.json()["current"] == head
        drift = client.post("/recount")
        assert drift.status_code == 200 and drift.json() == []  # the kept counts are right
        page = client.get("/audit/log", params={"limit": 50}).json()
        actions = [e["action"] for e in page["events"]]
    for action in ("db.current", "db.upgrade", "recount"):
        assert action in actions


def test_an_investigator_may_not(world: World) -> None:
    with world.client("bob") as client:
        assert client.get("/db/current").status_code == 403
        assert client.post("/db/upgrade").status_code == 403
        assert client.post("/recount").status_code == 403
