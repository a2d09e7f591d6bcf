"""Citations resolved for a reader: value, property, entity, dataset, file and row; an
erased statement or one out of reach is flagged, never dropped."""

from __future__ import annotations

from collections.abc import Collection

from tests.cases.conftest import rows, team_case
from threadline.cases.citation import cite
from threadline.cases.cited import ERASED, OK, WITHHELD, Existing, resolve
from threadline.cases.inview import Load
from threadline.cases.note import Note, new_note
from threadline.model.statement import StatementRow

PERSON = rows("Person", "p1", "a", name="Jane Roe", birthDate="1970-05-02")
SECRET = rows("Person", "p2", "d", name="Hidden Person")
STORE = PERSON + SECRET
FILES = {("sha-a", "a"): "people.csv"}


def clusters(ids: Collection[str]) -> dict[str, list[str]]:
    return {i: [i] for i in ids}


def reader(reach: set[str], store: list[StatementRow]) -> tuple[Load, Existing]:
    """The lookups the workbench passes, over a list standing in for the store."""

    def load(ids: Collection[str]) -> list[StatementRow]:
        return [r for r in store if r.entity_id in ids and r.dataset in reach]

    def existing(ids: Collection[str]) -> set[str]:
        return {r.id for r in store if r.entity_id in ids}

    return load, existing


def note(*cited: str) -> Note:
    text = "Born " + " and ".join(cited)
    return new_note(team_case(), "bob", text, lambda ids: ids)


def by_prop(prop: str, found: list[StatementRow] = STORE) -> StatementRow:
    return next(r for r in found if r.prop == prop)


def test_a_statement_resolves_to_its_value_entity_and_source_row() -> None:
    birth = by_prop("birthDate")
    load, existing = reader({"a"}, STORE)
    found = resolve([note(cite("stmt", birth.id))], ["p1"], clusters, load, existing, FILES)
    cited = found[f"stmt:{birth.id}"]
    assert cited.state == OK and not cited.warning
    assert (cited.value, cited.prop, cited.prop_label) == ("1970-05-02", "birthDate", "Birth date")
    assert (cited.entity_id, cited.caption, cited.dataset) == ("p1", "Jane Roe", "a")
    assert (cited.file, cited.location) == ("people.csv", 7)


def test_an_erased_statement_is_flagged_not_dropped() -> None:
    birth = by_prop("birthDate")
    written = note(cite("stmt", birth.id), cite("entity", "p1"))
    after = [r for r in STORE if r.id != birth.id]  # the erase verb took it away
    load, existing = reader({"a"}, after)
    found = resolve([written], ["p1"], clusters, load, existing, FILES)
    cited = found[f"stmt:{birth.id}"]
    assert cited.state == ERASED and cited.warning.startswith("erased")
    assert cited.value == ""  # nothing of it survives but the id the note wrote
    assert found["entity:p1"].state == OK and found["entity:p1"].caption == "Jane Roe"
    # The whole entity erased: its citation warns too.
    load, existing = reader({"a"}, SECRET)
    assert resolve([written], [], clusters, load, existing, {})["entity:p1"].state == ERASED


def test_a_statement_out_of_reach_is_withheld_without_its_content() -> None:
    hidden = by_prop("name", SECRET)
    written = note(cite("stmt", hidden.id), cite("entity", "p2"))
    load, existing = reader({"a"}, STORE)
    found = resolve([written], ["p2"], clusters, load, existing, FILES)
    cited = found[f"stmt:{hidden.id}"]
    assert cited.state == WITHHELD and "outside what you may read" in cited.warning
    assert "Hidden" not in repr(found)
