"""A revocation made through one access store object applies to the very next request
resolved through another on the same database: nothing is cached between requests.

Two `SQLAccessStore` objects (each with its own engine, as two processes would have)
on one SQLite file, and on one PostgreSQL database. One (`reader`) is used first, so any
state it could keep is warm; the other (`writer`) changes rights; the reader's next call
must see the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from threadline.access.errors import AccessDenied
from threadline.access.records import Level, Role
from threadline.access.sql import SQLAccessStore
from threadline.access.store import AccessStore


@pytest.fixture(params=["sqlite-file", "postgres"])
def pair(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[AccessStore, AccessStore]]:
    """(writer, reader): two access stores, each with its own engine, on one database."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    writer, reader = SQLAccessStore(url), SQLAccessStore(url)
    yield writer, reader
    reader.close()
    writer.close()


@pytest.fixture
def token(pair: tuple[AccessStore, AccessStore]) -> str:
    """Uma, an investigator in group `desk`, who reads `leaks` herself and `files`
    through the desk, holds the marking `secret` (which `files` carries), and has
    an API token (returned)."""
    writer, _ = pair
    writer.add_user("uma", Role.INVESTIGATOR)
    writer.add_group("desk")
    writer.set_member("desk", "uma")
    for name in ("leaks", "files"):
        writer.add_collection(name)
    writer.set_marking("files", "secret")
    writer.set_held("uma", "secret")
    writer.grant("uma", "leaks", Level.WRITE)
    writer.grant("desk", "files", Level.READ)
    return writer.issue_token("uma")


def _both(reader: AccessStore, token: str) -> list[Callable[[], frozenset[str]]]:
    """What uma reads, resolved by name and by her token."""
    return [
        lambda: reader.principal("uma").readable,
        lambda: reader.authenticate(token).readable,
    ]


def test_a_grant_removed_elsewhere_is_gone_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    for readable in _both(reader, token):
        assert readable() == {"leaks", "files"}
    writer.revoke("uma", "leaks")
    for readable in _both(reader, token):
        assert readable() == {"files"}


def test_leaving_a_group_elsewhere_takes_its_grants_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    assert reader.principal("uma").groups == {"desk"}
    writer.set_member("desk", "uma", member=False)
    for readable in _both(reader, token):
        assert readable() == {"leaks"}
    assert reader.principal("uma").groups == frozenset()


def test_a_grant_lowered_elsewhere_is_lower_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    assert reader.authenticate(token).writable == {"leaks"}
    writer.grant("uma", "leaks", Level.READ)
    assert reader.authenticate(token).writable == frozenset()
    assert reader.principal("uma").grants == {"leaks": Level.READ, "files": Level.READ}


def test_a_role_lowered_elsewhere_applies_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    assert reader.principal("uma").writable == {"leaks"}
    writer.update_user("uma", role=Role.VIEWER)
    for principal in (reader.principal("uma"), reader.authenticate(token)):
        assert principal.role is Role.VIEWER
        assert principal.writable == frozenset()
        assert principal.readable == {"leaks", "files"}


def test_a_user_disabled_elsewhere_is_refused_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    assert reader.principal("uma").name == reader.authenticate(token).name == "uma"
    writer.update_user("uma", disabled=True)
    with pytest.raises(AccessDenied, match="disabled"):
        reader.principal("uma")
    with pytest.raises(AccessDenied, match="disabled"):
        reader.authenticate(token)  # her token is still hers, but she is disabled
    writer.update_user("uma", disabled=False)
    assert reader.authenticate(token).readable == {"leaks", "files"}


def test_a_token_revoked_elsewhere_is_refused_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    second = writer.issue_token("uma")
    assert reader.authenticate(token).name == reader.authenticate(second).name == "uma"
    assert writer.revoke_tokens("uma") == 2
    for revoked in (token, second):
        with pytest.raises(AccessDenied, match="unknown or revoked"):
            reader.authenticate(revoked)
    assert reader.authenticate(writer.issue_token("uma")).name == "uma"


def test_markings_changed_elsewhere_apply_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    for readable in _both(reader, token):
        assert readable() == {"leaks", "files"}
    writer.set_held("uma", "secret", on=False)  # her clearance taken away
    for readable in _both(reader, token):
        assert readable() == {"leaks"}
    writer.set_held("uma", "secret")
    writer.set_marking("leaks", "sealed")  # a collection marked she is not cleared for
    for readable in _both(reader, token):
        assert readable() == {"files"}
    assert reader.authenticate(token).marked == {
        "files": frozenset({"secret"}),
        "leaks": frozenset({"sealed"}),
    }


def test_sessions_ended_elsewhere_show_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    before = reader.session_epoch("uma")
    writer.end_sessions("uma")
    assert reader.session_epoch("uma") == before + 1


def test_a_new_collection_elsewhere_is_known_on_the_next_request(
    pair: tuple[AccessStore, AccessStore], token: str
) -> None:
    writer, reader = pair
    assert reader.principal("local").collections == {"leaks", "files"}
    writer.add_collection("fresh")
    writer.set_marking("fresh", "secret")
    assert reader.principal("local").collections == {"leaks", "files", "fresh"}
    assert reader.principal("uma").collections == {"leaks", "files", "fresh"}
    assert reader.authenticate(token).readable == {"leaks", "files"}
