"""Benchmark: ingesting a generated corpus of documents, and searching its pages (issue 14).

Generates `--pages` pages (seeded; see `_documents_corpus`): text PDFs, DOCX, e-mails
with a PDF or DOCX attached, zips of PDFs and e-mails, and `--scan-pages` scanned pages
(PNG images and image-only PDFs). Then, in one run:

- the anchors: poppler's `pdftotext` over every text PDF, one process per file, and the
  `tesseract` CLI over every scanned page, one process per page;
- threadline: `Workbench.ingest` of the text PDFs, then of the scans, then of the rest
  (each folder timed on its own, in one fresh process whose tree's peak RSS is sampled);
- search: `Workbench.search` over the ingested pages with names, words and phrases,
  p50/p99 of the latency (after one warm-up round).

Goals (issue 14): PDF text extraction within 1.5x of pdftotext's pages/s; OCR at least
as many pages/s as the tesseract CLI run page by page; peak RSS at most 1 GB; search
p99 at most 50 ms over 20,000 pages. Both threadline and the anchor run Tesseract with
OMP_THREAD_LIMIT=1 (on a shared 2-core machine its threads only add overhead). CPU
times (user+sys) are printed beside wall times, which load skews: the anchor's with its
children, threadline's over its whole process tree (the extraction processes are the
forkserver's children, which getrusage does not see).

    python benchmarks/documents.py                              # 20,000 pages
    python benchmarks/documents.py --pages 2000 --scan-pages 10  # quick check
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from _common import (
    WORK_DIR,
    TreeSampler,
    _descendants,
    cpu_ticks,
    fresh_dir,
    header,
    in_child,
    load,
    snapshot_threadline,
    table,
    verdict,
)
from _documents_corpus import PHRASES, WORDS, Corpus, build, known_names

GOAL_PDF_RATIO = 1 / 1.5  # threadline's pages/s over pdftotext's
GOAL_OCR_RATIO = 1.0
GOAL_RSS_MB = 1024.0
GOAL_P99_MS = 50.0
FOLDERS = ("pdf", "scans", "mixed")


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (user + sys)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _tree_cpu() -> float:
    """CPU seconds of this process and every descendant (user + sys, waited-for
    children included). Threadline's extraction processes are children of a
    forkserver, not of this process, so `_cpu` misses them; the forkserver waits for
    those that end, so its children's time holds theirs (Linux; elsewhere `_cpu`)."""
    if not Path("/proc/self/stat").exists():
        return _cpu()
    ticks = (cpu_ticks(pid, children=True) for pid in _descendants(os.getpid()))
    return sum(t for t in ticks if t is not None) / os.sysconf("SC_CLK_TCK")


def _run_each(commands: list[list[str]]) -> tuple[float, float, int]:
    """Run the commands one after another: wall seconds, CPU seconds, failures."""
    started, cpu, failed = time.perf_counter(), _cpu(), 0
    for command in commands:
        done = subprocess.run(command, capture_output=True, check=False)
        failed += done.returncode != 0
    return time.perf_counter() - started, _cpu() - cpu, failed


# Where the memory of the ingest's process tree goes: each process's RSS at the tree's
# peak, by role, and the tree's proportional set size (PSS) beside the summed RSS.
# Summed RSS counts twice the pages a forkserver shares with the extraction processes
# it forks (imports, copy-on-write) and the shared libraries every process maps; PSS
# splits each shared page between the processes that map it (smaps_rollup, Linux).


