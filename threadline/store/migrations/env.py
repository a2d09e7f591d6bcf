"""Alembic's environment for threadline: run programmatically, on the connection the
caller passes in `config.attributes["connection"]` (see `threadline.store.migrations.
runner`), never from an alembic.ini or a URL of its own. The models to compare with
(`config.attributes["target"]`, a MetaData of every table) are given by the caller
too, for autogenerate and checks; an upgrade runs the revisions without them."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError(
        "threadline's migrations run on a connection: use `threadline db upgrade`, or "
        "threadline.store.migrations.runner from Python"
    )
context.configure(
    connection=connection,
    target_metadata=context.config.attributes.get("target"),
    # SQLite alters a table by copying it: revisions written for it use batch mode.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
