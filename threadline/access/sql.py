"""The access store in SQL through SQLAlchemy Core, in the same database as the store.

Each verb is one transaction that checks the names it touches, so a message names the
unknown user, group or collection instead of surfacing a constraint violation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from threadline.access import tables as t
from threadline.access.errors import DuplicateName, UnknownName
from threadline.access.principal import Principal
from threadline.access.records import (
    Grant,
    Level,
    Role,
    User,
    check_collection,
    check_marking,
    check_name,
)
from threadline.access.sql_principal import read_by_name, read_by_token
from threadline.access.store import AccessStore
from threadline.audit.event import utc_timestamp
from threadline.store.sqlengine import shared_engine


def _user(row: Any) -> User:
    return User(row.name, Role(row.role), row.created, bool(row.disabled))


class SQLAccessStore(AccessStore):
    """Access tables (`access_*`) in a SQL database: a URL, or the store's own engine."""

    def __init__(self, url: str | Engine) -> None:
        self.engine, self._owned = shared_engine(url)
        t.metadata.create_all(self.engine)

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    def _exists(self, conn: Connection, table: Any, name: str) -> bool:
        query = select(table.c.name).where(table.c.name == name)
        return conn.execute(query).first() is not None

    def _need_user(self, conn: Connection, name: str) -> None:
        if not self._exists(conn, t.users, name):
            raise UnknownName("user", name)

    def _need_collection(self, conn: Connection, name: str) -> None:
        if not self._exists(conn, t.collections, name):
            raise UnknownName("collection", name)

    def _insert_name(self, table: Any, kind: str, row: dict[str, Any]) -> None:
        name = check_name(row["name"], kind)
        try:
            with self.engine.begin() as conn:
                for other, other_kind in ((t.users, "user"), (t.groups, "group")):
                    if self._exists(conn, other, name):
                        raise DuplicateName(kind, name, other_kind)
                conn.execute(insert(table), [row])
        except IntegrityError:  # another process took the name between check and insert
            raise DuplicateName(kind, name) from None

    def add_user(self, name: str, role: Role | str) -> User:
        user = User(check_name(name, "user"), Role.parse(role), utc_timestamp())
        row = {"name": name, "role": user.role.value, "created": user.created, "disabled": False}
        self._insert_name(t.users, "user", row)
        return user

    def user(self, name: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.users).where(t.users.c.name == name)).first()
        if row is None:
            raise UnknownName("user", name)
        return _user(row)

    def users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.users).order_by(t.users.c.name)).all()
        return [_user(row) for row in rows]

    def update_user(
        self, name: str, *, role: Role | str | None = None, disabled: bool | None = None
    ) -> User:
        values: dict[str, Any] = {}
        if role is not None:
            values["role"] = Role.parse(role).value
        if disabled is not None:
            values["disabled"] = disabled
        with self.engine.begin() as conn:
            self._need_user(conn, name)
            if values:
                conn.execute(sql_update(t.users).where(t.users.c.name == name).values(values))
        if disabled:
            self.end_sessions(name)
        return self.user(name)

    def add_group(self, name: str) -> None:
        self._insert_name(t.groups, "group", {"name": name, "created": utc_timestamp()})

    def groups(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for (name,) in conn.execute(select(t.groups.c.name)):
                found[name] = set()
            for group, user in conn.execute(select(t.members)):
                found[group].add(user)
        return {name: frozenset(found[name]) for name in sorted(found)}

    def set_member(self, group: str, user: str, member: bool = True) -> None:
        where = (t.members.c.group_name == group) & (t.members.c.user_name == user)
        with self.engine.begin() as conn:
            if not self._exists(conn, t.groups, group):
                raise UnknownName("group", group)
            self._need_user(conn, user)
            conn.execute(delete(t.members).where(where))
            if member:
                conn.execute(insert(t.members), [{"group_name": group, "user_name": user}])

    def add_collection(self, name: str) -> bool:
        check_collection(name)
        try:
            with self.engine.begin() as conn:
                if self._exists(conn, t.collections, name):
                    return False
                conn.execute(insert(t.collections), [{"name": name, "created": utc_timestamp()}])
        except IntegrityError:  # registered by another process meanwhile
            return False
        return True

    def collections(self) -> dict[str, frozenset[str]]:
        with self.engine.connect() as conn:
            return self._collections(conn)

    @staticmethod
    def _collections(conn: Connection) -> dict[str, frozenset[str]]:
        # One statement (the local admin's principal reads it on every request).
        marks = t.collection_markings
        query = select(t.collections.c.name, marks.c.marking).outerjoin(
            marks, marks.c.collection == t.collections.c.name
        )
        found: dict[str, set[str]] = {}
        for name, marking in conn.execute(query):
            held = found.setdefault(name, set())
            if marking is not None:
                held.add(marking)
        return {name: frozenset(found[name]) for name in sorted(found)}

    def set_marking(self, collection: str, marking: str, on: bool = True) -> None:
        table = t.collection_markings
        where = (table.c.collection == collection) & (table.c.marking == marking)
        with self.engine.begin() as conn:
            self._need_collection(conn, collection)
            conn.execute(delete(table).where(where))
            if on:
                row = {"collection": collection, "marking": check_marking(marking)}
                conn.execute(insert(table), [row])

    def set_held(self, user: str, marking: str, on: bool = True) -> None:
        table = t.user_markings
        where = (table.c.user_name == user) & (table.c.marking == marking)
        with self.engine.begin() as conn:
            self._need_user(conn, user)
            conn.execute(delete(table).where(where))
            if on:
                conn.execute(
                    insert(table), [{"user_name": user, "marking": check_marking(marking)}]
                )

    def set_grant(self, holder: str, collection: str, level: Level | str | None) -> None:
        new = None if level is None else Level.parse(level)
        where = (t.grants.c.holder == holder) & (t.grants.c.collection == collection)
        with self.engine.begin() as conn:
            if not (self._exists(conn, t.users, holder) or self._exists(conn, t.groups, holder)):
                raise UnknownName("user or group", holder)
            self._need_collection(conn, collection)
            conn.execute(delete(t.grants).where(where))
            if new is not None:
                row = {
                    "holder": holder,
                    "collection": collection,
                    "level": int(new),
                    "granted": utc_timestamp(),
                }
                conn.execute(insert(t.grants), [row])

    def grants(self) -> list[Grant]:
        query = select(t.grants.c.holder, t.grants.c.collection, t.grants.c.level).order_by(
            t.grants.c.holder, t.grants.c.collection
        )
        with self.engine.connect() as conn:
            return [Grant(h, c, Level(level)) for h, c, level in conn.execute(query)]

    def add_token(self, user: str, digest: str) -> None:
        with self.engine.begin() as conn:
            self._need_user(conn, user)
            row = {"digest": digest, "user_name": user, "created": utc_timestamp()}
            conn.execute(insert(t.tokens), [row])

    def token_user(self, digest: str) -> str | None:
        query = select(t.tokens.c.user_name).where(t.tokens.c.digest == digest)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def revoke_tokens(self, user: str) -> int:
        with self.engine.begin() as conn:
            self._need_user(conn, user)
            result = conn.execute(delete(t.tokens).where(t.tokens.c.user_name == user))
            count = int(result.rowcount)
        self.end_sessions(user)
        return count

    def session_epoch(self, user: str) -> int:
        table = t.session_epochs
        query = select(table.c.epoch).where(table.c.user_name == user)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def end_sessions(self, user: str) -> int:
        try:
            return self._bump_epoch(user)
        except IntegrityError:  # another process made the user's first row meanwhile
            return self._bump_epoch(user)

    def _bump_epoch(self, user: str) -> int:
        table = t.session_epochs
        where = table.c.user_name == user
        with self.engine.begin() as conn:
            self._need_user(conn, user)
            # An increment in SQL, so concurrent bumps each move the epoch on.
            moved = conn.execute(sql_update(table).where(where).values(epoch=table.c.epoch + 1))
            if not moved.rowcount:
                conn.execute(insert(table), [{"user_name": user, "epoch": 1}])
            return int(conn.execute(select(table.c.epoch).where(where)).scalar_one())

    def set_password_hash(self, user: str, digest: str | None) -> None:
        with self.engine.begin() as conn:
            self._need_user(conn, user)
            conn.execute(delete(t.passwords).where(t.passwords.c.user_name == user))
            if digest is not None:
                row = {"user_name": user, "hash": digest, "changed": utc_timestamp()}
                conn.execute(insert(t.passwords), [row])

    def password_hash(self, user: str) -> str | None:
        query = select(t.passwords.c.hash).where(t.passwords.c.user_name == user)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def resolve(self, name: str) -> tuple[User, Principal]:
        with self.engine.connect() as conn:
            found = read_by_name(conn, name)
        if found is None:
            raise UnknownName("user", name)
        return found

    def resolve_token(self, digest: str) -> tuple[User, Principal] | None:
        with self.engine.connect() as conn:
            return read_by_token(conn, digest)
