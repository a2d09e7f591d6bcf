"""Search backends chosen by name in settings."""

from __future__ import annotations

import shutil

from threadline.errors import ConfigError
from threadline.search.index import SearchIndex
from threadline.settings import Settings


def open_index(settings: Settings, *, fresh: bool = False) -> SearchIndex:
    """Open the search index the settings name; `fresh` drops it first (to rebuild)."""
    if settings.search == "tantivy":
        from threadline.search.tantivy_index import TantivyIndex

        path = settings.resolved_data_dir() / "index"
        if fresh:
            shutil.rmtree(path, ignore_errors=True)
        return TantivyIndex(path, settings.index_memory_mb)
    raise ConfigError(f"Unknown search backend {settings.search!r}; use tantivy")
