"""What each operation of the matrix must show a state, computed from the statements.

Each check runs one call and compares it with `Truth` (the store read directly): no
hit, entity, statement, value, count, caption, schema or file name from a collection
the state cannot read; exact totals and facets; and, through `run_state`, exactly one
audit event with the actor, case, purpose and the ids returned.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import orjson
import pytest
from rigour.addresses import address_fingerprint

from tests.accountability.matrix import (
    EDGE_SCHEMATA,
    USER,
    Outcome,
    Refused,
    State,
    World,
    expect_missing,
    expect_refused,
)
from tests.accountability.world import Seen, Truth, words
from threadline.access import AccessDenied
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind
from threadline.graph.results import GraphEdge, GraphNode

_ID = re.compile(r"\b[a-d]-[a-z]+\d+\b")


def run_state(world: World, state: State) -> None:
    """Apply the state, run its operation, and check the result and its audit event."""
    world.apply(state)
    bench = world.bench.acting(world.context(state))
    before = world.acc.log.size()
    name = state.op[0]
    readable = state.readable()
    try:
        outcome = CHECKS[name](world, bench, state, readable)
        refused: Refused | None = None
    except Refused as raised:
        outcome = ([], ActionKind.CONSULTATION)
        refused = raised
    events = world.events(before)
    assert len(events) == 1, f"{name}: one call, one event, got {len(events)}"
    (event,) = events
    ids, kind = outcome
    assert event.actor == USER
    assert event.kind is (ActionKind.DISCLOSURE if name in ("export", "graph_export") else kind)
    assert event.request_id
    if state.case is not None:
        assert event.case_id == world.cases[state.case]
        if state.case != "foreign":
            assert event.purpose == world.purposes[state.case]
    else:
        assert event.case_id is None
        assert event.purpose == state.purpose
    if refused is None:
        assert event.outcome == "ok"
        if ids is not None:
            assert list(event.object_ids) == ids, name
    elif refused.denied:
        assert event.outcome.startswith("denied: "), event.outcome
    else:
        assert event.outcome.startswith("failed: "), event.outcome


def check_search(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    _, text, dataset, schema, fuzzy = state.op

    def call() -> Any:
        return bench.search(text, dataset=dataset, schema=schema, fuzzy=fuzzy, limit=100)

    expect_refused(state, call)
    result = call()
    visible = world.truth.visible(readable)
    hits = {hit.id: hit for hit in result.hits}
    assert len(hits) == len(result.hits) == result.total, "one hit per entity, counted once"
    assert set(hits) <= set(visible), "a hit from no readable statement"
    for hit in result.hits:
        seen = visible[hit.id]
        assert hit.datasets == seen.datasets
        assert hit.schema == seen.schema
        assert hit.countries == sorted(seen.countries())
        captions = world.truth.captions(seen, readable)
        assert hit.caption in captions, (hit.caption, captions)
        for highlight in hit.highlights:
            plain = highlight.replace("<em>", "").replace("</em>", "")
            assert words(plain) <= seen.tokens() | words(" ".join(seen.names()))
    if dataset is not None and dataset not in readable:
        assert result.total == 0 and not result.facets
        return [], ActionKind.CONSULTATION
    wanted = words(text)
    expected = {
        head
        for head, seen in visible.items()
        if wanted <= seen.tokens()
        and (dataset is None or dataset in seen.datasets)
        and (schema is None or seen.is_a(schema))
    }
    if fuzzy:
        assert expected <= set(hits)
    else:
        assert set(hits) == expected
    matched = [visible[h] for h in hits]
    assert result.facets == {
        "schema": dict(Counter(s.schema for s in matched)),
        "dataset": dict(Counter(d for s in matched for d in s.datasets)),
        "country": dict(Counter(c for s in matched for c in s.countries())),
        # The world holds records only: no document types or correspondents to count.
        "doc_type": {},
        "sender": {},
        "recipient": {},
        "year": dict(Counter(y for s in matched for y in s.years())),
    }
    return [hit.id for hit in result.hits], ActionKind.CONSULTATION


def check_entity(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    record = state.op[1]
    truth = world.truth
    expect_refused(state, lambda: bench.entity(record))
    seen = truth.seen(truth.head(record), readable)
    if seen is None or not _reachable(truth, record, readable):
        expect_missing(lambda: bench.entity(record))
    view = bench.entity(record)
    assert view.entity.id == seen.id
    assert {r.id for r in view.entity.statements} == {r.id for r in seen.rows}
    assert view.members == list(seen.members)
    assert view.markings == state.markings(seen.datasets)
    files = {name for dataset, name in truth.sources.values() if dataset in readable}
    assert set(view.entity.source_names.values()) <= files, "file names of hidden sources"
    for fact in view.entity.facts():
        assert fact.dataset in readable
    refs = {
        (r.value, r.prop) for r in seen.rows if r.prop_type == "entity" and r.prop in seen.values()
    }
    incoming = {
        (record_id, row.prop)
        for record_id, rows in truth.rows.items()
        for row in rows
        if row.dataset in readable and row.prop_type == "entity" and row.value in seen.members
    }
    found_in = set()
    found_out = set()
    for rel in view.relationships:
        if rel.direction == "out":
            found_out.add((rel.id, rel.prop))
            if rel.caption != "(not in the store)":
                _check_record_caption(truth, rel.id, rel.caption, readable)
        else:
            found_in.add((rel.id, rel.prop))
            _check_record_caption(truth, rel.id, rel.caption, readable)
            for other in rel.others:
                _check_record_caption(truth, other.id, other.caption, readable)
    assert found_out == refs
    assert found_in == incoming
    return list(dict.fromkeys([seen.id, *seen.members])), ActionKind.CONSULTATION


def _record_part(truth: Truth, record: str, readable: frozenset[str]) -> Seen | None:
    rows = tuple(r for r in truth.rows.get(record, []) if r.dataset in readable)
    return Seen(record, rows, (record,)) if rows else None


def _check_record_caption(
    truth: Truth, record: str, caption: str, readable: frozenset[str]
) -> None:
    part = _record_part(truth, record, readable)
    assert part is not None, f"{record} shown without a readable statement"
    assert caption in truth.captions(part, readable), (record, caption)


def check_export(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    dataset = state.op[1]
    expect_refused(state, lambda: list(bench.export(dataset)))
    if dataset is not None and dataset not in readable:
        expect_missing(lambda: bench.export(dataset))
    exported = list(bench.export(dataset))
    visible = world.truth.visible(readable)
    if dataset is not None:
        visible = {
            head: Seen(head, rows, seen.members)
            for head, seen in visible.items()
            if (rows := tuple(r for r in seen.rows if r.dataset == dataset))
        }
    assert [e["id"] for e in exported] == sorted(visible), "every readable entity, once"
    for item in exported:
        seen = visible[item["id"]]
        assert item["datasets"] == seen.datasets
        assert item["schema"] == seen.schema
        props = {k: set(v) for k, v in item["properties"].items()}
        assert props == {k: v for k, v in seen.values().items() if k != "id"}
        assert item["caption"] in world.truth.captions(seen, readable)
        assert item["referents"] == sorted({r.entity_id for r in seen.rows} - {item["id"]})
        assert item["markings"] == state.markings(seen.datasets)
    return [e["id"] for e in exported], ActionKind.DISCLOSURE


def _check_nodes(
    world: World, nodes: list[GraphNode], edges: list[GraphEdge], readable: frozenset[str]
) -> ActionKind:
    truth = world.truth
    ids = {n.id for n in nodes}
    for node in nodes:
        seen = truth.seen(node.id, readable)
        assert seen is not None, f"graph node {node.id} has no readable statement"
        assert node.datasets == seen.datasets
        assert node.schema == seen.schema, (node.id, node.schema, seen.schema)
        assert node.caption in truth.captions(seen, readable) | {node.id}
    for edge in edges:
        assert edge.datasets and set(edge.datasets) <= readable
        assert {edge.source, edge.target} <= ids
        if edge.id in truth.rows:
            part = _record_part(truth, edge.id, readable)
            assert part is not None and set(edge.datasets) <= set(part.datasets)
    spanned = {d for node in nodes for d in node.datasets}
    return ActionKind.COMBINATION if len(spanned) > 1 else ActionKind.CONSULTATION


def _graph_node(world: World, record: str, readable: frozenset[str]) -> bool:
    """Whether a record is a node the scope may start from."""
    truth = world.truth
    rows = truth.rows.get(record)
    if not rows or rows[0].schema in EDGE_SCHEMATA:
        return False
    return truth.seen(truth.head(record), readable) is not None and _reachable(
        truth, record, readable
    )


def _reachable(truth: Truth, record: str, readable: frozenset[str]) -> bool:
    """Whether asking by this id may lead to its entity: the canonical id always, a
    merged member's own id only if that record has a readable statement."""
    return truth.head(record) == record or _record_part(truth, record, readable) is not None


