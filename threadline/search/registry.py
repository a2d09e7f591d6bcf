"""Search backends chosen by name in settings."""

from __future__ import annotations

from threadline.errors import ConfigError
from threadline.search.index import SearchIndex
from threadline.settings import Settings


def open_index(settings: Settings) -> SearchIndex:
    """Open the search index the settings name."""
    if settings.search == "tantivy":
        from threadline.search.tantivy_index import TantivyIndex

        return TantivyIndex(settings.resolved_data_dir() / "index", settings.index_memory_mb)
    raise ConfigError(f"Unknown search backend {settings.search!r}; use tantivy")
