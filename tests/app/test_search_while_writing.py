"""A search never waits for another process's index write: on a team server a job worker
indexes an ingest while the API processes keep answering from the index as it was
committed, and see the new records as soon as the worker commits them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.settings import Settings

GUARD = 30.0  # seconds: only a hang reaches it


def _bench(data_dir: Path) -> Workbench:
    return Workbench(Settings(workers=1), data_dir=data_dir)  # type: ignore[call-arg]


def _ids(bench: Workbench, query: str) -> set[str]:
    return {hit.id for hit in bench.search(query, limit=20).hits}


def test_a_search_answers_while_another_writer_holds_the_index(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = write_entities(tmp_path / "a.ijson", [entity("p1", "Person", name="Olga Brandt")])
    second = write_entities(tmp_path / "b.ijson", [entity("p2", "Person", name="Olga Brandtner")])
    with _bench(data) as setup:
        setup.ingest([first], "one")
    holder, ingester, reader = _bench(data), _bench(data), _bench(data)
    release, held = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:  # another process's long index write (a worker's ingest, say)
        try:
            with holder.index.writing():
                held.set()
                release.wait(GUARD)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            held.set()

    def ingest() -> None:  # stores its statements, then waits for the index lock
        try:
            ingester.ingest([second], "one")
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    writer = threading.Thread(target=hold)
    writer.start()
    assert held.wait(GUARD) and not failures
    late = threading.Thread(target=ingest)
    late.start()
    try:
        deadline = time.monotonic() + GUARD
        while reader.store.count_entities() < 2:  # the second file is committed
            assert time.monotonic() < deadline and not failures, failures
            time.sleep(0.05)
        answered: list[set[str]] = []
        search = threading.Thread(target=lambda: answered.append(_ids(reader, "olga")))
        search.start()
        search.join(GUARD)
        # It answered while the index was still locked, from what had been committed.
        assert answered == [{"p1"}], "the search waited for another process's write"
        assert writer.is_alive()
    finally:
        release.set()
        writer.join(GUARD)
        late.join(GUARD)
    assert not failures, failures
    # The writer's commit brought the new record in; a reader sees it once its
    # searcher reloads (tantivy watches the index's meta file).
    deadline = time.monotonic() + GUARD
    while (found := _ids(reader, "olga")) != {"p1", "p2"} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert found == {"p1", "p2"}
    for bench in (holder, ingester, reader):
        bench.close()