class TreeMemory(TreeSampler):
    """The peaks of the process tree's summed RSS and PSS, who held what at the RSS
    peak, and the CPU each process used (for `cpu_by_role`).

    Its own sampling (a walk of /proc every `interval`) is CPU of the ingest process
    that threadline did not spend: `spent` counts it, for the caller to take off."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(interval)
        self.peak_rss = 0.0  # MiB, summed over the tree
        self.peak_pss = 0.0  # MiB, summed over the tree
        self.at_peak: list[tuple[str, float]] = []  # (role, RSS MiB) when RSS peaked
        self.spent = 0.0  # CPU seconds of the sampling thread
        self.ticks: dict[int, int] = {}  # pid: CPU ticks when last seen
        self.roles: dict[int, str] = {}  # pid: role, decided when first seen
        self._lock = threading.Lock()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.now()
            self._stop.wait(self.interval)

    def now(self) -> dict[int, int]:
        """Sample the tree now; the CPU ticks of every process seen so far."""
        started = time.thread_time()
        with self._lock:
            self.sample(_descendants(os.getpid()))
            ticks = dict(self.ticks)
        self.spent += time.thread_time() - started
        return ticks

    def sample(self, pids: list[int]) -> None:
        rss = {pid: _kib(pid, "status", "VmRSS:") / 1024 for pid in pids}
        pss = sum(_kib(pid, "smaps_rollup", "Pss:") for pid in pids) / 1024
        self.peak_pss = max(self.peak_pss, pss)
        # A forkserver child is an extraction process once it has left the network,
        # which it does just after it starts: until then it looks like a worker.
        unsure = [p for p in pids if self.roles.get(p, "worker") == "worker"]
        self.roles.update(_roles(os.getpid(), unsure, self.roles))
        for pid in pids:
            # An extraction process waits for its tesseract runs: theirs count as its,
            # once they end (`children`), and not on their own as well.
            if self.roles[pid] == "run by extraction":
                continue
            got = cpu_ticks(pid, children=self.roles[pid] == "extraction")
            if got is not None:
                self.ticks[pid] = got
        if sum(rss.values()) > self.peak_rss:
            self.peak_rss = sum(rss.values())
            self.at_peak = sorted(((self.roles[p], mb) for p, mb in rss.items() if mb), key=_big)

    def breakdown(self) -> str:
        """The processes at the peak, largest first: "ingest 612, forkserver 196, ..."."""
        return ", ".join(f"{role} {mb:,.0f}" for role, mb in self.at_peak)

    def cpu_by_role(self, before: dict[int, int], after: dict[int, int]) -> dict[str, float]:
        """CPU seconds each role used between two `now()`s. A process that ended in
        between counts as last seen (up to `interval` of its CPU is missed); the
        forkserver's own CPU is its start-up, the imports it preloads."""
        tick = os.sysconf("SC_CLK_TCK")
        spent: dict[str, float] = {}
        for pid, ticks in after.items():
            role = self.roles.get(pid, "other")
            spent[role] = spent.get(role, 0.0) + (ticks - before.get(pid, 0)) / tick
        return spent


def _big(item: tuple[str, float]) -> float:
    return -item[1]


def _roles(me: int, pids: list[int], known: dict[int, str] | None = None) -> dict[int, str]:
    """What each process is: the ingest, the forkserver, an extraction process (a
    forkserver's child off the network: in a network namespace of its own), a worker
    (another forkserver child: the index's)..."""
    known = known or {}
    commands = {pid: _read(pid, "cmdline").replace("\0", " ") for pid in pids}
    servers = {p for p, r in known.items() if r == "forkserver"}
    servers |= {pid for pid, c in commands.items() if "multiprocessing.forkserver" in c}
    ours = _netns(me)
    roles = {}
    for pid in pids:
        parent = _parent(pid)
        if pid == me:
            roles[pid] = "ingest"
        elif pid in servers and parent not in servers:
            roles[pid] = "forkserver"
        elif parent in servers:
            roles[pid] = "extraction" if _netns(pid) != ours else "worker"
        elif known.get(parent, roles.get(parent)) == "extraction":
            roles[pid] = "run by extraction"
        elif "resource_tracker" in commands[pid]:
            roles[pid] = "resource tracker"
        else:
            roles[pid] = _read(pid, "comm").strip() or str(pid)
    return roles


