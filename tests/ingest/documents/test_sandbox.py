"""Each document file is extracted in a child process (issue 14, "Documents"): a file
whose extraction runs out of memory, hangs, spins or crashes becomes a failed
document saying so, listed by `failures`, while its siblings in the folder and the
parts read before the trouble are kept. A tar member that expands like a bomb fails
alone. Hostile behaviour comes from test-only formats (`hostile_formats`)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ingest.conftest import open_bench
from threadline.app.workbench import Workbench
from threadline.ingest.documents import sandbox
from threadline.ingest.documents.blob import hash_file
from threadline.ingest.documents.child import Request
from threadline.ingest.documents.limits import DocumentLimits
from threadline.ingest.documents.plan import UNCONFINED_NOTICE
from threadline.ingest.limits import MIB, Limits
from threadline.ingest.pipeline import IngestOptions, plan_file, run_plan

from .conftest import PoolWith
from .hostile_formats import register
from .makers import tar_bytes, write, zip_bytes

pytestmark = pytest.mark.slow  # child processes on a loaded machine take seconds


@pytest.fixture
def hostile(pool_with: PoolWith) -> sandbox.Pool:
    """Extraction processes that know the hostile formats, for this test only."""
    return pool_with(register)


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    with open_bench(tmp_path / "data") as opened:
        yield opened


def _errors(bench: Workbench) -> dict[str, list[str]]:
    return {f.file_names[-1]: f.errors for f in bench.failures()}


def test_crashes_and_memory_fail_their_document_and_the_folder_goes_on(
    tmp_path: Path, bench: Workbench, hostile: sandbox.Pool
) -> None:
    folder = tmp_path / "leak"
    write(folder, "a-good.txt", b"The ledger of Gotham Holdings")
    # Different bytes: the same bytes under two names are one document.
    write(folder, "b.segfault", b"b")
    write(folder, "c.greedy", b"c")
    write(folder, "d.abort", b"d")
    write(folder, "e.zip", zip_bytes({"first.txt": b"Penguin owes money", "then.segfault": b"x"}))
    write(folder, "z-good.txt", b"Minutes of the board of Wayne Enterprises")

    reports = bench.ingest([folder], "leak")

    assert len(reports) == 6
    errors = _errors(bench)
    crashed = "extraction was stopped: the extracting process crashed"
    assert errors == {
        "b.segfault": [f"{crashed} (signal 11, SIGSEGV)"],
        "c.greedy": ["extraction was stopped: it used more than 2,048 MiB of memory"],
        "d.abort": [f"{crashed} (signal 6, SIGABRT)"],
        # The member that crashed, and its archive, whose later members were not read.
        "then.segfault": [f"{crashed} (signal 11, SIGSEGV)"],
        "e.zip": [f"{crashed} (signal 11, SIGSEGV)"],
    }
    # The siblings and the member read before the crash are searchable.
    assert [h.caption for h in bench.search("Gotham").hits] == ["a-good.txt"]
    assert [h.caption for h in bench.search("Wayne").hits] == ["z-good.txt"]
    assert [h.caption for h in bench.search("Penguin").hits] == ["first.txt"]
    by_name = {Path(r.path).name: r for r in reports}
    assert [e.message for e in by_name["e.zip"].failed] == [f"{crashed} (signal 11, SIGSEGV)"] * 2
    assert by_name["e.zip"].failed[0].path == f"{folder / 'e.zip'}!then.segfault"
    assert not by_name["a-good.txt"].failed and not by_name["z-good.txt"].failed


def test_a_file_that_hangs_or_spins_is_killed_in_time(
    tmp_path: Path, bench: Workbench, hostile: sandbox.Pool
) -> None:
    folder = tmp_path / "leak"
    write(folder, "good.txt", b"The ledger of Gotham Holdings")
    write(folder, "stuck.hang", b"h")
    write(folder, "loop.spin", b"s")
    # Ingest's own planning and writing, with a file time of 4.5 s (killed at 4 s) (the workbench
    # uses the default limits, two minutes a file).
    options = IngestOptions(dataset="leak", limits=Limits(base_seconds=4.5))
    for path in sorted(folder.iterdir()):
        report = run_plan(bench.store.writer, plan_file(path, options, path.name), False)
        assert report.entities == 1

    took = "extraction was stopped: it took longer than 4 s"
    assert _errors(bench) == {"stuck.hang": [took], "loop.spin": [took]}


def test_the_processor_time_limit_stops_a_spinning_child(
    tmp_path: Path, hostile: sandbox.Pool
) -> None:
    # A child the parent would not kill for a minute is stopped by RLIMIT_CPU
    # (SIGXCPU) after the second of processor time it may use, and its pipe closing
    # ends the wait at once.
    path = write(tmp_path, "loop.spin", b"s")
    now = time.monotonic()
    request = Request(
        str(path), path.name, hash_file(path), DocumentLimits(), now + 60, 1.0, now + 60
    )
    outcome = sandbox.Outcome()
    (entity,) = sandbox.extract(request, outcome, hostile)
    assert time.monotonic() - now < 50
    stopped = "extraction was stopped: it took longer than 1 s of processor time"
    assert entity["properties"]["processingError"] == [stopped]
    assert entity["properties"]["processingStatus"] == ["failure"]
    assert [(p.where, p.message) for p in outcome.failures] == [(str(path), stopped)]


def test_memory_limit_follows_the_limits(
    tmp_path: Path, bench: Workbench, hostile: sandbox.Pool
) -> None:
    folder = tmp_path / "leak"
    write(folder, "big.greedy", b"x")
    write(folder, "good.txt", b"The ledger of Gotham Holdings")
    options = IngestOptions(dataset="leak", limits=Limits(max_worker_memory_bytes=64 * MIB))
    for path in sorted(folder.iterdir()):
        run_plan(bench.store.writer, plan_file(path, options, path.name), False)
    assert _errors(bench) == {
        "big.greedy": ["extraction was stopped: it used more than 64 MiB of memory"]
    }


def test_a_tar_member_that_expands_like_a_bomb_fails_alone(
    tmp_path: Path, bench: Workbench
) -> None:
    folder = tmp_path / "leak"
    members = {
        "before.txt": b"Penguin owes money",
        "bomb.txt": b"\0" * (64 * MIB),
        "after.txt": b"The ledger of Gotham Holdings",
    }
    for mode, suffix in (("w:gz", "tgz"), ("w:bz2", "tar.bz2"), ("w:xz", "tar.xz")):
        write(folder, f"leak.{suffix}", tar_bytes(members, mode))

    bench.ingest([folder], "leak")

    failed = bench.failures()
    assert [f.file_names for f in failed] == [["bomb.txt"]] * 3
    assert {e for f in failed for e in f.errors} == {
        "member bomb.txt expands more than 100-fold (to 67,108,864 bytes declared); "
        "refusing it as a likely compression bomb"
    }
    assert sorted(h.caption for h in bench.search("Penguin").hits) == ["before.txt"] * 3
    assert sorted(h.caption for h in bench.search("Gotham").hits) == ["after.txt"] * 3


def test_without_child_processes_extraction_runs_here_with_a_notice(tmp_path: Path) -> None:
    folder = tmp_path / "leak"
    write(folder, "good.txt", b"The ledger of Gotham Holdings")
    # A script with no `__main__` guard may not start worker processes (they would
    # run it again), so its files are extracted in its own process.
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import json
            import warnings
            from threadline.app.workbench import Workbench
            from threadline.settings import Settings

            warnings.simplefilter("ignore", RuntimeWarning)
            settings = Settings(store="sqlite", store_url=None, search="tantivy")
            with Workbench(settings, data_dir={str(tmp_path / "data")!r}) as bench:
                (report,) = bench.ingest([{str(folder)!r}], "leak")
                print(json.dumps([report.entities, [w.message for w in report.warnings]]))
                print([h.caption for h in bench.search("Gotham").hits])
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600, check=True
    )
    counts, found = done.stdout.strip().splitlines()
    assert json.loads(counts) == [1, [UNCONFINED_NOTICE]]
    assert found == "['good.txt']"


def test_extraction_has_no_network(tmp_path: Path, bench: Workbench, hostile: sandbox.Pool) -> None:
    """A document whose extractor tries to connect to a listener on this machine's
    loopback cannot reach it: the child process has no network."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        folder = tmp_path / "leak"
        write(folder, "home.dial", str(listener.getsockname()[1]).encode())
        bench.ingest([folder], "leak")
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    texts = [
        r.value for rows in bench.store.iter_entities("leak") for r in rows if r.prop == "bodyText"
    ]
    assert len(texts) == 1 and texts[0].startswith("refused: "), texts
