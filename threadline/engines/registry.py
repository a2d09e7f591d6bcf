"""Resolution engines chosen by name (settings, `--engine`): the one place that maps
engine names to classes."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from threadline.engines.base import Engine
from threadline.errors import ConfigError

ENGINES = ("duckdb", "spark")


def require(name: str) -> None:
    """Fail clearly, before any work, when engine `name` is unknown or cannot run here."""
    if name not in ENGINES:
        raise ConfigError(f"Unknown resolution engine {name!r}; use {' or '.join(ENGINES)}")
    if name == "spark":
        if importlib.util.find_spec("pyspark") is None:
            raise ConfigError(
                "The spark engine needs the 'pyspark' package: pip install 'threadline[spark]'"
            )
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise ConfigError(
                "The spark engine needs a Java runtime (17 or 21) on the PATH: on Debian, "
                "apt-get install default-jre-headless"
            )


def open_engine(name: str, folder: Path, state: Path | None = None) -> Engine:
    """The engine `name`, its scratch files under `folder`, its state kept in the DuckDB
    file `state` (in memory without)."""
    require(name)
    if name == "spark":
        from threadline.engines.spark import SparkEngine

        return SparkEngine(folder / "spark", state)
    from threadline.engines.duckdb import DuckDBEngine

    return DuckDBEngine(state)
