"""Subject access: every consultation of an entity, or of the merged entity it belongs
to, each its own event, with its date, actor, case and purpose."""

from __future__ import annotations

from datetime import datetime

import pytest

from threadline.access import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind


def test_who_accessed_lists_each_consultation_of_the_entity_and_its_members(
    bench: Workbench,
) -> None:
    # Maria Lopez: a-p2 (alpha) merged with d-p1 (delta); c-p2 (gamma) is another person.
    bench.user_add("uma", "investigator")
    bench.user_add("vic", "investigator")
    bench.grant("uma", "alpha", "read")
    bench.grant("vic", "delta", "read")
    case = bench.case_create("Lopez", "check the Lopez family", "delta")
    bench.case_member(case.id, "vic", "reader")
    uma = bench.acting(Context(actor="uma", purpose="due diligence"))
    vic = bench.acting(Context(actor="vic", case=case.id))

    uma.entity("a-p2")
    uma.entity("a-p2")  # twice: two events, not a counter
    vic.entity("d-p1")
    uma.search("maria")
    vic.graph_neighbours("d-p1")
    uma.entity("a-p1")  # someone else
    bench.acting(Context(purpose="audit sample")).export("delta")
    with pytest.raises(AccessDenied):
        bench.acting(Context(actor="uma", case=case.id)).entity("d-p1")  # refused: not listed

    for asked in ("a-p2", "d-p1"):
        found = bench.audit_who_accessed(asked)
        rows = [(e.actor, e.action, e.case_id, e.purpose, e.kind) for e in found]
        assert rows == [
            ("uma", "entity", None, "due diligence", ActionKind.CONSULTATION),
            ("uma", "entity", None, "due diligence", ActionKind.CONSULTATION),
            ("vic", "entity", case.id, "check the Lopez family", ActionKind.CONSULTATION),
            ("uma", "search", None, "due diligence", ActionKind.CONSULTATION),
            ("vic", "graph.neighbours", case.id, "check the Lopez family", ActionKind.CONSULTATION),
            ("local", "export", None, "audit sample", ActionKind.DISCLOSURE),
        ]
        times = [datetime.strptime(e.time, "%Y-%m-%dT%H:%M:%S.%fZ") for e in found]
        assert times == sorted(times)
        assert len({e.request_id for e in found}) == len(found)  # each call its own event
    # Asking is itself on record, under the asker.
    event = list(bench.accountability.events())[-1]
    assert (event.action, event.actor, event.object_ids) == (
        "audit.who-accessed",
        "local",
        ("a-p2", "d-p1"),
    )


def test_only_admins_may_ask_who_accessed(bench: Workbench) -> None:
    bench.user_add("uma", "investigator")
    with pytest.raises(AccessDenied, match="role admin"):
        bench.acting(Context(actor="uma")).audit_who_accessed("a-p2")
