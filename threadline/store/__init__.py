"""The store: statements are the source of truth, behind a small interface."""

from threadline.store.base import DatasetStats, Reference, Store, StoreWriter
from threadline.store.registry import open_store

__all__ = ["DatasetStats", "Reference", "Store", "StoreWriter", "open_store"]
