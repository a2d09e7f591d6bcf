"""The exact public surface of threadline.cases, so a change to it is deliberate."""

from __future__ import annotations

import threadline.cases


def test_public_surface() -> None:
    assert sorted(threadline.cases.__all__) == [
        "ALL_SOURCES",
        "Case",
        "CaseError",
        "CaseNotFound",
        "CaseRole",
        "CaseStore",
        "Citations",
        "KEEP",
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
    for name in threadline.cases.__all__:
        assert getattr(threadline.cases, name).__doc__, name
