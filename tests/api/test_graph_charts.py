"""`k` on the path route (the demo's chain is among the k best), and charts saved into a
case over the API: saved, listed, refused with the field named, in the bundle."""

from __future__ import annotations

import httpx
import orjson

from tests.api.conftest import PURPOSE, World
from threadline.app.context import Context
from threadline.demo import STORY


def story_ids(world: World) -> dict[str, str]:
    """The story's entities as bob finds them by name (canonical ids after resolve)."""
    bob = world.app.state.server.bench.acting(Context(actor="bob", purpose=PURPOSE))

    def first(name: str, schema: str, dataset: str) -> str:
        hits = bob.search(name, schema=schema, limit=5).hits
        return next(h.id for h in hits if dataset in h.datasets)

    return {
        "official": first(STORY.official, "Person", "procurement"),
        "declared": first(STORY.relative_native, "Person", "procurement"),
        "relative": first(STORY.relative_native, "Person", "leak"),
        "offshore": first(STORY.offshore, "Company", "leak"),
        "holding": first(STORY.holding, "Company", "registry"),
        "contractor": first(STORY.contractor, "Company", "registry"),
    }


def _paths(client: httpx.Client, ids: dict[str, str], **params: object) -> httpx.Response:
    query = {"source": ids["official"], "target": ids["contractor"], "types": "Family,Ownership"}
    return client.get("/graph/path", params={**query, **params})


def test_k_brings_the_demo_chain_and_is_checked(world: World) -> None:
    ids = story_ids(world)
    # Resolution alone joins the declared relative and the leak's owner: no judgement.
    assert ids["declared"] == ids["relative"]
    with world.client("bob") as client:
        found = _paths(client, ids, k=5, max_hops=6)
        assert found.status_code == 200, found.text
        paths = found.json()["paths"]
        assert 1 <= len(paths) <= 5
        captions = [[n["caption"] for n in p["nodes"]] for p in paths]
        chain = [p["node_ids"] for p in paths if ids["offshore"] in p["node_ids"]]
        assert chain, captions
        story = ["official", "declared", "offshore", "holding", "contractor"]
        assert chain[0] == [
            min(ids[r], ids["relative"]) if r == "declared" else ids[r] for r in story
        ]
        one = _paths(client, ids, k=1, max_hops=6).json()["paths"]
        assert len(one) == 1 and one[0]["rank"] == 1
        for bad in (0, 21, "many"):
            refused = _paths(client, ids, k=bad)
            assert refused.status_code == 422
            assert refused.json()["detail"][0]["loc"] == ["query", "k"]


def _chart(ids: dict[str, str], **changes: object) -> dict[str, object]:
    nodes = [
        {"entity_id": ids[role], "caption": role, "schema": "Thing", "x": 10.0 * i, "y": 5.0}
        for i, role in enumerate(("official", "relative", "offshore"))
    ]
    nodes[0]["note"] = "heads the procurement office"
    body: dict[str, object] = {
        "title": "The chain",
        "note": "official to offshore",
        "nodes": nodes,
        "edges": [{"source": ids["official"], "target": ids["relative"], "type": "Family"}],
    }
    body.update(changes)
    return body


def test_a_chart_is_saved_listed_refused_and_bundled(world: World) -> None:
    ids = story_ids(world)
    with world.client("bob") as client:
        case = client.post("/cases", json={"name": "Charts over HTTP", "purpose": "Charts"}).json()
        url = f"/cases/{case['id']}/charts"
        saved = client.post(url, json=_chart(ids))
        assert saved.status_code == 201, saved.text
        chart = saved.json()
        assert (chart["title"], chart["created_by"], len(chart["nodes"])) == ("The chain", "bob", 3)
        assert chart["nodes"][0]["note"] == "heads the procurement office"
        assert client.get(url).json() == [chart]

        bad_colour = _chart(ids)
        bad_colour["nodes"][0]["color"] = "red"  # type: ignore[index]  # a list of dicts
        refused = client.post(url, json=bad_colour)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "nodes", 0, "color"]
        stray = _chart(ids, edges=[{"source": ids["official"], "target": "nowhere", "type": "X"}])
        answer = client.post(url, json=stray)
        assert answer.status_code == 400 and answer.json()["detail"].startswith("edges:")
        unknown = _chart(ids, nodes=[{"entity_id": "no-such-entity", "x": 0, "y": 0}], edges=[])
        answer = client.post(url, json=unknown)
        assert answer.status_code == 400 and answer.json()["detail"].startswith("nodes:")

        bundle = orjson.loads(client.get(f"/cases/{case['id']}/export").content)
        (item,) = bundle["charts"]
        assert item["svg"].startswith("<svg")
        assert [n["entity_id"] for n in item["nodes"]] == [
            ids[r] for r in ("official", "relative", "offshore")
        ]
        assert all(n["datasets"] for n in item["nodes"])
    # Not a member: refused like a case that does not exist.
    with world.client("cat") as client:
        assert client.get(url).status_code == 403
        assert client.post(url, json=_chart(ids)).status_code == 403


def test_a_browser_session_saves_a_chart_only_with_its_csrf_token(world: World) -> None:
    ids = story_ids(world)
    with world.browser("bob") as (client, csrf):
        client.headers["X-Purpose"] = PURPOSE
        case = client.post(
            "/cases",
            json={"name": "Charts in a session", "purpose": "Charts"},
            headers={"X-CSRF-Token": csrf},
        ).json()
        url = f"/cases/{case['id']}/charts"
        assert client.post(url, json=_chart(ids)).status_code == 403
        assert client.post(url, json=_chart(ids), headers={"X-CSRF-Token": csrf}).status_code == 201
