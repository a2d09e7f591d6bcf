"""Wire models of the audit pages: a page of events, a subject report, verification run."""

from __future__ import annotations

from dataclasses import asdict

from threadline.api.schemas.admin import EventOut, VerifyOut
from threadline.api.schemas.wire import Wire
from threadline.audit import VerifyReport
from threadline.audit.query import AuditPage, Listed
from threadline.audit.subject import SubjectReport


class ListedOut(EventOut):
    """One audit event and its index in the log (what `before` and `after` refer to)."""

    index: int

    @classmethod
    def listed(cls, found: Listed) -> ListedOut:
        return cls(index=found.index, **EventOut.of(found.event).model_dump())


class AuditPageOut(Wire):
    """A page of events, newest first; `older` and `newer` are the cursors of the pages
    either side (pass as `before` and `after`), null at either end."""

    events: list[ListedOut]
    total: int
    older: int | None
    newer: int | None

    @classmethod
    def of(cls, page: AuditPage) -> AuditPageOut:
        return cls(
            events=[ListedOut.listed(e) for e in page.events],
            total=page.total,
            older=page.older,
            newer=page.newer,
        )


class SubjectSectionOut(Wire):
    """The events of one section of a subject report (reads, searches, ...)."""

    key: str
    title: str
    events: list[ListedOut]


class NamedOut(Wire):
    """A record naming the subject outside the statements (a tip), and where."""

    kind: str
    id: str
    received_at: str
    status: str
    fields: list[str]


class SubjectOut(Wire):
    """Everything on record about one entity, by section, newest first."""

    entity_id: str
    ids: list[str]
    total: int
    sections: list[SubjectSectionOut]
    named: list[NamedOut]

    @classmethod
    def of(cls, report: SubjectReport) -> SubjectOut:
        return cls(
            entity_id=report.entity_id,
            ids=list(report.ids),
            total=report.total,
            sections=[
                SubjectSectionOut(key=key, title=title, events=[ListedOut.listed(e) for e in found])
                for key, title, found in report.sections()
            ],
            named=[NamedOut(**asdict(n)) for n in report.named],
        )


class VerifyRunOut(VerifyOut):
    """A verification run: what it found, the signed Merkle root (hex), the entries no
    checkpoint covers yet, notes on what it could not rule out, and how long it took."""

    root: str
    unsigned: int
    notes: list[str]
    seconds: float

    @classmethod
    def run(cls, report: VerifyReport, seconds: float) -> VerifyRunOut:
        return cls(
            **VerifyOut.of(report).model_dump(),
            root=report.root.hex(),
            unsigned=report.unsigned,
            notes=list(report.notes),
            seconds=round(seconds, 3),
        )
