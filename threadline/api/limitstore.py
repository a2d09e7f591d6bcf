"""The sign-in limit kept in the store's database, so that every server process (and a
restarted one) counts the same failures: `serve --workers N` must not give a guesser N
times the attempts, nor a restart a clean slate.

The rules are `LoginLimiter`'s (threadline.api.limiter): back-off per client and name,
a cap per client, nothing keyed on the name alone, an attempt counted when it starts.
Counting is one atomic upsert per attempt, so parallel guesses from several processes
are all counted. Times are wall-clock seconds, shared by every process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    case,
    delete,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from threadline.access.signin_tables import attempts, metadata, pairs
from threadline.api.limiter import LoginLimiter, SignInLimited
from threadline.store.sqlengine import shared_engine

PRUNE_EVERY = 200  # counted attempts between sweeps of what is too old to matter


def _insert(engine: Engine) -> Any:
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


class SQLLoginLimiter:
    """`LoginLimiter`'s rules (`limits` are its parameters), with the counts in the
    database at `url`."""

    def __init__(
        self, url: str | Engine, *, clock: Callable[[], float] = time.time, **limits: Any
    ) -> None:
        self.rules = LoginLimiter(clock=clock, **limits)
        self.clock = clock
        self.engine, self._owned = shared_engine(url)
        metadata.create_all(self.engine)
        self._since_prune = 0

    def delay(self, failures: int) -> float:
        """How long a pair waits after this many failures (0 below `free`)."""
        return self.rules.delay(failures)

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    def remembered(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(pairs)).scalar_one())

    def attempt(self, client: str, name: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            locked = conn.execute(
                select(pairs.c.locked_until).where(pairs.c.client == client, pairs.c.name == name)
            ).scalar()
            if locked is not None and locked > now:
                raise SignInLimited(locked - now)
            self._check_client(conn, client, now)
            fresh = (now - pairs.c.last) > self.rules.forget
            upsert = _insert(self.engine)(pairs).values(
                client=client, name=name, failures=1, last=now, locked_until=now
            )
            upsert = upsert.on_conflict_do_update(
                index_elements=[pairs.c.client, pairs.c.name],
                set_={
                    "failures": case((fresh, 1), else_=pairs.c.failures + 1),
                    "last": now,
                },
            ).returning(pairs.c.failures)
            failures = int(conn.execute(upsert).scalar_one())
            hold = now + self.delay(failures)
            conn.execute(
                pairs.update()
                .where(pairs.c.client == client, pairs.c.name == name)
                .values(locked_until=hold)
            )
            conn.execute(attempts.insert().values(client=client, at=now))
            self._prune(conn, now)

    def succeeded(self, client: str, name: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(pairs).where(pairs.c.client == client, pairs.c.name == name))
            latest = select(func.max(attempts.c.id)).where(attempts.c.client == client)
            conn.execute(delete(attempts).where(attempts.c.id == latest.scalar_subquery()))

    def bad_token(self, client: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            self._check_client(conn, client, now)
            conn.execute(attempts.insert().values(client=client, at=now))
            self._prune(conn, now)

    def _check_client(self, conn: Connection, client: str, now: float) -> None:
        window = self.rules.window
        recent = select(func.count(), func.min(attempts.c.at)).where(
            attempts.c.client == client, attempts.c.at > now - window
        )
        count, first = conn.execute(recent).one()
        if count >= self.rules.per_client:
            raise SignInLimited(window - (now - first))

    def _prune(self, conn: Connection, now: float) -> None:
        self._since_prune += 1
        if self._since_prune < PRUNE_EVERY:
            return
        self._since_prune = 0
        conn.execute(delete(attempts).where(attempts.c.at <= now - self.rules.window))
        quiet = pairs.c.last < now - self.rules.forget
        conn.execute(delete(pairs).where(quiet, pairs.c.locked_until <= now))
