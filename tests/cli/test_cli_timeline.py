"""`threadline timeline ENTITY` and `threadline case timeline ID`: the same verbs and
parameters as the workbench and the API, with errors that name the field."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import cli, ok


def test_an_entity_timeline_includes_the_links_touching_it(data: Path) -> None:
    items = ok(data, "timeline", "p1", "--json").lines()
    assert [(i["date"], i["prop"], i["schema"]) for i in items] == [
        ("1970-01-02", "birthDate", "Person"),
        ("2001", "startDate", "Ownership"),
    ]
    ownership = items[1]
    assert ownership["label"] == "Ownership: Jane Müller owns Daimler AG"
    assert (ownership["end"], ownership["dataset"], ownership["file"]) == (
        None,
        "people",
        "people.ijson",
    )
    only = ok(data, "timeline", "c1", "--schema", "Ownership", "--json").lines()
    assert [i["entity_id"] for i in only] == ["o1"]
    human = ok(data, "timeline", "p1").stdout
    assert "Jane Müller owns Daimler AG" in human and "2 dated facts" in human


def test_bad_filters_name_their_field(data: Path) -> None:
    done = cli(data, "timeline", "p1", "--since", "soon")
    assert done.code == 1 and "since" in done.stderr
    done = cli(data, "timeline", "p1", "--schema", "Nothing")
    assert done.code == 1 and "schema" in done.stderr


def test_a_case_timeline_is_its_pins_and_their_links(data: Path) -> None:
    case_id = ok(data, "case", "create", "Owners", "--purpose", "who owns Daimler").stdout.strip()
    ok(data, "case", "pin", case_id, "c1")
    items = ok(data, "case", "timeline", case_id, "--json").lines()
    assert [(i["date"], i["entity_id"]) for i in items] == [("1990-05-01", "c1"), ("2001", "o1")]
    ranged = ok(data, "case", "timeline", case_id, "--since", "2000", "--json").lines()
    assert [i["entity_id"] for i in ranged] == ["o1"]
    dated = ok(data, "case", "timeline", case_id, "--prop", "incorporationDate", "--json").lines()
    assert [i["entity_id"] for i in dated] == ["c1"]
