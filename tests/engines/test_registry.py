"""Engines are chosen by name; a missing optional package is named with its extra."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from threadline.engines import registry
from threadline.engines.duckdb import DuckDBEngine
from threadline.errors import ConfigError
from threadline.settings import Settings


def test_duckdb_is_the_default_engine(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).resolve_engine == "duckdb"
    engine = registry.open_engine("duckdb", tmp_path)
    try:
        assert isinstance(engine, DuckDBEngine)
        assert engine.trainer() is engine
        assert engine.known_fingerprints() == {}
    finally:
        engine.close()


def test_unknown_engine(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="duckdb or spark"):
        registry.open_engine("flink", tmp_path)


def test_spark_without_pyspark_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "pyspark" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ConfigError, match=r"pip install 'threadline\[spark\]'"):
        registry.open_engine("spark", tmp_path)


def test_spark_without_java_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyspark")
    monkeypatch.setattr(registry.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ConfigError, match="default-jre-headless"):
        registry.open_engine("spark", tmp_path)
