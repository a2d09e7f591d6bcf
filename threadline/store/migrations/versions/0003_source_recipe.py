"""Sources: the `recipe` column, how a records file was converted.

A re-ingest skips a records file already written with the same recipe (its bytes,
dataset, mapping or flags, and converter version; see `threadline.ingest.resume`).
Rows from before have none, so their files are read once more, then skipped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    # A database from before the migrations, adopted by the baseline, may have been
    # made by a threadline whose models had the column already.
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("sources")}
    if "recipe" in present:
        return
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipe", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("recipe")
