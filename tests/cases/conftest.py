"""Case store backends, and a small investigation to write case files about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from followthemoney import model

from threadline.access.principal import Principal
from threadline.access.records import Level, Role
from threadline.cases.case import Case, CaseRole, new_case, with_member
from threadline.cases.memory import MemoryCaseStore
from threadline.cases.sql import SQLCaseStore
from threadline.cases.store import CaseStore
from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow, entity_statements

BACKENDS = ["memory", "sqlite-file", "postgres"]
SEEN = "2026-01-01T00:00:00"


@pytest.fixture(params=BACKENDS)
def cases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseStore]:
    store: CaseStore
    if request.param == "memory":
        store = MemoryCaseStore()
    elif request.param == "postgres":
        store = SQLCaseStore(request.getfixturevalue("postgres_url"))
    else:
        store = SQLCaseStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield store
    store.close()


def rows(schema: str, entity_id: str, dataset: str, **props: str) -> list[StatementRow]:
    """The statements of one entity, from `<dataset>.csv` row 7."""
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, value in props.items():
        entity.add(prop, value)
    return entity_statements(entity, dataset, "sha-" + dataset, 7, SEEN)


def source(dataset: str) -> SourceInfo:
    """The source file the statements of `rows` came from."""
    return SourceInfo("sha-" + dataset, f"{dataset}.csv", dataset, 10, "csv", SEEN, 3)


def principal(name: str, *readable: str, role: Role = Role.INVESTIGATOR) -> Principal:
    """A principal who may read exactly `readable`, of the collections a-d."""
    return Principal(
        name=name,
        role=role,
        grants=dict.fromkeys(readable, Level.READ),
        collections=frozenset({"a", "b", "c", "d"}),
    )


def team_case() -> Case:
    """Case `c1`, owned by alice, with bob as editor and carol as reader, on a and b."""
    case = new_case("Shell companies", "Trace who owns Acme", ["a", "b"], "alice", case_id="c1")
    case = with_member(case, "bob", CaseRole.EDITOR)
    return with_member(case, "carol", CaseRole.READER)
