"""The access layer's errors, under threadline's error tree."""

from __future__ import annotations

from threadline.errors import NotFoundError, ThreadlineError


class AccessError(ThreadlineError):
    """A request to the access store that cannot work: a bad name, role or level."""


class UnknownName(AccessError, NotFoundError):
    """A user, group or collection the access store does not know."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"unknown {kind} {name!r}")


class DuplicateName(AccessError):
    """A user or group name that is already taken (users and groups share one namespace)."""

    def __init__(self, kind: str, name: str, taken_by: str | None = None) -> None:
        self.kind = kind
        self.name = name
        by = f" by a {taken_by}" if taken_by and taken_by != kind else ""
        super().__init__(f"{kind} name {name!r} is already taken{by}")


class AccessDenied(ThreadlineError):
    """A decision said no: names the user, what they asked for and what they lack.

    `missing` is a level (`read`, `write`, `manage`), `marking <name>`, `role admin`,
    `membership` or `an enabled account`, so a caller can tell the cases apart.
    """

    def __init__(self, user: str, target: str, missing: str, reason: str = "") -> None:
        self.user = user
        self.target = target
        self.missing = missing
        because = f" ({reason})" if reason else ""
        super().__init__(f"access denied: user {user!r} lacks {missing} on {target}{because}")
