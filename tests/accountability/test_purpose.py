"""Purpose: where it is required, reading personal data needs a case or a stated purpose;
inside a case, calls carry its id and purpose and reach only its allowed sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accountability.world import PARTIES, copy_world, settings
from threadline.app.accountability import PurposeRequired
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import AuditEvent
from threadline.errors import NotFoundError


@pytest.fixture
def strict(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    """The world with purposes required, as in server mode."""
    data = copy_world(template, tmp_path)
    with Workbench(settings(require_purpose=True), data_dir=data) as bench:
        yield bench


def last(bench: Workbench) -> AuditEvent:
    return list(bench.accountability.events())[-1]


def test_reading_without_a_purpose_is_refused_and_recorded(strict: Workbench) -> None:
    for action, call in [
        ("search", lambda: strict.search("ivan")),
        ("entity", lambda: strict.entity("a-p1")),
        ("export", lambda: strict.export()),
        ("graph.neighbours", lambda: strict.graph_neighbours("a-p1")),
        ("explain", lambda: strict.explain("a-p1", "a-p2")),
    ]:
        with pytest.raises(PurposeRequired, match="state a purpose or work inside a case"):
            call()
        event = last(strict)
        assert (event.action, event.actor, event.purpose) == (action, "local", None)
        assert event.outcome.startswith("denied: ")
        assert event.object_ids == ()
    # Calls that read no entity data need no purpose.
    assert {d.name for d in strict.datasets()} == {"alpha", "beta", "gamma", "delta"}
    assert strict.audit_verify().ok


def test_a_stated_purpose_opens_the_read_and_goes_on_record(strict: Workbench) -> None:
    bench = strict.acting(Context(purpose="sanctions screening", justification="ticket 7"))
    result = bench.search("ivan")
    assert [h.id for h in result.hits] == ["a-p1"]
    event = last(strict)
    assert (event.action, event.purpose, event.case_id) == (
        "search",
        "sanctions screening",
        None,
    )
    assert (event.justification, event.object_ids) == ("ticket 7", ("a-p1",))


def test_inside_a_case_calls_carry_it_and_stay_in_its_sources(strict: Workbench) -> None:
    case = strict.case_create("Petrov", "trace the Petrov holdings", "alpha,beta")
    inside = strict.acting(Context(case=case.id))

    result = inside.search("ivan")
    assert [(h.id, h.datasets) for h in result.hits] == [("a-p1", ["alpha", "beta"])]
    assert result.facets["dataset"] == {"alpha": 1, "beta": 1}
    event = last(strict)
    assert (event.case_id, event.purpose, event.object_ids) == (
        case.id,
        "trace the Petrov holdings",
        ("a-p1",),
    )
    assert inside.search("gammaword").total == inside.search("deltaword").total == 0
    assert {e["id"] for e in inside.export()} == {
        "a-ad1",
        "a-c1",
        "a-o1",
        "a-o2",
        "a-p1",
        "a-p2",
        "b-c1",
        "b-d1",
        "b-o1",
        "b-p2",
    }
    assert inside.entity("b-p1").entity.datasets == ["alpha", "beta"]
    with pytest.raises(NotFoundError):
        inside.entity("c-p1")  # a gamma record, though merged with ones in the case

    with pytest.raises(NotFoundError):
        inside.graph_neighbours("c-c1")  # gamma is outside the case
    hood = inside.graph_neighbours("a-p1", depth=2)
    assert {d for n in hood.nodes for d in n.datasets} <= {"alpha", "beta"}
    assert {d for e in hood.edges for d in e.datasets} <= {"alpha", "beta"}
    assert "c-c1" not in {n.id for n in hood.nodes}  # its only link is stated in gamma
    assert last(strict).case_id == case.id

    report = inside.resolve()
    event = last(strict)
    assert (event.action, event.case_id, event.detail) == (
        "resolve",
        case.id,
        "datasets=alpha,beta",
    )
    in_case = [p for p in PARTIES if p[0] in "ab"]
    assert report.records == len(in_case)


def test_a_member_reaches_only_what_is_both_in_the_case_and_readable(strict: Workbench) -> None:
    strict.user_add("uma", "investigator")
    strict.grant("uma", "beta", "read")
    strict.grant("uma", "gamma", "read")
    case = strict.case_create("Petrov", "trace the Petrov holdings", "alpha,beta")
    strict.case_member(case.id, "uma", "reader")
    uma = strict.acting(Context(actor="uma", case=case.id))
    assert [h.datasets for h in uma.search("ivan").hits] == [["beta"]]
    assert uma.search("cobalt").total == 0  # gamma: readable, but not in the case
    event = last(strict)
    assert (event.actor, event.case_id, event.purpose) == (
        "uma",
        case.id,
        "trace the Petrov holdings",
    )
