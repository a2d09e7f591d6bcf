"""The authorization matrix's states, and the world they are applied to.

A `State` is one user's rights (role, grants to them and to a group, group membership,
markings held and put on collections), a case or none, how they authenticate, and one
operation. `State.readable` restates the policy of `threadline.access.policy` from its
docstring, so the expected outcome never comes from the workbench's own filters.
`World.apply` writes a state to the access tables in one transaction from a second
connection, as an admin in another process would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

import pytest
from sqlalchemy import bindparam, create_engine, delete, event, insert, update

from tests.accountability.world import (
    DATASETS,
    Truth,
)
from threadline.access import AccessDenied, Level, Role, tables
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind, AuditEvent
from threadline.cases import new_case
from threadline.errors import NotFoundError

USER = "uma"
GROUP = "analysts"
STRANGER = "sam"
LEVELS = (None, Level.READ, Level.WRITE, Level.MANAGE)
EDGE_SCHEMATA = {"Ownership", "Directorship"}
NOW = "2026-01-01T00:00:00.000000Z"
# The statements `World.apply` runs for each of ten thousand states, built once.
_SET_ROLE = (
    update(tables.users).where(tables.users.c.name == USER).values(role=bindparam("new_role"))
)
_CLEAR = (
    delete(tables.grants).where(tables.grants.c.holder.in_([USER, GROUP])),
    delete(tables.members).where(tables.members.c.user_name == USER),
    delete(tables.user_markings),
    delete(tables.collection_markings),
)
_INSERT_GRANTS = insert(tables.grants)
_INSERT_MEMBERS = insert(tables.members)
_INSERT_HELD = insert(tables.user_markings)
_INSERT_MARKED = insert(tables.collection_markings)


@dataclass(frozen=True)
class State:
    """One generated authorization state and the operation run in it."""

    role: Role
    user_grants: tuple[Level | None, ...]
    group_grants: tuple[Level | None, ...]
    in_group: bool
    held: frozenset[str]
    marked: tuple[frozenset[str], ...]
    case: str | None  # a key of World.cases
    by_token: bool
    purpose: str | None
    op: tuple[Any, ...]

    def readable(self) -> frozenset[str]:
        """The policy, restated: admins manage every collection, viewers read at most,
        markings bind everyone, and a case narrows to its sources."""
        found = set()
        for i, dataset in enumerate(DATASETS):
            if self.role is Role.ADMIN:
                level: Level | None = Level.MANAGE
            else:
                held = [self.user_grants[i], self.group_grants[i] if self.in_group else None]
                levels = [lv for lv in held if lv is not None]
                level = max(levels) if levels else None
                if level is not None and self.role is Role.VIEWER:
                    level = min(level, Level.READ)
            if level is not None and self.marked[i] <= self.held:
                found.add(dataset)
        if self.case is not None and self.case != "all":
            found &= set(self.case.split("+"))
        return frozenset(found)

    def markings(self, datasets: list[str]) -> list[str]:
        return sorted({m for d in datasets for m in self.marked[DATASETS.index(d)]})


class World:
    """The workbench, the truth about its store, and the access state now written."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.truth = Truth(bench)
        self.acc = bench.accountability
        access = self.acc.access
        access.add_user(USER, Role.INVESTIGATOR)
        access.add_user(STRANGER, Role.INVESTIGATOR)
        access.add_group(GROUP)
        self.token = access.issue_token(USER)
        self.cases: dict[str, str] = {}
        self.purposes: dict[str, str] = {}
        for key, sources, owner in case_specs():
            case = new_case(f"case {key}", f"purpose of {key}", sources, owner)
            self.acc.cases.add_case(case)
            self.cases[key] = case.id
            self.purposes[key] = case.purpose
        # A second writer on the store's database, as an admin in another process would
        # be: one transaction per state, so ten thousand states stay fast.
        self.admin = create_engine(bench.settings.resolved_store_url())
        event.listen(self.admin, "connect", _wal)

    def apply(self, state: State) -> None:
        """Write the state's rights to the access tables, replacing the last state's."""
        grants = [
            {"holder": holder, "collection": dataset, "level": int(level), "granted": NOW}
            for holder, levels in ((USER, state.user_grants), (GROUP, state.group_grants))
            for dataset, level in zip(DATASETS, levels, strict=True)
            if level is not None
        ]
        marked = [
            {"collection": dataset, "marking": marking}
            for dataset, marks in zip(DATASETS, state.marked, strict=True)
            for marking in sorted(marks)
        ]
        held = [{"user_name": USER, "marking": marking} for marking in sorted(state.held)]
        with self.admin.begin() as conn:
            conn.execute(_SET_ROLE, {"new_role": state.role.value})
            for clear in _CLEAR:
                conn.execute(clear)
            if grants:
                conn.execute(_INSERT_GRANTS, grants)
            if state.in_group:
                conn.execute(_INSERT_MEMBERS, [{"group_name": GROUP, "user_name": USER}])
            if held:
                conn.execute(_INSERT_HELD, held)
            if marked:
                conn.execute(_INSERT_MARKED, marked)

    def context(self, state: State) -> Context:
        case = self.cases[state.case] if state.case else None
        if state.by_token:
            return Context(token=self.token, case=case, purpose=state.purpose)
        return Context(actor=USER, case=case, purpose=state.purpose)

    def events(self, since: int) -> list[AuditEvent]:
        return [e.event() for e in self.acc.log.entries(since)]


def case_specs() -> Iterator[tuple[str, str, str]]:
    for mask in range(1, 2 ** len(DATASETS)):
        names = [d for i, d in enumerate(DATASETS) if mask >> i & 1]
        yield "+".join(names), ",".join(names), USER
    yield "all", "all", USER
    yield "foreign", "all", STRANGER


def _wal(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Refused(Exception):
    """A call was refused, as expected and already checked; its event must say so."""

    def __init__(self, denied: bool) -> None:
        super().__init__("denied" if denied else "not found")
        self.denied = denied


def expect_refused(state: State, call: Any) -> None:
    """In another user's case, every call is refused before it reads anything."""
    if state.case == "foreign":
        with pytest.raises(AccessDenied, match="membership"):
            call()
        raise Refused(denied=True)


def expect_missing(call: Any) -> NoReturn:
    """The call must fail as if the thing asked for did not exist."""
    with pytest.raises(NotFoundError):
        call()
    raise Refused(denied=False)


Outcome = tuple[list[str] | None, ActionKind]
