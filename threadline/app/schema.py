"""Every table threadline keeps in SQL, as the app composes them: the store's own and
those of the packages above it. Passed in where the store's migrations are prepared
(`threadline.store.migrations.prepare`), so the store names no package above it.

The API's tables (browser sessions, sign-in limits) are defined in
`threadline.access.signin_tables`, so that this layer lists them without the API.
"""

from __future__ import annotations

from threadline.store.migrations.schema import STORE_MODULES, Registry

SCHEMA = Registry(
    (
        *STORE_MODULES,
        "threadline.access.tables",
        "threadline.cases.tables",
        "threadline.watch.tables",
        "threadline.access.signin_tables",
        "threadline.app.jobs.table",
        "threadline.audit.sql",
        "threadline.tips.tables",
    )
)
