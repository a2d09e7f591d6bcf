"""The case store in SQL through SQLAlchemy Core, in the same database as the store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from threadline.cases import tables as t
from threadline.cases.case import Case, CaseRole, with_member
from threadline.cases.chart import Chart, chart_body, chart_from
from threadline.cases.citation import DOCUMENT, ENTITY, STATEMENT
from threadline.cases.errors import CaseError, CaseNotFound
from threadline.cases.note import Note
from threadline.cases.pin import Pin
from threadline.cases.store import CaseStore
from threadline.cases.task import Task, TaskStatus
from threadline.store.sqlengine import shared_engine


def _task(row: Any) -> Task:
    values = dict(row._mapping)
    values["status"] = TaskStatus(values["status"])
    return Task(**values)


class SQLCaseStore(CaseStore):
    """Case tables (`case_*`) in a SQL database: a URL, or the store's own engine."""

    def __init__(self, url: str | Engine) -> None:
        self.engine, self._owned = shared_engine(url)
        t.metadata.create_all(self.engine)

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    def _case(self, conn: Connection, case_id: str) -> Case:
        row = conn.execute(select(t.cases).where(t.cases.c.id == case_id)).first()
        if row is None:
            raise CaseNotFound(f"no case {case_id!r}")
        query = select(t.members.c.user_name, t.members.c.role).where(
            t.members.c.case_id == case_id
        )
        members = {user: CaseRole(role) for user, role in conn.execute(query)}
        query = select(t.sources.c.collection).where(t.sources.c.case_id == case_id)
        sources = frozenset(conn.execute(query).scalars())
        return Case(**row._mapping, sources=sources, members=members)

    def _write_members(self, conn: Connection, case: Case) -> None:
        conn.execute(delete(t.members).where(t.members.c.case_id == case.id))
        rows = [
            {"case_id": case.id, "user_name": u, "role": int(r)} for u, r in case.members.items()
        ]
        conn.execute(insert(t.members), rows)

    def _insert(self, table: Any, rows: list[dict[str, Any]], taken: str) -> None:
        try:
            with self.engine.begin() as conn:
                self._case(conn, rows[0]["case_id"])
                conn.execute(insert(table), rows)
        except IntegrityError:
            raise CaseError(taken) from None

    def add_case(self, case: Case) -> None:
        row = {
            "id": case.id,
            "name": case.name,
            "purpose": case.purpose,
            "created_by": case.created_by,
            "created_at": case.created_at,
            "all_sources": case.all_sources,
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(t.cases), [row])
                self._write_members(conn, case)
                sources = [{"case_id": case.id, "collection": c} for c in sorted(case.sources)]
                if sources:
                    conn.execute(insert(t.sources), sources)
        except IntegrityError:
            raise CaseError(f"case id {case.id!r} is already taken") from None

    def case(self, case_id: str) -> Case:
        with self.engine.connect() as conn:
            return self._case(conn, case_id)

    def cases(self, member: str | None = None) -> list[Case]:
        query = select(t.cases.c.id).order_by(t.cases.c.created_at.desc(), t.cases.c.id.desc())
        if member is not None:
            mine = select(t.members.c.case_id).where(t.members.c.user_name == member)
            query = query.where(t.cases.c.id.in_(mine))
        with self.engine.connect() as conn:
            return [self._case(conn, case_id) for case_id in conn.execute(query).scalars()]

    def set_member(self, case_id: str, user: str, role: CaseRole | str | None) -> Case:
        with self.engine.begin() as conn:
            case = with_member(self._case(conn, case_id), user, role)
            self._write_members(conn, case)
        return case

    def add_pin(self, pin: Pin) -> None:
        taken = f"{pin.entity_id!r} is already pinned to case {pin.case_id!r}"
        row = {
            "case_id": pin.case_id,
            "entity_id": pin.entity_id,
            "pinned_by": pin.pinned_by,
            "pinned_at": pin.pinned_at,
            "comment": pin.comment,
        }
        self._insert(t.pins, [row], taken)

    def remove_pin(self, case_id: str, entity_id: str) -> bool:
        where = (t.pins.c.case_id == case_id) & (t.pins.c.entity_id == entity_id)
        with self.engine.begin() as conn:
            self._case(conn, case_id)
            return bool(conn.execute(delete(t.pins).where(where)).rowcount)

    def pins(self, case_id: str) -> list[Pin]:
        query = (
            select(t.pins)
            .where(t.pins.c.case_id == case_id)
            .order_by(t.pins.c.pinned_at, t.pins.c.entity_id)
        )
        with self.engine.connect() as conn:
            self._case(conn, case_id)
            return [Pin(**row._mapping) for row in conn.execute(query)]

    def add_note(self, note: Note) -> None:
        row = {
            "id": note.id,
            "case_id": note.case_id,
            "author": note.author,
            "created_at": note.created_at,
            "text": note.text,
        }
        cited = [(STATEMENT, s) for s in note.statements] + [(ENTITY, e) for e in note.entities]
        cited += [(DOCUMENT, d) for d in note.documents]
        citations = [
            {"note_id": note.id, "kind": kind, "target": target, "position": i}
            for i, (kind, target) in enumerate(cited)
        ]
        try:
            with self.engine.begin() as conn:
                self._case(conn, note.case_id)
                conn.execute(insert(t.notes), [row])
                if citations:
                    conn.execute(insert(t.citations), citations)
        except IntegrityError:
            raise CaseError(f"note id {note.id!r} is already taken") from None

    def notes(self, case_id: str) -> list[Note]:
        query = (
            select(t.notes)
            .where(t.notes.c.case_id == case_id)
            .order_by(t.notes.c.created_at, t.notes.c.id)
        )
        cited = (
            select(t.citations.c.note_id, t.citations.c.kind, t.citations.c.target)
            .join(t.notes, t.notes.c.id == t.citations.c.note_id)
            .where(t.notes.c.case_id == case_id)
            .order_by(t.citations.c.note_id, t.citations.c.position)
        )
        with self.engine.connect() as conn:
            self._case(conn, case_id)
            rows = conn.execute(query).all()
            by_note: dict[str, list[tuple[str, str]]] = {}
            for note_id, kind, target in conn.execute(cited):
                by_note.setdefault(note_id, []).append((kind, target))
        return [_note(row, by_note.get(row.id, ())) for row in rows]

    def add_task(self, task: Task) -> None:
        self._insert(t.tasks, [_task_row(task)], f"task id {task.id!r} is already taken")

    def update_task(self, task: Task) -> None:
        where = (t.tasks.c.id == task.id) & (t.tasks.c.case_id == task.case_id)
        with self.engine.begin() as conn:
            self._case(conn, task.case_id)
            if not conn.execute(update(t.tasks).where(where).values(_task_row(task))).rowcount:
                raise CaseNotFound(f"case {task.case_id!r} has no task {task.id!r}")

    def tasks(self, case_id: str) -> list[Task]:
        query = (
            select(t.tasks)
            .where(t.tasks.c.case_id == case_id)
            .order_by(t.tasks.c.created_at, t.tasks.c.id)
        )
        with self.engine.connect() as conn:
            self._case(conn, case_id)
            return [_task(row) for row in conn.execute(query)]

    def add_chart(self, chart: Chart) -> None:
        row = {
            "id": chart.id,
            "case_id": chart.case_id,
            "title": chart.title,
            "created_by": chart.created_by,
            "created_at": chart.created_at,
            "body": orjson.dumps(chart_body(chart)).decode("utf-8"),
        }
        self._insert(t.charts, [row], f"chart id {chart.id!r} is already taken")

    def charts(self, case_id: str) -> list[Chart]:
        query = (
            select(t.charts)
            .where(t.charts.c.case_id == case_id)
            .order_by(t.charts.c.created_at, t.charts.c.id)
        )
        with self.engine.connect() as conn:
            self._case(conn, case_id)
            rows = conn.execute(query).all()
        return [chart_from(dict(row._mapping), orjson.loads(row.body)) for row in rows]


def _note(row: Any, cited: Iterable[tuple[str, str]]) -> Note:
    pairs = list(cited)
    statements = tuple(target for kind, target in pairs if kind == STATEMENT)
    entities = tuple(target for kind, target in pairs if kind == ENTITY)
    documents = tuple(target for kind, target in pairs if kind == DOCUMENT)
    return Note(**row._mapping, statements=statements, entities=entities, documents=documents)


def _task_row(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "case_id": task.case_id,
        "title": task.title,
        "status": task.status.value,
        "assignee": task.assignee,
        "due": task.due,
        "created_by": task.created_by,
        "created_at": task.created_at,
    }
