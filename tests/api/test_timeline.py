"""Timelines and resolved citations over the API: the same verbs and parameters as
the CLI, errors naming the field, and nobody else's case."""

from __future__ import annotations

from tests.api.conftest import World
from threadline.demo import STORY


def _offshore(world: World) -> str:
    with world.client("bob") as client:
        hits = client.get("/search", params={"q": STORY.offshore, "schema": "Company"}).json()
    return str(hits["hits"][0]["id"])


def test_entity_timeline_filters_and_names_bad_fields(world: World) -> None:
    entity_id = _offshore(world)
    with world.client("bob") as client:
        items = client.get(f"/entities/{entity_id}/timeline").json()
        schemata = {i["schema"] for i in items}
        assert {"Payment", "Ownership"} <= schemata
        payments = client.get(f"/entities/{entity_id}/timeline", params={"schema": "Payment"})
        assert payments.status_code == 200
        assert {i["schema"] for i in payments.json()} == {"Payment"}
        assert all(i["label"].startswith("Payment ") and i["file"] for i in payments.json())
        bad = client.get(f"/entities/{entity_id}/timeline", params={"since": "soon"})
        assert bad.status_code == 400 and "since" in bad.json()["detail"]
        unknown = client.get(f"/entities/{entity_id}/timeline", params={"colour": "red"})
        assert unknown.status_code == 422


def test_case_timeline_and_resolved_citations(world: World) -> None:
    entity_id = _offshore(world)
    with world.client("bob", purpose=None) as client:
        case = client.post("/cases", json={"name": "Offshore", "purpose": "payments"}).json()
        base = f"/cases/{case['id']}"
        assert client.post(f"{base}/pins", json={"entity_id": entity_id}).status_code == 201
        periods = client.get(f"{base}/timeline", params={"schema": "Ownership"}).json()
        assert periods and all(p["prop"] == "startDate" for p in periods)
        payment = client.get(f"{base}/timeline", params={"schema": "Payment"}).json()[0]
        text = f"Paid [[stmt:{payment['statement_id']}]]"
        assert client.post(f"{base}/notes", json={"text": text}).status_code == 201
        shown = client.get(base).json()
        (cited,) = shown["citations"]
        assert (cited["state"], cited["schema"], cited["prop"]) == ("ok", "Payment", "date")
        assert cited["value"] == payment["date"] and cited["file"] == payment["file"]
    with world.client("cat") as other:
        assert other.get(f"{base}/timeline").status_code == 403