def _netns(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return ""


def _parent(pid: int) -> int:
    fields = _read(pid, "stat").rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 else 0


def _read(pid: int, name: str) -> str:
    try:
        return Path(f"/proc/{pid}/{name}").read_text(errors="replace")
    except OSError:  # it ended while we looked
        return ""


def _kib(pid: int, name: str, key: str) -> int:
    for line in _read(pid, name).splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def anchors(corpus: Corpus, out: Path) -> dict[str, Any]:
    """pdftotext over the text PDFs and tesseract over the scanned pages, if installed."""
    got: dict[str, Any] = {}
    if shutil.which("pdftotext"):
        commands = [
            ["pdftotext", "-enc", "UTF-8", str(p), str(out / f"{p.stem}.txt")]
            for p in corpus.pdf_files
        ]
        got["pdftotext"] = _run_each(commands)
    if shutil.which("tesseract") and corpus.scan_pages:
        commands = [["tesseract", str(p), "stdout", "-l", "eng"] for p in corpus.scan_pages]
        got["tesseract"] = _run_each(commands)
    return got


def ingest(root: str, data_dir: str) -> dict[str, Any]:
    """Ingest each folder of the corpus in turn (in a child process)."""
    from threadline.app.workbench import Workbench
    from threadline.settings import Settings

    settings = Settings(store="sqlite", store_url=None, search="tantivy")
    got: dict[str, Any] = {}
    with TreeMemory() as rss, Workbench(settings, data_dir=Path(data_dir)) as bench:
        for folder in FOLDERS:
            path = Path(root) / folder
            if not any(path.iterdir()):
                continue
            started, cpu, sampling = time.perf_counter(), _tree_cpu(), rss.spent
            before = rss.now()
            reports = bench.ingest([path], "documents")
            after = rss.now()
            by_role = rss.cpu_by_role(before, after)
            own = rss.spent - sampling  # the sampler's CPU, not threadline's
            by_role["ingest"] = by_role.get("ingest", 0.0) - own
            got[folder] = {
                "wall": time.perf_counter() - started,
                "cpu": _tree_cpu() - cpu - own,
                "roles": by_role,
                "files": len(reports),
                "failed": sum(len(r.failed) for r in reports),
                "warnings": sum(len(r.warnings) for r in reports),
                "statements": sum(r.statements for r in reports),
            }
        got["failures"] = len(bench.failures())
        got["indexed"] = bench.index.count()
    got["rss"] = rss.peak_rss
    got["processes"] = len(rss.at_peak)
    got["pss"] = rss.peak_pss
    got["breakdown"] = rss.breakdown()
    return got


def queries(names: list[str]) -> list[str]:
    """Names, words and phrases (quoted and not), 60 in all, the same every run."""
    words = [w for w in WORDS if len(w) > 5][:18]
    found = names[:24:2] + [n.split()[-1] for n in names[1:24:2]] + words
    found += [f'"{p}"' for p in PHRASES] + PHRASES
    found += ["offshore nominee", "escrow guarantee loan", "beneficial owner trust"]
    return found[:60]


def search(data_dir: str, names: list[str], rounds: int) -> dict[str, Any]:
    """Latencies of `Workbench.search` (ms), after a warm-up round (in a child)."""
    from threadline.app.workbench import Workbench
    from threadline.settings import Settings

    settings = Settings(store="sqlite", store_url=None, search="tantivy")
    latencies: list[float] = []
    cpu: list[float] = []  # of this process, tantivy's threads included
    hits: list[int] = []
    with Workbench(settings, data_dir=Path(data_dir)) as bench:
        asked = queries(names)
        for query in asked:
            bench.search(query, limit=10)
        for _ in range(rounds):
            for query in asked:
                started, spent = time.perf_counter(), time.process_time()
                result = bench.search(query, limit=10)
                latencies.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - spent) * 1000)
                hits.append(result.total)
    latencies.sort()
    cpu.sort()
    return {
        "queries": len(asked),
        "runs": len(latencies),
        "p50": statistics.median(latencies),
        "p99": _p99(latencies),
        "max": latencies[-1],
        "cpu_p50": statistics.median(cpu),
        "cpu_p99": _p99(cpu),
        "zero": sum(1 for h in hits if h == 0),
    }


def _p99(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.99) - 1)]


