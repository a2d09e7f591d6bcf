"""The CaseStore interface: cases with their members, pins, notes and tasks.

The store keeps what the domain functions (`new_case`, `new_note`, `new_pin`,
`new_task`, `change_task`, `with_member`) have already checked; it adds only the
checks that need the stored state: unknown cases, duplicate ids and pins.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from threadline.access.errors import AccessDenied
from threadline.access.principal import Principal
from threadline.cases.case import Case, CaseRole
from threadline.cases.chart import Chart
from threadline.cases.errors import CaseNotFound
from threadline.cases.note import Note
from threadline.cases.pin import Pin
from threadline.cases.scope import require_member
from threadline.cases.task import Task


class CaseStore(ABC):
    """Case files, kept beside the statements they cite."""

    @abstractmethod
    def add_case(self, case: Case) -> None:
        """Store a new case, with its members and allowed sources."""

    @abstractmethod
    def case(self, case_id: str) -> Case:
        """One case, or `CaseNotFound`. Callers acting for a user use `open()`."""

    @abstractmethod
    def cases(self, member: str | None = None) -> list[Case]:
        """Every case, or those `member` belongs to, newest first."""

    @abstractmethod
    def set_member(self, case_id: str, user: str, role: CaseRole | str | None) -> Case:
        """Give a user a role in the case, or remove them with None; a case always keeps
        an owner. Returns the changed case."""

    @abstractmethod
    def add_pin(self, pin: Pin) -> None:
        """Pin an entity to its case; pinning it twice is an error."""

    @abstractmethod
    def remove_pin(self, case_id: str, entity_id: str) -> bool:
        """Unpin an entity; True if it was pinned."""

    @abstractmethod
    def pins(self, case_id: str) -> list[Pin]:
        """The case's pins, oldest first."""

    @abstractmethod
    def add_note(self, note: Note) -> None:
        """Store a note with its citations; notes are never changed afterwards."""

    @abstractmethod
    def notes(self, case_id: str) -> list[Note]:
        """The case's notes, oldest first."""

    @abstractmethod
    def add_task(self, task: Task) -> None:
        """Store a new task."""

    @abstractmethod
    def update_task(self, task: Task) -> None:
        """Replace a stored task with its changed version (see `change_task`)."""

    @abstractmethod
    def tasks(self, case_id: str) -> list[Task]:
        """The case's tasks, oldest first."""

    @abstractmethod
    def add_chart(self, chart: Chart) -> None:
        """Store a saved chart; charts are never changed afterwards."""

    @abstractmethod
    def charts(self, case_id: str) -> list[Chart]:
        """The case's charts, oldest first."""

    def close(self) -> None:  # noqa: B027 - optional hook; the memory backend needs nothing
        """Release connections."""

    def open(
        self, case_id: str, user: Principal | str, role: CaseRole | str = CaseRole.READER
    ) -> Case:
        """The case, for a member holding at least `role`.

        An unknown id and another user's case are refused alike, with `AccessDenied`,
        so a user cannot learn which case ids exist.
        """
        try:
            case = self.case(case_id)
        except CaseNotFound:
            name = user.name if isinstance(user, Principal) else user
            raise AccessDenied(name, f"case {case_id!r}", "membership") from None
        require_member(case, user, role)
        return case

    def task(self, case_id: str, task_id: str) -> Task:
        """One task of a case, or `CaseNotFound`."""
        for task in self.tasks(case_id):
            if task.id == task_id:
                return task
        raise CaseNotFound(f"case {case_id!r} has no task {task_id!r}")

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
