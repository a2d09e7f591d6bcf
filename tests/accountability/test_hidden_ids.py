"""A hidden id answers exactly as a missing one, and a user's records cannot take
another collection's ids (issue 12).

Ivy investigates in alpha (write) and may open collections of her own. gamma is
closed to her: `c-c1` is a record only gamma holds, and `c-p1` is a gamma record
merged into Ivan Petrov (`a-p1`, which she reads). `zz-none` exists nowhere. Every
verb that takes an entity id must answer the same for the hidden ids as for the
missing one, in the library, over HTTP and on the command line: same error class,
status, exit code and words, but for the id itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.accountability.world import copy_world, settings
from tests.cli.runner import cli
from tests.conftest import entity, write_entities
from tests.live_server import LiveServer
from threadline.api.app import create_app
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.ingest.namespace import DatasetNamespace

HIDDEN = ("c-c1", "c-p1")
MISSING = "zz-none"
PURPOSE = "hidden id tests"

Verb = Callable[[Workbench, str, str], object]

# Every workbench verb that takes an entity id; `case` is Ivy's case over alpha.
VERBS: dict[str, Verb] = {
    "entity": lambda b, i, case: b.entity(i),
    "explain (left)": lambda b, i, case: b.explain(i, "a-p1"),
    "explain (right)": lambda b, i, case: b.explain("a-p2", i),
    "judge": lambda b, i, case: b.judge(i, "a-p1", "unsure"),
    "judgements": lambda b, i, case: b.judgements(i),
    "judgements (cluster)": lambda b, i, case: b.judgements(i, cluster=True),
    "graph_neighbours": lambda b, i, case: b.graph_neighbours(i),
    "graph_path (source)": lambda b, i, case: b.graph_path(i, "a-p1"),
    "graph_path (target)": lambda b, i, case: b.graph_path("a-p1", i),
    "graph_connect": lambda b, i, case: b.graph_connect(["a-p1", i]),
    "graph_hubs": lambda b, i, case: b.graph_hubs(ids=["a-p1", i]),
    "case_pin": lambda b, i, case: b.case_pin(case, i),
    "case_unpin": lambda b, i, case: b.case_unpin(case, i),
    "case_note": lambda b, i, case: b.case_note(case, f"see [[entity:{i}]]"),
}


def ivy(bench: Workbench) -> Workbench:
    """The world's workbench acting for Ivy, who writes alpha and cannot read gamma."""
    access = bench.accountability.access
    if "ivy" not in {u.name for u in access.users()}:
        access.add_user("ivy", "investigator")
        access.grant("ivy", "alpha", "write")
    return bench.acting(Context(actor="ivy", purpose=PURPOSE))


def outcome(call: Callable[[], object], entity_id: str) -> tuple[str, str]:
    """What a call answered (error class and text, or the result), the id blanked."""
    try:
        result: object = call()
    except Exception as error:
        return type(error).__name__, str(error).replace(entity_id, "ID")
    return "ok", repr(result).replace(entity_id, "ID")


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_answers_a_hidden_id_as_a_missing_one(bench: Workbench, verb: str) -> None:
    reader = ivy(bench)
    case = reader.case_create("probe", PURPOSE, ["alpha"]).id
    call = VERBS[verb]
    missing = outcome(lambda: call(reader, MISSING, case), MISSING)
    for hidden in HIDDEN:
        assert outcome(lambda h=hidden: call(reader, h, case), hidden) == missing, hidden  # type: ignore[misc]
    # The local admin, who reads gamma, is answered differently: the ids are real.
    if verb == "entity":
        assert bench.entity("c-c1").entity.id == "c-c1"


def _plant(bench: Workbench, folder: Path) -> Workbench:
    """Ivy writes, into a collection of her own, records under gamma's hidden ids
    and an id no one uses, each linked to the next."""
    reader = ivy(bench)
    rows = [
        entity("c-c1", "Company", name="Planted Cobalt", notes="plantword"),
        entity("zz-none", "Company", name="Planted Nothing", notes="plantword"),
        entity("own-1", "Ownership", owner="zz-none", asset="c-c1"),
    ]
    reader.ingest([write_entities(folder / "plant.ijson", rows)], "plant")
    return reader


