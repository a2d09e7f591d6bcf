"""The access layer's SQL tables: own metadata, `access_` names, in the store's database.

They live beside the statements so one backup holds both, but in their own MetaData:
the store can be rebuilt or migrated without touching who may read it.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, MetaData, String, Table

metadata = MetaData()

users = Table(
    "access_users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("created", String(32), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

groups = Table(
    "access_groups",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("created", String(32), nullable=False),
)

members = Table(
    "access_members",
    metadata,
    Column("group_name", String(64), ForeignKey("access_groups.name"), primary_key=True),
    Column("user_name", String(64), ForeignKey("access_users.name"), primary_key=True),
)

tokens = Table(
    "access_tokens",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_name", String(64), ForeignKey("access_users.name"), nullable=False, index=True),
    Column("created", String(32), nullable=False),
)

passwords = Table(
    "access_passwords",
    metadata,
    Column("user_name", String(64), ForeignKey("access_users.name"), primary_key=True),
    Column("hash", String(255), nullable=False),
    Column("changed", String(32), nullable=False),
)

# A user's session epoch: every web session records the epoch it was made in and is
# void once it moves on. A password change, a token revocation or disabling the user
# moves it, so all of that user's sessions end at once. No row means epoch 0.
session_epochs = Table(
    "access_session_epochs",
    metadata,
    Column("user_name", String(64), ForeignKey("access_users.name"), primary_key=True),
    Column("epoch", Integer, nullable=False),
)

collections = Table(
    "access_collections",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("created", String(32), nullable=False),
)

collection_markings = Table(
    "access_collection_markings",
    metadata,
    Column("collection", String(255), ForeignKey("access_collections.name"), primary_key=True),
    Column("marking", String(64), primary_key=True),
)

user_markings = Table(
    "access_user_markings",
    metadata,
    Column("user_name", String(64), ForeignKey("access_users.name"), primary_key=True),
    Column("marking", String(64), primary_key=True),
)

# A holder is a user or a group: they share one namespace, so no foreign key here;
# the backend checks the name against both tables.
grants = Table(
    "access_grants",
    metadata,
    Column("holder", String(64), primary_key=True),
    Column("collection", String(255), ForeignKey("access_collections.name"), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("granted", String(32), nullable=False),
)
