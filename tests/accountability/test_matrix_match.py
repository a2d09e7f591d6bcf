"""The authorization matrix, extended to `match` (what the reconciliation and yente
routes call): in random states of rights, markings, cases and purposes, a match never
returns a candidate, a value or a feature value from a collection the state cannot
read, narrows to the dataset asked for, and leaves exactly one audit event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rigour.addresses import address_fingerprint

from tests.accountability.checks import CHECKS, run_state
from tests.accountability.matrix import (
    Outcome,
    State,
    World,
    expect_missing,
    expect_refused,
)
from tests.accountability.test_matrix import states
from tests.accountability.world import DATASETS, copy_world, words
from tests.accountability.world import settings as world_settings
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind

MATCH_STATES = 160
PER_EXAMPLE = 4
QUERIES = (
    ("Person", "Ivan Petrov"),
    ("Person", "Maria Lopez"),
    ("LegalEntity", "Olga Sokolova"),
    ("Company", "Acme Holdings"),
    ("Company", "Borealis Trading"),
)


_FOUND: list[str] = []  # every candidate returned, so the run is known not to be vacuous


def check_match(world: World, bench: Workbench, state: State, readable: frozenset[str]) -> Outcome:
    _, (schema, name), dataset = state.op
    query = {"q": {"schema": schema, "properties": {"name": [name]}}}

    def call() -> Any:
        return bench.match(query, dataset=dataset or "default", limit=10)

    expect_refused(state, call)
    if dataset is not None and dataset not in readable:
        expect_missing(call)
    found = call()["q"]
    truth = world.truth
    visible = truth.visible(readable)
    wanted = readable if dataset is None else frozenset({dataset})
    values = truth.readable_values(wanted) | {name}
    allowed = {
        w
        for v in values
        for w in words(v) | words(v.replace("-", "")) | words(address_fingerprint(v) or "")
    }
    for candidate in found.results:
        entity = candidate.entity
        assert entity.id in visible, "a candidate with no readable statement"
        assert {r.dataset for r in entity.statements} <= wanted
        assert set(candidate.referents) <= set(visible[entity.id].members)
        assert candidate.markings == state.markings(entity.datasets)
        for feature in candidate.scored.features:
            for value in (feature.left, feature.right):
                shown = value if isinstance(value, list) else [value]
                for item in shown:
                    if isinstance(item, str):
                        assert words(item) <= allowed, (feature.name, item)
    _FOUND.extend(c.entity.id for c in found.results)
    return [c.entity.id for c in found.results], ActionKind.CONSULTATION


CHECKS["match"] = check_match

matches = st.tuples(
    st.just("match"), st.sampled_from(QUERIES), st.sampled_from([None, None, *DATASETS])
)


@pytest.fixture(scope="module")
def world(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = copy_world(template, tmp_path_factory.mktemp("matrix-match"))
    with Workbench(world_settings(), data_dir=data) as bench:
        found = World(bench)
        yield found
        found.admin.dispose()


_RUNS: list[State] = []


@settings(max_examples=MATCH_STATES // PER_EXAMPLE, deadline=None)
@given(batch=st.lists(states(matches), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
def _match(world: World, batch: list[State]) -> None:
    for state in batch:
        run_state(world, state)
        _RUNS.append(state)


def test_matches_show_only_what_the_state_reads(world: World) -> None:
    _RUNS.clear()
    _FOUND.clear()
    _match(world)
    assert len(_RUNS) >= MATCH_STATES
    assert len(set(_FOUND)) >= 3, "states that read something found candidates"
