"""The principal: who is asking, with what they held when their request began.

A principal is resolved from the access store at the start of every request and
dropped at its end, never cached across requests: a revocation takes effect on the
next call. Decisions on it are pure functions in `threadline.access.policy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from threadline.access import policy
from threadline.access.records import LOCAL_USER, Level, Role


@dataclass(frozen=True)
class Principal:
    """A user's role, groups, grants and markings, and the collections' markings.

    `grants` is the highest level granted per collection to the user or any of their
    groups, before the role and the markings are applied; `marked` holds the markings
    of every marked collection; `collections` is every collection the access store
    knows. `local` is true only for the built-in local admin.
    """

    name: str
    role: Role
    groups: frozenset[str] = frozenset()
    grants: Mapping[str, Level] = field(default_factory=dict)
    markings: frozenset[str] = frozenset()
    marked: Mapping[str, frozenset[str]] = field(default_factory=dict)
    collections: frozenset[str] = frozenset()
    local: bool = False

    def __post_init__(self) -> None:
        # Read-only copies: a principal is a snapshot, and must not drift while in use.
        object.__setattr__(self, "grants", MappingProxyType(dict(self.grants)))
        object.__setattr__(self, "marked", MappingProxyType(dict(self.marked)))

    @classmethod
    def local_admin(cls, collections: Mapping[str, frozenset[str]] | None = None) -> Principal:
        """The CLI's built-in admin `local`: every collection, every marking.

        Whoever runs the CLI on the machine can read the data files anyway, so holding
        back marked collections from them would protect nothing.
        """
        collections = collections or {}
        marked = {name: marks for name, marks in collections.items() if marks}
        return cls(
            name=LOCAL_USER,
            role=Role.ADMIN,
            markings=frozenset().union(*marked.values()),
            marked=marked,
            collections=frozenset(collections),
            local=True,
        )

    @property
    def readable(self) -> frozenset[str]:
        """The known collections this principal may read."""
        return policy.collections_at(self, Level.READ)

    @property
    def writable(self) -> frozenset[str]:
        """The known collections this principal may write to."""
        return policy.collections_at(self, Level.WRITE)

    @property
    def manageable(self) -> frozenset[str]:
        """The known collections this principal may manage (grant others access to)."""
        return policy.collections_at(self, Level.MANAGE)
