"""Who may see what: users, groups, API tokens, grants, markings and access decisions.

Nothing here is wired into the workbench yet. The workbench resolves a `Principal` at
the start of every call (`AccessStore.principal` or `.authenticate`) and asks the pure
functions of `threadline.access.policy` before it reads or writes a collection.
"""

from __future__ import annotations

from threadline.access.errors import AccessDenied, AccessError, DuplicateName, UnknownName
from threadline.access.memory import MemoryAccessStore
from threadline.access.policy import (
    can,
    can_read,
    level_on,
    missing_markings,
    readable,
    require,
    require_admin,
    require_marking,
)
from threadline.access.principal import Principal
from threadline.access.records import LOCAL_USER, Grant, Level, Role, User
from threadline.access.sql import SQLAccessStore
from threadline.access.store import AccessStore
from threadline.access.tokens import new_token, token_digest

__all__ = [
    "LOCAL_USER",
    "AccessDenied",
    "AccessError",
    "AccessStore",
    "DuplicateName",
    "Grant",
    "Level",
    "MemoryAccessStore",
    "Principal",
    "Role",
    "SQLAccessStore",
    "UnknownName",
    "User",
    "can",
    "can_read",
    "level_on",
    "missing_markings",
    "new_token",
    "readable",
    "require",
    "require_admin",
    "require_marking",
    "token_digest",
]
