"""A document's text cut into plain and marked runs (`threadline.mentions.marks`), and
the places named within a document as a reader may see them (`mentions(within=True)`)."""

from __future__ import annotations

import pytest

from tests.mentions.conftest import MAIL, reader
from threadline.app.workbench import Workbench
from threadline.mentions.marks import Named, Run, marked

A, B = Named("a", "Alpha"), Named("b", "Beta")
TEXT = "Paid by Halcyon Crest Ltd to Orrin"


@pytest.mark.parametrize(
    ("marks", "runs"),
    [
        ([], [Run(TEXT)]),
        (
            [(8, 25, A)],
            [Run("Paid by "), Run("Halcyon Crest Ltd", (A,)), Run(" to Orrin")],
        ),
        (  # one span, two entities: one run naming both
            [(8, 21, B), (8, 21, A), (8, 21, A)],
            [Run("Paid by "), Run("Halcyon Crest", (A, B)), Run(" Ltd to Orrin")],
        ),
        (  # overlapping: the earlier and longer wins
            [(16, 25, B), (8, 21, A), (8, 25, B)],
            [Run("Paid by "), Run("Halcyon Crest Ltd", (B,)), Run(" to Orrin")],
        ),
        ([(29, 34, A)], [Run("Paid by Halcyon Crest Ltd to "), Run("Orrin", (A,))]),
        ([(0, 4, A), (30, 99, B), (5, 5, B)], [Run("Paid", (A,)), Run(TEXT[4:])]),  # out: left
    ],
)
def test_runs(marks: list[tuple[int, int, Named]], runs: list[Run]) -> None:
    assert marked(TEXT, marks) == runs
    assert "".join(r.text for r in marked(TEXT, marks)) == TEXT


def _mail(bench: Workbench) -> str:
    [hit] = bench.search("Friday").hits
    return hit.id


def test_within_a_document_in_text_order_with_captions(bench: Workbench) -> None:
    found = bench.mentions(_mail(bench), within=True)
    assert [(v.text, v.entity_id, v.entity_caption) for v in found] == [
        ("info@Halcyon-Crest.com", "c-hal", "Halcyon Crest Ltd"),
        ("Marguerite   Okonkwo", "p-sec", "Marguerite Okonkwo"),
    ]
    for view in found:
        assert MAIL.strip()[view.start : view.end] == view.text
        assert view.statement_id


def test_within_shows_only_entities_the_reader_reads(bench: Workbench) -> None:
    mail = _mail(bench)
    sam = reader(bench, "sam", "leak", "registry")
    assert [v.entity_id for v in sam.mentions(mail, within=True)] == ["c-hal"]
    rita = reader(bench, "rita", "leak")
    assert rita.mentions(mail, within=True) == []
    bench.erase(dataset="registry")  # the mention stays stored; the entity is gone
    assert [v.entity_id for v in bench.mentions(mail, within=True)] == ["p-sec"]


def test_within_a_pdf_page_or_the_whole_pdf(bench: Workbench) -> None:
    [view] = bench.mentions("p-sok")
    page = bench.mentions(view.text_entity_id, within=True)
    assert {v.text_entity_id for v in page} == {view.text_entity_id}
    assert [v.text for v in page] == ["VLADIMIR SOKOLOV", "Halcyon Crest"]
    whole = bench.mentions(view.document_id, within=True)
    assert len({v.text_entity_id for v in whole}) == 2  # pages 2 and 3
    assert len(whole) == 4  # and the IBAN and the registration number on page 3
