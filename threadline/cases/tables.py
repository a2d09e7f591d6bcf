"""The case layer's SQL tables: own metadata, `case_` names, in the store's database."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

cases = Table(
    "case_cases",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("all_sources", Boolean, nullable=False),
)

members = Table(
    "case_members",
    metadata,
    Column("case_id", String(32), ForeignKey("case_cases.id"), primary_key=True),
    Column("user_name", String(64), primary_key=True, index=True),
    Column("role", Integer, nullable=False),
)

sources = Table(
    "case_sources",
    metadata,
    Column("case_id", String(32), ForeignKey("case_cases.id"), primary_key=True),
    Column("collection", String(255), primary_key=True),
)

pins = Table(
    "case_pins",
    metadata,
    Column("case_id", String(32), ForeignKey("case_cases.id"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Column("pinned_by", String(64), nullable=False),
    Column("pinned_at", String(32), nullable=False),
    Column("comment", Text, nullable=False),
)

notes = Table(
    "case_notes",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("case_cases.id"), nullable=False, index=True),
    Column("author", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("text", Text, nullable=False),
)

# One row per cited id, so "which notes cite this statement" (erasure, subject
# access) is an index lookup rather than a scan of note text.
citations = Table(
    "case_citations",
    metadata,
    Column("note_id", String(32), ForeignKey("case_notes.id"), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("target", String(255), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

tasks = Table(
    "case_tasks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("case_cases.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("status", String(8), nullable=False),
    Column("assignee", String(64), nullable=True),
    Column("due", String(10), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
)

# A saved chart: its header in columns, its drawing (nodes, positions, styles, notes,
# links) as one JSON document, since it is only ever read whole.
charts = Table(
    "case_charts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("case_cases.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("body", Text, nullable=False),
)
