"""Access decisions, table-driven: who may do what, and what the refusal says."""

from __future__ import annotations

import pytest

from threadline.access import policy
from threadline.access.errors import AccessDenied
from threadline.access.principal import Principal
from threadline.access.records import Level, Role

KNOWN = frozenset({"open", "leaks", "registry"})
MARKED = {"leaks": frozenset({"confidential", "source-protected"})}


def who(
    role: Role = Role.INVESTIGATOR,
    grants: dict[str, Level] | None = None,
    markings: frozenset[str] = frozenset(),
) -> Principal:
    return Principal(
        name="alice",
        role=role,
        grants=grants or {},
        markings=markings,
        marked=MARKED,
        collections=KNOWN,
    )


BOTH = frozenset({"confidential", "source-protected"})


@pytest.mark.parametrize(
    ("principal", "collection", "level"),
    [
        (who(grants={"open": Level.READ}), "open", Level.READ),
        (who(grants={"open": Level.WRITE}), "open", Level.WRITE),
        (who(grants={"registry": Level.READ}), "open", None),
        (who(Role.VIEWER, {"open": Level.MANAGE}), "open", Level.READ),
        (who(grants={"leaks": Level.MANAGE}), "leaks", None),
        (who(grants={"leaks": Level.READ}, markings=frozenset({"confidential"})), "leaks", None),
        (who(grants={"leaks": Level.READ}, markings=BOTH), "leaks", Level.READ),
        (who(Role.ADMIN), "open", Level.MANAGE),
        (who(Role.ADMIN), "not-registered", None),
        (who(Role.ADMIN), "leaks", None),
        (who(Role.ADMIN, markings=BOTH), "leaks", Level.MANAGE),
        (Principal.local_admin({"leaks": BOTH}), "leaks", Level.MANAGE),
        (Principal.local_admin(), "not-registered", Level.MANAGE),
    ],
)
def test_effective_level(principal: Principal, collection: str, level: Level | None) -> None:
    assert policy.level_on(principal, collection) == level
    assert policy.can_read(principal, collection) == (level is not None)
    if level is None:
        with pytest.raises(AccessDenied):
            policy.require(principal, Level.READ, collection)
    else:
        policy.require(principal, level, collection)


@pytest.mark.parametrize(
    ("principal", "level", "collection", "message"),
    [
        (who(), "read", "open", "user 'alice' lacks read on collection 'open'"),
        (
            who(grants={"open": Level.READ}),
            "write",
            "open",
            "user 'alice' lacks write on collection 'open'$",
        ),
        (
            who(Role.VIEWER, {"open": Level.WRITE}),
            "write",
            "open",
            r"lacks write on collection 'open' \(viewers may only read\)",
        ),
        (
            who(grants={"leaks": Level.READ}, markings=frozenset({"confidential"})),
            "read",
            "leaks",
            r"lacks marking 'source-protected' on collection 'leaks' \(the collection is "
            r"marked confidential, source-protected",
        ),
        # No grant: the refusal says nothing of the markings.
        (who(), "read", "leaks", "lacks read on collection 'leaks'$"),
    ],
)
def test_refusals_name_user_collection_and_what_is_missing(
    principal: Principal, level: str, collection: str, message: str
) -> None:
    with pytest.raises(AccessDenied, match=message) as caught:
        policy.require(principal, level, collection)
    assert caught.value.user == "alice"
    assert caught.value.target == f"collection {collection!r}"


def test_readable_filters_a_list_of_collections() -> None:
    principal = who(grants={"open": Level.READ, "leaks": Level.READ})
    assert policy.readable(principal, ["open", "leaks", "registry", "gone"]) == {"open"}
    assert principal.readable == {"open"}
    assert policy.missing_markings(principal, "leaks") == BOTH


def test_administration_needs_the_admin_role_and_markings_need_holders() -> None:
    with pytest.raises(AccessDenied, match="lacks role admin on add user"):
        policy.require_admin(who(), "add user")
    policy.require_admin(who(Role.ADMIN), "add user")
    with pytest.raises(AccessDenied, match="lacks marking 'confidential' on give marking"):
        policy.require_marking(who(Role.ADMIN), "confidential", "give marking")
    policy.require_marking(who(markings=BOTH), "confidential", "give marking")
    policy.require_marking(Principal.local_admin(), "anything", "give marking")


def test_a_principal_is_a_read_only_snapshot() -> None:
    grants = {"open": Level.READ}
    principal = who(grants=grants)
    grants["registry"] = Level.READ
    assert "registry" not in principal.grants
    with pytest.raises(TypeError):
        principal.grants["registry"] = Level.READ  # type: ignore[index]
