"""An `AuditQuery` as one SQL WHERE clause over the log's tables, for SQLite and PostgreSQL.

An entry's clear fields (actor, kind, action, case, time, outcome) sit in its frame, a
JSON document stored as bytes: they are read with the database's JSON functions. Its
erasable values (purpose, object ids) sit in `audit_values`, one row a value, and are
matched there, so an erased value no longer matches. Entries of the first format kept
everything in the frame; they are matched there too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, Text, and_, cast, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from threadline.audit.errors import AuditError
from threadline.audit.query import AuditQuery
from threadline.audit.seal import ID

DIALECTS = ("sqlite", "postgresql")
OLD_END = b'"v":1}'  # how a frame of the first format ends (values in the clear)
FOLD = "threadline_fold"
"""The SQL function that case-folds text on SQLite (registered on every connection)."""


def fold_function(dbapi_conn: Any) -> None:
    """Register `threadline_fold` (Python's casefold) on a SQLite connection, so purposes
    compare as they do in Python, beyond ASCII."""
    dbapi_conn.create_function(
        FOLD, 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True
    )


class _Frame:
    """Fields of the stored frame, in one dialect's JSON functions."""

    def __init__(self, dialect: str, entries: Table) -> None:
        if dialect not in DIALECTS:
            raise AuditError(
                f"the audit log cannot be filtered on {dialect}: use SQLite or PostgreSQL"
            )
        self.dialect = dialect
        self.data = data = entries.c.data
        if dialect == "sqlite":
            self.text: ColumnElement[Any] = cast(data, Text)
        else:
            self.json: ColumnElement[Any] = cast(func.convert_from(data, literal("UTF8")), JSONB)

    def field(self, name: str) -> ColumnElement[Any]:
        if self.dialect == "sqlite":
            return func.json_extract(self.text, f"$.{name}")
        return self.json.op("->>", return_type=Text)(literal(name))

    def fold(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return getattr(func, FOLD)(value) if self.dialect == "sqlite" else func.lower(value)

    def old(self) -> ColumnElement[bool]:
        """An entry of the first format: its canonical frame (sorted keys, `v` last) ends
        in `"v":1}`. Compared as bytes, so the test costs no JSON parse of each entry."""
        data = self.data
        return func.substr(data, func.length(data) - (len(OLD_END) - 1)) == OLD_END

    def old_ids(self, ids: list[str]) -> ColumnElement[bool]:
        """An old-format entry naming one of `ids` in its frame's `object_ids`."""
        if self.dialect == "sqlite":
            listed = func.json_each(self.text, "$.object_ids")
        else:
            listed = func.jsonb_array_elements_text(self.json.op("->")(literal("object_ids")))
        items = listed.table_valued("value")
        return exists(select(literal(1)).select_from(items).where(items.c.value.in_(ids)))


def where(
    query: AuditQuery, dialect: str, entries: Table, values: Table
) -> list[ColumnElement[bool]]:
    """The conditions a row of `entries` must meet to answer `query` (all of them);
    `values` holds the entries' erasable values."""
    frame = _Frame(dialect, entries)

    def value(slot_test: ColumnElement[bool], test: ColumnElement[bool]) -> ColumnElement[bool]:
        """A stored value of the entry, in the slots `slot_test` allows, passing `test`.
        (One pass over the values, not a probe per entry: several times faster.)"""
        chosen = select(values.c["index"]).where(slot_test).where(test)
        return entries.c["index"].in_(chosen)

    conditions: list[ColumnElement[bool]] = []
    for name, wanted in (
        ("actor", query.actor),
        ("action", query.action),
        ("case_id", query.case_id),
        ("outcome", query.outcome),
    ):
        if wanted is not None:
            conditions.append(frame.field(name) == wanted)
    if query.kinds:
        conditions.append(frame.field("kind").in_(sorted(k.value for k in query.kinds)))
    if query.since is not None:
        conditions.append(frame.field("time") >= query.since)
    if query.until is not None:
        conditions.append(frame.field("time") < query.until)
    if query.hide_prefix is not None:
        conditions.append(~frame.field("action").startswith(query.hide_prefix, autoescape=True))
    old = frame.old()
    if query.purpose is not None:
        needle = query.purpose.casefold() if dialect == "sqlite" else query.purpose.lower()
        sealed = value(
            values.c.slot == "purpose",
            frame.fold(values.c.value).contains(needle, autoescape=True),
        )
        clear = frame.fold(frame.field("purpose")).contains(needle, autoescape=True)
        conditions.append(or_(sealed, and_(old, clear)))
    if query.object_ids:
        ids = sorted(query.object_ids)
        sealed = value(values.c.slot.startswith(ID, autoescape=True), values.c.value.in_(ids))
        conditions.append(or_(sealed, and_(old, frame.old_ids(ids))))
    return conditions
