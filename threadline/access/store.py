"""The AccessStore interface: users, groups, tokens, collections, markings and grants.

Backends implement the verbs below; each verb validates its input with the checks in
`threadline.access.records` and names any unknown user, group or collection. Tokens
and principal resolution are shared flows written once here. Nothing is cached:
`principal()` and `authenticate()` read the current state every time they are called.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from threadline.access.errors import AccessDenied
from threadline.access.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from threadline.access.principal import Principal
from threadline.access.records import LOCAL_USER, Grant, Level, Role, User
from threadline.access.tokens import new_token, token_digest


class AccessStore(ABC):
    """Who exists and what they hold; the source every access decision is made from."""

    @abstractmethod
    def add_user(self, name: str, role: Role | str) -> User:
        """Create an enabled user; the name must not be taken by a user or group."""

    @abstractmethod
    def user(self, name: str) -> User:
        """One user, or `UnknownName`."""

    @abstractmethod
    def users(self) -> list[User]:
        """Every user, by name."""

    @abstractmethod
    def update_user(
        self, name: str, *, role: Role | str | None = None, disabled: bool | None = None
    ) -> User:
        """Change a user's role or disable (or re-enable) them; returns the new record."""

    @abstractmethod
    def add_group(self, name: str) -> None:
        """Create an empty group; the name must not be taken by a user or group."""

    @abstractmethod
    def groups(self) -> dict[str, frozenset[str]]:
        """Every group with its members."""

    @abstractmethod
    def set_member(self, group: str, user: str, member: bool = True) -> None:
        """Add a user to a group, or remove them with `member=False`."""

    @abstractmethod
    def add_collection(self, name: str) -> bool:
        """Register a collection (dataset) so it can be granted; True if it was new."""

    @abstractmethod
    def collections(self) -> dict[str, frozenset[str]]:
        """Every registered collection with its markings."""

    @abstractmethod
    def set_marking(self, collection: str, marking: str, on: bool = True) -> None:
        """Put a marking on a collection, or take it off with `on=False`."""

    @abstractmethod
    def set_held(self, user: str, marking: str, on: bool = True) -> None:
        """Give a user a marking, or take it away with `on=False`."""

    @abstractmethod
    def set_grant(self, holder: str, collection: str, level: Level | str | None) -> None:
        """Set a user's or group's level on a collection; None removes the grant."""

    @abstractmethod
    def grants(self) -> list[Grant]:
        """Every grant, by holder then collection."""

    @abstractmethod
    def add_token(self, user: str, digest: str) -> None:
        """Store a token's digest for a user (see `issue_token`)."""

    @abstractmethod
    def token_user(self, digest: str) -> str | None:
        """The user a token digest belongs to, if any."""

    @abstractmethod
    def revoke_tokens(self, user: str) -> int:
        """Delete every token of a user; returns how many there were."""

    @abstractmethod
    def set_password_hash(self, user: str, digest: str | None) -> None:
        """Store (or with None, remove) a user's password hash."""

    @abstractmethod
    def password_hash(self, user: str) -> str | None:
        """A user's stored password hash, if they have a password."""

    @abstractmethod
    def session_epoch(self, user: str) -> int:
        """The user's session epoch (0 for a user never moved on, or an unknown name):
        a web session made in an earlier epoch is void."""

    @abstractmethod
    def end_sessions(self, user: str) -> int:
        """Move the user's session epoch on, voiding all their web sessions; returns
        the new epoch. Password changes, token revocation and disabling call it."""

    @abstractmethod
    def resolve(self, name: str) -> tuple[User, Principal]:
        """A user and their principal, read in one consistent snapshot."""

    def resolve_token(self, digest: str) -> tuple[User, Principal] | None:
        """The user a token digest belongs to and their principal, read in one
        consistent snapshot; None for a digest no token has. Backends may read both
        at once (the SQL one does, in one statement: it is on every API request)."""
        name = self.token_user(digest)
        return None if name is None else self.resolve(name)

    def close(self) -> None:  # noqa: B027 - optional hook; the memory backend needs nothing
        """Release connections."""

    def grant(self, holder: str, collection: str, level: Level | str) -> None:
        """Give a user or group `level` on a collection, replacing any earlier grant."""
        self.set_grant(holder, collection, Level.parse(level))

    def revoke(self, holder: str, collection: str) -> None:
        """Remove a user's or group's grant on a collection."""
        self.set_grant(holder, collection, None)

    def issue_token(self, user: str) -> str:
        """A new API token for `user`. Show it once: only its digest is stored."""
        token = new_token()
        self.add_token(user, token_digest(token))
        return token

    def set_password(self, user: str, password: str) -> None:
        """Give a user a password (argon2id-hashed; at least 10 characters)."""
        self.user(user)
        self.set_password_hash(user, hash_password(password))
        # After the new hash is stored: a sign-in that read the old hash also read the
        # old epoch (see `login`'s callers), so its session is void too.
        self.end_sessions(user)

    def login(self, name: str, password: str) -> Principal:
        """The principal of a user whose password matches, or `AccessDenied` that does
        not say whether the user exists.

        A name that is unknown or has no password is checked against a dummy hash,
        so it costs the same argon2 work as a wrong password and timing does not
        tell which names exist.
        """
        stored = self.password_hash(name) if name != LOCAL_USER else None
        if stored is None:
            verify_password(dummy_hash(), password)
            raise AccessDenied(name, "sign-in", "a matching password")
        if not verify_password(stored, password):
            raise AccessDenied(name, "sign-in", "a matching password")
        if needs_rehash(stored):
            self.set_password_hash(name, hash_password(password))
        return self.principal(name)

    def principal(self, name: str) -> Principal:
        """The current principal of a user; `local` is the built-in local admin.

        Raises `UnknownName` for an unknown user and `AccessDenied` for a disabled one.
        """
        if name == LOCAL_USER:
            return Principal.local_admin(self.collections())
        return _enabled(*self.resolve(name))

    def authenticate(self, token: str) -> Principal:
        """The current principal behind an API token, or `AccessDenied`."""
        found = self.resolve_token(token_digest(token))
        if found is None:
            raise AccessDenied("(token)", "any collection", "a valid token", "unknown or revoked")
        return _enabled(*found)

    def __enter__(self) -> AccessStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _enabled(user: User, principal: Principal) -> Principal:
    """The principal of an enabled user; `AccessDenied` for a disabled one."""
    if user.disabled:
        raise AccessDenied(user.name, "any collection", "an enabled account", "disabled")
    return principal
