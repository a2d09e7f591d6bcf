"""Erasure: a dataset's or an entity's statements go, with every view built from them,
and the audit log keeps salted hashes of them, never their content.

Before erasing, the values are searched for, viewed and exported, so the log had every
chance to take them in; afterwards the bytes of the log (its WAL too) and of every
checkpoint are scanned for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.accountability.world import copy_world, settings
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind, redact
from threadline.errors import NotFoundError

# Values only delta holds (Maria Lopez Garcia, Acme Holdings Ltd and their notes).
DELTA_VALUES = ["Maria Lopez Garcia", "Acme Holdings Ltd", "deltaword"]
# Olga Sokolova's values: only the record b-p2 holds them.
OLGA_VALUES = ["Olga Sokolova"]


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    """The world with a second checkpoint place, as `--checkpoint-dir` names it."""
    data = copy_world(template, tmp_path / "world", second=tmp_path / "elsewhere")
    chosen = settings(checkpoint_dir=tmp_path / "elsewhere", checkpoint_every=5)
    with Workbench(chosen, data_dir=data) as bench:
        yield bench


def files(bench: Workbench, *folders: Path) -> list[Path]:
    """The audit log with its WAL and journal, and every file in `folders`."""
    log = bench.data_dir / "audit.sqlite3"
    found = [p for p in (log, Path(f"{log}-wal"), Path(f"{log}-journal")) if p.exists()]
    for folder in folders:
        found += [p for p in folder.rglob("*") if p.is_file()]
    return found


def scan(paths: Iterable[Path], values: list[str]) -> list[tuple[str, str]]:
    """Every (file, value) where the value's bytes occur, in UTF-8 or UTF-16."""
    hits = []
    for path in paths:
        data = path.read_bytes()
        for value in values:
            for encoded in (value.encode("utf-8"), value.encode("utf-16-le")):
                if encoded in data:
                    hits.append((path.name, value))
    return hits


def consult(bench: Workbench, values: list[str], ids: list[str]) -> None:
    """Search for, view, explain and export the values, as users and the admin would."""
    bench.user_add("uma", "admin")
    for actor in ("local", "uma"):
        reader = bench.acting(Context(actor=actor, purpose="review"))
        for value in values:
            assert reader.search(value).total >= 1
            assert reader.search(value.lower(), fuzzy=False).total >= 1
        for entity_id in ids:
            reader.entity(entity_id)
            reader.graph_neighbours(entity_id)
        assert list(reader.export())
        list(reader.graph_export("cyjs"))


def cells(bench: Workbench) -> list[tuple[str, str, bytes]]:
    """Every cell of every table of the audit database, as bytes."""
    found = []
    with sqlite3.connect(bench.data_dir / "audit.sqlite3") as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for (cell,) in conn.execute(f'SELECT "{column}" FROM "{table}"'):
                    data = cell if isinstance(cell, bytes) else str(cell).encode("utf-8")
                    found.append((table, column, data))
    return found


def check_ids(bench: Workbench, erased_ids: set[str]) -> None:
    """Right after an erasure (later calls that ask for an erased id name it afresh):
    no erased id in any cell of any table of the audit database, nor in the bytes of
    its files and checkpoints; earlier events read `(erased)`; and the log verifies."""
    places = [bench.data_dir / "audit-checkpoints", bench.settings.checkpoint_dir]
    paths = files(bench, *[p for p in places if p is not None])
    stored = cells(bench)
    assert {t for t, _, _ in stored} >= {"audit_entries", "audit_values"}
    assert any(data == b"a-p1" for _, _, data in stored), "the scan sees values in cells"
    left = [(t, c, i) for t, c, data in stored for i in erased_ids if i.encode() in data]
    assert left == []
    assert scan(paths, ["a-p1"]), "the file scan sees values too"
    assert scan(paths, sorted(erased_ids)) == []
    erased = [e for e in bench.accountability.events() if "(erased)" in e.object_ids]
    assert erased, "earlier events named the erased ids"
    assert bench.audit_verify().ok


def check_log(bench: Workbench, values: list[str], erased_ids: set[str]) -> None:
    places = [bench.data_dir / "audit-checkpoints", bench.settings.checkpoint_dir]
    paths = files(bench, *[p for p in places if p is not None])
    assert any(p.name.endswith(".json") for p in paths), "no checkpoint to scan"
    assert scan(paths, ["consultation"]), "the scan reads the log's bytes"
    assert scan(paths, values) == []
    event = [e for e in bench.accountability.events() if e.action == "erase"][-1]
    assert (event.kind, event.outcome) == (ActionKind.ERASURE, "ok")
    salt = bench.accountability.salt
    assert sorted(event.object_ids) == sorted(f"entity={redact(i, salt)}" for i in erased_ids)
    assert not set(event.object_ids) & erased_ids
    assert bench.audit_verify().ok


