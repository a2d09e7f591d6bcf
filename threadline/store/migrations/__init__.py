"""Versioned schema migrations (Alembic) for the store's database, on every backend.

`prepare` runs when a store is opened; `runner` holds the Alembic commands behind
`threadline db`. How to change the schema: docs/migrations.md.
"""

from __future__ import annotations

from threadline.store.migrations.errors import SchemaError
from threadline.store.migrations.versioning import HEAD, prepare

__all__ = ["HEAD", "SchemaError", "prepare"]
