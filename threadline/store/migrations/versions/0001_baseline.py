"""Baseline: every table threadline kept in SQL when its schema came under migrations.

The tables are written out here, frozen, not taken from the live models: a later
revision changes them from this shape. On a database made by an earlier threadline
(tables, no version table) the tables it has are checked first, then the missing ones
are created; on an empty database all of them are.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from threadline.store.migrations.adoption import adopt

revision = "0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None

# Columns added by hand before the migrations existed, and how to add them to a table
# from before: a sessions table without epochs (their sessions end: epoch -1).
LEGACY_COLUMNS = {("web_sessions", "epoch"): "INTEGER NOT NULL DEFAULT -1"}


def schema() -> sa.MetaData:
    """The baseline's tables."""
    metadata = sa.MetaData()
    sa.Table(
        "access_collections",
        metadata,
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    sa.Table(
        "access_groups",
        metadata,
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    sa.Table(
        "access_users",
        metadata,
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    sa.Table(
        "audit_entries",
        metadata,
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("index"),
    )
    sa.Table(
        "audit_values",
        metadata,
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("index", "slot"),
    )
    sa.Table(
        "canonical",
        metadata,
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("canonical_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("entity_id"),
        sa.Index("ix_canonical_canonical_id", "canonical_id"),
    )
    sa.Table(
        "case_cases",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("all_sources", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    sa.Table(
        "changes",
        metadata,
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("generation", "entity_id"),
    )
    sa.Table(
        "dataset_counts",
        metadata,
        sa.Column("dataset", sa.String(length=255), nullable=False),
        sa.Column("statements", sa.BigInteger(), nullable=False),
        sa.Column("entities", sa.BigInteger(), nullable=False),
        sa.Column("sources", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("dataset"),
    )
    sa.Table(
        "jobs",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cancel", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("lease_until", sa.Float(), nullable=True),
        sa.Column("stage_label", sa.String(length=200), nullable=True),
        sa.Column("stage_done", sa.Integer(), nullable=True),
        sa.Column("stage_total", sa.Integer(), nullable=True),
        sa.Column("stage_unit", sa.String(length=32), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=True),
        sa.Column("finished_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_jobs_actor", "actor"),
        sa.Index("ix_jobs_created_at", "created_at"),
        sa.Index("ix_jobs_status", "status"),
    )
    sa.Table(
        "judgements",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("left_id", sa.String(length=255), nullable=False),
        sa.Column("right_id", sa.String(length=255), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.String(length=40), nullable=True),
        sa.Column("deleted_by", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_judgements_left", "left_id"),
        sa.Index("ix_judgements_right", "right_id"),
    )
    sa.Table(
        "review_queue",
        metadata,
        sa.Column("left_id", sa.String(length=255), nullable=False),
        sa.Column("right_id", sa.String(length=255), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("rule", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("left_id", "right_id"),
    )
    sa.Table(
        "signin_attempts",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_signin_attempts_at", "at"),
        sa.Index("ix_signin_attempts_client_at", "client", "at"),
    )
    sa.Table(
        "signin_pairs",
        metadata,
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last", sa.Float(), nullable=False),
        sa.Column("locked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("client", "name"),
    )
    sa.Table(
        "sources",
        metadata,
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("dataset", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ingested_at", sa.String(length=32), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "dataset"),
    )
    sa.Table(
        "statements",
        metadata,
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("prop", sa.String(length=64), nullable=False),
        sa.Column("prop_type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("original_value", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("dataset", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("location", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.String(length=32), nullable=False),
        sa.Column("last_seen", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", "id"),
        sa.Index(
            "ix_statements_entity_refs",
            "value",
            sqlite_where=sa.text("prop_type = 'entity'"),
            postgresql_where=sa.text("prop_type = 'entity'"),
        ),
        sqlite_with_rowid=False,
    )
    sa.Table(
        "store_meta",
        metadata,
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    sa.Table(
        "watch_feed",
        metadata,
        sa.Column("position", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("position"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "watch_watches",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("webhook", sa.Text(), nullable=True),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("watermark", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_watch_watches_owner", "owner"),
    )
    sa.Table(
        "web_sessions",
        metadata,
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("expires", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("purpose", sa.String(length=1000), nullable=True),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
        sa.Index("ix_web_sessions_user_name", "user_name"),
    )
    sa.Table(
        "access_collection_markings",
        metadata,
        sa.Column("collection", sa.String(length=255), nullable=False),
        sa.Column("marking", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection"],
            ["access_collections.name"],
        ),
        sa.PrimaryKeyConstraint("collection", "marking"),
    )
    sa.Table(
        "access_grants",
        metadata,
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("collection", sa.String(length=255), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("granted", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection"],
            ["access_collections.name"],
        ),
        sa.PrimaryKeyConstraint("holder", "collection"),
    )
    sa.Table(
        "access_members",
        metadata,
        sa.Column("group_name", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_name"],
            ["access_groups.name"],
        ),
        sa.ForeignKeyConstraint(
            ["user_name"],
            ["access_users.name"],
        ),
        sa.PrimaryKeyConstraint("group_name", "user_name"),
    )
    sa.Table(
        "access_passwords",
        metadata,
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=255), nullable=False),
        sa.Column("changed", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_name"],
            ["access_users.name"],
        ),
        sa.PrimaryKeyConstraint("user_name"),
    )
    sa.Table(
        "access_session_epochs",
        metadata,
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_name"],
            ["access_users.name"],
        ),
        sa.PrimaryKeyConstraint("user_name"),
    )
    sa.Table(
        "access_tokens",
        metadata,
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_name"],
            ["access_users.name"],
        ),
        sa.PrimaryKeyConstraint("digest"),
        sa.Index("ix_access_tokens_user_name", "user_name"),
    )
    sa.Table(
        "access_user_markings",
        metadata,
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("marking", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_name"],
            ["access_users.name"],
        ),
        sa.PrimaryKeyConstraint("user_name", "marking"),
    )
    sa.Table(
        "case_charts",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_case_charts_case_id", "case_id"),
    )
    sa.Table(
        "case_members",
        metadata,
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_cases.id"],
        ),
        sa.PrimaryKeyConstraint("case_id", "user_name"),
        sa.Index("ix_case_members_user_name", "user_name"),
    )
    sa.Table(
        "case_notes",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_case_notes_case_id", "case_id"),
    )
    sa.Table(
        "case_pins",
        metadata,
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("pinned_by", sa.String(length=64), nullable=False),
        sa.Column("pinned_at", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_cases.id"],
        ),
        sa.PrimaryKeyConstraint("case_id", "entity_id"),
    )
    sa.Table(
        "case_sources",
        metadata,
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("collection", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_cases.id"],
        ),
        sa.PrimaryKeyConstraint("case_id", "collection"),
    )
    sa.Table(
        "case_tasks",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_case_tasks_case_id", "case_id"),
    )
    sa.Table(
        "watch_alerts",
        metadata,
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("watch_id", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("entity_ids", sa.Text(), nullable=False),
        sa.Column("datasets", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watch_watches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_watch_alerts_owner", "owner"),
        sa.Index("ix_watch_alerts_watch_id", "watch_id"),
    )
    sa.Table(
        "watch_seen",
        metadata,
        sa.Column("watch_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watch_watches.id"],
        ),
        sa.PrimaryKeyConstraint("watch_id", "key"),
    )
    sa.Table(
        "case_citations",
        metadata,
        sa.Column("note_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["case_notes.id"],
        ),
        sa.PrimaryKeyConstraint("note_id", "kind", "target"),
        sa.Index("ix_case_citations_target", "target"),
    )
    sa.Table(
        "watch_deliveries",
        metadata,
        sa.Column("alert_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["watch_alerts.id"],
        ),
        sa.PrimaryKeyConstraint("alert_id", "channel"),
        sa.Index("ix_watch_deliveries_status", "status"),
    )

    return metadata


def upgrade() -> None:
    bind = op.get_bind()
    tables = schema()
    adopt(bind, tables, LEGACY_COLUMNS)
    tables.create_all(bind, checkfirst=True)


def downgrade() -> None:
    schema().drop_all(op.get_bind())
