"""`migrate`: move this data directory's store and audit log into another database.

A laptop investigation that becomes a team's moves to PostgreSQL with one command. It
is an audited disclosure (everything is copied to another place), admins only, and
holds the writer lock so that no ingest changes the store half-way through. The
start event is written first, so the copied log holds it; the outcome is recorded in
the source log, like a backup's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import make_url

from threadline.access import tables as access_tables
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind, audit_url
from threadline.audit import sql as audit_sql
from threadline.audit.merkle import TreeBuilder
from threadline.audit.sql import SQLAuditLog
from threadline.backup.migrate import MigrationError, TableCopy, copy_tables, copy_tail
from threadline.cases import tables as case_tables
from threadline.progress import NoProgress, Progress
from threadline.store import judgements, tables
from threadline.store.lock import writer_lock

STORE_SCHEMAS: tuple[MetaData, ...] = (
    tables.metadata,
    judgements.metadata,
    access_tables.metadata,
    case_tables.metadata,
)


@dataclass(frozen=True)
class MigrationReport:
    """Where the data went, every table's counts, and the audit log's check."""

    target: str
    tables: tuple[TableCopy, ...]
    audit_entries: int

    @property
    def rows(self) -> int:
        return sum(t.target for t in self.tables)


def _target_url(url: str) -> str:
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


class MigrateVerbs(VerbsBase):
    """Moving the databases of a data directory."""

    def migrate(self, to: str, *, progress: Progress | None = None) -> MigrationReport:
        """Copy the store (statements, judgements, users, grants, cases) and the audit
        log into the empty database at `to`, check every table's row count and the
        audit log's Merkle root, and report. Nothing is written to the target unless
        all of it is (admins only)."""
        target_url = _target_url(to)
        shown = make_url(target_url).render_as_string(hide_password=True)
        store_url = self.settings.resolved_store_url()
        source_audit = self.settings.audit_url or audit_url(self.data_dir)
        if target_url in (store_url, source_audit):
            raise MigrationError(f"{shown} is where the data already is")
        with self._act(ActionKind.DISCLOSURE, "migrate", personal=False, alters=True) as act:
            self._require_admin(act.scope, "migrate the data directory")
            progress = progress or NoProgress()
            engines = [create_engine(u) for u in (store_url, source_audit, target_url)]
            try:
                with writer_lock(self.data_dir):
                    sources = [(engines[0], STORE_SCHEMAS), (engines[1], (audit_sql.metadata,))]
                    copies = copy_tables(sources, engines[2], progress)
            except BaseException:
                for engine in engines:
                    engine.dispose()
                raise
            act.detail = f"target={shown} rows={sum(c.target for c in copies)}"
        try:
            # The migration's own outcome, written to the source log after the copy,
            # follows it: both logs are then one history, under the same checkpoints.
            logged = (audit_sql.audit_entries, audit_sql.audit_values)
            copy_tail(engines[1], engines[2], logged, "index")
        finally:
            for engine in engines:
                engine.dispose()
        entries = self._check_audit(source_audit, target_url)
        return MigrationReport(shown, tuple(copies), entries)

    @staticmethod
    def _check_audit(source: str, target: str) -> int:
        """The copied log is the source's log up to its size: every entry the same
        (bytes, leaf hash, values), and the Merkle root is the source's root at that
        size (the source may have grown since, by this migration's own outcome or by
        a reader elsewhere)."""
        before, after = SQLAuditLog(source), SQLAuditLog(target)
        try:
            copied = after.head()
            tree = TreeBuilder()
            pairs = zip(before.entries(0, copied.size), after.entries(), strict=True)
            for mine, theirs in pairs:
                if mine != theirs:
                    raise MigrationError(f"audit entry {mine.index} changed in the copy")
                tree.append(mine.leaf_hash)
        finally:
            before.close()
            after.close()
        if tree.root() != copied.root:
            raise MigrationError("the copied audit log's Merkle root is not the source's")
        return copied.size
