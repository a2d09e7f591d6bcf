"""Crash safety: ingest, resolve and reindex SIGKILLed at random points, hundreds of
times, leave a data directory whose files are all or nothing, whose audit log
verifies, and whose search answers as a fresh reindex does.

Each run is a real process running the CLI's entry point (see `crash_launcher`), on
its own small data directory per stream. What a kill leaves is checked on a copy: the
next run starts from exactly that (the check's reads, audit entries and reindex would
repair it, and its audit entries, verified again at every later check, made each check
slower than the last), and a kill that changed no byte keeps the verdict of the check
of those same bytes. The seeds are printed, and every failure names its seed, run and
delay: `THREADLINE_CRASH_SEED=... pytest tests/store/test_crash.py` replays a run.
`THREADLINE_CRASH_KILLS` sets the number of kills (200 by default, the least CI runs).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
import pytest

from threadline.app.workbench import Workbench
from threadline.settings import Settings

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("THREADLINE_CRASH_KILLS", "200"))
STREAMS = 2
FILES = 5
PEOPLE = 200
QUERIES = ["anna", "petrov", "carla rossi", "weber", "hans novak", "1975"]
FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hans", "Ines", "Lev"]
LAST = ["Novak", "Petrov", "Schmidt", "Rossi", "Weber", "Ivanova", "Kowalski", "Horvat"]
ROOT = Path(__file__).resolve().parents[2]
# How often each phase runs; resolve and reindex are longer, so they are killed as often.
PHASES = {"ingest": 3, "resolve": 2, "reindex": 2}


def _people(path: Path, number: int, seed: int) -> Path:
    """A file of people; the same people (other ids, some spelt differently) recur in
    every file, so that resolve merges across files."""
    noise = random.Random(seed)
    lines = []
    for i in range(PEOPLE):
        person = random.Random(i)
        name = f"{person.choice(FIRST)} {person.choice(LAST)}"
        if noise.random() < 0.3:
            name = name.replace("a", "e", 1)
        born = f"19{50 + person.randrange(40)}-0{1 + person.randrange(9)}-1{person.randrange(9)}"
        properties = {"name": [name], "birthDate": [born], "nationality": ["de"]}
        lines.append({"id": f"f{number}-p{i}", "schema": "Person", "properties": properties})
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return path


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env.update(THREADLINE_WORKERS="1", THREADLINE_INDEX_MEMORY_MB="64", PYTHONPATH=str(ROOT))
    return env


def _store_path(data_dir: Path) -> Path:
    return Path(Settings(data_dir=data_dir).resolved_store_url().removeprefix("sqlite:///"))


def _per_source(data_dir: Path) -> tuple[dict[str, int], set[str]]:
    """Statements per source file hash, and the hashes of files recorded as ingested."""
    with sqlite3.connect(_store_path(data_dir)) as conn:
        counts = dict(conn.execute("SELECT source, count(*) FROM statements GROUP BY source"))
        sources = {r[0] for r in conn.execute("SELECT sha256 FROM sources")}
    return counts, sources


def _fingerprint(data_dir: Path) -> str:
    """A hash of the names and contents of every file in `data_dir`: everything the
    check reads, so equal fingerprints get equal verdicts."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(data_dir)}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _hits(bench: Workbench) -> dict[str, tuple[int, list[str]]]:
    found = {}
    for query in QUERIES:
        result = bench.search(query, limit=1_000)
        found[query] = (result.total, sorted(hit.id for hit in result.hits))
    return found


