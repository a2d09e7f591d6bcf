"""Who may open a case, and which collections a case lets its member reach.

No role opens a case its holder is not a member of, the local admin's included: a
case is a private working file, and its owners decide who joins it.
"""

from __future__ import annotations

from threadline.access.errors import AccessDenied
from threadline.access.policy import readable
from threadline.access.principal import Principal
from threadline.cases.case import Case, CaseRole


def require_member(
    case: Case, user: Principal | str, role: CaseRole | str = CaseRole.READER
) -> CaseRole:
    """The user's role in the case, or `AccessDenied` if it is below `role`."""
    name = user.name if isinstance(user, Principal) else user
    needed = CaseRole.parse(role)
    held = case.role_of(name)
    if held is None:
        raise AccessDenied(name, f"case {case.id!r}", "membership")
    if held < needed:
        raise AccessDenied(name, f"case {case.id!r}", f"case role {needed.label}")
    return held


def case_scope(case: Case, principal: Principal) -> frozenset[str]:
    """The collections a member may reach inside the case: its allowed sources that
    the member may read. Searches, merges and graph expansion stay within these."""
    require_member(case, principal)
    if case.all_sources:
        return principal.readable
    return readable(principal, case.sources)
