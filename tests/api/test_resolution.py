"""Resolution and link analysis over the API: review, judge, explain, undo; neighbours
and paths."""

from __future__ import annotations

from tests.api.conftest import World


def test_review_judge_explain_and_undo(world: World) -> None:
    # A pair both may read: other tests of this session's world add datasets that only
    # bob reads, and their pairs may come first in his queue.
    with world.client("cat") as reader:
        queue = reader.get("/review", params={"limit": 5}).json()
    assert queue, "the resolved demo leaves pairs to review"
    with world.client("bob") as client:
        left, right = queue[0]["left"], queue[0]["right"]
        why = client.get("/explain", params={"left": left, "right": right}).json()
        assert why["decision"] == "review"
        assert {f["name"] for f in why["features"]} >= {"org_name", "country"}
        made = client.post(
            "/judgements", json={"left": left, "right": right, "verdict": "same", "reason": "t"}
        )
        assert made.status_code == 201, made.text
        judgement = made.json()
        assert (judgement["actor"], judgement["verdict"]) == ("bob", "same")
        merged = client.get(f"/entities/{right}").json()
        assert sorted(merged["members"]) == sorted([left, right])
        about = client.get("/judgements", params={"entity_id": left}).json()
        assert judgement["id"] in [j["id"] for j in about]
        undone = client.delete(f"/judgements/{judgement['id']}")
        assert undone.status_code == 200 and undone.json()["id"] == judgement["id"]
        assert len(client.get(f"/entities/{right}").json()["members"]) == 1
        assert client.get("/judgements", params={"entity_id": left}).json() == []
        kept = client.get("/judgements", params={"entity_id": left, "include_undone": True})
        assert [j["deleted_by"] for j in kept.json()] == ["bob"]
        assert client.delete(f"/judgements/{judgement['id']}").status_code == 400
        assert (
            client.post(
                "/judgements", json={"left": left, "right": right, "verdict": "maybe"}
            ).status_code
            == 422
        )
    with world.client("cat") as reader:  # reading is not judging: cat cannot write
        refused = reader.post("/judgements", json={"left": left, "right": right, "verdict": "same"})
        assert refused.status_code == 403


def test_neighbours_and_paths(world: World) -> None:
    with world.client("cat") as client:
        hits = client.get("/search", params={"schema": "Ownership", "limit": 1}).json()["hits"]
        ownership = client.get(f"/entities/{hits[0]['id']}").json()
        ends = [o["id"] for link in ownership["relationships"] for o in link["others"]]
        if len(ends) < 2:  # the edge's own ends, from its entity-typed values
            ends = [v["value"] for p in ("owner", "asset") for v in ownership["properties"][p]]
        owner, asset = ends[0], ends[1]
        hood = client.get("/graph/neighbours", params={"entity_id": owner, "depth": 1}).json()
        assert owner in hood["depth"] and hood["depth"][owner] == 0
        assert asset in {n["id"] for n in hood["nodes"]}
        typed = client.get(
            "/graph/neighbours", params={"entity_id": owner, "types": "Ownership,Directorship"}
        )
        assert typed.status_code == 200
        paths = client.get("/graph/path", params={"source": owner, "target": asset}).json()
        assert paths["paths"][0]["hops"] == 1
        assert paths["paths"][0]["node_ids"] == [owner, asset]
        unknown = client.get("/graph/neighbours", params={"entity_id": owner, "types": "Nope"})
        assert unknown.status_code == 422
