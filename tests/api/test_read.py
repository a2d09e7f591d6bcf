"""Reading over the API: purpose rules, entities with provenance, hostile values."""

from __future__ import annotations

import json

from tests.api.conftest import XSS, XSS_IMG, World


def test_server_mode_asks_reads_for_a_purpose(world: World) -> None:
    with world.client("bob", purpose=None) as client:
        refused = client.get("/search", params={"q": "Mallory"})
        assert refused.status_code == 428
        assert "purpose" in refused.json()["detail"]
        assert client.get(f"/entities/{world.xss_id}").status_code == 428
        answered = client.get("/search", params={"q": "Mallory"}, headers={"X-Purpose": "tip"})
    assert answered.status_code == 200
    assert answered.json()["total"] >= 1


def test_search_filters_and_pages(world: World) -> None:
    with world.client("cat") as client:
        everyone = client.get("/search", params={"schema": "Person", "limit": 5}).json()
        page = client.get("/search", params={"schema": "Person", "limit": 5, "offset": 5}).json()
        assert len(everyone["hits"]) == 5
        assert everyone["total"] == page["total"] > 10
        assert {h["id"] for h in everyone["hits"]}.isdisjoint(h["id"] for h in page["hits"])
        assert all(h["schema"] == "Person" for h in everyone["hits"])
        assert "schema" in everyone["facets"]
        assert client.get("/search", params={"limit": -1}).status_code == 422


def test_an_entity_shows_the_provenance_of_every_value(world: World) -> None:
    with world.client("cat") as client:
        found = client.get(f"/entities/{world.xss_id}").json()
        missing = client.get("/entities/no-such-entity")
    assert missing.status_code == 404
    assert found["schema"] == "Person"
    value = found["properties"]["country"][0]
    assert value["value"] == "de"
    assert value["dataset"] == "tips"
    assert value["source_name"] == "tips.ijson"
    assert value["location"] == 1
    assert len(value["source"]) == 64 and value["statement_id"]
    assert found["members"] == [world.xss_id]


def test_datasets_lists_what_the_caller_may_read(world: World) -> None:
    with world.client("cat") as client:
        names = {d["name"] for d in client.get("/datasets").json()}
    assert {"registry", "procurement", "donations", "leak", "tips", "formulas"} <= names


def test_ingested_markup_comes_back_json_escaped(world: World) -> None:
    with world.client("cat") as client:
        answers = [
            client.get("/search", params={"q": "Mallory"}),
            client.get(f"/entities/{world.xss_id}"),
            client.get("/graph/neighbours", params={"entity_id": world.xss_id}),
        ]
    for answer in answers:
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert b"<" not in answer.content and b">" not in answer.content
        assert b"\\u003cscript\\u003e" in answer.content
    hit = answers[0].json()["hits"][0]
    assert hit["caption"] == f"{XSS} Mallory"  # the same data to a JSON parser
    assert "&lt;script&gt;" in json.dumps(hit["highlights"])  # highlights are HTML-escaped
    notes = answers[1].json()["properties"]["notes"]
    assert notes[0]["value"] == XSS_IMG


def test_every_answer_carries_its_server_time(world: World) -> None:
    with world.client("cat") as client:
        timing = client.get("/datasets").headers["server-timing"]
    name, _, duration = timing.partition(";dur=")
    assert name == "app" and float(duration) >= 0
