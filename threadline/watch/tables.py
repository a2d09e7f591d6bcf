"""The watch layer's SQL tables: own metadata, `watch_` names, in the store's database."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

watches = Table(
    "watch_watches",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("spec", Text, nullable=False),  # JSON: what is watched
    Column("created_at", String(32), nullable=False),
    Column("case_id", String(32), nullable=True),
    Column("purpose", Text, nullable=True),
    Column("email", Text, nullable=True),
    Column("webhook", Text, nullable=True),
    Column("secret", Text, nullable=True),
    Column("watermark", BigInteger, nullable=False),
    Column("last_error", Text, nullable=False),
)

# What each watch has already seen (and so never alerts on again): its baseline when
# made, then every alert's key.
seen = Table(
    "watch_seen",
    metadata,
    Column("watch_id", String(32), ForeignKey("watch_watches.id"), primary_key=True),
    Column("key", String(512), primary_key=True),
)

# The change feed: entity ids changed by an ingest or a resolution, in order. A watch's
# watermark is the last position it has evaluated; rows every watch has passed go.
feed = Table(
    "watch_feed",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("entity_id", String(255), nullable=False),
    sqlite_autoincrement=True,  # positions never reused, even after a prune
)

alerts = Table(
    "watch_alerts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("watch_id", String(32), ForeignKey("watch_watches.id"), nullable=False, index=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    Column("key", String(512), nullable=False),
    Column("title", Text, nullable=False),
    Column("entity_ids", Text, nullable=False),  # JSON list
    Column("datasets", Text, nullable=False),  # JSON list
)

deliveries = Table(
    "watch_deliveries",
    metadata,
    Column("alert_id", String(32), ForeignKey("watch_alerts.id"), primary_key=True),
    Column("channel", String(8), primary_key=True),
    Column("target", Text, nullable=False),
    Column("status", String(8), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("sent_at", String(32), nullable=True),
)