def test_erasing_a_dataset_leaves_nothing_of_it(world: Workbench) -> None:
    consult(world, DELTA_VALUES, ["d-p1", "d-c1"])
    assert scan(files(world), DELTA_VALUES) == []  # the log never held them
    (stats,) = [d for d in world.datasets() if d.name == "delta"]
    report = world.erase(dataset="delta")
    check_ids(world, {"d-p1", "d-c1", "d-o1", "d-p3"})
    assert (report.entities, report.statements) == (4, stats.statements)
    for value in DELTA_VALUES:
        assert world.search(value).total == 0
    assert world.search("ivan").hits[0].datasets == ["alpha", "beta", "gamma"]
    assert {d.name for d in world.datasets()} == {"alpha", "beta", "gamma"}
    # An erased record's id leads nowhere, merged or not; its cluster lives on without it.
    for record, head in [("d-o1", None), ("d-p1", "a-p2"), ("d-c1", "a-c1"), ("d-p3", "a-p1")]:
        with pytest.raises(NotFoundError):
            world.entity(record)
        if head is not None:
            with pytest.raises(NotFoundError):
                world.graph_neighbours(record)
            view = world.entity(head)
            assert "delta" not in view.entity.datasets and record not in view.members
            assert all("delta" not in n.datasets for n in world.graph_neighbours(head).nodes)
    exported = "".join(str(e) for e in world.export())
    graph = "".join(world.graph_export("cyjs"))
    for value in DELTA_VALUES:
        assert value not in exported and value not in graph
    assert "delta" not in exported and "delta" not in graph
    with pytest.raises(NotFoundError):
        list(world.export("delta"))
    check_log(world, DELTA_VALUES, {"d-p1", "d-c1", "d-o1", "d-p3"})


def test_erasing_an_entity_leaves_nothing_of_it(world: Workbench) -> None:
    consult(world, OLGA_VALUES, ["b-p2"])
    report = world.erase(entity_id="b-p2")
    check_ids(world, {"b-p2"})
    assert report.entities == 1
    assert world.search("olga").total == world.search("sokolova", fuzzy=False).total == 0
    with pytest.raises(NotFoundError):
        world.entity("b-p2")
    # Her id stays a node only as the end of a link another record states: bare.
    node = next(n for n in world.graph_neighbours("b-p2").nodes if n.id == "b-p2")
    assert (node.schema, node.caption) == ("Thing", "b-p2")
    assert "Olga" not in "".join(str(e) for e in world.export())
    assert "Olga" not in "".join(world.graph_export("cyjs"))
    # The Directorship that named her stays: it is another record's statement.
    assert world.entity("b-d1").entity.datasets == ["beta"]
    check_log(world, OLGA_VALUES, {"b-p2"})


def test_erasing_a_merged_entity_erases_every_record_merged_into_it(world: Workbench) -> None:
    consult(world, ["Maria Lopez Garcia"], ["d-p1"])
    report = world.erase(entity_id="d-p1")  # merged with a-p2: Maria Lopez
    check_ids(world, {"a-p2", "d-p1"})
    assert report.entities == 2
    for record in ("a-p2", "d-p1"):
        with pytest.raises(NotFoundError):
            world.entity(record)
    assert [h.id for h in world.search("maria").hits] == ["c-p2"]  # another Maria Lopez
    check_log(world, ["Maria Lopez Garcia"], {"a-p2", "d-p1"})


def test_erased_values_leave_the_store_and_the_derived_views(world: Workbench) -> None:
    consult(world, DELTA_VALUES, ["d-p1"])
    data = world.data_dir

    def views() -> list[Path]:
        stores = [p for p in data.iterdir() if p.name.startswith("store.sqlite3")]
        derived = [data / name for name in ("index", "graph", "resolve")]
        return stores + [p for d in derived if d.exists() for p in d.rglob("*") if p.is_file()]

    assert {value for _, value in scan(views(), DELTA_VALUES)} == set(DELTA_VALUES)
    world.erase(dataset="delta")
    assert scan(views(), DELTA_VALUES) == []


def test_merged_entities_survive_the_erasure_of_their_canonical_record(
    world: Workbench,
) -> None:
    # a-p1, a-p2 and a-c1 are canonical ids of clusters; alpha holds those records.
    world.erase(dataset="alpha")
    assert [(h.id, h.datasets) for h in world.search("garcia").hits] == [("a-p2", ["delta"])]
    assert [(h.id, h.datasets) for h in world.search("ivan").hits] == [
        ("a-p1", ["beta", "delta", "gamma"])
    ]
    exported = {e["id"]: e for e in world.export()}
    assert {"a-p1", "a-p2", "a-c1"} <= set(exported)
    assert exported["a-c1"]["datasets"] == ["delta"]
    assert exported["a-c1"]["referents"] == ["d-c1"]
    assert world.reindex() == len(exported)
    assert world.search("acme").hits[0].caption == "Acme Holdings Ltd"
