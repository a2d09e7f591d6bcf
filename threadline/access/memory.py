"""The in-memory access store: the reference the SQL backend's contract tests hold it to."""

from __future__ import annotations

from dataclasses import replace

from threadline.access.errors import DuplicateName, UnknownName
from threadline.access.principal import Principal
from threadline.access.records import (
    Grant,
    Level,
    Role,
    User,
    check_collection,
    check_marking,
    check_name,
)
from threadline.access.store import AccessStore
from threadline.audit.event import utc_timestamp


class MemoryAccessStore(AccessStore):
    """Dictionaries; every verb checks its input the way the SQL backend does."""

    def __init__(self) -> None:
        self._users: dict[str, User] = {}
        self._groups: dict[str, set[str]] = {}
        self._collections: dict[str, set[str]] = {}
        self._held: dict[str, set[str]] = {}
        self._grants: dict[tuple[str, str], Level] = {}
        self._tokens: dict[str, str] = {}
        self._passwords: dict[str, str] = {}
        self._epochs: dict[str, int] = {}

    def _free(self, name: str, kind: str) -> str:
        check_name(name, kind)
        if name in self._users:
            raise DuplicateName(kind, name, "user")
        if name in self._groups:
            raise DuplicateName(kind, name, "group")
        return name

    def _collection(self, name: str) -> set[str]:
        if name not in self._collections:
            raise UnknownName("collection", name)
        return self._collections[name]

    def add_user(self, name: str, role: Role | str) -> User:
        user = User(self._free(name, "user"), Role.parse(role), utc_timestamp())
        self._users[name] = user
        return user

    def user(self, name: str) -> User:
        if name not in self._users:
            raise UnknownName("user", name)
        return self._users[name]

    def users(self) -> list[User]:
        return sorted(self._users.values(), key=lambda user: user.name)

    def update_user(
        self, name: str, *, role: Role | str | None = None, disabled: bool | None = None
    ) -> User:
        new_role = None if role is None else Role.parse(role)
        user = self.user(name)
        if new_role is not None:
            user = replace(user, role=new_role)
        if disabled is not None:
            user = replace(user, disabled=disabled)
        self._users[name] = user
        if disabled:
            self.end_sessions(name)
        return user

    def add_group(self, name: str) -> None:
        self._groups[self._free(name, "group")] = set()

    def groups(self) -> dict[str, frozenset[str]]:
        return {name: frozenset(members) for name, members in sorted(self._groups.items())}

    def set_member(self, group: str, user: str, member: bool = True) -> None:
        if group not in self._groups:
            raise UnknownName("group", group)
        self.user(user)
        if member:
            self._groups[group].add(user)
        else:
            self._groups[group].discard(user)

    def add_collection(self, name: str) -> bool:
        if check_collection(name) in self._collections:
            return False
        self._collections[name] = set()
        return True

    def collections(self) -> dict[str, frozenset[str]]:
        return {name: frozenset(marks) for name, marks in sorted(self._collections.items())}

    def set_marking(self, collection: str, marking: str, on: bool = True) -> None:
        marks = self._collection(collection)
        if on:
            marks.add(check_marking(marking))
        else:
            marks.discard(marking)

    def set_held(self, user: str, marking: str, on: bool = True) -> None:
        self.user(user)
        held = self._held.setdefault(user, set())
        if on:
            held.add(check_marking(marking))
        else:
            held.discard(marking)

    def set_grant(self, holder: str, collection: str, level: Level | str | None) -> None:
        if holder not in self._users and holder not in self._groups:
            raise UnknownName("user or group", holder)
        self._collection(collection)
        if level is None:
            self._grants.pop((holder, collection), None)
        else:
            self._grants[(holder, collection)] = Level.parse(level)

    def grants(self) -> list[Grant]:
        return [Grant(h, c, level) for (h, c), level in sorted(self._grants.items())]

    def add_token(self, user: str, digest: str) -> None:
        self.user(user)
        self._tokens[digest] = user

    def token_user(self, digest: str) -> str | None:
        return self._tokens.get(digest)

    def revoke_tokens(self, user: str) -> int:
        self.user(user)
        mine = [digest for digest, owner in self._tokens.items() if owner == user]
        for digest in mine:
            del self._tokens[digest]
        self.end_sessions(user)
        return len(mine)

    def session_epoch(self, user: str) -> int:
        return self._epochs.get(user, 0)

    def end_sessions(self, user: str) -> int:
        self.user(user)
        self._epochs[user] = self._epochs.get(user, 0) + 1
        return self._epochs[user]

    def set_password_hash(self, user: str, digest: str | None) -> None:
        self.user(user)
        if digest is None:
            self._passwords.pop(user, None)
        else:
            self._passwords[user] = digest

    def password_hash(self, user: str) -> str | None:
        return self._passwords.get(user)

    def resolve(self, name: str) -> tuple[User, Principal]:
        user = self.user(name)
        groups = frozenset(g for g, members in self._groups.items() if name in members)
        holders = groups | {name}
        grants: dict[str, Level] = {}
        for (holder, collection), level in self._grants.items():
            if holder in holders:
                grants[collection] = max(level, grants.get(collection, level))
        marked = {c: frozenset(marks) for c, marks in self._collections.items() if marks}
        principal = Principal(
            name=name,
            role=user.role,
            groups=groups,
            grants=grants,
            markings=frozenset(self._held.get(name, ())),
            marked=marked,
            collections=frozenset(self._collections),
        )
        return user, principal
