"""Backends are chosen by name; a missing optional package gives a clear error."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from threadline.errors import ConfigError
from threadline.settings import Settings
from threadline.store.memory import MemoryStore
from threadline.store.registry import open_store
from threadline.store.sql import SQLStore


def test_sqlite_is_the_default(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    assert isinstance(store, SQLStore)
    assert (tmp_path / "store.sqlite3").exists()
    store.close()


def test_memory_backend(tmp_path: Path) -> None:
    assert isinstance(open_store(Settings(data_dir=tmp_path, store="memory")), MemoryStore)


def test_unknown_backend(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Unknown store backend 'oracle'"):
        open_store(Settings(data_dir=tmp_path, store="oracle"))


def test_postgres_without_its_extra_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def without_psycopg(name: str, package: str | None = None) -> object:
        return None if name == "psycopg" else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", without_psycopg)
    settings = Settings(data_dir=tmp_path, store="sql", store_url="postgresql+psycopg://x/y")
    with pytest.raises(ConfigError, match=r"pip install 'threadline\[postgres\]'"):
        open_store(settings)


def test_a_postgresql_url_picks_the_sql_backend_and_psycopg(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    settings = Settings(store_url=plain)  # the default backend name, "sqlite"
    assert settings.resolved_store_url() == postgres_url
    store = open_store(settings)
    assert isinstance(store, SQLStore)
    store.close()
