"""Signing in against every access backend: names without a password cost the same
argon2 work as a wrong password, and what ends a user's sessions moves their epoch."""

from __future__ import annotations

import pytest

from threadline.access import LOCAL_USER, AccessDenied, AccessStore, Role
from threadline.access import store as store_module
from threadline.access.passwords import dummy_hash, hash_password, verify_password

PASSWORD = "correct horse battery staple"


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stored hash each password check is made against, in order (the check
    itself still runs)."""
    seen: list[str] = []

    def spy(stored: str, password: str) -> bool:
        seen.append(stored)
        return verify_password(stored, password)

    monkeypatch.setattr(store_module, "verify_password", spy)
    return seen


@pytest.mark.parametrize("name", ["nobody", "nopass", LOCAL_USER])
def test_a_name_without_a_password_is_checked_against_the_dummy_hash(
    access: AccessStore, verified: list[str], name: str
) -> None:
    access.add_user("nopass", Role.VIEWER)
    with pytest.raises(AccessDenied):
        access.login(name, PASSWORD)
    assert verified == [dummy_hash()]


def test_a_wrong_password_is_checked_against_the_users_own_hash(
    access: AccessStore, verified: list[str]
) -> None:
    access.add_user("bob", Role.INVESTIGATOR)
    access.set_password("bob", PASSWORD)
    with pytest.raises(AccessDenied):
        access.login("bob", "not the password")
    assert verified == [access.password_hash("bob")]
    assert verified[0] != dummy_hash()
    assert access.login("bob", PASSWORD).name == "bob"


def test_the_dummy_hash_has_todays_parameters() -> None:
    # Same parameters as a real hash, so verifying it takes the same work.
    assert dummy_hash().rsplit("$", 2)[0] == hash_password(PASSWORD).rsplit("$", 2)[0]
    assert dummy_hash() == dummy_hash()  # made once


def test_what_ends_sessions_moves_the_epoch(access: AccessStore) -> None:
    access.add_user("bob", Role.INVESTIGATOR)
    access.add_user("cat", Role.INVESTIGATOR)
    assert access.session_epoch("bob") == 0
    assert access.session_epoch("nobody") == 0
    access.set_password("bob", PASSWORD)
    after_password = access.session_epoch("bob")
    access.issue_token("bob")
    access.revoke_tokens("bob")
    after_revoke = access.session_epoch("bob")
    access.update_user("bob", disabled=True)
    after_disable = access.session_epoch("bob")
    assert 0 < after_password < after_revoke < after_disable
    assert access.session_epoch("cat") == 0  # nobody else's


def test_what_leaves_sessions_alone_does_not_move_the_epoch(access: AccessStore) -> None:
    access.add_user("bob", Role.INVESTIGATOR)
    access.set_password("bob", PASSWORD)
    epoch = access.session_epoch("bob")
    access.login("bob", PASSWORD)  # a sign-in (and any rehash it makes)
    access.issue_token("bob")
    access.update_user("bob", role=Role.VIEWER)
    access.update_user("bob", disabled=False)
    assert access.session_epoch("bob") == epoch
