"""The access layer's records: roles, levels, users, grants, and the rules for names.

Users and groups share one namespace, so `grant NAME` is never ambiguous. The name
`local` is reserved for the built-in local admin the CLI acts as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from threadline.access.errors import AccessError

LOCAL_USER = "local"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_LABEL = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class Role(StrEnum):
    """What a user is for: admins administer, investigators work, viewers only read."""

    ADMIN = "admin"
    INVESTIGATOR = "investigator"
    VIEWER = "viewer"

    @classmethod
    def parse(cls, text: str | Role) -> Role:
        """A role from its name, or a clear error listing the valid ones."""
        try:
            return cls(str(text).lower())
        except ValueError:
            names = ", ".join(role.value for role in cls)
            raise AccessError(f"invalid role {text!r}; use one of: {names}") from None


class Level(IntEnum):
    """How much a grant allows on a collection; each level includes the ones below."""

    READ = 1
    WRITE = 2
    MANAGE = 3

    @property
    def label(self) -> str:
        """The level's lowercase name, as the CLI and messages spell it."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str | Level) -> Level:
        """A level from `read`, `write` or `manage` (or a Level), or a clear error."""
        if isinstance(text, Level):
            return text
        try:
            return cls[str(text).upper()]
        except KeyError:
            raise AccessError(f"invalid level {text!r}; use read, write or manage") from None


@dataclass(frozen=True, slots=True)
class User:
    """A person who can sign in with a token; disabled users are refused everything."""

    name: str
    role: Role
    created: str
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Grant:
    """A user or group holds `level` on a collection (a dataset name)."""

    holder: str
    collection: str
    level: Level


def check_name(name: str, kind: str) -> str:
    """A user or group name: letters, digits and `._@-`, at most 64, not `local`."""
    if not _NAME.fullmatch(name):
        raise AccessError(
            f"invalid {kind} name {name!r}: use 1-64 letters, digits or ._@- "
            "and start with a letter or digit"
        )
    if name == LOCAL_USER:
        raise AccessError(f"{kind} name {LOCAL_USER!r} is reserved for the local admin")
    return name


def check_marking(marking: str) -> str:
    """A marking label such as `confidential` or `source-protected`: lowercase slug."""
    if not _LABEL.fullmatch(marking):
        raise AccessError(
            f"invalid marking {marking!r}: use 1-64 lowercase letters, digits, _ or -"
        )
    return marking


def check_collection(name: str) -> str:
    """A collection (dataset) name: non-empty, no surrounding spaces."""
    if not name or name != name.strip() or len(name) > 255:
        raise AccessError(f"invalid collection name {name!r}")
    return name
