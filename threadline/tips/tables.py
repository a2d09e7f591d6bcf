"""The tip layer's SQL tables: own metadata, `tip_` names, in the store's database."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

tips = Table(
    "tip_tips",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("received_at", String(32), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    # The sender's address, only when the operator keeps addresses (`tips_keep_ip`).
    Column("client", String(64), nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", String(32), nullable=True),
    Column("reason", Text, nullable=False),
    Column("case_id", String(32), nullable=True),
    Column("dataset", String(64), nullable=True),
)

# A tip's files, in the order they were sent; their bytes sit in the data directory
# under their sha256 (`threadline.tips.vault`).
files = Table(
    "tip_files",
    metadata,
    Column("tip_id", String(32), ForeignKey("tip_tips.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
)
