"""The yente-compatible match API over a real server: a screening client's call, a
nomenklatura-style enricher's call with followthemoney entity JSON, the answer's shape
(validated against yente's), access control, audit, validation and CORS."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from followthemoney import Dataset, StatementEntity, model
from followthemoney.types import registry

from tests.api.conftest import PURPOSE, World
from tests.api.spec_schemas import ALGORITHMS, MATCH_RESPONSE, check
from threadline.access import Level, Role
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind
from threadline.demo import STORY

ONLY_REGISTRY = "dora"  # reads the demo's registry and nothing else
NOTHING = "eve"  # reads nothing
CONTRACTOR = {
    "schema": "Company",
    "properties": {
        "name": [STORY.contractor],
        "jurisdiction": ["Germany"],
        "registrationNumber": ["HRB 73518"],
    },
}


def bench_of(world: World) -> Workbench:
    bench: Workbench = world.app.state.server.bench
    return bench


@pytest.fixture(scope="module")
def narrow(world: World) -> World:
    """The world with `dora` (the registry only) and `eve` (nothing) among its users."""
    bench = bench_of(world)
    # The world is the session's: another module using this fixture on the same worker
    # finds the users there already.
    if ONLY_REGISTRY not in world.tokens:
        for name in (ONLY_REGISTRY, NOTHING):
            world.tokens[name] = bench.user_add(name, Role.INVESTIGATOR).token
        bench.grant(ONLY_REGISTRY, "registry", Level.READ)
    return world


def match(
    client: httpx.Client, queries: dict[str, Any], dataset: str = "default", **params: Any
) -> httpx.Response:
    return client.post(f"/match/{dataset}", json={"queries": queries}, params=params)


def test_the_demo_contractor_is_found_with_the_resolvers_features(world: World) -> None:
    with world.client("bob", Origin="https://screening.example") as client:
        answer = match(
            client,
            {
                "c": CONTRACTOR,
                "nobody": {"schema": "Person", "properties": {"name": ["Zyxw Qvbn"]}},
            },
        )
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["x-batch-size"] == "2"
    body = check(MATCH_RESPONSE, answer.json())
    found = body["responses"]["c"]
    assert found["query"]["properties"]["jurisdiction"] == ["de"]  # cleaned, as ingest cleans
    best = found["results"][0]
    assert best["caption"] == STORY.contractor and best["schema"] == "Company"
    assert best["match"] is True and best["score"] >= 0.99
    assert found["total"] == {"value": sum(r["match"] for r in found["results"]), "relation": "eq"}
    assert {"org_name", "identifier"} <= set(best["features"])
    assert best["explanations"]["identifier"]["detail"] == "an identifier in common"
    assert best["features"]["org_name"] == best["explanations"]["org_name"]["score"] > 0
    assert set(best["datasets"]) >= {"registry", "procurement"} and best["referents"]
    assert best["first_seen"] and best["last_seen"] and best["last_change"]
    assert set(body["matcher"]) >= {"org_name", "identifier", "birth_date"}
    scores = [r["score"] for r in found["results"]]
    assert scores == sorted(scores, reverse=True)
    assert body["responses"]["nobody"]["results"] == []


def test_a_nomenklatura_style_enricher_call_with_entity_json(world: World) -> None:
    """What nomenklatura's yente enricher does: a followthemoney entity's matchable,
    non-entity properties, `ApiKey` authorisation, the URL joined onto the API's."""
    dataset = Dataset.make({"name": "screening_list", "title": "Screening list"})
    subject = StatementEntity.from_data(
        dataset,
        {
            "id": "list-1",
            "schema": "Person",
            "properties": {"name": [STORY.relative], "nationality": ["ru"]},
        },
    )
    props = {
        prop.name: subject.get(prop)
        for prop in subject.iterprops()
        if prop.type != registry.entity and prop.matchable
    }
    api = f"{world.url}/api/v1/"
    url = urljoin(api, "match/default")
    headers = {"Authorization": f"ApiKey {world.tokens['cat']}", "X-Purpose": PURPOSE}
    query = {"queries": {"entity": {"schema": subject.schema.name, "properties": props}}}
    with httpx.Client(timeout=60) as client:
        answer = client.post(
            url, json=query, params={"fuzzy": "false", "threshold": 0.5}, headers=headers
        )
    assert answer.status_code == 200, answer.text
    results = check(MATCH_RESPONSE, answer.json())["responses"]["entity"]["results"]
    loaded = [StatementEntity.from_data(dataset, r) for r in results]
    captions = {e.caption for e in loaded}
    assert {STORY.relative, STORY.relative_native} & captions
    assert all(e.schema.is_a(model["Person"]) for e in loaded)
    assert all(r["match"] == (r["score"] >= 0.5) for r in results)
    with httpx.Client(timeout=60) as client:
        refused = client.post(url, json=query, headers={"Authorization": "ApiKey not-a-token"})
    assert refused.status_code == 401


