"""The sign-in tables: browser sessions and the sign-in limit's counts, in the store's
database so that every server process (and a restarted one) shares them.

Defined here, below the API that uses them (`threadline.api.sessions`,
`threadline.api.limitstore`), so that the layer composing the app lists every table
(`threadline.app.schema`) without depending on the API.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table

metadata = MetaData()

sessions = Table(
    "web_sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("expires", String(32), nullable=False),
    Column("case_id", String(64), nullable=True),
    Column("purpose", String(1000), nullable=True),
    Column("epoch", Integer, nullable=False, default=0),
)

# Sign-in failures per (client, name), and attempts per client.
pairs = Table(
    "signin_pairs",
    metadata,
    Column("client", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last", Float, nullable=False),
    Column("locked_until", Float, nullable=False),
)
attempts = Table(
    "signin_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client", String, nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_signin_attempts_client_at", "client", "at"),
    Index("ix_signin_attempts_at", "at"),
)