def test_a_planted_id_does_not_join_the_hidden_entity(bench: Workbench, tmp_path: Path) -> None:
    reader = _plant(bench, tmp_path)
    signed = DatasetNamespace("plant").sign
    # Her records are under her collection's ids...
    mine = {e["id"] for e in reader.export("plant")}
    assert mine == {signed("c-c1"), signed("zz-none"), signed("own-1")}
    # ...and link to each other there, not to gamma's record.
    owner = reader.entity(signed("own-1")).entity
    assert set(owner.proxy.get("asset")) == {signed("c-c1")}
    # For a reader of both collections (the local admin), gamma's Cobalt Mining is
    # untouched by her statements.
    cobalt = bench.entity("c-c1").entity
    assert cobalt.datasets == ["gamma"]
    assert "Planted Cobalt" not in cobalt.proxy.get("name")
    # And the hidden id still answers her as the missing one does, also in explain
    # and judge (where a planted record used to meet gamma's and be refused: 403).
    for call in (VERBS["explain (left)"], VERBS["judge"], VERBS["entity"]):
        assert outcome(lambda c=call: c(reader, "c-c1", ""), "c-c1") == outcome(  # type: ignore[misc]
            lambda c=call: c(reader, MISSING, ""), MISSING
        )
    # Her own planted records are hers to explain and judge.
    assert reader.explain(signed("c-c1"), "a-p1").left == signed("c-c1")


def test_re_ingesting_an_export_of_the_collection_keeps_its_ids(
    bench: Workbench, tmp_path: Path
) -> None:
    reader = _plant(bench, tmp_path)
    before = [e for e in reader.export("plant")]
    again = write_entities(tmp_path / "again.ijson", before)
    reader.ingest([again], "plant")
    after = [e for e in reader.export("plant")]
    assert [e["id"] for e in after] == [e["id"] for e in before]
    assert [e["properties"] for e in after] == [e["properties"] for e in before]


def test_the_local_admin_keeps_ids_as_given(bench: Workbench, tmp_path: Path) -> None:
    path = write_entities(tmp_path / "extra.ijson", [entity("x-1", "Person", name="Ann Lee")])
    bench.ingest([path], "extra")
    assert bench.entity("x-1").entity.id == "x-1"


# Over HTTP and on the command line --------------------------------------------------


@pytest.fixture
def served(template: Path, tmp_path: Path) -> Iterator[tuple[Path, str, str, LiveServer]]:
    """A copy of the world served over HTTP: its data dir, Ivy's token and case."""
    data = copy_world(template, tmp_path)
    with Workbench(settings(), data_dir=data) as bench:
        token = bench.user_add("ivy").token
        bench.grant("ivy", "alpha", "write")
        reader = bench.acting(Context(actor="ivy", purpose=PURPOSE))
        case = reader.case_create("probe", PURPOSE, ["alpha"]).id
    with LiveServer(create_app(settings(data_dir=data))) as live:
        yield data, token, case, live


HTTP: dict[str, Callable[[httpx.Client, str, str], httpx.Response]] = {
    "entity": lambda c, i, case: c.get(f"/entities/{i}"),
    "explain": lambda c, i, case: c.get("/explain", params={"left": i, "right": "a-p1"}),
    "judge": lambda c, i, case: c.post(
        "/judgements", json={"left": i, "right": "a-p1", "verdict": "unsure"}
    ),
    "judgements": lambda c, i, case: c.get("/judgements", params={"entity_id": i}),
    "neighbours": lambda c, i, case: c.get("/graph/neighbours", params={"entity_id": i}),
    "path": lambda c, i, case: c.get("/graph/path", params={"source": "a-p1", "target": i}),
    "pin": lambda c, i, case: c.post(f"/cases/{case}/pins", json={"entity_id": i}),
}


def test_the_api_answers_a_hidden_id_as_a_missing_one(
    served: tuple[Path, str, str, LiveServer],
) -> None:
    _, token, case, live = served
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": PURPOSE}
    with httpx.Client(base_url=f"{live.url}/api/v1", headers=headers, timeout=60) as client:
        for name, call in HTTP.items():

            def answer(entity_id: str, call: Any = call) -> tuple[int, str]:
                response = call(client, entity_id, case)
                body = response.text.replace(entity_id, "ID")
                return response.status_code, body

            missing = answer(MISSING)
            assert missing[0] in (200, 400, 404), (name, missing)
            for hidden in HIDDEN:
                assert answer(hidden) == missing, (name, hidden)


CLI: dict[str, list[str]] = {
    "entity": ["entity", "ID"],
    "explain": ["explain", "ID", "a-p1"],
    "judge": ["judge", "ID", "a-p1", "unsure"],
    "neighbours": ["graph", "neighbours", "ID"],
    "path": ["graph", "path", "a-p1", "ID"],
}


def test_the_cli_answers_a_hidden_id_as_a_missing_one(
    served: tuple[Path, str, str, LiveServer],
) -> None:
    data, token, _, _ = served
    env = {"THREADLINE_PURPOSE": PURPOSE}
    for name, args in CLI.items():

        def run(entity_id: str, args: list[str] = args) -> tuple[int, str, str]:
            done = cli(data, *[entity_id if a == "ID" else a for a in args], token=token, env=env)
            return (
                done.code,
                done.stdout.replace(entity_id, "ID"),
                done.stderr.replace(entity_id, "ID"),
            )

        missing = run(MISSING)
        assert missing[0] == 1 and "No entity" in missing[2], (name, missing)
        for hidden in HIDDEN:
            assert run(hidden) == missing, (name, hidden)
