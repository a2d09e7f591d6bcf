"""Taking a database made before the migrations under them: its tables are checked
against the baseline before it is stamped.

An earlier threadline created tables as its parts were first used, so some may be
missing (the baseline creates them). A table that is there must have every column the
baseline gives it: anything else was not made by threadline, or was changed by hand,
and is refused rather than written into.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, MetaData, inspect, text

from threadline.store.migrations.errors import SchemaError


def shown(conn: Connection) -> str:
    """The connection's database, for messages: its URL without a password."""
    return conn.engine.url.render_as_string(hide_password=True)


def adopt(conn: Connection, baseline: MetaData, legacy: Mapping[tuple[str, str], str]) -> None:
    """Check the baseline's tables that `conn`'s database has; add the `legacy`
    columns ((table, column) -> SQL type and default) that a table from before lacks.
    Raise SchemaError naming the database, tables and columns on any other lack."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    problems = []
    added = []
    for table in baseline.sorted_tables:
        if table.name not in present:
            continue
        have = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            if (table.name, column.name) in legacy:
                added.append((table.name, column.name, legacy[table.name, column.name]))
            else:
                problems.append(f"{table.name}.{column.name}")
    if problems:
        raise SchemaError(
            f"{shown(conn)}: its tables do not match threadline's (missing columns: "
            f"{', '.join(problems)}); it was not made by threadline or was changed by hand"
        )
    for table_name, name, definition in added:
        conn.execute(text(f'ALTER TABLE "{table_name}" ADD COLUMN "{name}" {definition}'))