def check_neighbours(
    world: World, bench: Workbench, state: State, readable: frozenset[str]
) -> Outcome:
    _, record, depth = state.op
    expect_refused(state, lambda: bench.graph_neighbours(record, depth=depth))
    if not _graph_node(world, record, readable):
        expect_missing(lambda: bench.graph_neighbours(record, depth=depth))
    result = bench.graph_neighbours(record, depth=depth)
    assert world.truth.head(record) in {n.id for n in result.nodes}
    kind = _check_nodes(world, result.nodes, result.edges, readable)
    return list(dict.fromkeys(n.id for n in result.nodes)), kind


def check_path(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    _, source, target = state.op
    expect_refused(state, lambda: bench.graph_path(source, target))
    if not (_graph_node(world, source, readable) and _graph_node(world, target, readable)):
        expect_missing(lambda: bench.graph_path(source, target))
    result = bench.graph_path(source, target)
    nodes = [n for p in result.paths for n in p.nodes]
    kind = _check_nodes(world, nodes, [e for p in result.paths for e in p.edges], readable)
    return list(dict.fromkeys([source, target, *(n.id for n in nodes)])), kind


def check_hubs(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    dataset = state.op[1]
    expect_refused(state, lambda: bench.graph_hubs(dataset=dataset))
    if dataset is not None and dataset not in readable:
        expect_missing(lambda: bench.graph_hubs(dataset=dataset))
    result = bench.graph_hubs(dataset=dataset)
    kind = _check_nodes(world, [h.node for h in result.hubs], [], readable)
    return [h.node.id for h in result.hubs], kind


def check_graph_export(
    world: World, bench: Workbench, state: State, readable: frozenset[str]
) -> Outcome:
    dataset = state.op[1]
    expect_refused(state, lambda: list(bench.graph_export("cyjs", dataset=dataset)))
    if dataset is not None and dataset not in readable:
        expect_missing(lambda: bench.graph_export("cyjs", dataset=dataset))
    data = orjson.loads("".join(bench.graph_export("cyjs", dataset=dataset)))
    scope = readable if dataset is None else readable & {dataset}
    nodes = [
        GraphNode(n["data"]["id"], n["data"]["schema"], n["data"]["name"], n["data"]["datasets"])
        for n in data["elements"]["nodes"]
    ]
    edges = [
        GraphEdge(
            e["data"]["id"],
            e["data"]["type"],
            e["data"]["source"],
            e["data"]["target"],
            e["data"]["start"],
            e["data"]["end"],
            e["data"]["weight"],
            e["data"]["derived"],
            e["data"]["datasets"],
        )
        for e in data["elements"]["edges"]
    ]
    _check_nodes(world, nodes, edges, frozenset(scope))
    truth = world.truth
    expected = {
        head
        for head in truth.clusters
        if truth.rows[head][0].schema not in EDGE_SCHEMATA and truth.seen(head, scope)
    }
    assert {n.id for n in nodes} == expected
    return [n.id for n in nodes], ActionKind.DISCLOSURE


def check_review(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    expect_refused(state, bench.review)
    items = bench.review()
    truth = world.truth
    expected = [
        i for i in truth.review if truth.whole(i.left, readable) and truth.whole(i.right, readable)
    ]
    assert items == expected
    return [x for i in items for x in (i.left, i.right)], ActionKind.CONSULTATION


def check_judgements(
    world: World, bench: Workbench, state: State, readable: frozenset[str]
) -> Outcome:
    record = state.op[1]
    expect_refused(state, lambda: bench.judgements(record))
    found = bench.judgements(record)
    truth = world.truth
    expected = [
        j
        for j in truth.judgements
        if (record is None or record in (j.left, j.right))
        and truth.whole(j.left, readable)
        and truth.whole(j.right, readable)
    ]
    assert [j.id for j in found] == [j.id for j in expected]
    return sorted({i for j in found for i in (j.left, j.right)}), ActionKind.CONSULTATION


def check_datasets(
    world: World, bench: Workbench, state: State, readable: frozenset[str]
) -> Outcome:
    expect_refused(state, bench.datasets)
    found = bench.datasets()
    assert {d.name for d in found} == set(readable)
    return [f"dataset:{d.name}" for d in found], ActionKind.CONSULTATION


CHECKS = {
    "search": check_search,
    "entity": check_entity,
    "export": check_export,
    "neighbours": check_neighbours,
    "path": check_path,
    "hubs": check_hubs,
    "graph_export": check_graph_export,
    "review": check_review,
    "judgements": check_judgements,
    "datasets": check_datasets,
}


def check_explain(
    world: World, bench: Workbench, state: State, readable: frozenset[str]
) -> Outcome:
    _, left, right = state.op
    truth = world.truth
    expect_refused(state, lambda: bench.explain(left, right))
    for side in (left, right):
        if _record_part(truth, side, readable) is None:
            expect_missing(lambda: bench.explain(left, right))
        if not truth.whole(side, readable):
            with pytest.raises(AccessDenied):
                bench.explain(left, right)
            raise Refused(denied=True)
    explanation = bench.explain(left, right)
    shown = set(_ID.findall(explanation.status))
    for judgement in explanation.judgements:
        shown |= {judgement.left, judgement.right}
    for record in shown:
        assert truth.whole(record, readable), f"explanation names unreadable {record}"
    # Features compare the two records' own values (normalised), nothing else.
    values = [r.value for side in (left, right) for r in truth.rows[side]]
    # An address may come from a linked Address entity, if the caller reads it.
    linked = {
        r.value for side in (left, right) for r in truth.rows[side] if r.prop == "addressEntity"
    }
    for address in linked:
        values += [r.value for r in truth.rows.get(address, []) if r.dataset in readable]
    # Addresses show as rigour's fingerprint of the record's own address ("Harbour
    # Road" as "hbr rd"), so those words are the record's too.
    allowed = {
        w
        for v in values
        for w in words(v) | words(v.replace("-", "")) | words(address_fingerprint(v) or "")
    }
    for feature in explanation.features:
        for value in (feature.left, feature.right):
            if isinstance(value, str):
                assert words(value) <= allowed, (feature.name, value)
    return [left, right], ActionKind.CONSULTATION


CHECKS["explain"] = check_explain
