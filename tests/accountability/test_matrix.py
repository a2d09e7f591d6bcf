"""The authorization matrix: users x grants x markings x cases x operations, no leaks.

One world is built per module; each generated state rewrites the access tables (role,
grants to the user and to a group, group membership, markings held and put on
collections) in one transaction from a second connection, as an admin in another
process would; it then picks a case or none, authenticates by name or API token, and
runs one operation on the same workbench object. The expected outcome is computed (in
checks.py) from the statements and the policy rules (`threadline.access.policy`),
never from the workbench's own filters. Because the rights change between calls on one
workbench, every state is also a revocation test: nothing may survive from the last.
(Changes through the admin verbs are tested in test_revocation.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.accountability.checks import run_state
from tests.accountability.matrix import LEVELS, State, World, case_specs
from tests.accountability.world import (
    DATASETS,
    MARKINGS,
    PARTIES,
    QUERIES,
    RECORDS,
    copy_world,
)
from tests.accountability.world import settings as world_settings
from threadline.access import Level, Role
from threadline.app.workbench import Workbench

SCHEMA_FILTERS = ("Person", "Company", "LegalEntity", "Ownership", "Thing")
MATRIX_STATES = 9_800
EXPLAIN_STATES = 200
MINIMUM_STATES = 10_000


@pytest.fixture(scope="module")
def world(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = copy_world(template, tmp_path_factory.mktemp("matrix"))
    with Workbench(world_settings(), data_dir=data) as bench:
        found = World(bench)
        yield found
        found.admin.dispose()


# Strategies --------------------------------------------------------------------------

records = st.sampled_from([*RECORDS, "nope"])
maybe_dataset = st.sampled_from([None, *DATASETS])
_CASES = [key for key, _, _ in case_specs()]
case_keys = st.sampled_from([None] * len(_CASES) + _CASES)  # half the states in a case
operations = st.one_of(
    st.tuples(
        st.just("search"),
        st.sampled_from(QUERIES),
        maybe_dataset,
        st.sampled_from([None, None, *SCHEMA_FILTERS]),
        st.booleans(),
    ),
    st.tuples(st.just("entity"), records),
    st.tuples(st.just("export"), maybe_dataset),
    st.tuples(st.just("neighbours"), records, st.integers(1, 2)),
    st.tuples(st.just("path"), records, records).filter(lambda op: op[1] != op[2]),
    st.tuples(st.just("hubs"), maybe_dataset),
    st.tuples(st.just("graph_export"), maybe_dataset),
    st.tuples(st.just("review")),
    st.tuples(st.just("judgements"), st.sampled_from([None, *RECORDS])),
    st.tuples(st.just("datasets")),
)


def _levels(code: int) -> tuple[Level | None, ...]:
    return tuple(LEVELS[code >> 2 * i & 3] for i in range(len(DATASETS)))


def _marks(code: int) -> frozenset[str]:
    return frozenset(m for i, m in enumerate(MARKINGS) if code >> i & 1)


def _marked(code: int) -> tuple[frozenset[str], ...]:
    width = len(MARKINGS)
    return tuple(_marks(code >> width * i) for i in range(len(DATASETS)))


# Each part of a state is one draw (a number decoded into levels or markings): ten
# thousand states spend their time in the workbench, not in drawing.
grant_codes = st.integers(0, 4 ** len(DATASETS) - 1).map(_levels)
marking_codes = st.integers(0, 2 ** (len(MARKINGS) * len(DATASETS)) - 1).map(_marked)


def states(ops: st.SearchStrategy[tuple[Any, ...]]) -> st.SearchStrategy[State]:
    return st.builds(
        State,
        role=st.sampled_from(list(Role)),
        user_grants=grant_codes,
        group_grants=grant_codes,
        in_group=st.booleans(),
        held=st.integers(0, 2 ** len(MARKINGS) - 1).map(_marks),
        marked=marking_codes,
        case=case_keys,
        by_token=st.booleans(),
        purpose=st.sampled_from([None, "due diligence"]),
        op=ops,
    )


# Explain runs apart: each allowed explanation scores the pair in DuckDB.
pairs = st.tuples(st.just("explain"), st.sampled_from(PARTIES), st.sampled_from(PARTIES)).filter(
    lambda op: op[1] != op[2]
)


# The tests ------------------------------------------------------------------------------

_RUNS: dict[str, int] = {}


# Several states per example: Hypothesis's own cost per example is then shared (2.5 ms
# a state with 4 to an example, 1.6 ms with 20: some 9 s of CPU over the matrix), and a
# state follows another unrelated one on the same workbench (no stale rights). Every
# state is still drawn on its own, and their number is checked below.
PER_EXAMPLE = 20


@settings(max_examples=MATRIX_STATES // PER_EXAMPLE, deadline=None)
@given(batch=st.lists(states(operations), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
def _matrix(world: World, batch: list[State]) -> None:
    for state in batch:
        run_state(world, state)
        _RUNS["matrix"] = _RUNS.get("matrix", 0) + 1


@settings(max_examples=EXPLAIN_STATES // PER_EXAMPLE, deadline=None)
@given(batch=st.lists(states(pairs), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
def _explain(world: World, batch: list[State]) -> None:
    for state in batch:
        run_state(world, state)
        _RUNS["explain"] = _RUNS.get("explain", 0) + 1


def test_no_item_or_count_leaks_across_the_matrix(world: World) -> None:
    _RUNS.clear()
    _matrix(world)
    print(f"authorization matrix: {_RUNS['matrix']} states")
    assert _RUNS["matrix"] >= MATRIX_STATES


def test_explanations_name_only_readable_records(world: World) -> None:
    _explain(world)
    print(f"explain matrix: {_RUNS['explain']} states")
    assert _RUNS["explain"] >= EXPLAIN_STATES


def test_at_least_ten_thousand_states(world: World) -> None:
    """The two runs above together; each state wrote its rights afresh."""
    assert MATRIX_STATES + EXPLAIN_STATES >= MINIMUM_STATES
    if set(_RUNS) == {"matrix", "explain"}:
        assert sum(_RUNS.values()) >= MINIMUM_STATES


def test_the_expectations_are_not_vacuous(world: World) -> None:
    """The model of the policy agrees with the workbench on a few hand-made states."""
    everything = State(
        Role.ADMIN,
        (None,) * 4,
        (None,) * 4,
        False,
        frozenset(),
        (frozenset(),) * 4,
        None,
        False,
        None,
        ("datasets",),
    )
    assert everything.readable() == frozenset(DATASETS)
    marked = State(
        Role.ADMIN,
        (None,) * 4,
        (None,) * 4,
        False,
        frozenset(),
        (frozenset({"confidential"}),) + (frozenset(),) * 3,
        None,
        False,
        None,
        ("datasets",),
    )
    assert marked.readable() == frozenset(DATASETS) - {"alpha"}
    viewer = State(
        Role.VIEWER,
        (Level.MANAGE, None, None, None),
        (None, Level.READ, None, None),
        False,
        frozenset(),
        (frozenset(),) * 4,
        "alpha+beta",
        True,
        None,
        ("datasets",),
    )
    assert viewer.readable() == frozenset({"alpha"})
    run_state(world, marked)
    run_state(world, viewer)
