"""Alembic's environment for threadline: run programmatically, on the connection the
caller passes in `config.attributes["connection"]` (see `threadline.store.migrations.
runner`), never from an alembic.ini or a URL of its own."""

from __future__ import annotations

from alembic import context

from threadline.store.migrations.schema import target

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError(
        "threadline's migrations run on a connection: use `threadline db upgrade`, or "
        "threadline.store.migrations.runner from Python"
    )
context.configure(
    connection=connection,
    target_metadata=target(),
    # SQLite alters a table by copying it: revisions written for it use batch mode.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
