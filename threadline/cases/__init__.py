"""Case files: a purpose, members, source limits, pins, notes with citations, tasks, a
timeline, and an evidence bundle to hand over.

Nothing here is wired into the workbench yet. Domain functions (`new_case`,
`new_note`, ...) check their input and do no I/O; a `CaseStore` keeps the results.
"""

from __future__ import annotations

from threadline.cases.bundle import build_bundle
from threadline.cases.case import ALL_SOURCES, Case, CaseRole, new_case, parse_sources, with_member
from threadline.cases.citation import Citations, cite, parse_citations
from threadline.cases.errors import CaseError, CaseNotFound, UnknownCitation
from threadline.cases.memory import MemoryCaseStore
from threadline.cases.note import Note, new_note
from threadline.cases.pin import Pin, new_pin
from threadline.cases.report import render_html
from threadline.cases.scope import case_scope, require_member
from threadline.cases.sql import SQLCaseStore
from threadline.cases.store import CaseStore
from threadline.cases.task import KEEP, Task, TaskStatus, change_task, new_task
from threadline.cases.timeline import TimelineItem, timeline

__all__ = [
    "ALL_SOURCES",
    "KEEP",
    "Case",
    "CaseError",
    "CaseNotFound",
    "CaseRole",
    "CaseStore",
    "Citations",
    "MemoryCaseStore",
    "Note",
    "Pin",
    "SQLCaseStore",
    "Task",
    "TaskStatus",
    "TimelineItem",
    "UnknownCitation",
    "build_bundle",
    "case_scope",
    "change_task",
    "cite",
    "new_case",
    "new_note",
    "new_pin",
    "new_task",
    "parse_citations",
    "parse_sources",
    "render_html",
    "require_member",
    "timeline",
    "with_member",
]
