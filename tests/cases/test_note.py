"""Notes, pins and tasks: citations are parsed and checked, roles are enforced."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import team_case
from threadline.access.errors import AccessDenied
from threadline.cases.citation import Citations, cite, parse_citations
from threadline.cases.errors import CaseError, UnknownCitation
from threadline.cases.note import new_note
from threadline.cases.pin import new_pin
from threadline.cases.task import KEEP, TaskStatus, change_task, new_task

KNOWN = {"s1", "s2", "s3"}


def known(ids: frozenset[str]) -> Collection[str]:
    return ids & KNOWN


def test_citations_are_parsed_in_order_once_each() -> None:
    text = "Acme [[stmt:s2]] paid [[entity:p-1]] via [[stmt:s1]]; again [[stmt:s2]]. [[stmt: x]]"
    assert parse_citations(text) == Citations(("s2", "s1"), ("p-1",))
    assert parse_citations("no claims") == Citations()


ids = st.text(st.characters(blacklist_categories=["Z", "C"], blacklist_characters="[]"), min_size=1)


@given(st.lists(st.tuples(st.sampled_from(["stmt", "entity"]), ids)), st.text())
def test_cited_ids_round_trip(cited: list[tuple[str, str]], filler: str) -> None:
    filler = filler.replace("[", "(").replace("]", ")")
    text = filler.join(cite(kind, target) for kind, target in cited)
    parsed = parse_citations(text)
    assert parsed.statements == tuple(dict.fromkeys(t for k, t in cited if k == "stmt"))
    assert parsed.entities == tuple(dict.fromkeys(t for k, t in cited if k == "entity"))


def test_a_note_stores_its_citations() -> None:
    note = new_note(team_case(), "bob", "Paid [[stmt:s1]] by [[entity:e1]]", known)
    assert (note.case_id, note.author, note.statements, note.entities) == (
        "c1",
        "bob",
        ("s1",),
        ("e1",),
    )


def test_a_note_citing_an_unknown_statement_is_refused() -> None:
    with pytest.raises(UnknownCitation, match=r"cites 2 unknown statement id\(s\): s8, s9"):
        new_note(team_case(), "bob", "[[stmt:s1]] [[stmt:s9]] [[stmt:s8]]", known)
    with pytest.raises(UnknownCitation, match="unknown entity id"):
        new_note(team_case(), "bob", "[[entity:e9]]", known, lambda ids: set())


def test_the_lookup_is_asked_only_about_cited_ids() -> None:
    asked: list[frozenset[str]] = []

    def spy(wanted: frozenset[str]) -> Collection[str]:
        asked.append(wanted)
        return wanted

    new_note(team_case(), "bob", "[[stmt:s1]] and [[stmt:s2]]", spy)
    new_note(team_case(), "bob", "nothing cited", spy)
    assert asked == [frozenset({"s1", "s2"})]


@pytest.mark.parametrize(
    ("author", "text", "error"),
    [
        ("carol", "a reader's note", AccessDenied),
        ("mallory", "an outsider's note", AccessDenied),
        ("bob", "   ", CaseError),
    ],
)
def test_notes_need_an_editor_and_text(author: str, text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        new_note(team_case(), author, text, known)


def test_pins() -> None:
    pin = new_pin(team_case(), "e1", "bob", " the buyer ", lambda ids: ids)
    assert (pin.case_id, pin.entity_id, pin.comment) == ("c1", "e1", "the buyer")
    with pytest.raises(UnknownCitation):
        new_pin(team_case(), "e9", "bob", known_entities=lambda ids: set())
    with pytest.raises(AccessDenied):
        new_pin(team_case(), "e1", "carol")


def test_tasks() -> None:
    case = team_case()
    task = new_task(case, "bob", " Call the registry ", assignee="carol", due="2026-03-01")
    assert (task.title, task.status, task.assignee, task.due) == (
        "Call the registry",
        TaskStatus.OPEN,
        "carol",
        "2026-03-01",
    )
    done = change_task(case, task, "carol", status="done")
    assert done.status is TaskStatus.DONE and done.assignee == "carol"
    with pytest.raises(AccessDenied, match="case role editor"):
        change_task(case, task, "carol", assignee=None)
    unassigned = change_task(case, task, "bob", assignee=None, due=KEEP)
    assert unassigned.assignee is None and unassigned.due == "2026-03-01"
    with pytest.raises(CaseError, match="'mallory' is not a member"):
        change_task(case, task, "bob", assignee="mallory")
    with pytest.raises(CaseError, match="invalid due date 'soon'"):
        new_task(case, "bob", "x", due="soon")
    with pytest.raises(CaseError, match="invalid task status 'stuck'"):
        change_task(case, task, "bob", status="stuck")
    with pytest.raises(CaseError, match="needs a title"):
        new_task(case, "bob", " ")
    with pytest.raises(AccessDenied):
        new_task(case, "carol", "a reader's task")
