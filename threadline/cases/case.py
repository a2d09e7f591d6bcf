"""A case: a named piece of work with a stated purpose, members, and source limits.

Source limits are explicit: a case names the collections it may reach, or says `all`
(every collection its member may read). An empty list is refused rather than read as
either "none" (a useless case) or "all" (a silent widening).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum
from types import MappingProxyType

from threadline.audit.event import utc_timestamp
from threadline.cases.errors import CaseError

ALL_SOURCES = "all"


class CaseRole(IntEnum):
    """A member's role in a case; each includes the ones below."""

    READER = 1
    EDITOR = 2
    OWNER = 3

    @property
    def label(self) -> str:
        """The role's lowercase name, as the CLI and messages spell it."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str | CaseRole) -> CaseRole:
        """A role from `owner`, `editor` or `reader` (or a CaseRole), or a clear error."""
        if isinstance(text, CaseRole):
            return text
        try:
            return cls[str(text).upper()]
        except KeyError:
            raise CaseError(f"invalid case role {text!r}; use owner, editor or reader") from None


@dataclass(frozen=True)
class Case:
    """A case file's header: who opened it, why, who works on it, and what it may reach.

    `sources` is empty exactly when `all_sources` is true.
    """

    id: str
    name: str
    purpose: str
    created_by: str
    created_at: str
    sources: frozenset[str] = frozenset()
    all_sources: bool = False
    members: Mapping[str, CaseRole] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", MappingProxyType(dict(self.members)))

    def role_of(self, user: str) -> CaseRole | None:
        """A user's role in this case, or None for a non-member."""
        return self.members.get(user)


def new_case_id() -> str:
    """A short random id: 12 hex digits, too many to guess another user's case."""
    return secrets.token_hex(6)


def parse_sources(sources: str | Iterable[str]) -> tuple[frozenset[str], bool]:
    """Allowed sources from `all`, `"D1,D2"` or a list of names: (names, all_sources)."""
    items = sources.split(",") if isinstance(sources, str) else list(sources)
    names = frozenset(item.strip() for item in items if item.strip())
    if names == {ALL_SOURCES}:
        return frozenset(), True
    if ALL_SOURCES in names:
        raise CaseError(f"sources are either {ALL_SOURCES!r} or a list of collections, not both")
    if not names:
        raise CaseError(f"a case needs at least one allowed source, or {ALL_SOURCES!r}")
    return names, False


def new_case(
    name: str,
    purpose: str,
    sources: str | Iterable[str],
    created_by: str,
    *,
    now: str | None = None,
    case_id: str | None = None,
) -> Case:
    """A new case whose creator is its owner; name and purpose must not be blank."""
    if not name.strip():
        raise CaseError("a case needs a name")
    if not purpose.strip():
        raise CaseError("a case needs a purpose: say why this data is being looked at")
    names, every = parse_sources(sources)
    return Case(
        id=case_id or new_case_id(),
        name=name.strip(),
        purpose=purpose.strip(),
        created_by=created_by,
        created_at=now or utc_timestamp(),
        sources=names,
        all_sources=every,
        members={created_by: CaseRole.OWNER},
    )


def with_member(case: Case, user: str, role: CaseRole | str | None) -> Case:
    """The case with `user` given `role`, or removed if None; keeps at least one owner."""
    members = dict(case.members)
    if role is None:
        members.pop(user, None)
    else:
        members[user] = CaseRole.parse(role)
    if CaseRole.OWNER not in members.values():
        raise CaseError(f"case {case.id!r} would have no owner; make someone else owner first")
    return replace(case, members=members)
