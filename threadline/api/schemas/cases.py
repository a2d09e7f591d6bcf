"""Wire models of case files: cases, members, pins, notes, tasks, timeline."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from threadline.api.schemas.wire import Wire
from threadline.app.verbs.cases import CaseFile
from threadline.cases import Case, Note, Pin, Task, TimelineItem
from threadline.cases.cited import Cited

CaseRoleName = Literal["owner", "editor", "reader"]


class CaseIn(Wire):
    """A new case: its name, purpose and the datasets it may reach (`all`, or names)."""

    name: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=2000)
    sources: Literal["all"] | list[str] = "all"


class CaseOut(Wire):
    """A case's header: who opened it, why, who works on it, what it may reach."""

    id: str
    name: str
    purpose: str
    created_by: str
    created_at: str
    sources: Literal["all"] | list[str]
    members: dict[str, CaseRoleName]

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        members: dict[str, Any] = {user: role.label for user, role in case.members.items()}
        return cls(
            id=case.id,
            name=case.name,
            purpose=case.purpose,
            created_by=case.created_by,
            created_at=case.created_at,
            sources="all" if case.all_sources else sorted(case.sources),
            members=members,
        )


class MemberIn(Wire):
    """Give a user a role in a case; a null role removes them."""

    user: str = Field(min_length=1, max_length=64)
    role: CaseRoleName | None


class PinIn(Wire):
    """Pin an entity to a case."""

    entity_id: str = Field(min_length=1, max_length=200)
    comment: str = Field(default="", max_length=2000)


class PinOut(Wire):
    """A pinned entity."""

    case_id: str
    entity_id: str
    pinned_by: str
    pinned_at: str
    comment: str

    @classmethod
    def of(cls, pin: Pin) -> PinOut:
        return cls.model_validate(pin, from_attributes=True)


class NoteIn(Wire):
    """A note; `[[stmt:ID]]` and `[[entity:ID]]` cite evidence the case reaches."""

    text: str = Field(min_length=1, max_length=100_000)


class NoteOut(Wire):
    """A note with the statements and entities it cites."""

    id: str
    case_id: str
    author: str
    created_at: str
    text: str
    statements: list[str]
    entities: list[str]

    @classmethod
    def of(cls, note: Note) -> NoteOut:
        return cls(
            id=note.id,
            case_id=note.case_id,
            author=note.author,
            created_at=note.created_at,
            text=note.text,
            statements=list(note.statements),
            entities=list(note.entities),
        )


TaskStatusName = Literal["open", "doing", "done"]


class TaskIn(Wire):
    """A new task, optionally assigned to a member and due on a date (YYYY-MM-DD)."""

    title: str = Field(min_length=1, max_length=500)
    assignee: str | None = Field(default=None, max_length=64)
    due: str | None = Field(default=None, max_length=10)


class TaskChange(Wire):
    """A change to a task: a field left out stays as it is; a null assignee clears it."""

    status: TaskStatusName | None = None
    assignee: str | None = Field(default=None, max_length=64)


class TaskOut(Wire):
    """A task of a case."""

    id: str
    case_id: str
    title: str
    status: TaskStatusName
    assignee: str | None
    due: str | None
    created_by: str
    created_at: str

    @classmethod
    def of(cls, task: Task) -> TaskOut:
        status: Any = task.status.value
        return cls(
            id=task.id,
            case_id=task.case_id,
            title=task.title,
            status=status,
            assignee=task.assignee,
            due=task.due,
            created_by=task.created_by,
            created_at=task.created_at,
        )


class TimelineOut(Wire):
    """A dated fact of an entity in view, or of a link touching it: its date (a
    period's start, with its end), what it is in words, and the statements saying so."""

    date: str
    entity_id: str
    prop: str
    value: str
    statement_id: str
    dataset: str
    schema_: str = Field(alias="schema")
    label: str
    end: str | None
    end_statement_id: str | None
    source: str = Field(description="the sha256 of the source file")
    file: str = Field(description="the source file's name")
    location: int | None = Field(description="the row (or line) in the source file")

    @classmethod
    def of(cls, item: TimelineItem) -> TimelineOut:
        return cls(
            date=item.date,
            entity_id=item.entity_id,
            prop=item.prop,
            value=item.value,
            statement_id=item.statement_id,
            dataset=item.dataset,
            schema=item.schema,
            label=item.label,
            end=item.end,
            end_statement_id=item.end_statement_id,
            source=item.source,
            file=item.file,
            location=item.location,
        )


class TimelineQuery(Wire):
    """Which dated facts to list (blank: no limit); dates are YYYY, YYYY-MM or YYYY-MM-DD."""

    model_config = ConfigDict(extra="forbid")

    schema_: str | None = Field(
        default=None, alias="schema", max_length=64, description="e.g. Payment, or Interval"
    )
    prop: str | None = Field(default=None, max_length=64, description="e.g. startDate")
    since: str | None = Field(default=None, max_length=10)
    until: str | None = Field(default=None, max_length=10)


class CitedOut(Wire):
    """A note's citation as the reader may see it now; `state` is `ok`, `erased`
    (no longer in the store) or `withheld` (outside what the reader may read)."""

    kind: Literal["stmt", "entity"]
    target: str
    state: Literal["ok", "erased", "withheld"]
    entity_id: str
    caption: str
    schema_: str = Field(alias="schema")
    prop: str
    value: str
    dataset: str
    file: str = Field(description="the source file's name")
    location: int | None = Field(description="the row (or line) in the source file")

    @classmethod
    def of(cls, cited: Cited) -> CitedOut:
        kind: Any = cited.kind
        state: Any = cited.state
        return cls(
            kind=kind,
            target=cited.target,
            state=state,
            entity_id=cited.entity_id,
            caption=cited.caption,
            schema=cited.schema,
            prop=cited.prop,
            value=cited.value,
            dataset=cited.dataset,
            file=cited.file,
            location=cited.location,
        )


class CaseFileOut(Wire):
    """A case with its pins, notes (with their citations resolved), tasks and timeline."""

    case: CaseOut
    pins: list[PinOut]
    notes: list[NoteOut]
    tasks: list[TaskOut]
    timeline: list[TimelineOut]
    citations: list[CitedOut]

    @classmethod
    def of(cls, found: CaseFile) -> CaseFileOut:
        return cls(
            case=CaseOut.of(found.case),
            pins=[PinOut.of(p) for p in found.pins],
            notes=[NoteOut.of(n) for n in found.notes],
            tasks=[TaskOut.of(t) for t in found.tasks],
            timeline=[TimelineOut.of(t) for t in found.timeline],
            citations=[CitedOut.of(c) for c in found.citations.values()],
        )
