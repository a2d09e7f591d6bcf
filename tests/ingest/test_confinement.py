"""Path tricks in mappings, through the library and the CLI with a confinement root:
no trick reads a file outside the folder, and nothing in the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import cli
from tests.ingest.conftest import open_bench
from tests.ingest.pathtricks import HARMLESS, SECRET, escaped, lay_out, tricks
from threadline.errors import IngestAborted, InputError
from threadline.ingest import yamltext
from threadline.ingest.confine import Confinement
from threadline.store.base import Store


def _values(store: Store) -> set[str]:
    return {row.value for rows in store.iter_entities() for row in rows}


def test_the_corpus_has_at_least_forty_tricks(tmp_path: Path) -> None:
    layout = lay_out(tmp_path, tmp_path / "data")
    names = [name for name, _ in tricks(layout)]
    assert len(names) >= 40
    assert len(set(names)) == len(names)


def test_no_trick_escapes_through_the_library(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    layout = lay_out(tmp_path, data_dir)
    refused: list[str] = []
    with open_bench(data_dir) as bench:
        for number, (name, text) in enumerate(tricks(layout)):
            mapping = layout.upload / f"m{number}.yml"
            mapping.write_text(text, encoding="utf-8", errors="surrogatepass")
            try:
                bench.ingest([mapping], confine_to=layout.upload)
            except (InputError, IngestAborted) as error:
                refused.append(name)
                assert SECRET not in str(error)  # no file content in the message
            assert not escaped(_values(bench.store)), name
        values = _values(bench.store)
        names = {s.name for s in bench.store.sources()}
    assert not escaped(values)
    assert names <= {"data.csv"}  # only the folder's own file was ever read
    # The tricks that name only data.csv in the end may succeed; every other is refused.
    assert len(refused) >= len(tricks(layout)) - 2
    assert "symlinked file" in refused and "duplicate key, bad last" in refused


def test_a_file_given_outside_the_root_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    layout = lay_out(tmp_path, data_dir)
    with open_bench(data_dir) as bench:
        for path in (layout.outside / "secret.csv", layout.upload / "link.csv"):
            with pytest.raises(InputError, match="outside the folder"):
                bench.ingest(
                    [path], "d", schema="Person", maps={"name": "name"}, confine_to=layout.upload
                )
        assert not escaped(_values(bench.store))


def test_the_data_directory_is_never_read_even_without_a_root(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    layout = lay_out(tmp_path, data_dir)
    with open_bench(data_dir) as bench:
        with pytest.raises(InputError, match="own data directory"):
            bench.ingest([data_dir / "fake-store.csv"], "d", schema="Person", maps={"name": "name"})
        mapping = layout.outside / "m.yml"
        mapping.write_text(
            "x:\n  queries:\n    - csv_url: ../data/audit-keys/fake.pem\n"
            "      entities:\n        r:\n          schema: Person\n          keys: [name]\n"
            "          properties:\n            name: {column: name}\n"
        )
        with pytest.raises(InputError, match="own data directory"):
            bench.ingest([mapping])
        assert not escaped(_values(bench.store))


def test_no_trick_escapes_through_the_cli(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    layout = lay_out(tmp_path, data_dir)
    failures = 0
    cases = tricks(layout)
    for number, (_, text) in enumerate(cases):
        mapping = layout.upload / f"m{number}.yml"
        mapping.write_text(text, encoding="utf-8", errors="surrogatepass")
    paths = [str(layout.upload / f"m{n}.yml") for n in range(len(cases))]
    # One command per trick: a refused file stops its command.
    for path in paths:
        done = cli(data_dir, "ingest", path, "--confine-to", str(layout.upload))
        if done.code != 0:
            failures += 1
            assert SECRET not in done.stdout + done.stderr
            assert "Traceback" not in done.stderr
    with open_bench(data_dir) as bench:
        assert not escaped(_values(bench.store))
        assert {s.name for s in bench.store.sources()} <= {"data.csv"}
    assert failures >= len(cases) - 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a: &x 1\nb: *x\n", "anchors"),
        ("a: !!str 1\n", "tags"),
        ("a:\n  <<: {b: 1}\n", "duplicate key|merge keys"),
        ("a: [1, 2\n", "invalid YAML"),
        ("[1]: 2\n", "plain text"),
    ],
)
def test_the_yaml_reader_names_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        yamltext.parse("m.yml", text)
    assert caught.value.line is not None


def test_confinement_allows_the_root_inside_the_data_directory(tmp_path: Path) -> None:
    uploads = tmp_path / "data" / "uploads" / "job"
    uploads.mkdir(parents=True)
    (uploads / "a.csv").write_text(f"name\n{HARMLESS}\n")
    rule = Confinement.of(uploads, tmp_path / "data")
    assert rule.check_name(uploads / "m.yml", "a.csv", 1) == (uploads / "a.csv").resolve()
    with pytest.raises(InputError):
        rule.check_name(uploads / "m.yml", "../other/a.csv", 1)
