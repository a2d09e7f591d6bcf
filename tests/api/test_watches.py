"""`/watches` and `/alerts` over the running server: the same verbs and parameter names
as the library, each caller seeing only their own watches, refusals as 400."""

from __future__ import annotations

from tests.api.conftest import World


def test_watch_list_alerts_and_unwatch(world: World) -> None:
    with world.client("cat") as cat, world.client("bob") as bob:
        made = cat.post("/watches/entity", json={"entity_id": world.xss_id})
        assert made.status_code == 201, made.text
        watch = made.json()
        assert (watch["kind"], watch["spec"]) == ("entity", {"entity_id": world.xss_id})
        pair = cat.post(
            "/watches/pair", json={"source": world.xss_id, "target": "x", "max_hops": 2}
        )
        assert pair.status_code == 201, pair.text
        mine = {w["id"] for w in cat.get("/watches").json()}
        assert {watch["id"], pair.json()["id"]} <= mine
        assert all(w["id"] not in mine for w in bob.get("/watches").json())
        assert bob.delete(f"/watches/{watch['id']}").status_code == 404  # not bob's
        assert cat.get("/alerts", params={"watch_id": watch["id"]}).json() == []
        done = cat.post("/watches/evaluate")
        assert done.status_code == 200 and done.json()["alerts"] == []
        for made_id in (watch["id"], pair.json()["id"]):
            assert cat.delete(f"/watches/{made_id}").status_code == 204
        assert cat.get("/alerts", params={"watch_id": watch["id"]}).status_code == 404


def test_profiling_and_unsafe_webhooks_are_refused(world: World) -> None:
    with world.client("cat") as cat:
        refused = cat.post("/watches/search", json={"query": "refugees", "schema": "Person"})
        assert refused.status_code == 400 and "immigration status" in refused.json()["detail"]
        body = {"query": "Acme", "webhook": "http://[::ffff:10.0.0.1]/hook"}
        unsafe = cat.post("/watches/search", json=body)
        assert unsafe.status_code == 400 and "private" in unsafe.json()["detail"]


def test_a_search_watch_keeps_the_document_facets(world: World) -> None:
    body = {"query": "invoice", "doc_type": "email", "sender": " Ana@Example.ORG ", "year": 2020}
    with world.client("cat") as cat:
        made = cat.post("/watches/search", json=body)
        assert made.status_code == 201, made.text
        spec = made.json()["spec"]
        assert (spec["doc_type"], spec["sender"], spec["year"]) == (
            "Email",
            "ana@example.org",
            2020,
        )
        assert "recipient" not in spec  # only the facets given are kept
        assert cat.post("/watches/search", json={**body, "year": 0}).status_code == 422
        assert cat.delete(f"/watches/{made.json()['id']}").status_code == 204
