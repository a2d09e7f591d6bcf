"""Administration verbs: users, groups, API tokens, grants and markings.

Users, groups and tokens are an admin's to manage. A grant on a collection needs
`manage` on it; a marking can only be given or put on a collection by someone who
holds it (see `threadline.access.policy`). Every change is an audited alteration.

A change of what someone may read also queues a `cover` job, named in its event, which
prepares the search index for the reader sets it gives (`threadline.app.jobs.cover`):
their first searches then do not have to.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.access import Grant, Level, Role, User, require, require_marking
from threadline.app.accountability import Scope
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind
from threadline.errors import NotFoundError

ALTERATION = ActionKind.ALTERATION


@dataclass(frozen=True)
class NewUser:
    """A user just added, with their first API token (shown once, never stored)."""

    user: User
    token: str


class AdminVerbs(VerbsBase):
    """Who exists and what they may reach."""

    def _collection(self, scope: Scope, dataset: str) -> None:
        if dataset not in scope.known:
            raise NotFoundError(f"No dataset named {dataset!r}")

    def user_add(self, name: str, role: Role | str = Role.INVESTIGATOR) -> NewUser:
        """Add a user and issue their first API token."""
        with self._act(ALTERATION, "user.add", personal=False) as act:
            self._require_admin(act.scope, "add users")
            access = self.accountability.access
            user = access.add_user(name, role)
            token = access.issue_token(name)
            act.ids = [f"user:{name}"]
            act.detail = f"role={user.role.value}"
            if user.role is Role.ADMIN:  # reads every collection it holds the markings of
                self._cover_later(act, "user.add")
        return NewUser(user, token)

    def user_list(self) -> list[User]:
        """Every user (admins only)."""
        with self._act(ActionKind.CONSULTATION, "user.list", personal=False) as act:
            self._require_admin(act.scope, "list users")
            found = self.accountability.access.users()
        return found

    def user_update(
        self, name: str, *, role: Role | str | None = None, disabled: bool | None = None
    ) -> User:
        """Change a user's role, or disable (and re-enable) them; disabling also
        revokes their tokens."""
        with self._act(ALTERATION, "user.update", personal=False) as act:
            self._require_admin(act.scope, "change users")
            access = self.accountability.access
            user = access.update_user(name, role=role, disabled=disabled)
            if disabled:
                access.revoke_tokens(name)
            act.ids = [f"user:{name}"]
            act.detail = f"role={user.role.value} disabled={user.disabled}"
            if role is not None or disabled is False:
                self._cover_later(act, "user.update")
        return user

    def user_password(self, name: str, password: str) -> None:
        """Set a user's password for signing in to the web UI (argon2id-hashed; at
        least 10 characters). Admins, or the user for themselves."""
        with self._act(ALTERATION, "user.password", personal=False) as act:
            if act.scope.actor != name:
                self._require_admin(act.scope, "set others' passwords")
            self.accountability.access.set_password(name, password)
            act.ids = [f"user:{name}"]

    def token_issue(self, name: str) -> str:
        """A new API token for a user (admins, or the user for themselves)."""
        with self._act(ALTERATION, "token.issue", personal=False) as act:
            if act.scope.actor != name:
                self._require_admin(act.scope, "issue tokens for others")
            token = self.accountability.access.issue_token(name)
            act.ids = [f"user:{name}"]
        return token

    def token_revoke(self, name: str) -> int:
        """Revoke every token of a user; returns how many there were."""
        with self._act(ALTERATION, "token.revoke", personal=False) as act:
            if act.scope.actor != name:
                self._require_admin(act.scope, "revoke tokens of others")
            count = self.accountability.access.revoke_tokens(name)
            act.ids = [f"user:{name}"]
        return count

    def group_add(self, name: str, members: list[str] | None = None) -> None:
        """Add a group, with members if given."""
        with self._act(ALTERATION, "group.add", personal=False) as act:
            self._require_admin(act.scope, "add groups")
            access = self.accountability.access
            for member in members or []:
                access.user(member)  # unknown members fail before anything is written
            access.add_group(name)
            for member in members or []:
                access.set_member(name, member)
            act.ids = [f"group:{name}", *(f"user:{m}" for m in members or [])]

    def group_member(self, group: str, user: str, member: bool = True) -> None:
        """Add a user to a group, or remove them."""
        with self._act(ALTERATION, "group.member", personal=False) as act:
            self._require_admin(act.scope, "change groups")
            self.accountability.access.set_member(group, user, member)
            act.ids = [f"group:{group}", f"user:{user}"]
            act.detail = f"member={member}"
            self._cover_later(act, "group.member")

    def group_list(self) -> dict[str, frozenset[str]]:
        """Every group with its members (admins only)."""
        with self._act(ActionKind.CONSULTATION, "group.list", personal=False) as act:
            self._require_admin(act.scope, "list groups")
            found = self.accountability.access.groups()
        return found

    def grant(self, holder: str, dataset: str, level: Level | str | None) -> None:
        """Give a user or group read, write or manage on a dataset (None revokes).
        Needs `manage` on the dataset."""
        with self._act(ALTERATION, "grant", personal=False) as act:
            self._collection(act.scope, dataset)
            require(act.scope.principal, Level.MANAGE, dataset)
            self.accountability.access.set_grant(
                holder, dataset, None if level is None else Level.parse(level)
            )
            act.ids = [f"dataset:{dataset}", f"holder:{holder}"]
            act.detail = f"level={'none' if level is None else Level.parse(level).label}"
            self._cover_later(act, "grant")

    def grants(self) -> list[Grant]:
        """Every grant (admins only)."""
        with self._act(ActionKind.CONSULTATION, "grant.list", personal=False) as act:
            self._require_admin(act.scope, "list grants")
            found = self.accountability.access.grants()
        return found

    def mark(self, dataset: str, marking: str, on: bool = True) -> None:
        """Put a marking on a dataset (or take it off): from then on only holders of
        the marking see its data. Needs `manage` on the dataset and the marking."""
        with self._act(ALTERATION, "marking.set", personal=False) as act:
            self._collection(act.scope, dataset)
            require(act.scope.principal, Level.MANAGE, dataset)
            require_marking(act.scope.principal, marking, f"mark {dataset!r}")
            self.accountability.set_marking(dataset, marking, on)
            act.ids = [f"dataset:{dataset}"]
            act.detail = f"marking={marking} on={on}"
            self._cover_later(act, "marking.set")

    def clear(self, user: str, marking: str, on: bool = True) -> None:
        """Give a user a marking (clear them for it), or take it away. Admins only,
        and only holders of the marking may give it."""
        with self._act(ALTERATION, "marking.give", personal=False) as act:
            self._require_admin(act.scope, "give markings")
            require_marking(act.scope.principal, marking, f"give {marking!r}")
            self.accountability.access.set_held(user, marking, on)
            act.ids = [f"user:{user}"]
            act.detail = f"marking={marking} on={on}"
            self._cover_later(act, "marking.give")