def _rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000, help="pages to generate")
    parser.add_argument("--scan-pages", type=int, default=100, help="of which scanned")
    parser.add_argument("--rounds", type=int, default=5, help="search rounds")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, help="also write the report here")
    parser.add_argument(
        "--work", type=Path, default=WORK_DIR / "documents", help="corpus, data and code copy"
    )
    parser.add_argument(
        "--search-only", action="store_true", help="only search the last run's data directory"
    )
    args = parser.parse_args()
    if args.out is not None:
        _tee(args.out)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # for tesseract, in the anchor and in threadline
    work = args.work.resolve()
    if args.search_only:
        _search_only(work, args.seed, args.rounds)
        return
    code = snapshot_threadline(work)
    _children_run_the_copy(work / "code")
    header("Documents: ingest of a generated corpus, and search over its pages", code)
    started = time.perf_counter()
    corpus = build(fresh_dir(work / "corpus"), args.pages, args.scan_pages, args.seed)
    print(
        f"corpus:  {corpus.files:,} files, {corpus.documents:,} documents, {corpus.pages:,} "
        f"pages ({corpus.pdf_pages:,} in {len(corpus.pdf_files):,} text PDFs, "
        f"{len(corpus.scan_pages):,} scanned in {len(corpus.scan_files):,} files, "
        f"{corpus.mixed_pages:,} in {len(corpus.mixed_files):,} DOCX, e-mails and zips); "
        f"generated in {time.perf_counter() - started:.0f} s"
    )
    got = anchors(corpus, fresh_dir(work / "anchor-out"))
    if "pdftotext" not in got:
        print("pdftotext: MISSING (apt-get install poppler-utils); no PDF anchor measured")
    data_dir = str(fresh_dir(work / "data"))
    ours = in_child(ingest, str(corpus.root), data_dir)
    found = in_child(search, data_dir, corpus.names, args.rounds)
    print()
    print(table(*_rows(corpus, got, ours)))
    _print_ingest(ours)
    _print_search(found, corpus.pages, args.rounds)
    print(f"\nload:    {load()} (after the run)")


def _children_run_the_copy(code: Path) -> None:
    """Make the extraction processes import the frozen copy too.

    Their forkserver is started as `python -c`, so its sys.path begins with the
    working directory, and Python 3.11's forkserver ignores the sys.path it is handed:
    run from a checkout, the extraction processes imported the checkout's threadline
    (edited meanwhile), not the copy. The copy goes first on PYTHONPATH, which every
    process started from here inherits, and the run leaves the working directory."""
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(code), os.environ.get("PYTHONPATH", "")) if part
    )
    os.chdir(code.parent)


def _search_only(work: Path, seed: int, rounds: int) -> None:
    import sys

    sys.path.insert(0, str(work / "code"))  # the code the last run froze
    header("Documents: search over the last run's pages", "as frozen by the last full run")
    found = in_child(search, str(work / "data"), known_names(seed), rounds)
    _print_search(found, None, rounds)
    print(f"\nload:    {load()} (after the run)")


def _print_ingest(ours: dict[str, Any]) -> None:
    print()
    for folder in FOLDERS:
        roles = ours.get(folder, {}).get("roles")
        if roles:
            spent = ", ".join(f"{r} {s:.1f}" for r, s in sorted(roles.items(), key=_big) if s)
            print(f"CPU s by process, {folder}: {spent}")
    print(
        f"ingest:  {ours['failures']} failed documents, {ours['indexed']:,} index "
        f"documents, peak RSS {ours['rss']:,.0f} MiB over up to {ours['processes']} "
        f"processes ({verdict(ours['rss'] <= GOAL_RSS_MB)} ≤ {GOAL_RSS_MB:,.0f} MiB); "
        f"at the peak, MiB: {ours['breakdown']}; peak PSS {ours['pss']:,.0f} MiB (shared "
        "pages split between the processes that map them)"
    )


def _print_search(found: dict[str, Any], pages: int | None, rounds: int) -> None:
    over = f"{pages:,} pages" if pages is not None else "the last run's pages"
    print(
        f"search:  {found['queries']} queries x {rounds} rounds over {over}: p50 {found['p50']:.1f} ms, p99 {found['p99']:.1f} ms, "
        f"max {found['max']:.1f} ms, {found['zero']} runs without hits "
        f"({verdict(found['p99'] <= GOAL_P99_MS)} p99 ≤ {GOAL_P99_MS:.0f} ms); CPU per query "
        f"p50 {found['cpu_p50']:.1f} ms, p99 {found['cpu_p99']:.1f} ms "
        f"(CPU {verdict(found['cpu_p99'] <= GOAL_P99_MS)})"
    )