@dataclass
class Stream:
    """One data directory, its launcher, and what its kills found."""

    number: int
    seed: int
    folder: Path
    files: list[Path]
    full: dict[str, int]
    kills: Counter[str] = field(default_factory=Counter)
    finished: Counter[str] = field(default_factory=Counter)
    checkpoints_needed: int = 0
    lagging: int = 0  # kills that left the index behind the store
    unchanged: int = 0  # kills that changed no file: the last check's verdict stands
    checked: str = ""  # the fingerprint of the data directory checked last
    failures: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def run(self, launcher: subprocess.Popen[bytes], args: list[str], delay: float) -> Any:
        stdin: IO[bytes] | None = launcher.stdin
        stdout: IO[bytes] | None = launcher.stdout
        assert stdin is not None and stdout is not None
        log = self.folder / "run.log"
        request = {"args": ["--data-dir", str(self.data_dir), *args], "log": str(log)}
        stdin.write(orjson.dumps({**request, "delay": delay}) + b"\n")
        stdin.flush()
        answer = orjson.loads(stdout.readline())
        answer["output"] = log.read_text(errors="replace")[-2000:]
        return answer

    def args(self, phase: str, rng: random.Random) -> list[str]:
        if phase == "ingest":
            number = rng.randrange(FILES)
            return ["ingest", str(self.files[number]), "--dataset", f"ds{number}"]
        return [phase]

    def check(self, where: str) -> None:
        """Everything the issue asks of a data directory after a kill, asked of a copy."""
        state = _fingerprint(self.data_dir)
        if state == self.checked:
            self.unchanged += 1
            return
        self.checked = state
        data_dir = self.folder / "checked"
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(self.data_dir, data_dir, symlinks=True)
        counts, recorded = _per_source(data_dir)
        for source, count in counts.items():
            if count != self.full.get(source):
                self.failures.append(f"{where}: file {source[:12]} has {count} statements")
        if recorded != set(counts):
            self.failures.append(f"{where}: sources {recorded} but statements of {set(counts)}")
        with Workbench(data_dir=data_dir) as bench:
            report = bench.audit_verify()
            if not report.ok:
                # A kill can leave the log's last entries after its last checkpoint.
                self.checkpoints_needed += 1
                bench.audit_checkpoint()
                report = bench.audit_verify()
                if not report.ok:
                    self.failures.append(f"{where}: audit verify: {report.summary()}")
            current = bench.store.generation()
            if bench.index.generation() != (current.store_id, current.number):
                self.lagging += 1
            searched = _hits(bench)
            bench.reindex()
            fresh = _hits(bench)
        if searched != fresh:
            differ = [q for q in QUERIES if searched[q] != fresh[q]]
            self.failures.append(f"{where}: search differs from a fresh reindex for {differ}")

    def drive(self, target: int) -> None:
        try:
            self._drive(target)
        except Exception as exc:  # a thread's error must reach the test
            self.failures.append(f"seed {self.seed}: {exc!r}")

    def _drive(self, target: int) -> None:
        self.folder.mkdir(parents=True)
        rng = random.Random(self.seed)
        env = _environment()
        launcher = subprocess.Popen(
            [sys.executable, "-m", "tests.store.crash_launcher"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            # One whole run of each phase: it must succeed, and says how long it takes.
            took = {}
            for phase in ("ingest", "resolve", "reindex"):
                answer = self.run(launcher, self.args(phase, rng), 120.0)
                assert answer["code"] == 0, f"seed {self.seed}: {phase} {answer['output']}"
                took[phase] = answer["seconds"]
            phases = [p for p, weight in PHASES.items() for _ in range(weight)]
            runs = 0
            while sum(self.kills.values()) < target and runs < target * 4:
                runs += 1
                phase = rng.choice(phases)
                args = self.args(phase, rng)
                delay = rng.uniform(0.0, took[phase] * 1.1)
                where = f"seed {self.seed} run {runs} ({' '.join(args)}, killed at {delay:.3f} s)"
                answer = self.run(launcher, args, delay)
                if not answer["killed"]:
                    self.finished[phase] += 1
                    # Later runs are quicker (an incremental resolve): aim at their length.
                    took[phase] = answer["seconds"]
                    if answer["code"] != 0:
                        self.failures.append(f"{where}: exit {answer['code']}: {answer['output']}")
                    continue
                self.kills[phase] += 1
                try:
                    self.check(where)
                except Exception as exc:  # name the run that caused it
                    self.failures.append(f"{where}: {exc!r}")
                if len(self.failures) > 5:
                    break
        finally:
            for pipe in (launcher.stdin, launcher.stdout):
                if pipe is not None:
                    pipe.close()
            launcher.wait(timeout=60)


@pytest.fixture(scope="module")
def full_counts(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, int]]:
    """The files, and how many statements each holds when ingested whole."""
    root = tmp_path_factory.mktemp("crash-files")
    files = [_people(root / f"people{n}.ijson", n, n) for n in range(FILES)]
    with Workbench(data_dir=root / "reference") as bench:
        for number, path in enumerate(files):
            bench.ingest([path], f"ds{number}")
    counts, _ = _per_source(root / "reference")
    assert len(counts) == FILES
    return files, counts


def test_kills_at_random_points_leave_a_consistent_data_dir(
    full_counts: tuple[list[Path], dict[str, int]], tmp_path: Path
) -> None:
    files, full = full_counts
    base = int(os.environ.get("THREADLINE_CRASH_SEED", random.randrange(1 << 30)))
    print(f"crash test: seeds {[base + n for n in range(STREAMS)]}, {KILLS} kills")
    streams = [Stream(n, base + n, tmp_path / f"stream{n}", files, full) for n in range(STREAMS)]
    share = -(-KILLS // STREAMS)
    threads = [threading.Thread(target=s.drive, args=(share,)) for s in streams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kills = sum((s.kills for s in streams), Counter())
    finished = sum((s.finished for s in streams), Counter())
    checkpoints = sum(s.checkpoints_needed for s in streams)
    lagging = sum(s.lagging for s in streams)
    unchanged = sum(s.unchanged for s in streams)
    print(
        f"crash test: kills by phase {dict(kills)}, runs that finished before their kill "
        f"{dict(finished)}, kills that left the index behind the store (caught up by "
        f"the next search) {lagging}, audit checkpoints written before verify {checkpoints}, "
        f"kills that changed no file {unchanged}"
    )
    failures = [f for s in streams for f in s.failures]
    assert not failures, "\n".join(failures)
    assert sum(kills.values()) >= KILLS, f"seeds {base}..: only {dict(kills)} kills"
