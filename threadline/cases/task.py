"""Tasks: the work a case still needs, with a status, an assignee and a due date."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum, StrEnum

from threadline.audit.event import utc_timestamp
from threadline.cases.case import Case, CaseRole
from threadline.cases.errors import CaseError
from threadline.cases.scope import require_member


class TaskStatus(StrEnum):
    """Where a task stands."""

    OPEN = "open"
    DOING = "doing"
    DONE = "done"

    @classmethod
    def parse(cls, text: str | TaskStatus) -> TaskStatus:
        """A status from its name, or a clear error."""
        try:
            return cls(str(text).lower())
        except ValueError:
            raise CaseError(f"invalid task status {text!r}; use open, doing or done") from None


class _Keep(Enum):
    """The type of `KEEP`: a sentinel that, unlike None, means "no change"."""

    KEEP = "keep"


KEEP = _Keep.KEEP  # "leave this field as it is", where None means "clear it"


@dataclass(frozen=True, slots=True)
class Task:
    """One piece of work in a case; `assignee` is a member, `due` an ISO date."""

    id: str
    case_id: str
    title: str
    status: TaskStatus
    assignee: str | None
    due: str | None
    created_by: str
    created_at: str


def _checked(case: Case, task: Task) -> Task:
    if not task.title.strip():
        raise CaseError("a task needs a title")
    if task.assignee is not None and case.role_of(task.assignee) is None:
        raise CaseError(f"{task.assignee!r} is not a member of case {case.id!r}")
    if task.due is not None:
        try:
            due = date.fromisoformat(task.due).isoformat()
        except ValueError:
            raise CaseError(f"invalid due date {task.due!r}; use YYYY-MM-DD") from None
        task = replace(task, due=due)
    return replace(task, title=task.title.strip())


def new_task(
    case: Case,
    created_by: str,
    title: str,
    *,
    assignee: str | None = None,
    due: str | None = None,
    now: str | None = None,
    task_id: str | None = None,
) -> Task:
    """An open task made by an editor or owner of the case."""
    require_member(case, created_by, CaseRole.EDITOR)
    task = Task(
        id=task_id or secrets.token_hex(6),
        case_id=case.id,
        title=title,
        status=TaskStatus.OPEN,
        assignee=assignee,
        due=due,
        created_by=created_by,
        created_at=now or utc_timestamp(),
    )
    return _checked(case, task)


def change_task(
    case: Case,
    task: Task,
    by: str,
    *,
    status: TaskStatus | str | None = None,
    assignee: str | _Keep | None = KEEP,
    due: str | _Keep | None = KEEP,
) -> Task:
    """The task with a new status, assignee or due date, changed by an editor or owner.

    Its assignee may change its status whatever their role: a reader can still report
    that the work assigned to them is done.
    """
    if task.case_id != case.id:
        raise CaseError(f"task {task.id!r} is not in case {case.id!r}")
    require_member(case, by)
    own_status = by == task.assignee and isinstance(assignee, _Keep) and isinstance(due, _Keep)
    if not own_status:
        require_member(case, by, CaseRole.EDITOR)
    if status is not None:
        task = replace(task, status=TaskStatus.parse(status))
    if not isinstance(assignee, _Keep):
        task = replace(task, assignee=assignee)
    if not isinstance(due, _Keep):
        task = replace(task, due=due)
    return _checked(case, task)
