"""Tips: the tip_tips and tip_files tables (threadline.tips.tables).

The first tables added after the baseline, the way any new table comes in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    # The tips store creates its tables when it opens (create_all): on a database it
    # opened before the statement store did, they are there already.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "tip_tips" not in present:
        op.create_table(
            "tip_tips",
            sa.Column("id", sa.String(length=32), nullable=False),
            sa.Column("received_at", sa.String(length=32), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("client", sa.String(length=64), nullable=True),
            sa.Column("decided_by", sa.String(length=64), nullable=True),
            sa.Column("decided_at", sa.String(length=32), nullable=True),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("case_id", sa.String(length=32), nullable=True),
            sa.Column("dataset", sa.String(length=64), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("tip_tips", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_tip_tips_received_at"), ["received_at"], unique=False
            )
            batch_op.create_index(batch_op.f("ix_tip_tips_status"), ["status"], unique=False)
    if "tip_files" not in present:
        op.create_table(
            "tip_files",
            sa.Column("tip_id", sa.String(length=32), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("size", sa.BigInteger(), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.ForeignKeyConstraint(
                ["tip_id"],
                ["tip_tips.id"],
            ),
            sa.PrimaryKeyConstraint("tip_id", "position"),
        )
        with op.batch_alter_table("tip_files", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_tip_files_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tip_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_files_sha256"))

    op.drop_table("tip_files")
    with op.batch_alter_table("tip_tips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_tips_status"))
        batch_op.drop_index(batch_op.f("ix_tip_tips_received_at"))

    op.drop_table("tip_tips")
