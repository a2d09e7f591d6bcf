"""Filtered mapping queries refine a key's schema, as in a party-donations register.

The register's public mapping makes every donor a LegalEntity in one query, and some of
them Company, Person or Organization in queries filtered on the donor type. The stored
entity must have the most specific schema (followthemoney's `common_schema`), whichever
query comes first, and however often the file is ingested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.app.workbench import Workbench
from threadline.ingest.schemata import EntitySchemata
from threadline.settings import Settings

DONATIONS = """\
Spender,Typ,Partei,Betrag
ACME GmbH,Firma,Die Grünen,1000
Anna Schmidt,Person,Die Grünen,500
Verein für Alles e.V.,Verein,FDP,200
ACME GmbH,Firma,FDP,300
Unbekannt,,SPD,100
Anna Schmidt,Person,SPD,50
"""

UNFILTERED = """\
    - csv_url: donations.csv
      entities:
        donor:
          schema: LegalEntity
          keys: [Spender]
          properties:
            name: {column: Spender}
        party:
          schema: Organization
          keys: [Partei]
          properties:
            name: {column: Partei}
        donation:
          schema: Payment
          keys: [Spender, Partei, Betrag]
          properties:
            payer: {entity: donor}
            beneficiary: {entity: party}
            amountEur: {column: Betrag}
"""


def _filtered(kind: str, schema: str, extra: str = "") -> str:
    return f"""\
    - csv_url: donations.csv
      filters:
        Typ: {kind}
      entities:
        donor:
          schema: {schema}
          keys: [Spender]
          properties:
            name: {{column: Spender}}{extra}
"""


REFINING = [
    _filtered("Firma", "Company"),
    _filtered("Person", "Person"),
    _filtered("Verein", "Organization"),
]


def _write(files: Path, queries: list[str]) -> Path:
    (files / "donations.csv").write_text(DONATIONS, encoding="utf-8")
    mapping = files / "donations.yml"
    mapping.write_text("donations:\n  queries:\n" + "".join(queries), encoding="utf-8")
    return mapping


def _donor_schemata(bench: Workbench) -> dict[str, str]:
    exported = list(bench.export("donations"))
    return {
        e["caption"]: e["schema"]
        for e in exported
        if e["schema"] not in ("Payment",) and e["caption"] not in ("Die Grünen", "FDP", "SPD")
    }


EXPECTED = {
    "ACME GmbH": "Company",
    "Anna Schmidt": "Person",
    "Verein für Alles e.V.": "Organization",
    "Unbekannt": "LegalEntity",  # no type: no filtered query refines it
}


@pytest.mark.parametrize("order", ["unfiltered-first", "unfiltered-last"])
def test_filtered_queries_refine_the_schema(bench: Workbench, files: Path, order: str) -> None:
    queries = [UNFILTERED, *REFINING] if order == "unfiltered-first" else [*REFINING, UNFILTERED]
    bench.ingest([_write(files, queries)])
    assert _donor_schemata(bench) == EXPECTED
    acme = next(e for e in bench.export("donations") if e["caption"] == "ACME GmbH")
    view = bench.entity(acme["id"])
    assert view.entity.schema.name == "Company"
    assert view.entity.caption == "ACME GmbH"
    # The donor's facts keep the row that first named it.
    assert {f.location for f in view.entity.facts() if f.prop == "name"} == {2}


def test_refinement_is_idempotent(bench: Workbench, files: Path) -> None:
    mapping = _write(files, [UNFILTERED, *REFINING])
    bench.ingest([mapping])
    before = bench.store.count_statements()
    bench.ingest([mapping])
    assert bench.store.count_statements() == before
    assert _donor_schemata(bench) == EXPECTED


def test_properties_of_the_refined_schema_are_kept(bench: Workbench, files: Path) -> None:
    # A Company-only property from the filtered query must survive assembly.
    with_number = _filtered(
        "Firma", "Company", "\n            registrationNumber: {literal: HRB 1234}"
    )
    bench.ingest([_write(files, [UNFILTERED, with_number])])
    acme = next(e for e in bench.export("donations") if e["caption"] == "ACME GmbH")
    assert acme["schema"] == "Company"
    assert acme["properties"]["registrationNumber"] == ["HRB 1234"]


def test_conflicting_schemata_keep_one_and_lose_no_values(bench: Workbench, files: Path) -> None:
    # A register that calls one donor both a Company and a Person: no common schema.
    # followthemoney's aggregation would refuse; we keep the entity, with one schema.
    conflicting = [UNFILTERED, _filtered("Firma", "Company"), _filtered("Firma", "Person")]
    report = bench.ingest([_write(files, conflicting)])[0]
    assert report.errors == []
    acme = next(e for e in bench.export("donations") if e["caption"] == "ACME GmbH")
    assert acme["schema"] in ("Company", "Person")


def test_worker_processes_refine_the_same(tmp_path: Path, files: Path) -> None:
    # Chunks of 2,000 records go to different processes: the refining record and the
    # first one naming the donor are converted apart, and must still agree.
    rows = ["Spender,Typ,Partei,Betrag"]
    rows += [f"Donor {i % 300},{'Firma' if i % 3 == 0 else ''},P{i % 4},{i}" for i in range(4200)]
    (files / "donations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    mapping = files / "donations.yml"
    queries = [UNFILTERED, _filtered("Firma", "Company")]
    mapping.write_text("donations:\n  queries:\n" + "".join(queries), encoding="utf-8")
    found: list[dict[str, str]] = []
    for workers in (1, 2):
        settings = Settings(
            data_dir=tmp_path / f"data-{workers}",
            store="sqlite",
            store_url=None,
            search="tantivy",
            workers=workers,
            parallel_min_bytes=0,
        )
        with Workbench(settings) as bench:
            bench.ingest([mapping])
            found.append(
                {e["caption"]: e["schema"] for e in bench.export() if e["schema"] != "Payment"}
            )
    assert found[0] == found[1]
    assert found[0]["Donor 0"] == "Company"  # i = 0, 300, 600...: every third is a firm
    assert found[0]["Donor 1"] == "LegalEntity"  # i = 1, 301, ...: never a multiple of 3


@given(st.permutations(["Thing", "LegalEntity", "Organization", "Company"]))
def test_the_merged_schema_does_not_depend_on_order(order: list[str]) -> None:
    schemata = EntitySchemata()
    for line, schema in enumerate(order, start=2):
        schemata.note("donor", schema, "sha", line)
    (row,) = schemata.id_rows("donations", "2026-01-01T00:00:00")
    assert row[0] == "donor"
    assert row[2] == "Company"
    assert row[10] == 2  # the first record that named it
