"""GET /suggest: names completed to entities, within what the caller may read, audited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import XSS, World
from threadline.access import Level, Role
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind

ONLY_REGISTRY = "sia"  # reads the demo's registry, and nothing else


def bench_of(world: World) -> Workbench:
    bench: Workbench = world.app.state.server.bench
    return bench


@pytest.fixture(scope="module")
def narrow(world: World) -> str:
    """A user who reads only the registry; returns their token."""
    bench = bench_of(world)
    token = bench.user_add(ONLY_REGISTRY, Role.INVESTIGATOR).token
    bench.grant(ONLY_REGISTRY, "registry", Level.READ)
    world.tokens[ONLY_REGISTRY] = token
    return token


def test_a_partial_name_gives_the_entity_with_what_a_picker_shows(world: World) -> None:
    with world.client("cat") as client:
        answer = client.get("/suggest", params={"q": "Mallo"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] >= 1
    first = body["suggestions"][0]
    assert set(first) == {"id", "caption", "schema", "datasets", "countries", "markings"}
    assert first["id"] == world.xss_id
    assert first["caption"] == f"{XSS} Mallory"  # JSON carries the name as data
    assert (first["schema"], first["datasets"], first["countries"]) == ("Person", ["tips"], ["de"])


def test_filters_limit_and_a_typed_id(world: World) -> None:
    with world.client("cat") as client:
        people = client.get("/suggest", params={"q": "Ma", "schema": "Person", "limit": 3}).json()
        companies = client.get("/suggest", params={"q": "Mallory", "schema": "Company"}).json()
        elsewhere = client.get("/suggest", params={"q": "Mallory", "dataset": "registry"}).json()
        by_id = client.get("/suggest", params={"q": world.xss_id}).json()
    assert 1 <= len(people["suggestions"]) <= 3
    assert all(s["schema"] == "Person" for s in people["suggestions"])
    assert companies["suggestions"] == [] and elsewhere["suggestions"] == []
    assert by_id["suggestions"][0]["id"] == world.xss_id


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "M"}, "q"),
        ({}, "q"),
        ({"q": "Mallory", "limit": 0}, "limit"),
        ({"q": "Mallory", "limit": 500}, "limit"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(
    world: World, params: dict[str, Any], field: str
) -> None:
    with world.client("cat") as client:
        answer = client.get("/suggest", params=params)
    assert answer.status_code == 422
    assert [problem["loc"] for problem in answer.json()["detail"]] == [["query", field]]


def test_an_unknown_schema_is_refused_by_name(world: World) -> None:
    with world.client("cat") as client:
        answer = client.get("/suggest", params={"q": "Mallory", "schema": "Persn"})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "schema: no schema named 'Persn'"


def test_a_suggestion_needs_a_purpose_and_a_sign_in(world: World) -> None:
    with world.client("cat", purpose=None) as client:
        refused = client.get("/suggest", params={"q": "Mallory"})
    with world.client(None) as anonymous:
        stranger = anonymous.get("/suggest", params={"q": "Mallory"})
    assert refused.status_code == 428
    assert stranger.status_code == 401


def test_nothing_comes_from_a_collection_the_caller_cannot_read(world: World, narrow: str) -> None:
    local = bench_of(world).acting(Context(purpose="choosing a test name"))
    known = local.search("", dataset="registry", schema="Company", limit=1).hits[0]
    start = known.caption.split()[0][:5]
    with world.client(ONLY_REGISTRY) as client:
        hidden = client.get("/suggest", params={"q": "Mallory"}).json()
        by_id = client.get("/suggest", params={"q": world.xss_id}).json()
        asked = client.get("/suggest", params={"q": "Mallory", "dataset": "tips"}).json()
        visible = client.get("/suggest", params={"q": start, "limit": 50}).json()
    assert hidden["suggestions"] == [] and hidden["total"] == 0
    assert by_id["suggestions"] == [] and asked["suggestions"] == []
    assert known.id in {s["id"] for s in visible["suggestions"]}
    assert all(set(s["datasets"]) <= {"registry"} for s in visible["suggestions"])


def test_a_suggestion_is_audited_as_a_consultation(world: World) -> None:
    local = bench_of(world)
    before = local.accountability.log.size()
    with world.client("bob", purpose="checking a tip") as client:
        shown = client.get("/suggest", params={"q": "Mallor"}).json()["suggestions"]
    events = [e for e in list(local.accountability.events())[before:] if e.action == "suggest"]
    assert len(events) == 1
    event = events[0]
    assert (event.actor, event.kind, event.purpose) == (
        "bob",
        ActionKind.CONSULTATION,
        "checking a tip",
    )
    assert list(event.object_ids) == [s["id"] for s in shown]
    assert event.detail.startswith("query=") and "Mallor" not in event.detail
