"""Names as people write them, end to end: FtM JSON lines in, resolve, export, explain."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import entity, write_entities
from tests.resolve.conftest import population
from threadline.app.workbench import Workbench


def _donations() -> list[dict[str, Any]]:
    """Donors as a party-donations register writes them."""
    return [
        entity(
            "don-quandt",
            "Person",
            name="Frau Johanna Quandt",
            address="Seedammweg 55, 61352 Bad Homburg",
        ),
        entity(
            "don-brueckenbau",
            "Company",
            name="BRUECKENBAU HANSA GMBH",
            registrationNumber="HRB 55123",
        ),
        entity("don-huseyin", "Person", name="Hüseyin Kaya", birthDate="1971-03-04"),
    ]


def _registry() -> list[dict[str, Any]]:
    return [
        entity(
            "reg-quandt",
            "Person",
            firstName="Johanna",
            lastName="Quandt",
            name="Johanna Quandt",
            address="Seedammweg 55, 61352 Bad Homburg",
        ),
        entity(
            "reg-brueckenbau",
            "Company",
            name="Brückenbau Hansa Gesellschaft mit beschränkter Haftung",
            registrationNumber="HRB55123",
        ),
        entity("reg-hasan", "Person", name="Hasan Kaya", birthDate="1971-03-04"),
    ]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    folder = tmp_path_factory.mktemp("names")
    files = population(folder / "src", people=200)
    workbench = Workbench(data_dir=folder / "data")
    for name, path in files.items():
        workbench.ingest([path], name)
    workbench.ingest([write_entities(folder / "donations.json", _donations())], "donations")
    workbench.ingest([write_entities(folder / "registry.json", _registry())], "registry")
    workbench.resolve()
    return workbench


def _together(bench: Workbench, a: str, b: str) -> bool:
    mapping = bench.store.judgements.canonical_map()
    return mapping.get(a, a) == mapping.get(b, b)


def _queued(bench: Workbench, a: str, b: str) -> bool:
    return any({item.left, item.right} == {a, b} for item in bench.review(limit=500))


def test_honorific_does_not_keep_a_donor_apart(bench: Workbench) -> None:
    assert _together(bench, "don-quandt", "reg-quandt") or _queued(
        bench, "don-quandt", "reg-quandt"
    )


def test_transcribed_company_merges_and_exports_as_one(bench: Workbench) -> None:
    assert _together(bench, "don-brueckenbau", "reg-brueckenbau")
    exported = {e["id"]: e for e in bench.export()}
    head = "don-brueckenbau" if "don-brueckenbau" in exported else "reg-brueckenbau"
    other = ({"don-brueckenbau", "reg-brueckenbau"} - {head}).pop()
    assert other not in exported
    assert other in exported[head]["referents"]


def test_different_given_names_stay_apart(bench: Workbench) -> None:
    assert not _together(bench, "don-huseyin", "reg-hasan")


def test_explain_shows_name_values_where_they_were_compared(bench: Workbench) -> None:
    people = {f.name: f for f in bench.explain("don-quandt", "reg-quandt").features}
    assert (people["first_name"].left, people["first_name"].right) == ("johanna", "johanna")
    assert (people["last_name"].left, people["last_name"].right) == ("quandt", "quandt")
    # People have no organisation name: no values shown where none were compared.
    assert people["org_name"].level == -1
    assert (people["org_name"].left, people["org_name"].right) == (None, None)
    firms = {f.name: f for f in bench.explain("don-brueckenbau", "reg-brueckenbau").features}
    assert firms["org_name"].label == "same name"
    assert firms["org_name"].left == firms["org_name"].right == "brueckenbau hansa gmbh"
