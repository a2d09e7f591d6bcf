"""Settings: where data lives and which backends to use, from THREADLINE_* variables."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import Field, IPvAnyNetwork, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "threadline"
PROMPT_KINDS = ("export", "bulk_export", "erase", "graph")
"""The kinds of action an operator can set a justification prompt for."""


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
    resolve_engine: str = Field(
        default="duckdb", description="Resolution engine name: duckdb, or spark (scale-out)."
    )
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description=(
            "Processes that convert records when ingesting large files, and split "
            "addresses when resolving."
        ),
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
    ocr_lang: str = Field(
        default="eng",
        pattern=r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$",
        description="Tesseract languages for scans and images, such as `deu+eng` "
        "(each needs its Debian package, tesseract-ocr-deu...).",
    )
    ocr: bool = Field(
        default=True, description="Read scans and images by OCR when Tesseract is installed."
    )
    keep_originals: bool = Field(
        default=True,
        description="Keep a copy of every ingested document file in the data dir "
        "(`originals/`), so pages can be drawn and files handed back. Off: nothing is "
        "copied, and the document view shows text only (docs/documents.md).",
    )
    mentions_auto: bool = Field(
        default=True,
        description="After an ingest, look for mentions: new documents against every known "
        "name, stored documents against the new records' names (docs/mentions.md).",
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
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For "
        'is believed (JSON list, e.g. ["10.0.0.5", "10.1.0.0/16"]); none by default.',
    )
    checkpoint_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A server signs new audit events at most this many seconds after they arrive.",
    )
    graph_no_worker_seconds: float = Field(
        default=20.0,
        gt=0,
        description="A graph request whose view build has waited this long in the job queue, "
        "with no worker running any job, is told that none is running.",
    )
    audit_trusted_key: str | None = Field(
        default=None,
        description="Fingerprint(s) or public key file(s) of the checkpoint signing key, "
        "recorded outside the data directory at `audit init`; comma-separated.",
    )
    audit_witness_url: str | None = Field(
        default=None,
        description="URL of an audit witness (`threadline audit witness serve`) that "
        "countersigns every checkpoint.",
    )
    audit_witness_key: str | None = Field(
        default=None, description="Fingerprint or public key file of the witness's key."
    )
    require_purpose: bool = Field(
        default=False,
        description="Refuse reads without a case or a stated purpose (on in server mode).",
    )
    prompts: dict[str, str] = Field(
        default_factory=dict,
        description="Justification prompts by action kind (export, bulk_export, erase, "
        'graph), e.g. THREADLINE_PROMPTS=\'{"export": "Which request is this for?"}\': '
        "the caller must answer (--justification / X-Justification) before the action.",
    )
    bulk_export_min: int = Field(
        default=1000, ge=1, description="An export of this many entities is a bulk export."
    )
    # Watch alerts (docs/watches.md).
    smtp_host: str | None = Field(default=None, description="SMTP server for alert e-mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP server port.")
    smtp_from: str = Field(default="threadline@localhost", description="Alert e-mail sender.")
    smtp_starttls: bool = Field(default=False, description="Use STARTTLS with the SMTP server.")
    smtp_username: str | None = Field(default=None, description="SMTP login, if needed.")
    smtp_password: str | None = Field(default=None, description="SMTP password, if needed.")
    webhook_allow: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Networks webhooks may reach although they are loopback, private or "
        'otherwise non-public (JSON list, e.g. ["10.0.0.0/8"]); none by default.',
    )
    webhook_timeout: float = Field(default=10.0, gt=0, description="Webhook timeout, seconds.")
    watch_search_limit: int = Field(
        default=1000, ge=1, description="Hits a search watch looks through per evaluation."
    )
    alert_attempts: int = Field(
        default=10, ge=1, description="Tries to send an alert before giving up on it."
    )
    # Sharing cases between instances (docs/sharing.md).
    instance_name: str | None = Field(
        default=None,
        description="How this instance names itself in the case bundles it shares "
        "(default: its signing key id).",
    )
    share_recipients: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Recipients of shared cases and the markings each may receive, e.g. "
        'THREADLINE_SHARE_RECIPIENTS=\'{"partner-desk": ["confidential"]}\'; anyone else '
        "gets unmarked data only, and `no-share` data goes to nobody.",
    )
    share_trusted_keys: str | None = Field(
        default=None,
        description="Fingerprints or public key files of instances whose case bundles may "
        "be imported without --trust; comma-separated.",
    )
    # Tip intake: the public form at /tips (docs/tips.md).
    tips_enabled: bool = Field(
        default=False, description="Take anonymous tips at /tips and POST /api/v1/tips."
    )
    tips_group: str | None = Field(
        default=None,
        description="The group whose members triage tips (list, read, reject, "
        "open as a case); nobody but the local admin without one.",
    )
    tips_max_files: int = Field(default=5, ge=0, le=50, description="Files one tip may bring.")
    tips_max_file_bytes: int = Field(
        default=50 << 20, ge=1, description="Bytes one file of a tip may have."
    )
    tips_max_text_chars: int = Field(
        default=20_000, ge=1, description="Characters a tip's text may have."
    )
    tips_keep_ip: bool = Field(
        default=False,
        description="Keep each tip's sender address (the form then says so); off by default.",
    )
    tips_rate_limit: int = Field(
        default=5, ge=1, description="Tips one client may send in five minutes."
    )
    tips_retention_days: int | None = Field(
        default=None,
        ge=1,
        description="Days after which new (untriaged) and rejected tips and their files "
        "are deleted by `threadline tip purge`; tips opened as cases stay. Unset: none.",
    )

    @field_validator("store_url", "audit_url")
    @classmethod
    def _psycopg_for_postgresql(cls, url: str | None) -> str | None:
        """`postgresql://` and `postgres://` mean psycopg 3, the driver of the `postgres`
        extra (SQLAlchemy's own default for them is psycopg2)."""
        if url is None:
            return None
        for scheme in ("postgresql://", "postgres://"):
            if url.startswith(scheme):
                return "postgresql+psycopg://" + url[len(scheme) :]
        return url

    @field_validator("prompts")
    @classmethod
    def _known_prompt_kinds(cls, prompts: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(prompts) - set(PROMPT_KINDS))
        if unknown:
            raise ValueError(f"unknown action kinds {unknown}; use {list(PROMPT_KINDS)}")
        return prompts

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
        if not path.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only from the start: the audit log, its keys and the store live here.
            path.mkdir(mode=0o700, exist_ok=True)
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
