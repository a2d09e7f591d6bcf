"""One contract, every access backend: the same verbs, checks, errors and decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from threadline.access import policy
from threadline.access.errors import AccessDenied, AccessError, DuplicateName, UnknownName
from threadline.access.records import Grant, Level, Role
from threadline.access.sql import SQLAccessStore
from threadline.access.store import AccessStore
from threadline.access.tokens import token_digest
from threadline.app.schema import SCHEMA
from threadline.errors import NotFoundError, ThreadlineError
from threadline.store.sql import SQLStore


def test_users_round_trip(access: AccessStore) -> None:
    alice = access.add_user("alice", "investigator")
    access.add_user("bob", Role.VIEWER)
    assert alice.role is Role.INVESTIGATOR and not alice.disabled and alice.created
    assert [u.name for u in access.users()] == ["alice", "bob"]
    assert access.user("alice") == alice
    changed = access.update_user("alice", role="admin", disabled=True)
    assert changed.role is Role.ADMIN and changed.disabled
    assert access.user("alice") == changed


@pytest.mark.parametrize(
    ("name", "role", "error", "message"),
    [
        ("alice", "boss", AccessError, "invalid role 'boss'; use one of: admin, investigator"),
        ("", "viewer", AccessError, "invalid user name ''"),
        ("has space", "viewer", AccessError, "invalid user name 'has space'"),
        ("local", "viewer", AccessError, "reserved for the local admin"),
        ("taken", "viewer", DuplicateName, "user name 'taken' is already taken"),
        ("team", "viewer", DuplicateName, "user name 'team' is already taken by a group"),
    ],
)
def test_bad_users_are_refused_clearly(
    access: AccessStore, name: str, role: str, error: type[Exception], message: str
) -> None:
    access.add_user("taken", "viewer")
    access.add_group("team")
    with pytest.raises(error, match=message.replace("(", r"\(")):
        access.add_user(name, role)
    assert {u.name for u in access.users()} == {"taken"}


def test_group_names_share_the_user_namespace(access: AccessStore) -> None:
    access.add_user("alice", "viewer")
    with pytest.raises(DuplicateName, match="group name 'alice' is already taken by a user"):
        access.add_group("alice")


def test_groups_and_membership(access: AccessStore) -> None:
    access.add_user("alice", "viewer")
    access.add_user("bob", "viewer")
    access.add_group("desk")
    access.set_member("desk", "alice")
    access.set_member("desk", "bob")
    access.set_member("desk", "bob", member=False)
    access.set_member("desk", "alice")  # twice is once
    assert access.groups() == {"desk": frozenset({"alice"})}
    with pytest.raises(UnknownName, match="unknown group 'nope'"):
        access.set_member("nope", "alice")
    with pytest.raises(UnknownName, match="unknown user 'carol'"):
        access.set_member("desk", "carol")


@pytest.mark.parametrize(
    ("holder", "collection", "level", "message"),
    [
        ("nobody", "leaks", "read", "unknown user or group 'nobody'"),
        ("alice", "missing", "read", "unknown collection 'missing'"),
        ("alice", "leaks", "own", "invalid level 'own'; use read, write or manage"),
    ],
)
def test_bad_grants_are_refused_clearly(
    access: AccessStore, holder: str, collection: str, level: str, message: str
) -> None:
    access.add_user("alice", "investigator")
    access.add_collection("leaks")
    with pytest.raises(AccessError, match=message):
        access.grant(holder, collection, level)
    assert access.grants() == []


def test_unknown_names_are_not_found_errors(access: AccessStore) -> None:
    with pytest.raises(NotFoundError):
        access.user("ghost")
    with pytest.raises(ThreadlineError):
        access.set_marking("ghost", "confidential")


def test_grants_replace_and_revoke(access: AccessStore) -> None:
    access.add_user("alice", "investigator")
    access.add_group("desk")
    assert access.add_collection("leaks") is True
    assert access.add_collection("leaks") is False
    access.grant("alice", "leaks", "read")
    access.grant("alice", "leaks", Level.WRITE)
    access.grant("desk", "leaks", "manage")
    assert access.grants() == [
        Grant("alice", "leaks", Level.WRITE),
        Grant("desk", "leaks", Level.MANAGE),
    ]
    access.revoke("alice", "leaks")
    access.revoke("alice", "leaks")  # revoking nothing is fine
    assert access.grants() == [Grant("desk", "leaks", Level.MANAGE)]


def test_markings(access: AccessStore) -> None:
    access.add_user("alice", "investigator")
    access.add_collection("leaks")
    access.set_marking("leaks", "confidential")
    access.set_marking("leaks", "source-protected")
    access.set_marking("leaks", "confidential", on=False)
    assert access.collections() == {"leaks": frozenset({"source-protected"})}
    access.set_held("alice", "source-protected")
    assert access.principal("alice").markings == {"source-protected"}
    with pytest.raises(AccessError, match="invalid marking 'Top Secret'"):
        access.set_marking("leaks", "Top Secret")
    with pytest.raises(UnknownName, match="unknown user 'bob'"):
        access.set_held("bob", "confidential")


def test_principal_combines_user_and_group_grants(access: AccessStore) -> None:
    access.add_user("alice", "investigator")
    access.add_group("desk")
    access.set_member("desk", "alice")
    for name in ("a", "b", "c"):
        access.add_collection(name)
    access.grant("alice", "a", "read")
    access.grant("desk", "a", "write")
    access.grant("desk", "b", "read")
    principal = access.principal("alice")
    assert principal.groups == {"desk"}
    assert dict(principal.grants) == {"a": Level.WRITE, "b": Level.READ}
    assert principal.collections == {"a", "b", "c"}
    assert principal.readable == {"a", "b"}
    assert principal.writable == {"a"}
    assert principal.manageable == frozenset()


def test_tokens_are_shown_once_and_stored_as_digests(access: AccessStore) -> None:
    access.add_user("alice", "investigator")
    token = access.issue_token("alice")
    assert token.startswith("tl_") and len(token) > 40
    assert access.token_user(token) is None  # the token itself is not stored
    assert access.token_user(token_digest(token)) == "alice"
    assert access.authenticate(token).name == "alice"
    assert access.issue_token("alice") != token
    assert access.revoke_tokens("alice") == 2
    with pytest.raises(AccessDenied, match="a valid token"):
        access.authenticate(token)
    with pytest.raises(UnknownName):
        access.issue_token("bob")


def test_disabled_users_are_refused(access: AccessStore) -> None:
    access.add_user("alice", "investigator")
    token = access.issue_token("alice")
    access.update_user("alice", disabled=True)
    with pytest.raises(AccessDenied, match="'alice' lacks an enabled account"):
        access.authenticate(token)
    access.update_user("alice", disabled=False)
    assert access.authenticate(token).name == "alice"


def test_local_is_the_builtin_admin_with_every_marking(access: AccessStore) -> None:
    access.add_collection("leaks")
    access.add_collection("registry")
    access.set_marking("leaks", "source-protected")
    local = access.principal("local")
    assert local.local and local.role is Role.ADMIN
    assert local.readable == {"leaks", "registry"}
    assert policy.can(local, "manage", "not-yet-registered")


def test_a_revocation_takes_effect_on_the_next_call(access: AccessStore) -> None:
    access.add_user("alice", "investigator")
    access.add_group("desk")
    access.set_member("desk", "alice")
    access.add_collection("leaks")
    access.grant("desk", "leaks", "read")
    token = access.issue_token("alice")
    assert policy.can_read(access.authenticate(token), "leaks")
    access.set_member("desk", "alice", member=False)
    assert not policy.can_read(access.authenticate(token), "leaks")
    access.grant("alice", "leaks", "read")
    assert policy.can_read(access.authenticate(token), "leaks")
    access.set_marking("leaks", "confidential")
    assert not policy.can_read(access.authenticate(token), "leaks")
    access.set_held("alice", "confidential")
    assert policy.can_read(access.authenticate(token), "leaks")
    access.set_held("alice", "confidential", on=False)
    assert not policy.can_read(access.authenticate(token), "leaks")
    access.revoke_tokens("alice")
    with pytest.raises(AccessDenied):
        access.authenticate(token)


def test_two_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with SQLAccessStore(url) as server, SQLAccessStore(url) as admin:
        admin.add_user("alice", "investigator")
        admin.add_collection("leaks")
        admin.grant("alice", "leaks", "read")
        assert server.principal("alice").readable == {"leaks"}
        admin.revoke("alice", "leaks")
        assert server.principal("alice").readable == frozenset()


def test_tables_live_beside_the_statements(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = SQLStore(url)
    try:
        with SQLAccessStore(store.engine) as access:
            access.add_user("alice", "viewer")
        names = set(inspect(store.engine).get_table_names())
        assert {"statements", "access_users", "access_grants"} <= names
        others = {"statements", "sources", "judgements", "canonical", "review_queue"}
        others |= {"store_meta", "changes"}  # the store's generation (`store.changes`)
        others.add("dataset_counts")  # counts kept on write (`store.counts`)
        # The store's database holds every registered table (`store.migrations`), and
        # its version: the other packages' tables are there too, empty until used.
        others |= {t.name for t in SCHEMA.tables() if not t.name.startswith("access_")}
        others.add("alembic_version")
        assert all(n.startswith("access_") for n in names - others)
        assert store.count_statements() == 0  # the store's engine was not disposed
    finally:
        store.close()
