"""A principal read from the access tables in one SQL statement.

Resolving a principal is on every request's path. Read table by table it cost seven
round trips through SQLAlchemy (the token, the user, their groups, grants, markings,
the collections and their markings), most of a request's overhead. One `UNION ALL`
reads all of it, from one snapshot on every database (a single statement sees a single
moment), and nothing is cached: a revocation committed before the statement ran is in
its answer, whichever process made it.

Each branch gives rows of (kind, a, b, c, number); `who` is the user asked for by name
or by a token's digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    CTE,
    Connection,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from threadline.access import tables as t
from threadline.access.principal import Principal
from threadline.access.records import Level, Role, User

# Row kinds, in the first column.
_USER, _GROUP, _GRANT, _HELD, _COLLECTION, _MARKING = range(6)


def _row(kind: int, a: Any, b: Any = None, c: Any = None, number: Any = None) -> Any:
    """One branch's columns, typed alike so PostgreSQL unions them."""

    def text(value: Any) -> Any:
        return cast(null(), String) if value is None else value

    return (
        literal(kind, Integer).label("kind"),
        text(a).label("a"),
        text(b).label("b"),
        text(c).label("c"),
        (cast(null(), Integer) if number is None else cast(number, Integer)).label("number"),
    )


def _statement(who: CTE) -> Any:
    name = select(who.c.name).scalar_subquery()
    groups = select(t.members.c.group_name).where(t.members.c.user_name == name)
    holders = select(who.c.name).union_all(groups)
    users, grants, marks = t.users, t.grants, t.collection_markings
    return union_all(
        select(*_row(_USER, users.c.name, users.c.role, users.c.created, users.c.disabled)).where(
            users.c.name == name
        ),
        select(*_row(_GROUP, t.members.c.group_name)).where(t.members.c.user_name == name),
        select(*_row(_GRANT, grants.c.collection, number=func.max(grants.c.level)))
        .where(grants.c.holder.in_(holders))
        .group_by(grants.c.collection),
        select(*_row(_HELD, t.user_markings.c.marking)).where(t.user_markings.c.user_name == name),
        select(*_row(_COLLECTION, t.collections.c.name)),
        select(*_row(_MARKING, marks.c.collection, marks.c.marking)),
    )


# Built once: SQLAlchemy caches their compiled form, so each request only binds.
_BY_NAME = _statement(select(bindparam("name", type_=String).label("name")).cte("who"))
_BY_TOKEN = _statement(
    select(t.tokens.c.user_name.label("name"))
    .where(t.tokens.c.digest == bindparam("digest", type_=String))
    .cte("who")
)


def _principal(rows: Iterable[Any]) -> tuple[User, Principal] | None:
    user: User | None = None
    groups: set[str] = set()
    grants: dict[str, Level] = {}
    held: set[str] = set()
    known: dict[str, set[str]] = {}
    marked: list[tuple[str, str]] = []
    for kind, a, b, c, number in rows:
        if kind == _USER:
            user = User(a, Role(b), c, bool(number))
        elif kind == _GROUP:
            groups.add(a)
        elif kind == _GRANT:
            grants[a] = Level(number)
        elif kind == _HELD:
            held.add(a)
        elif kind == _COLLECTION:
            known[a] = set()
        else:
            marked.append((a, b))
    if user is None:
        return None
    for collection, marking in marked:
        known[collection].add(marking)
    principal = Principal(
        name=user.name,
        role=user.role,
        groups=frozenset(groups),
        grants=grants,
        markings=frozenset(held),
        marked={c: frozenset(marks) for c, marks in sorted(known.items()) if marks},
        collections=frozenset(known),
    )
    return user, principal


def read_by_name(conn: Connection, name: str) -> tuple[User, Principal] | None:
    """The user called `name` and their principal; None if there is no such user."""
    return _principal(conn.execute(_BY_NAME, {"name": name}).all())


def read_by_token(conn: Connection, digest: str) -> tuple[User, Principal] | None:
    """The user a token digest belongs to and their principal; None if no token has
    that digest (never issued, or revoked)."""
    return _principal(conn.execute(_BY_TOKEN, {"digest": digest}).all())
