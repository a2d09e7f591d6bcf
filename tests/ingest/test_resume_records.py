"""A re-run of `ingest` resumes: records files already committed, made the same way,
are skipped by hash, and the index catches up with what a cut-off run stored."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import orjson

from tests.ingest.test_cli_ingest import threadline
from threadline.app.workbench import Workbench

from .conftest import open_bench

PEOPLE = "Full name,DOB,Phone\nJürgen Müller,1970-01-02,030 1234567\nAnna Weiß,1980-05-06,\n"
FLAGS: dict[str, Any] = {"schema": "Person", "maps": {"name": "Full name"}}
MAPPING = """\
staff:
  queries:
    - csv_url: people.csv
      entities:
        person:
          schema: Person
          keys: [Full name]
          properties:
            name: {column: Full name}
"""


def rows(bench: Workbench) -> set[tuple[Any, ...]]:
    """Every stored statement, `last_seen` included: a skipped file moves nothing."""
    return {tuple(row) for group in bench.store.iter_entities() for row in group}


def _people(files: Path) -> Path:
    path = files / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


def test_same_csv_twice_is_skipped(bench: Workbench, files: Path) -> None:
    path = _people(files)
    [first] = bench.ingest([path], "staff", **FLAGS)
    before, count = rows(bench), bench.store.count_statements()

    [second] = bench.ingest([path], "staff", **FLAGS)

    assert not first.skipped and first.entities == 2
    assert second.skipped and second.statements == 0
    assert bench.store.count_statements() == count
    assert rows(bench) == before  # not rewritten: no `last_seen` moved either
    # Another dataset is another ingest.
    [other] = bench.ingest([path], "elsewhere", **FLAGS)
    assert not other.skipped and other.entities == 2


def test_changed_flags_or_mapping_ingest_again(bench: Workbench, files: Path) -> None:
    path = _people(files)
    bench.ingest([path], "staff", **FLAGS)
    count = bench.store.count_statements()

    more: dict[str, Any] = {"schema": "Person", "maps": {"name": "Full name", "birthDate": "DOB"}}
    [mapped] = bench.ingest([path], "staff", **more)
    assert not mapped.skipped
    assert bench.store.count_statements() > count  # the birth dates came in
    assert bench.ingest([path], "staff", **more)[0].skipped

    # The phone country changes what a national number becomes: not the same ingest.
    phones: dict[str, Any] = {"schema": "Person", "maps": {"name": "Full name", "phone": "Phone"}}
    # Without a country the national number is refused (the row is skipped as an error).
    assert not bench.ingest([path], "staff", skip_errors=True, **phones)[0].skipped
    assert not bench.ingest([path], "staff", country="de", **phones)[0].skipped
    assert bench.ingest([path], "staff", country="de", **phones)[0].skipped

    # A mapping YAML: skipped when unchanged, ingested again when edited.
    yml = files / "people.yml"
    yml.write_text(MAPPING, encoding="utf-8")
    assert not bench.ingest([yml])[0].skipped
    assert bench.ingest([yml])[0].skipped
    yml.write_text(MAPPING + "            birthDate: {column: DOB}\n", encoding="utf-8")
    [edited] = bench.ingest([yml])
    assert not edited.skipped and edited.entities == 2


def test_changed_file_is_ingested_again(bench: Workbench, files: Path) -> None:
    path = _people(files)
    bench.ingest([path], "staff", **FLAGS)
    path.write_text(PEOPLE + "Zoë Ñúñez,1990-01-01,\n", encoding="utf-8")

    [again] = bench.ingest([path], "staff", **FLAGS)

    assert not again.skipped and again.entities == 3
    assert len(bench.search("Zoë", schema="Person").hits) == 1


def test_force_ingests_again(bench: Workbench, files: Path) -> None:
    path = files / "people.ijson"
    line = {"id": "p1", "schema": "Person", "properties": {"name": ["Anna Weiß"]}}
    path.write_bytes(orjson.dumps(line) + b"\n")
    bench.ingest([path], "staff")
    count = bench.store.count_statements()

    [forced] = bench.ingest([path], "staff", force=True)

    assert not forced.skipped and forced.entity_ids == {"p1"}
    assert bench.store.count_statements() == count  # written again, still idempotent


# A child that ingests three files and dies, as a killed process does (no clean-up, no
# `finally`), while reading the third: the first two are committed, none indexed yet
# (a run of several files indexes at the end), and the third is half-read.
_KILLED_RUN = """
import os, sys
from pathlib import Path
from threadline.app.workbench import Workbench
from threadline.ingest import pipeline

real = pipeline.iter_lines

def dying(source, **kwargs):
    for n, (number, line) in enumerate(real(source, **kwargs)):
        if source.path.name == "c.ijson" and n == 1:
            os._exit(9)
        yield number, line

pipeline.iter_lines = dying
data, *paths = sys.argv[1:]
with Workbench(data_dir=Path(data)) as bench:
    bench.ingest([Path(p) for p in paths], "leak")
"""


def _entities(prefix: str, names: list[str]) -> bytes:
    lines = [
        {"id": f"{prefix}{n}", "schema": "Person", "properties": {"name": [name]}}
        for n, name in enumerate(names)
    ]
    return b"".join(orjson.dumps(line) + b"\n" for line in lines)


def test_killed_run_resumes_with_the_missing_files(tmp_path: Path, files: Path) -> None:
    paths = [files / "a.ijson", files / "b.ijson", files / "c.ijson"]
    paths[0].write_bytes(_entities("a", ["Ansgar Quellmalz", "Amalia Quellmalz"]))
    paths[1].write_bytes(_entities("b", ["Berthold Zwirnmann"]))
    paths[2].write_bytes(_entities("c", ["Cosima Vielhaber", "Cyprian Vielhaber", "Clio Vie"]))
    data = tmp_path / "data"
    script = textwrap.dedent(_KILLED_RUN)
    killed = subprocess.run(
        [sys.executable, "-c", script, str(data), *map(str, paths)],
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == 9, killed.stderr

    with open_bench(data) as bench:
        # Committed: a and b, whole; c not at all (its transaction never committed).
        assert {s.name for s in bench.store.sources()} == {"a.ijson", "b.ijson"}
        assert set(bench.store.iter_ids()) == {"a0", "a1", "b0"}
        assert bench.index.count() == 0  # killed before the run's index update

        reports = bench.ingest(paths, "leak")

        assert [r.skipped for r in reports] == [True, True, False]
        assert reports[2].entity_ids == {"c0", "c1", "c2"}
        assert bench.store.count_entities() == bench.index.count() == 6
        for name in ["Quellmalz", "Zwirnmann", "Vielhaber"]:
            assert bench.search(name).total >= 1, name


def test_cli_reports_skips_and_force(tmp_path: Path, files: Path) -> None:
    _people(files)
    data = tmp_path / "data"
    args = ["ingest", "people.csv", "-d", "staff", "--schema", "Person", "--map", "name=Full name"]
    first = threadline(data, *args, cwd=files)
    assert first.code == 0, first.stderr

    again = threadline(data, *args, cwd=files)
    assert again.code == 0, again.stderr
    assert "skipped " in again.stderr and "already ingested into staff" in again.stderr
    assert "1 file(s) skipped: already ingested" in again.stderr
    assert "ingested people.csv" not in again.stderr

    forced = threadline(data, *args, "--force", cwd=files)
    assert forced.code == 0, forced.stderr
    assert "ingested people.csv into staff (csv): 2 records" in forced.stderr
    assert "skipped" not in forced.stderr