def test_a_user_never_gets_a_candidate_or_value_from_a_collection_they_cannot_read(
    narrow: World,
) -> None:
    with narrow.client(ONLY_REGISTRY) as client:
        answer = match(
            client,
            {"c": CONTRACTOR, "p": {"schema": "Person", "properties": {"name": [STORY.relative]}}},
        )
        other = match(client, {"c": CONTRACTOR}, dataset="leak")
    assert answer.status_code == 200, answer.text
    body = check(MATCH_RESPONSE, answer.json())
    results = [r for q in body["responses"].values() for r in q["results"]]
    assert results, "the registry holds the contractor"
    assert all(r["datasets"] == ["registry"] for r in results)
    text = str(results)
    for elsewhere in ("BRUECKENBAU HANSA GMBH", "G.m.b.H.", STORY.relative_native):
        assert elsewhere not in text  # the leak's and procurement's spellings
    assert other.status_code == 404
    with narrow.client(NOTHING) as client:
        empty = match(client, {"c": CONTRACTOR}).json()
    assert empty["responses"]["c"]["results"] == []
    with narrow.client("bob") as client:  # a dataset narrows what a reader who sees more gets
        registry_only = match(client, {"c": CONTRACTOR}, dataset="registry").json()
        excluded = match(
            client, {"c": CONTRACTOR}, exclude_dataset=["registry", "procurement", "leak"]
        ).json()
    assert {d for r in registry_only["responses"]["c"]["results"] for d in r["datasets"]} == {
        "registry"
    }
    assert excluded["responses"]["c"]["results"] == []
    # Excluding a record one cannot read changes nothing (it would tell its cluster).
    head = registry_only["responses"]["c"]["results"][0]["id"]
    with narrow.client("bob") as client:
        full = match(client, {"c": CONTRACTOR}).json()["responses"]["c"]["results"][0]
    leaked = [r for r in full["referents"] if r.startswith("leak-")]
    assert full["id"] == head and leaked
    with narrow.client(ONLY_REGISTRY) as client:
        probe = match(client, {"c": CONTRACTOR}, exclude_entity_ids=leaked).json()
    assert head in [r["id"] for r in probe["responses"]["c"]["results"]]


def test_each_query_is_one_audited_consultation(world: World) -> None:
    log = bench_of(world).accountability
    before = len(list(log.events()))
    with world.client("cat", **{"X-Request-Id": "match-audit-1"}) as client:
        answer = match(client, {"one": CONTRACTOR, "two": CONTRACTOR}, limit=2)
    assert answer.status_code == 200, answer.text
    events = [e for e in list(log.events())[before:] if e.request_id == "match-audit-1"]
    assert [(e.action, e.kind, e.actor, e.purpose) for e in events] == [
        ("match", ActionKind.CONSULTATION, "cat", PURPOSE)
    ] * 2
    returned = [r["id"] for r in answer.json()["responses"]["one"]["results"]]
    assert list(events[0].object_ids) == returned
    assert STORY.contractor not in events[0].detail  # the names asked about are hashed


@pytest.mark.parametrize(
    ("body", "params", "field"),
    [
        ({"queries": {"q": {"schema": "Ship", "properties": {}}}}, {}, "queries.q.schema"),
        (
            {"queries": {"q": {"schema": "Person", "properties": {"colour": ["x"]}}}},
            {},
            "queries.q.properties.colour",
        ),
        ({"queries": {}}, {}, "queries"),
        ({"queries": {"q": CONTRACTOR}, "weights": {"name_literal": 0.8}}, {}, "weights"),
        ({"queries": {"q": CONTRACTOR}}, {"limit": 0}, "limit"),
        ({"queries": {"q": CONTRACTOR}}, {"algorithm": "logic-v1"}, "algorithm"),
        ({"queries": {"q": CONTRACTOR}}, {"changed_since": "yesterday"}, "changed_since"),
        ({"queries": {"q": CONTRACTOR}}, {"threshold": 2}, "threshold"),
    ],
)
def test_bad_requests_name_the_field(
    world: World, body: dict[str, Any], params: dict[str, Any], field: str
) -> None:
    with world.client("bob") as client:
        answer = client.post("/match/default", json=body, params=params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    assert field in answer.text


def test_who_and_why_apply(world: World) -> None:
    with world.client(None) as client:
        assert match(client, {"c": CONTRACTOR}).status_code == 401
    with world.client("bob", purpose=None) as client:
        assert match(client, {"c": CONTRACTOR}).status_code == 428
    with world.client("bob") as client:
        assert match(client, {"c": CONTRACTOR}, dataset="no-such-collection").status_code == 404
        preflight = client.options(
            "/match/default",
            headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"},
        )
        algorithms = client.get("/algorithms")
        other = client.get("/search", params={"q": "x"}, headers={"Origin": "https://x.example"})
    assert preflight.status_code == 204
    assert "X-Purpose" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-origin" not in other.headers  # the rest stays same-origin
    body = check(ALGORITHMS, algorithms.json())
    assert body["default"] == body["best"] == body["algorithms"][0]["name"]
    features = body["algorithms"][0]["features"]
    assert features["org_name"]["coefficient"] > 0


def test_changed_since_and_excluded_ids(world: World) -> None:
    with world.client("bob") as client:
        first = match(client, {"c": CONTRACTOR}).json()["responses"]["c"]["results"][0]
        later = match(client, {"c": CONTRACTOR}, changed_since="2999-01-01").json()
        without = match(
            client, {"c": CONTRACTOR}, exclude_entity_ids=[first["referents"][0]]
        ).json()
        schema = match(client, {"c": CONTRACTOR}, exclude_schema=["Company"]).json()
    assert later["responses"]["c"]["results"] == []
    assert first["id"] not in [r["id"] for r in without["responses"]["c"]["results"]]
    assert schema["responses"]["c"]["results"] == []
