"""Schema verbs: the store database's migrations (`db upgrade`, `db current`,
`db history`) and `recount`, which rebuilds the counts per dataset kept in the store.

A store is brought to the newest schema when it is opened (see
`threadline.store.migrations`), so `db_upgrade` mostly reports what that did; it is
the explicit step for an operator who upgrades before starting the servers.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind
from threadline.errors import ConfigError
from threadline.store.counts import Drift
from threadline.store.migrations.revision import Revision
from threadline.store.sql import SQLStore


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's schema stands: the database (its URL without a password),
    its revision, the newest revision, and the revision it was at before this
    process upgraded it (None: it was not upgraded; "" : it was created)."""

    database: str
    current: str | None
    head: str
    upgraded_from: str | None = None


class SchemaVerbs(VerbsBase):
    """The store database's schema and the counts it keeps."""

    def _sql_store(self, action: str) -> SQLStore:
        store = self.store
        if not isinstance(store, SQLStore):
            raise ConfigError(f"{action}: the {self.settings.store!r} store keeps no SQL schema")
        return store

    def _status(self, store: SQLStore, upgraded: tuple[str | None, str] | None) -> SchemaStatus:
        from threadline.store.migrations import runner  # Alembic loads only here

        shown = store.engine.url.render_as_string(hide_password=True)
        before = None if upgraded is None else upgraded[0] or ""
        return SchemaStatus(shown, runner.current(store.engine), runner.head(), before)

    def db_upgrade(self) -> SchemaStatus:
        """Bring the store's database to the newest schema revision (admins only)."""
        from threadline.store.migrations import runner

        with self._act(ActionKind.ALTERATION, "db.upgrade", personal=False) as act:
            self._require_admin(act.scope, "upgrade the database")
            store = self._sql_store("db upgrade")
            upgraded = store.schema_upgrade  # done when the store was opened, if needed
            before, after = runner.upgrade(store.engine)
            if upgraded is None and before != after:
                upgraded = (before, after)
            status = self._status(store, upgraded)
            act.detail = f"from={status.upgraded_from} to={status.current}"
        return status

    def db_current(self) -> SchemaStatus:
        """The schema revision of the store's database, and the newest one (admins
        only)."""
        with self._act(ActionKind.CONSULTATION, "db.current", personal=False) as act:
            self._require_admin(act.scope, "read the database's schema revision")
            store = self._sql_store("db current")
            status = self._status(store, store.schema_upgrade)
        return status

    def db_history(self) -> list[Revision]:
        """Every schema revision this threadline knows, oldest first."""
        from threadline.store.migrations import runner

        return runner.history()

    def recount(self) -> list[Drift]:
        """Count every dataset's statements, entities and source files again from the
        store, replace the kept counts, and return the datasets that had drifted
        (admins only)."""
        from threadline.store import counts

        with self._act(ActionKind.ALTERATION, "recount", personal=False) as act:
            self._require_admin(act.scope, "recount the datasets")
            store = self._sql_store("recount")
            with store.engine.begin() as conn:
                drift = counts.recount(conn)
            act.detail = f"drifted={len(drift)}"
        return drift
