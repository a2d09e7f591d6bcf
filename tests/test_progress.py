"""Progress: the pages of a folder's documents are counted beside its files, once per
file, and shown as rates (files/s, pages/s)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from tests.ingest.documents.makers import pdf_bytes, write
from threadline.app.workbench import Workbench
from threadline.cli.console import RichProgress
from threadline.progress import Counting, NoProgress, Rates, count
from threadline.settings import Settings


class Recorder:
    """A sink that keeps what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def begin(self, label: str, total: int | None, unit: str) -> None:
        self.calls.append(("begin", (label, total, unit)))

    def advance(self, amount: int) -> None:
        self.calls.append(("advance", amount))

    def end(self) -> None:
        self.calls.append(("end", None))

    def count(self, unit: str, amount: int) -> None:
        self.calls.append(("count", (unit, amount)))


def test_rates_per_second_in_the_order_counted() -> None:
    now = [100.0]
    rates = Rates(clock=lambda: now[0])
    rates.add("files", 3)
    rates.add("pages", 40)
    assert rates.text() == ""  # not a second yet
    now[0] = 102.0
    rates.add("pages", 42)
    assert rates.text() == "2 files/s · 41 pages/s"
    assert (rates.done("files"), rates.done("pages"), rates.done("bytes")) == (3, 82, 0)


def test_count_reaches_only_sinks_that_show_it() -> None:
    recorder = Recorder()
    assert isinstance(recorder, Counting) and isinstance(RichProgress(), Counting)
    assert not isinstance(NoProgress(), Counting)
    count(recorder, "pages", 5)
    count(recorder, "pages", 0)  # nothing to say: not said
    count(NoProgress(), "pages", 5)  # dropped
    assert recorder.calls == [("count", ("pages", 5))]


def test_a_folder_counts_its_pdf_pages_once_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write(folder, "a.pdf", pdf_bytes(["one", "two", "three"]))
    write(folder, "b.pdf", pdf_bytes(["four", "five"]))
    write(folder, "c.txt", b"no pages here")
    records = write_entities(tmp_path / "r.ijson", [entity("p1", "Person", name="Ann Example")])
    recorder = Recorder()
    settings = Settings(workers=1, store="sqlite", store_url=None, search="tantivy")
    with Workbench(settings, data_dir=tmp_path / "data") as bench:
        reports = bench.ingest([folder], "leak", progress=recorder)
        assert sorted((Path(r.path).name, r.pages) for r in reports) == [
            ("a.pdf", 3),
            ("b.pdf", 2),
            ("c.txt", 0),
        ]
        [single] = bench.ingest([records], "registry")
        assert single.pages == 0
    files = [c for c in recorder.calls if c == ("begin", ("3 files", 3, "files"))]
    assert len(files) == 1
    # One count per file that has pages, each just before that file's step of the bar.
    counted = [c[1] for c in recorder.calls if c[0] == "count"]
    assert counted == [("pages", 3), ("pages", 2)]  # a.pdf, then b.pdf
    steps = recorder.calls[recorder.calls.index(files[0]) :]
    for i, call in enumerate(steps):
        if call[0] == "count":
            assert steps[i + 1] == ("advance", 1)
