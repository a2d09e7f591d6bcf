"""A folder of documents through ingest, search, failures and a resumed re-run, as a
user meets it: the library facade and the `threadline` command, on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from threadline.app.workbench import Workbench
from threadline.errors import InputError
from threadline.ingest.documents.plan import DOCUMENT_KIND
from threadline.settings import Settings

from .makers import docx_bytes, email_bytes, pdf_bytes, write, zip_bytes


def _bench(data_dir: Path) -> Workbench:
    return Workbench(Settings(store="sqlite", store_url=None, search="tantivy"), data_dir=data_dir)


@pytest.fixture
def leak(tmp_path: Path) -> Path:
    folder = tmp_path / "leak"
    pages = ["Cover page", "Minutes of the board", "The offshore ledger of Gotham Holdings"]
    write(folder, "reports/annual.pdf", pdf_bytes(pages, title="Annual report"))
    write(folder, "memo.docx", docx_bytes(["Transfer to Wayne Enterprises approved"]))
    write(folder, "mail/re.eml", email_bytes("Re: ledger", "Ledger attached", {"l.txt": b"x"}))
    write(folder, "archive.zip", zip_bytes({"old/note.txt": b"Penguin owes money"}))
    write(folder, "broken.pdf", b"%PDF-1.7 cut off in transit")
    write(folder, ".DS_Store", b"\0\0hidden")
    write(folder, "people.csv", b"name\nSelina Kyle\n")
    return folder


def test_folder_to_search_to_failures_to_resume(tmp_path: Path, leak: Path) -> None:
    records = write(
        tmp_path,
        "people.ijson",
        b'{"id": "p1", "schema": "Person", "properties": {"name": ["Gotham Holdings Director"]}}\n',
    )
    with _bench(tmp_path / "data") as bench:
        bench.ingest([records], "registry")
        reports = bench.ingest([leak], "leak")
        assert [Path(r.path).name for r in reports] == [
            "archive.zip",
            "broken.pdf",
            "memo.docx",
            "people.csv",  # no --schema: a document like the others
            "re.eml",
            "annual.pdf",
        ]
        assert all(not r.skipped for r in reports)
        broken = next(r for r in reports if r.path.endswith("broken.pdf"))
        assert [e.path for e in broken.failed] == [str(leak / "broken.pdf")]

        # One query finds the record and the page, and the page says which page.
        hits = bench.search("Gotham Holdings").hits
        found = {h.schema: h for h in hits}
        assert set(found) == {"Person", "Page"}
        assert found["Page"].caption == "annual.pdf, page 3"
        assert found["Page"].highlights == [
            "The offshore ledger of <em>Gotham</em> <em>Holdings</em>"
        ]
        phrase = bench.search('"offshore ledger"').hits
        assert [h.caption for h in phrase] == ["annual.pdf, page 3"]
        assert [h.caption for h in bench.search("Penguin").hits] == ["note.txt"]
        page = bench.entity(found["Page"].id).entity
        assert {(f.prop, f.location) for f in page.facts() if f.prop == "index"} == {("index", 3)}

        (failed,) = bench.failures()
        assert failed.dataset == "leak"
        assert failed.file_names == ["broken.pdf"]
        assert "not a readable PDF" in failed.errors[0]
        assert bench.failures("leak") == [failed]

        statements = bench.store.count_statements()
        again = bench.ingest([leak], "leak")
        assert [r.skipped for r in again] == [True] * 6
        assert bench.store.count_statements() == statements
        # Another dataset is another ingest: nothing is skipped there.
        assert not any(r.skipped for r in bench.ingest([leak / "memo.docx"], "other"))


def test_a_mapping_flag_keeps_a_folder_csv_as_records(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write(folder, "people.csv", b"name\nSelina Kyle\n")
    write(folder, "note.txt", b"Selina was seen")
    with _bench(tmp_path / "data") as bench:
        reports = bench.ingest([folder], "mixed", schema="Person", maps={"name": "name"})
        assert sorted(r.kind for r in reports) == ["csv", DOCUMENT_KIND]
        schemata = {h.schema for h in bench.search("Selina").hits}
        assert schemata == {"Person", "PlainText"}


def test_a_document_needs_a_dataset_and_a_missing_path_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "a.pdf", pdf_bytes(["x"]))
    with _bench(tmp_path / "data") as bench:
        with pytest.raises(InputError, match="give --dataset"):
            bench.ingest([path])
        with pytest.raises(InputError, match="no such file"):
            bench.ingest([tmp_path / "missing.pdf"], "d")
        assert bench.store.count_statements() == 0


def _threadline(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "threadline", "--data-dir", str(data_dir), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


@pytest.mark.slow  # four runs of the command, each starting Python
def test_the_command_line_lists_failures_and_skips_on_resume(tmp_path: Path, leak: Path) -> None:
    data = tmp_path / "data"
    first = _threadline(data, "ingest", leak, "--dataset", "leak")
    assert first.returncode == 0, first.stderr
    assert "failed" in first.stderr and "broken.pdf" in first.stderr
    assert "1 document(s) could not be extracted" in first.stderr
    assert "page 3" not in first.stderr  # no OCR notice: every page has text
    listed = _threadline(data, "failures", "--dataset", "leak", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["file_names"] == ["broken.pdf"] and row["dataset"] == "leak"
    searched = _threadline(data, "search", "offshore ledger", "--json")
    assert json.loads(searched.stdout.splitlines()[0])["caption"] == "annual.pdf, page 3"
    again = _threadline(data, "ingest", leak, "--dataset", "leak")
    assert again.returncode == 0, again.stderr
    assert "6 file(s) skipped" in again.stderr


def test_a_long_text_hit_shows_the_words_around_the_match(tmp_path: Path) -> None:
    text = "filler words here " * 200 + "the needle Ozymandias sits here " + "more text " * 200
    path = write(tmp_path, "long.txt", text.encode())
    with _bench(tmp_path / "data") as bench:
        bench.ingest([path], "docs")
        (hit,) = bench.search("Ozymandias").hits
    (shown,) = hit.highlights
    assert shown.startswith("…filler") and shown.endswith("text…")
    assert "the needle <em>Ozymandias</em> sits here" in shown
    assert len(shown) < 450


def test_the_same_folder_gives_the_same_statements_in_any_store(tmp_path: Path, leak: Path) -> None:
    def facts(data_dir: Path) -> set[tuple[str, str, str, int | None]]:
        with _bench(data_dir) as bench:
            bench.ingest([leak], "leak")
            return {
                (r.entity_id, r.prop, r.value, r.location)
                for rows in bench.store.iter_entities()
                for r in rows
            }

    first = facts(tmp_path / "one")
    assert first == facts(tmp_path / "two")
    assert any(prop == "contentHash" for _, prop, _, _ in first)


class _Recorded:
    """A progress sink that keeps what it was told (a real one, not a mock: `Progress`
    is a protocol every caller may implement)."""

    def __init__(self) -> None:
        self.tasks: list[tuple[str, int | None, str]] = []
        self.advanced: dict[str, int] = {}

    def begin(self, label: str, total: int | None, unit: str) -> None:
        self.tasks.append((label, total, unit))
        self.advanced[label] = 0

    def advance(self, amount: int) -> None:
        self.advanced[self.tasks[-1][0]] += amount

    def end(self) -> None:
        pass


def test_a_folder_has_one_bar_over_its_files_and_is_indexed_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.app import workbench

    monkeypatch.setattr(workbench, "FOLDER_INDEX_FILES", 4)  # batches of 4 files
    folder = tmp_path / "notes"
    for number in range(10):
        write(folder, f"n{number}.txt", f"Note {number} about the ledger of case{number}".encode())
    progress = _Recorded()
    with _bench(tmp_path / "data") as bench:
        reports = bench.ingest([folder], "leak", progress=progress)
        assert len(reports) == 10
        # Every file is searchable: the batches of 4, 4 and the last 2 were all indexed.
        for number in range(10):
            assert [h.schema for h in bench.search(f"case{number}").hits] == ["PlainText"]
    files = [task for task in progress.tasks if task[2] == "files"]
    assert files == [("10 files", 10, "files")]
    assert progress.advanced["10 files"] == 10
    assert all(task[2] != "bytes" for task in progress.tasks)  # no bar per file