def _rows(
    corpus: Corpus, anchor: dict[str, Any], ours: dict[str, Any]
) -> tuple[list[str], list[list[object]]]:
    heads = ["what", "files", "pages", "anchor", "anchor pages/s", "threadline",
             "threadline pages/s", "ratio", "goal"]  # fmt: skip
    rows: list[list[object]] = []
    kinds = [
        ("text PDFs", "pdf", "pdftotext", corpus.pdf_pages, len(corpus.pdf_files), GOAL_PDF_RATIO),
        ("scans (OCR)", "scans", "tesseract", len(corpus.scan_pages), len(corpus.scan_files),
         GOAL_OCR_RATIO),
        ("DOCX, e-mail, zip", "mixed", "", corpus.mixed_pages, len(corpus.mixed_files), None),
    ]  # fmt: skip
    for label, folder, name, pages, files, goal in kinds:
        mine = ours.get(folder)
        if mine is None:
            continue
        fail = f", {mine['failed']} failed" if mine["failed"] else ""
        shown = f"{mine['wall']:.1f} s (CPU {mine['cpu']:.1f}){fail}"
        rate, rate_cpu = _rate(pages, mine["wall"]), _rate(pages, mine["cpu"])
        ours_rate = f"{rate:.1f} (CPU {rate_cpu:.1f})"
        if name and name in anchor:
            wall, cpu, failed = anchor[name]
            theirs, theirs_cpu = _rate(pages, wall), _rate(pages, cpu)
            ratio, ratio_cpu = _rate(rate, theirs), _rate(rate_cpu, theirs_cpu)
            assert goal is not None
            rows.append([
                label, files, pages, f"{name} {wall:.1f} s (CPU {cpu:.1f})"
                + (f", {failed} failed" if failed else ""),
                f"{theirs:.1f} (CPU {theirs_cpu:.1f})", shown, ours_rate,
                f"{ratio:.2f} (CPU {ratio_cpu:.2f})",
                f"≥ {goal:.2f}: {verdict(ratio >= goal)} (CPU {verdict(ratio_cpu >= goal)})",
            ])  # fmt: skip
            # The same files' extraction alone: the extraction processes (tesseract
            # runs included) and the forkserver's start-up, without the ingest
            # process's statements, store, index and mention scan.
            roles = mine.get("roles", {})
            alone = roles.get("extraction", 0.0) + roles.get("forkserver", 0.0)
            if alone > 0:
                ratio_alone = _rate(_rate(pages, alone), theirs_cpu)
                rows.append([
                    "  extraction only", files, pages, "", "", f"CPU {alone:.1f}",
                    f"CPU {_rate(pages, alone):.1f}", f"CPU {ratio_alone:.2f}",
                    f"≥ {goal:.2f}: CPU {verdict(ratio_alone >= goal)}",
                ])  # fmt: skip
        else:
            missing = f"{name} missing" if name else "none"
            rows.append([label, files, pages, missing, "", shown, ours_rate, "", ""])
    total = [ours[f] for f in FOLDERS if f in ours]
    wall, cpu = sum(t["wall"] for t in total), sum(t["cpu"] for t in total)
    rows.append([
        "all (ingest)", corpus.files, corpus.pages, "", "",
        f"{wall:.1f} s (CPU {cpu:.1f})",
        f"{_rate(corpus.pages, wall):.1f} (CPU {_rate(corpus.pages, cpu):.1f})", "", "",
    ])  # fmt: skip
    return heads, rows


def _tee(path: Path) -> None:
    """Send what is printed to `path` as well as to the terminal."""
    import sys

    class Tee:
        def __init__(self, *streams: Any) -> None:
            self.streams = streams

        def write(self, text: str) -> int:
            for stream in self.streams:
                stream.write(text)
                stream.flush()
            return len(text)

        def flush(self) -> None:
            for stream in self.streams:
                stream.flush()

    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout = Tee(sys.stdout, path.open("w", encoding="utf-8"))


if __name__ == "__main__":
    main()
