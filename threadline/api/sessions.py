"""Browser sessions: a random id in an HttpOnly cookie, its digest and CSRF token here.

Sessions live in the store's database (table `web_sessions`), so a restart keeps
people signed in and several server processes share them. Only a digest of the
session id is stored: a copy of the database does not let anyone sign in.

Each session records its user's session epoch when it was made (see
`AccessStore.session_epoch`); the caller checks it on every use, so a password
change, a token revocation or disabling the user ends all their sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Engine,
    delete,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from threadline.access.signin_tables import metadata, sessions
from threadline.store.sqlengine import shared_engine

LIFETIME = timedelta(hours=12)
# Sessions of a table made before epochs existed get this one, which no user is in.
STALE_EPOCH = -1


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: who, its CSRF token, and what it is working on."""

    user: str
    csrf: str
    case: str | None = None
    purpose: str | None = None
    epoch: int = 0


class SessionStore:
    """Create, find, change and end sessions."""

    def __init__(self, url: str) -> None:
        self.engine, self._owned = shared_engine(url)
        metadata.create_all(self.engine)
        _add_epoch(self.engine)

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    def create(self, user: str, epoch: int = 0) -> tuple[str, Session]:
        """A new session for `user` in their session `epoch`, read before their
        password was checked: (the cookie value, the session)."""
        session_id = secrets.token_urlsafe(32)
        session = Session(user, secrets.token_urlsafe(32), epoch=epoch)
        row = {
            "digest": _digest(session_id),
            "user_name": user,
            "csrf": session.csrf,
            "expires": (_now() + LIFETIME).isoformat(),
            "epoch": epoch,
        }
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires < _now().isoformat()))
            conn.execute(insert(sessions), [row])
        return session_id, session

    def get(self, session_id: str) -> Session | None:
        """The live session behind a cookie value, if any."""
        query = select(sessions).where(sessions.c.digest == _digest(session_id))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or row.expires < _now().isoformat():
            return None
        return Session(row.user_name, row.csrf, row.case_id, row.purpose, row.epoch)

    def set_work(self, session_id: str, case: str | None, purpose: str | None) -> None:
        """Record the case or purpose the session is working on."""
        change = update(sessions).where(sessions.c.digest == _digest(session_id))
        with self.engine.begin() as conn:
            conn.execute(change.values(case_id=case, purpose=purpose))

    def end(self, session_id: str) -> None:
        """Sign out."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.digest == _digest(session_id)))


def _has_epoch(engine: Engine) -> bool:
    return any(c["name"] == "epoch" for c in inspect(engine).get_columns(sessions.name))


def _add_epoch(engine: Engine) -> None:
    """Give a sessions table from before epochs its epoch column; its sessions end."""
    if _has_epoch(engine):
        return
    alter = f"ALTER TABLE {sessions.name} ADD COLUMN epoch INTEGER NOT NULL DEFAULT {STALE_EPOCH}"
    try:
        with engine.begin() as conn:
            conn.execute(text(alter))
    except DBAPIError:
        if not _has_epoch(engine):  # not another process adding it at the same time
            raise
