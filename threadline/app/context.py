"""The context every workbench call carries: who acts, for which case or purpose, and
under which request id.

A context names its actor; it does not hold their rights. Rights are read from the
access store at the start of each call (see `Accountability.begin`), so a revocation
takes effect on the next call.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass, field, replace

from threadline.access.records import LOCAL_USER


def os_user() -> str:
    """The operating-system account running this process, which the local admin's
    events name (the local admin is whoever can open the data directory)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no name for this uid (a bare container, say)
        return ""


def new_request_id() -> str:
    """A random request id for calls that were not given one."""
    return uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class Context:
    """Actor, case or purpose, justification and request id of one or more calls.

    `token` authenticates the actor (an API token); without it, `actor` is trusted,
    which only the local CLI and the server's own session layer may rely on.
    `case` limits the call to the case's allowed sources and gives it the case's
    purpose; `purpose` states the purpose directly when there is no case.
    """

    actor: str = LOCAL_USER
    token: str | None = field(default=None, repr=False)
    case: str | None = None
    purpose: str | None = None
    justification: str = ""
    request_id: str = ""

    def with_request(self, request_id: str | None = None) -> Context:
        """This context with a request id (a new one unless given)."""
        return replace(self, request_id=request_id or self.request_id or new_request_id())


LOCAL = Context()
