"""Wire models of accountability: audit events and verification, users, grants."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from threadline.access import Grant, User
from threadline.api.schemas.wire import Wire
from threadline.audit import AuditEvent, VerifyReport


class EventOut(Wire):
    """One audit event: who did what to which objects, why, and how it ended."""

    time: str
    actor: str
    kind: str
    action: str
    object_ids: list[str]
    case_id: str | None
    purpose: str | None
    justification: str
    outcome: str
    request_id: str
    detail: str

    @classmethod
    def of(cls, event: AuditEvent) -> EventOut:
        return cls(
            time=event.time,
            actor=event.actor,
            kind=event.kind.value,
            action=event.action,
            object_ids=list(event.object_ids),
            case_id=event.case_id,
            purpose=event.purpose,
            justification=event.justification,
            outcome=event.outcome,
            request_id=event.request_id,
            detail=event.detail,
        )


class ProblemFound(Wire):
    """One verification finding; `index` is the first bad entry it implies."""

    index: int | None
    message: str


class VerifyOut(Wire):
    """What verifying the audit log found; `ok` only if nothing is wrong."""

    ok: bool
    summary: str
    entries: int
    checkpoints: int
    signed: int
    first_bad_index: int | None
    problems: list[ProblemFound]

    @classmethod
    def of(cls, report: VerifyReport) -> VerifyOut:
        return cls(
            ok=report.ok,
            summary=report.summary(),
            entries=report.entries,
            checkpoints=report.checkpoints,
            signed=report.signed,
            first_bad_index=report.first_bad_index,
            problems=[ProblemFound(index=p.index, message=p.message) for p in report.problems],
        )


# Administration ----------------------------------------------------------------------

RoleName = Literal["admin", "investigator", "viewer"]
LevelName = Literal["read", "write", "manage"]


class UserIn(Wire):
    """A new user; with `password` (at least 10 characters) they can sign in to the web UI."""

    name: str = Field(min_length=1, max_length=64)
    role: RoleName = "investigator"
    password: str | None = Field(default=None, max_length=1024)


class UserOut(Wire):
    """A user."""

    name: str
    role: RoleName
    created: str
    disabled: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        role: Any = user.role.value
        return cls(name=user.name, role=role, created=user.created, disabled=user.disabled)


class NewUserOut(UserOut):
    """A user just added, with their first API token: shown this once, never stored."""

    token: str


class GrantIn(Wire):
    """Give a user or group a level on a dataset; a null level revokes it."""

    holder: str = Field(min_length=1, max_length=64)
    dataset: str = Field(min_length=1, max_length=200)
    level: LevelName | None


class GrantOut(Wire):
    """A user or group holds `level` on a dataset."""

    holder: str
    dataset: str
    level: LevelName

    @classmethod
    def of(cls, grant: Grant) -> GrantOut:
        level: Any = grant.level.label
        return cls(holder=grant.holder, dataset=grant.collection, level=level)
