"""Access decisions: pure functions of a principal and a collection name.

The rules, in order:
1. The built-in local admin may do anything with every collection.
2. An admin holds `manage` on every collection the access store knows: admins
   administer. Other users hold the highest level granted to them or to any of their
   groups. A viewer never holds more than `read`, whatever was granted.
3. Markings bind everyone but the local admin, admins included: a user must hold every
   marking on a collection to use it at any level. Markings protect sources, and an
   account's role is no reason to see a source.
Collections the access store does not know are closed to everyone but the local admin,
so a dataset ingested without being registered is never exposed by accident.

Administration follows from the same rules: granting on a collection needs `manage` on
it (so an admin without its markings cannot open a marked collection to anyone), and
only a holder of a marking may give it to a user or put it on a collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from threadline.access.errors import AccessDenied
from threadline.access.records import Level, Role

if TYPE_CHECKING:  # the principal module imports this one at run time
    from threadline.access.principal import Principal


def _granted(principal: Principal, collection: str) -> Level | None:
    """The level held before markings are applied."""
    if principal.local:
        return Level.MANAGE
    if principal.role is Role.ADMIN and collection in principal.collections:
        return Level.MANAGE
    level = principal.grants.get(collection)
    if level is not None and principal.role is Role.VIEWER:
        return min(level, Level.READ)
    return level


def missing_markings(principal: Principal, collection: str) -> frozenset[str]:
    """The markings on `collection` that the principal does not hold."""
    if principal.local:
        return frozenset()
    return principal.marked.get(collection, frozenset()) - principal.markings


def level_on(principal: Principal, collection: str) -> Level | None:
    """The principal's effective level on a collection, or None if it has none."""
    level = _granted(principal, collection)
    if level is None or missing_markings(principal, collection):
        return None
    return level


def can(principal: Principal, level: Level | str, collection: str) -> bool:
    """Whether the principal holds at least `level` on `collection`."""
    held = level_on(principal, collection)
    return held is not None and held >= Level.parse(level)


def can_read(principal: Principal, collection: str) -> bool:
    """Whether the principal may read `collection`."""
    return can(principal, Level.READ, collection)


def readable(principal: Principal, collections: Iterable[str]) -> frozenset[str]:
    """The given collections the principal may read."""
    return frozenset(name for name in collections if can_read(principal, name))


def collections_at(principal: Principal, level: Level | str) -> frozenset[str]:
    """Every collection the access store knew of that the principal holds `level` on."""
    known = principal.collections.union(principal.grants)
    return frozenset(name for name in known if can(principal, level, name))


def require(principal: Principal, level: Level | str, collection: str) -> None:
    """Raise `AccessDenied` unless the principal holds `level` on `collection`.

    A missing level is reported before a missing marking, so a user with no grant
    learns nothing about how a collection is marked.
    """
    level = Level.parse(level)
    target = f"collection {collection!r}"
    granted = _granted(principal, collection)
    if granted is None or granted < level:
        reason = ""
        if principal.role is Role.VIEWER and principal.grants.get(collection, 0) >= level:
            reason = "viewers may only read"
        raise AccessDenied(principal.name, target, level.label, reason)
    missing = missing_markings(principal, collection)
    if missing:
        names = ", ".join(sorted(principal.marked.get(collection, missing)))
        raise AccessDenied(
            principal.name,
            target,
            f"marking {min(missing)!r}",
            f"the collection is marked {names}; hold every marking to use it",
        )


def is_admin(principal: Principal) -> bool:
    """Whether the principal may administer users, grants and others' jobs (the local
    admin of the command line has the role too)."""
    return principal.role is Role.ADMIN


def require_admin(principal: Principal, action: str) -> None:
    """Raise `AccessDenied` unless the principal may administer users and grants."""
    if not is_admin(principal):
        raise AccessDenied(principal.name, action, "role admin")


def require_marking(principal: Principal, marking: str, action: str) -> None:
    """Raise `AccessDenied` unless the principal holds `marking`, which giving it or
    putting it on a collection needs."""
    if not principal.local and marking not in principal.markings:
        raise AccessDenied(principal.name, action, f"marking {marking!r}")
