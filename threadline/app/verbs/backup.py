"""Backup and restore verbs: a consistent copy of the data directory, and putting one back.

`backup` is an audited disclosure (a copy of everything leaves for another place): its
`started` event is written first, so the backup's own log holds it; the final `ok`
event comes after the snapshot and is only in the live log. `restore` checks the
backup whole, puts it in place, rebuilds the search index and records the restore in
the restored log, signed by a fresh checkpoint. A refused restore (damaged backup,
data directory in use) writes nothing, not even an event: there is no log yet to
hold one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from threadline.access import AccessDenied
from threadline.app import indexer
from threadline.app.accountability import CHECKPOINTS_DIR, KEYS_DIR
from threadline.app.context import LOCAL
from threadline.app.schema import SCHEMA
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind, AuditError, audit_url
from threadline.backup import BackupError, Layout, Manifest, make_backup, restore_backup
from threadline.backup.layout import STORE_FILE
from threadline.progress import NoProgress, Progress
from threadline.settings import config_path
from threadline.store.sql import SQLStore


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back: the backup's manifest, how many entities were indexed
    again, what `audit verify` says now, and the backed-up config file, if any (left
    in the backup: it may hold other data directories' settings)."""

    manifest: Manifest
    entities: int
    audit: str
    config: Path | None


def _sqlite_file(url: str, what: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise BackupError(
            f"backup copies SQLite files; the {what} is at {parsed.render_as_string()} "
            "(use that database's own backup tool, such as pg_dump)"
        )
    return Path(parsed.database or "").expanduser().resolve()


def _summary(stage: Path) -> dict[str, Any]:
    """The counts of the store copy, for the manifest and to check a restore by."""
    store = SQLStore(f"sqlite:///{stage / STORE_FILE}", SCHEMA)
    try:
        return {
            "entities": store.count_entities(),
            "statements": store.count_statements(),
            "judgements": len(store.judgements.all()),
            "datasets": {
                d.name: {"entities": d.entities, "statements": d.statements, "sources": d.sources}
                for d in store.datasets()
            },
        }
    finally:
        store.close()


class BackupVerbs(VerbsBase):
    """Copies of the whole data directory."""

    def _layout(self) -> Layout:
        settings = self.settings
        if settings.store == "memory":
            raise BackupError("the memory store keeps nothing to back up")
        second = settings.checkpoint_dir
        return Layout(
            data_dir=self.data_dir,
            store_db=_sqlite_file(settings.resolved_store_url(), "store"),
            audit_db=_sqlite_file(settings.audit_url or audit_url(self.data_dir), "audit log"),
            keys=self.data_dir / KEYS_DIR,
            checkpoints=self.data_dir / CHECKPOINTS_DIR,
            second=second.expanduser().resolve() if second is not None else None,
        )

    def backup(self, dest: Path) -> Manifest:
        """Copy the store, audit log, keys, checkpoints, resolution model and config
        file to a new folder while others keep working (admins only).

        The copy is consistent: what it holds of the store is covered by its audit
        log, which verifies on its own. The search index is left out (restore
        rebuilds it); `Manifest.left_out` says what else is, and why.
        """
        with self._act(ActionKind.DISCLOSURE, "backup", personal=False, alters=True) as act:
            self._require_admin(act.scope, "back up the data directory")
            layout = self._layout()
            _ = self.accountability.keyring.current_id  # the signing key exists to be copied
            manifest = make_backup(layout, Path(dest), _summary, config=config_path())
            act.detail = f"files={len(manifest.files)} audit_entries={manifest.audit_entries}"
        return manifest

    def restore(
        self, source: Path, *, force: bool = False, progress: Progress | None = None
    ) -> RestoreReport:
        """Put a backup in place as this data directory and rebuild the search index.

        The backup is checked against its manifest before anything is written. A data
        directory that holds anything is refused unless `force`, which replaces it
        (stop any server using it first). Only the local admin restores: the users
        and grants are the backup's, not yet in place to ask.
        """
        if self.context.token or self.context.actor != LOCAL.actor:
            raise AccessDenied(self.context.actor, "the data directory", "local admin")
        layout = self._layout()
        self._backends.close()  # nothing of the directory being replaced stays open
        restored = restore_backup(Path(source), layout, force=force)
        manifest = restored.manifest
        with self._act(ActionKind.ALTERATION, "restore", personal=False) as act:
            index = self._backends.reopen_index()
            count = indexer.rebuild(self.store, index, self.settings, progress or NoProgress())
            act.detail = (
                f"backup={manifest.created} audit_entries={manifest.audit_entries} entities={count}"
            )
        try:
            self.accountability.checkpoint()  # sign the restore's own events
            audit = self.accountability.verify().summary()
        except AuditError as error:
            # The restore is done and on record; say why its events are not signed yet.
            audit = f"restored, but its events are not signed yet: {error}"
        return RestoreReport(manifest, count, audit, restored.config)
