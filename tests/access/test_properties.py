"""Generated states and sequences: decisions match a brute-force model of the rules.

The model is written from the rules as stated in `threadline.access.policy`, over the
raw lists of users, groups, grants and markings, with none of the store's code.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.access.conftest import open_backend
from threadline.access import policy
from threadline.access.errors import AccessDenied
from threadline.access.records import Level, Role
from threadline.access.store import AccessStore

USERS = ["u0", "u1", "u2", "u3"]
GROUPS = ["g0", "g1"]
COLLECTIONS = ["c0", "c1", "c2"]
MARKINGS = ["m0", "m1"]
ASKED = [*COLLECTIONS, "unregistered"]


@dataclass
class Model:
    """The whole state as plain sets, and the rules applied by brute force."""

    roles: dict[str, Role] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    members: set[tuple[str, str]] = field(default_factory=set)  # (group, user)
    grants: dict[tuple[str, str], Level] = field(default_factory=dict)
    marked: set[tuple[str, str]] = field(default_factory=set)  # (collection, marking)
    held: set[tuple[str, str]] = field(default_factory=set)  # (user, marking)

    def level(self, user: str, collection: str) -> Level | None:
        if collection not in COLLECTIONS:
            return None
        for marked_collection, marking in self.marked:
            if marked_collection == collection and (user, marking) not in self.held:
                return None
        if self.roles[user] is Role.ADMIN:
            return Level.MANAGE
        found = [
            level
            for (holder, granted_on), level in self.grants.items()
            if granted_on == collection and (holder == user or (holder, user) in self.members)
        ]
        if not found:
            return None
        return Level.READ if self.roles[user] is Role.VIEWER else max(found)


def check(store: AccessStore, model: Model) -> None:
    """Every user's decisions on every collection agree with the model."""
    for user in USERS:
        if user in model.disabled:
            try:
                store.principal(user)
            except AccessDenied:
                continue
            raise AssertionError(f"disabled {user} was resolved")
        principal = store.principal(user)
        expected = {c: model.level(user, c) for c in ASKED}
        assert {c: policy.level_on(principal, c) for c in ASKED} == expected
        readable = frozenset(c for c, level in expected.items() if level is not None)
        assert policy.readable(principal, ASKED) == readable
        assert principal.readable == readable
        for level in Level:
            allowed = frozenset(c for c, held in expected.items() if held and held >= level)
            assert frozenset(c for c in ASKED if policy.can(principal, level, c)) == allowed


def build(store: AccessStore, model: Model) -> None:
    for user, role in model.roles.items():
        store.add_user(user, role)
        if user in model.disabled:
            store.update_user(user, disabled=True)
    for group in GROUPS:
        store.add_group(group)
    for collection in COLLECTIONS:
        store.add_collection(collection)
    for group, user in model.members:
        store.set_member(group, user)
    for (holder, collection), level in model.grants.items():
        store.grant(holder, collection, level)
    for collection, marking in model.marked:
        store.set_marking(collection, marking)
    for user, marking in model.held:
        store.set_held(user, marking)


def pairs(left: list[str], right: list[str]) -> st.SearchStrategy[set[tuple[str, str]]]:
    return st.sets(st.tuples(st.sampled_from(left), st.sampled_from(right)))


states = st.builds(
    Model,
    roles=st.fixed_dictionaries({u: st.sampled_from(Role) for u in USERS}),
    disabled=st.sets(st.sampled_from(USERS), max_size=1),
    members=pairs(GROUPS, USERS),
    grants=st.dictionaries(
        st.tuples(st.sampled_from(USERS + GROUPS), st.sampled_from(COLLECTIONS)),
        st.sampled_from(Level),
    ),
    marked=pairs(COLLECTIONS, MARKINGS),
    held=pairs(USERS, MARKINGS),
)


@settings(max_examples=400, deadline=None)
@given(states)
def test_decisions_match_the_model_in_memory(model: Model) -> None:
    store = open_backend("memory", Path())
    build(store, model)
    check(store, model)


@settings(max_examples=60, deadline=None)
@given(states)
def test_decisions_match_the_model_in_sqlite(model: Model) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_backend("sqlite-file", Path(tmp))
        try:
            build(store, model)
            check(store, model)
        finally:
            store.close()


holders = st.sampled_from(USERS + GROUPS)
collections = st.sampled_from(COLLECTIONS)
operations = st.one_of(
    st.tuples(st.just("grant"), holders, collections, st.sampled_from(Level)),
    st.tuples(st.just("revoke"), holders, collections),
    st.tuples(st.just("mark"), collections, st.sampled_from(MARKINGS), st.booleans()),
    st.tuples(st.just("hold"), st.sampled_from(USERS), st.sampled_from(MARKINGS), st.booleans()),
    st.tuples(st.just("join"), st.sampled_from(GROUPS), st.sampled_from(USERS), st.booleans()),
    st.tuples(st.just("role"), st.sampled_from(USERS), st.sampled_from(Role)),
    st.tuples(st.just("disable"), st.sampled_from(USERS), st.booleans()),
)


def apply(store: AccessStore, model: Model, op: tuple[object, ...]) -> None:
    """One change to both the store and the model."""
    verb, *args = op
    if verb == "grant":
        holder, collection, level = str(args[0]), str(args[1]), args[2]
        assert isinstance(level, Level)
        store.grant(holder, collection, level)
        model.grants[(holder, collection)] = level
    elif verb == "revoke":
        store.revoke(str(args[0]), str(args[1]))
        model.grants.pop((str(args[0]), str(args[1])), None)
    elif verb in ("mark", "hold", "join"):
        first, second, on = str(args[0]), str(args[1]), bool(args[2])
        target = {"mark": model.marked, "hold": model.held, "join": model.members}[verb]
        if verb == "mark":
            store.set_marking(first, second, on)
        elif verb == "hold":
            store.set_held(first, second, on)
        else:
            store.set_member(first, second, on)
        (target.add if on else target.discard)((first, second))
    elif verb == "role":
        store.update_user(str(args[0]), role=Role(str(args[1])))
        model.roles[str(args[0])] = Role(str(args[1]))
    else:
        store.update_user(str(args[0]), disabled=bool(args[1]))
        (model.disabled.add if args[1] else model.disabled.discard)(str(args[0]))


def start(store: AccessStore) -> Model:
    model = Model(roles=dict.fromkeys(USERS, Role.INVESTIGATOR))
    build(store, model)
    return model


@settings(max_examples=150, deadline=None)
@given(st.lists(operations, max_size=25))
def test_every_decision_follows_the_latest_state_in_memory(ops: list[tuple[object, ...]]) -> None:
    store = open_backend("memory", Path())
    model = start(store)
    for op in ops:
        apply(store, model, op)
        check(store, model)


@settings(max_examples=25, deadline=None)
@given(st.lists(operations, max_size=25))
def test_every_decision_follows_the_latest_state_in_sqlite(ops: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_backend("sqlite-file", Path(tmp))
        try:
            model = start(store)
            for op in ops:
                apply(store, model, op)
                check(store, model)
        finally:
            store.close()
