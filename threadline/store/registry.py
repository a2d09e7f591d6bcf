"""Backends chosen by name in settings: the one place that maps names to classes."""

from __future__ import annotations

from threadline.errors import ConfigError
from threadline.settings import Settings
from threadline.store.base import Store
from threadline.store.migrations.schema import Registry


def open_store(settings: Settings, schema: Registry | None = None) -> Store:
    """Open the store the settings name; `schema` names every table of the database
    (`threadline.app.schema.SCHEMA`), for a new one to be made from the models."""
    if settings.store == "sqlite":
        from threadline.store.sql import SQLStore

        url = settings.resolved_store_url()
        if url.startswith("postgresql"):
            # The default backend with a PostgreSQL URL: the URL says what the user wants.
            return open_store(settings.model_copy(update={"store": "sql"}), schema)
        if not url.startswith("sqlite"):
            raise ConfigError(
                f"Store 'sqlite' needs a sqlite URL, got {url!r}; "
                "for another database set THREADLINE_STORE=sql"
            )
        return SQLStore(url, schema)
    if settings.store == "sql":
        from threadline.store.sql import SQLStore

        url = settings.resolved_store_url()
        if url.startswith("postgresql"):
            _require("psycopg", "postgres")
        return SQLStore(url, schema)
    if settings.store == "memory":
        from threadline.store.memory import MemoryStore

        return MemoryStore()
    raise ConfigError(f"Unknown store backend {settings.store!r}; use sqlite, sql or memory")


def _require(module: str, extra: str) -> None:
    """Fail clearly when an optional backend's package is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ConfigError(
            f"This backend needs the {module!r} package: pip install 'threadline[{extra}]'"
        )
