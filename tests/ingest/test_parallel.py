"""Converting and indexing in worker processes gives exactly what one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.app.workbench import Workbench
from threadline.errors import IngestAborted
from threadline.settings import Settings

ROWS = 5_000


def _register(folder: Path) -> Path:
    lines = ["id,name,party,amount"]
    lines += [f"{i},Donor {i % 700},Party {i % 5},{i}.50" for i in range(ROWS)]
    (folder / "donations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = folder / "donations.yml"
    mapping.write_text(
        """donations:
  queries:
    - csv_url: donations.csv
      entities:
        donor:
          schema: Person
          keys: [name]
          properties:
            name: {column: name}
        party:
          schema: Organization
          keys: [party]
          properties:
            name: {column: party}
        payment:
          schema: Payment
          keys: [id]
          properties:
            payer: {entity: donor}
            beneficiary: {entity: party}
            amount: {column: amount}
""",
        encoding="utf-8",
    )
    return mapping


def _ingest(
    folder: Path, workers: int, mapping: Path
) -> tuple[list[tuple[object, ...]], int, object]:
    settings = Settings(
        data_dir=folder, workers=workers, parallel_min_bytes=0, parallel_min_entities=0
    )
    with Workbench(settings) as bench:
        (report,) = bench.ingest([mapping])
        rows = [tuple(r) for group in bench.store.iter_entities() for r in group]
        found = bench.search("", limit=10_000)
        assert bench.reindex() == len(found.hits)
        assert bench.search("", limit=10_000) == found
        return rows, report.records, found


def test_pool_equals_single_process(tmp_path: Path) -> None:
    mapping = _register(tmp_path)
    serial, serial_records, serial_found = _ingest(tmp_path / "one", 1, mapping)
    pooled, pooled_records, pooled_found = _ingest(tmp_path / "two", 2, mapping)
    assert serial_records == pooled_records == ROWS
    assert pooled_found == serial_found
    strip = [r[:-2] for r in serial]  # first/last seen: wall-clock times differ
    assert [r[:-2] for r in pooled] == strip
    assert len({r[0] for r in serial}) == ROWS + 700 + 5


def test_pool_reports_a_bad_record_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ijson"
    good = '{"id": "p%d", "schema": "Person", "properties": {"name": ["P %d"]}}\n'
    bad.write_text("".join(good % (i, i) for i in range(3000)) + "{oops\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", workers=2, parallel_min_bytes=0)
    with Workbench(settings) as bench:
        with pytest.raises(IngestAborted, match=r"bad.ijson:3001: invalid JSON"):
            bench.ingest([bad], "d")
        assert bench.store.count_statements() == 0
        (report,) = bench.ingest([bad], "d", skip_errors=True)
        assert [e.line for e in report.errors] == [3001]
        assert report.records == 3000
