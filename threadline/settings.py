"""Settings: where data lives and which backends to use, from THREADLINE_* variables."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "threadline"


class Settings(BaseSettings):
    """Everything configurable; passed around as an object, never patched globally."""

    model_config = SettingsConfigDict(env_prefix="THREADLINE_", extra="ignore")

    data_dir: Path | None = Field(
        default=None, description="Where the store and index live (default: per-user dir)."
    )
    store: str = Field(default="sqlite", description="Store backend name.")
    store_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is a SQLite file in the data dir."
    )
    search: str = Field(default="tantivy", description="Search index backend name.")
    index_memory_mb: int = Field(default=256, description="Tantivy writer heap, in MB.")
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Processes that convert records when ingesting large files.",
    )
    parallel_min_bytes: int = Field(
        default=8 << 20,
        ge=0,
        description="Files smaller than this are converted in-process (a pool costs ~1 s).",
    )
    parallel_min_entities: int = Field(
        default=20_000,
        ge=0,
        description="Fewer entities than this are indexed in-process.",
    )

    audit_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the audit log; default audit.sqlite3 in the data dir.",
    )
    audit_sync: str = Field(
        default="normal",
        pattern="^(full|normal)$",
        description="Audit durability: `full` fsyncs every event, `normal` (WAL) "
        "survives a process crash and fsyncs at checkpoints.",
    )
    checkpoint_dir: Path | None = Field(
        default=None,
        description="A second place for signed audit checkpoints (another disk or host).",
    )
    checkpoint_every: int = Field(
        default=1000, ge=1, description="Sign a checkpoint after this many audit events."
    )
    require_purpose: bool = Field(
        default=False,
        description="Refuse reads without a case or a stated purpose (on in server mode).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments win over THREADLINE_* variables, which win over the config file."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, config_path()))

    def resolved_data_dir(self) -> Path:
        """The data directory, created if missing."""
        path = self.data_dir or Path(platformdirs.user_data_dir(APP_NAME))
        path = path.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    def resolved_store_url(self) -> str:
        """The store URL: explicit, or a SQLite file inside the data directory."""
        if self.store_url:
            return self.store_url
        return f"sqlite:///{self.resolved_data_dir() / 'store.sqlite3'}"


def config_path() -> Path:
    """The TOML config file: THREADLINE_CONFIG, or threadline.toml in the user config dir."""
    named = os.environ.get("THREADLINE_CONFIG")
    if named:
        return Path(named).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "threadline.toml"
