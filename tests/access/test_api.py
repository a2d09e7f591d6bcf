"""The exact public surface of threadline.access, so a change to it is deliberate."""

from __future__ import annotations

import threadline.access
from threadline.access.errors import AccessDenied
from threadline.errors import ThreadlineError


def test_public_surface() -> None:
    assert sorted(threadline.access.__all__) == [
        "AccessDenied",
        "AccessError",
        "AccessStore",
        "DuplicateName",
        "Grant",
        "LOCAL_USER",
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
    for name in threadline.access.__all__:
        assert getattr(threadline.access, name).__doc__, name


def test_access_denied_is_a_threadline_error() -> None:
    assert issubclass(AccessDenied, ThreadlineError)
