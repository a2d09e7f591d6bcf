"""Through the workbench: a note citing a fact keeps the citation after the fact is
erased, and the case file resolves it as erased; the case timeline follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.access import Level
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.cases.cited import ERASED, OK
from threadline.cases.errors import CaseError
from threadline.errors import NotFoundError


def load(bench: Workbench, tmp_path: Path) -> None:
    people = write_entities(
        tmp_path / "people.ijson",
        [
            entity("p1", "Person", name="Jane Roe", birthDate="1970-01-02"),
            entity("c1", "Company", name="Acme GmbH", incorporationDate="1990"),
            entity("o1", "Ownership", owner="p1", asset="c1", startDate="2001", endDate="2010"),
        ],
    )
    payments = write_entities(
        tmp_path / "payments.ijson",
        [
            entity(
                "pay1",
                "Payment",
                payer="c1",
                beneficiary="p1",
                amount="12500",
                currency="EUR",
                date="2005-03",
            )
        ],
    )
    bench.ingest([people], "people")
    bench.ingest([payments], "payments")


def test_an_erased_citation_is_flagged_and_the_timeline_moves_on(
    bench: Workbench, tmp_path: Path
) -> None:
    load(bench, tmp_path)
    case = bench.case_create("Acme", "who owns Acme", "people,payments")
    bench.case_pin(case.id, "c1")
    items = bench.case_timeline(case.id)
    assert [(i.date, i.schema) for i in items] == [
        ("1990", "Company"),
        ("2001", "Ownership"),
        ("2005-03", "Payment"),
    ]
    ownership = items[1]
    assert (ownership.end, ownership.label) == ("2010", "Ownership: Jane Roe owns Acme GmbH")
    assert items[2].label == "Payment 12,500 EUR: Acme GmbH paid Jane Roe"
    payment = items[2].statement_id
    bench.case_note(case.id, f"Paid [[stmt:{payment}]] by [[entity:pay1]]")
    found = bench.case_show(case.id)
    assert found.citations[f"stmt:{payment}"].state == OK
    assert found.citations[f"stmt:{payment}"].file == "payments.ijson"

    bench.erase(entity_id="pay1")
    after = bench.case_show(case.id)
    assert after.citations[f"stmt:{payment}"].state == ERASED
    assert after.citations["entity:pay1"].state == ERASED
    assert after.notes[0].statements == (payment,)  # the note still says what it cited
    assert [i.schema for i in after.timeline] == ["Company", "Ownership"]
    assert [i.schema for i in bench.case_timeline(case.id, schema="Interval")] == ["Ownership"]
    with pytest.raises(CaseError, match="until"):
        bench.case_timeline(case.id, until="next week")


def test_a_reader_sees_only_the_dated_facts_they_may_read(bench: Workbench, tmp_path: Path) -> None:
    load(bench, tmp_path)
    token = bench.user_add("rita").token
    bench.grant("rita", "people", Level.READ)
    rita = bench.acting(Context(token=token, purpose="testing limits"))
    items = rita.timeline("c1")
    assert [i.schema for i in items] == ["Company", "Ownership"]  # no payments
    assert all(i.dataset == "people" for i in items)
    with pytest.raises(NotFoundError):
        rita.timeline("pay1")
