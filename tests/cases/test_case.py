"""Cases: purpose and sources are required, members keep an owner, scope is limited."""

from __future__ import annotations

import pytest

from tests.cases.conftest import principal, team_case
from threadline.access.errors import AccessDenied
from threadline.access.principal import Principal
from threadline.access.records import Role
from threadline.cases.case import CaseRole, new_case, parse_sources, with_member
from threadline.cases.errors import CaseError
from threadline.cases.scope import case_scope, require_member


def test_a_new_case_is_owned_by_its_creator() -> None:
    case = new_case(" Acme ", " Who owns Acme? ", "a, b", "alice")
    assert (case.name, case.purpose) == ("Acme", "Who owns Acme?")
    assert case.sources == {"a", "b"} and not case.all_sources
    assert dict(case.members) == {"alice": CaseRole.OWNER}
    assert len(case.id) == 12 and case.created_at.endswith("Z")
    assert new_case("Acme", "why", "all", "alice").id != case.id


@pytest.mark.parametrize(
    ("name", "purpose", "sources", "message"),
    [
        ("", "why", "a", "a case needs a name"),
        ("Acme", "  ", "a", "a case needs a purpose"),
        ("Acme", "why", "", "at least one allowed source, or 'all'"),
        ("Acme", "why", [], "at least one allowed source, or 'all'"),
        ("Acme", "why", "all,a", "either 'all' or a list of collections"),
    ],
)
def test_bad_cases_are_refused(name: str, purpose: str, sources: str, message: str) -> None:
    with pytest.raises(CaseError, match=message):
        new_case(name, purpose, sources, "alice")


def test_sources_parse() -> None:
    assert parse_sources("all") == (frozenset(), True)
    assert parse_sources(["all"]) == (frozenset(), True)
    assert parse_sources("a,,b ") == (frozenset({"a", "b"}), False)


def test_members_change_but_a_case_keeps_an_owner() -> None:
    case = team_case()
    assert case.role_of("bob") is CaseRole.EDITOR
    assert with_member(case, "bob", None).role_of("bob") is None
    promoted = with_member(case, "bob", "owner")
    assert with_member(promoted, "alice", None).role_of("alice") is None
    with pytest.raises(CaseError, match="would have no owner"):
        with_member(case, "alice", "editor")
    with pytest.raises(CaseError, match="invalid case role 'boss'"):
        with_member(case, "bob", "boss")


def test_members_need_the_role_asked_for() -> None:
    case = team_case()
    assert require_member(case, "carol") is CaseRole.READER
    with pytest.raises(AccessDenied, match="'carol' lacks case role editor on case 'c1'"):
        require_member(case, "carol", CaseRole.EDITOR)
    with pytest.raises(AccessDenied, match="'mallory' lacks membership on case 'c1'"):
        require_member(case, principal("mallory", "a"))


def test_scope_is_allowed_sources_the_member_may_read() -> None:
    case = team_case()
    assert case_scope(case, principal("alice", "a", "b", "c")) == {"a", "b"}
    assert case_scope(case, principal("bob", "b", "c")) == {"b"}
    assert case_scope(case, principal("carol")) == frozenset()
    every = new_case("All", "why", "all", "alice")
    assert case_scope(every, principal("alice", "a", "c")) == {"a", "c"}


def test_non_members_are_refused_whatever_their_role() -> None:
    case = team_case()
    for outsider in (principal("admin", "a", role=Role.ADMIN), Principal.local_admin()):
        with pytest.raises(AccessDenied, match="lacks membership on case 'c1'"):
            case_scope(case, outsider)
