"""The in-memory case store: the reference the SQL backend's contract tests hold it to."""

from __future__ import annotations

from threadline.cases.case import Case, CaseRole, with_member
from threadline.cases.chart import Chart
from threadline.cases.errors import CaseError, CaseNotFound
from threadline.cases.note import Note
from threadline.cases.pin import Pin
from threadline.cases.store import CaseStore
from threadline.cases.task import Task


class MemoryCaseStore(CaseStore):
    """Dictionaries keyed by case id."""

    def __init__(self) -> None:
        self._cases: dict[str, Case] = {}
        self._pins: dict[str, dict[str, Pin]] = {}
        self._notes: dict[str, dict[str, Note]] = {}
        self._tasks: dict[str, dict[str, Task]] = {}
        self._charts: dict[str, dict[str, Chart]] = {}

    def add_case(self, case: Case) -> None:
        if case.id in self._cases:
            raise CaseError(f"case id {case.id!r} is already taken")
        self._cases[case.id] = case
        self._pins[case.id] = {}
        self._notes[case.id] = {}
        self._tasks[case.id] = {}
        self._charts[case.id] = {}

    def case(self, case_id: str) -> Case:
        if case_id not in self._cases:
            raise CaseNotFound(f"no case {case_id!r}")
        return self._cases[case_id]

    def cases(self, member: str | None = None) -> list[Case]:
        found = [c for c in self._cases.values() if member is None or member in c.members]
        return sorted(found, key=lambda c: (c.created_at, c.id), reverse=True)

    def set_member(self, case_id: str, user: str, role: CaseRole | str | None) -> Case:
        case = with_member(self.case(case_id), user, role)
        self._cases[case_id] = case
        return case

    def add_pin(self, pin: Pin) -> None:
        pins = self._pins[self.case(pin.case_id).id]
        if pin.entity_id in pins:
            raise CaseError(f"{pin.entity_id!r} is already pinned to case {pin.case_id!r}")
        pins[pin.entity_id] = pin

    def remove_pin(self, case_id: str, entity_id: str) -> bool:
        return self._pins[self.case(case_id).id].pop(entity_id, None) is not None

    def pins(self, case_id: str) -> list[Pin]:
        pins = self._pins[self.case(case_id).id].values()
        return sorted(pins, key=lambda p: (p.pinned_at, p.entity_id))

    def add_note(self, note: Note) -> None:
        notes = self._notes[self.case(note.case_id).id]
        if any(note.id in known for known in self._notes.values()):
            raise CaseError(f"note id {note.id!r} is already taken")
        notes[note.id] = note

    def notes(self, case_id: str) -> list[Note]:
        notes = self._notes[self.case(case_id).id].values()
        return sorted(notes, key=lambda n: (n.created_at, n.id))

    def add_task(self, task: Task) -> None:
        tasks = self._tasks[self.case(task.case_id).id]
        if any(task.id in known for known in self._tasks.values()):
            raise CaseError(f"task id {task.id!r} is already taken")
        tasks[task.id] = task

    def update_task(self, task: Task) -> None:
        tasks = self._tasks[self.case(task.case_id).id]
        if task.id not in tasks:
            raise CaseNotFound(f"case {task.case_id!r} has no task {task.id!r}")
        tasks[task.id] = task

    def tasks(self, case_id: str) -> list[Task]:
        tasks = self._tasks[self.case(case_id).id].values()
        return sorted(tasks, key=lambda t: (t.created_at, t.id))

    def add_chart(self, chart: Chart) -> None:
        charts = self._charts[self.case(chart.case_id).id]
        if any(chart.id in known for known in self._charts.values()):
            raise CaseError(f"chart id {chart.id!r} is already taken")
        charts[chart.id] = chart

    def charts(self, case_id: str) -> list[Chart]:
        charts = self._charts[self.case(case_id).id].values()
        return sorted(charts, key=lambda c: (c.created_at, c.id))
