"""Benchmark: finding mentions of N known names in document text (issue 14, item 4).

Generates N known entities' values (seeded: people and companies from
`_names.NameFactory`, with a registration number for one entity in 20 and an e-mail
address for one in 50), builds threadline's mention finder over them as they stream
in (`threadline.mentions.Finder`, as `find_mentions` does from the store's scan), and
runs it over `--mb` MB of generated page text: pages of about 3,000 characters, a
known name in about one word in 150 (one in five upper-cased; the names are accented
or Cyrillic as generated, so most pages take the folded, non-ASCII paths), and one
page in ten with accented German words. Each N runs in a fresh process, so its peak
RSS is its own; CPU times are printed beside wall times, which a busy machine skews.

Goal (issue 14): at least 5 MB of text per second against 1M known names; peak RSS
at most 1 GB.

    python benchmarks/mentions.py                         # 100k and 1M names, 20 MB
    python benchmarks/mentions.py --names 100000 --mb 5   # quick check
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from random import Random

from _common import (
    WORK_DIR,
    header,
    in_child,
    load,
    peak_rss_mb,
    snapshot_threadline,
    table,
    verdict,
)
from _names import NameFactory

GOAL_MB_S = 5.0
GOAL_RSS_MB = 1024.0
PAGE_CHARS = 3_000
FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "this",
    "which",
    "payment",
    "invoice",
    "account",
    "transfer",
    "contract",
    "meeting",
    "agreed",
    "according",
    "services",
    "consulting",
    "board",
    "report",
    "annual",
    "minutes",
    "shares",
    "director",
    "company",
    "bank",
    "pursuant",
    "clause",
    "schedule",
    "amount",
    "total",
    "due",
    "date",
    "received",
    "signed",
    "reference",
    "attached",
    "please",
    "regards",
]
ACCENTED = [
    "Überweisung",
    "für",
    "Geschäftsführer",
    "gemäß",
    "Vertrag",
    "über",
    "Zahlung",
    "später",
]


def known(count: int, seed: int, names: list[str]) -> Iterator[tuple[str, ...]]:
    """Scan rows of `count` entities, as the store's scan streams them; one name in 97
    is kept in `names`, to sprinkle into text."""
    factory = NameFactory(Random(seed))
    for n in range(count):
        entity_id = f"e{n:08d}"
        if n % 5 < 3:
            name, _ = factory.person()
            yield (entity_id, "Person", "name", "name", name, "registry")
        else:
            name, _ = factory.company()
            yield (entity_id, "Company", "name", "name", name, "registry")
        if n % 20 == 0:
            yield (entity_id, "Company", "registrationNumber", "identifier",
                   f"HRB {100000 + n}", "registry")  # fmt: skip
        if n % 50 == 0:
            yield (entity_id, "Person", "email", "email", f"user{n}@example.org", "registry")
        if n % 97 == 0:
            names.append(name)


def pages(megabytes: float, names: list[str], seed: int) -> tuple[list[str], int]:
    """Page texts of about `megabytes` MB in all, and how many names were put in."""
    rng = Random(seed)
    wanted = int(megabytes * 1_000_000)
    out: list[str] = []
    size = put = 0
    while size < wanted:
        words: list[str] = []
        chars = 0
        accented = len(out) % 10 == 0
        while chars < PAGE_CHARS:
            roll = rng.random()
            if roll < 1 / 150:
                word = rng.choice(names)
                word = word.upper() if rng.random() < 0.2 else word
                put += 1
            elif accented and roll < 0.1:
                word = rng.choice(ACCENTED)
            elif roll < 0.12:
                word = f"{rng.randint(1, 99999):,}"
            else:
                word = rng.choice(FILLER)
            words.append(word)
            chars += len(word) + 1
        text = " ".join(words)
        out.append(text)
        size += len(text.encode())
    return out, put


def measure(count: int, megabytes: float, seed: int) -> dict[str, float]:
    """Build the finder for `count` entities and run it over the text (in a child)."""
    from threadline.mentions import Finder

    names: list[str] = []
    started, cpu = time.perf_counter(), time.process_time()
    finder = Finder.of(known(count, seed, names), lambda dataset: True)
    built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
    texts, put = pages(megabytes, names, seed + 1)
    size = sum(len(t.encode()) for t in texts)
    started, cpu = time.perf_counter(), time.process_time()
    hits = sum(len(finder.hits(text)) for text in texts)
    found, found_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "values": float(finder.values),
        "build": built,
        "build_cpu": built_cpu,
        "mb": size / 1e6,
        "find": found,
        "find_cpu": found_cpu,
        "hits": float(hits),
        "put": float(put),
        "rss": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--mb", type=float, default=20.0, help="MB of text to read")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    code = snapshot_threadline(WORK_DIR / "mentions")
    header("Mention finding: known names in document text", code)
    rows = []
    for count in args.names:
        got = in_child(measure, count, args.mb, args.seed)
        rate, rate_cpu = got["mb"] / got["find"], got["mb"] / got["find_cpu"]
        fits = got["rss"] <= GOAL_RSS_MB
        goal = (
            f"{verdict(rate >= GOAL_MB_S and fits)} (CPU {verdict(rate_cpu >= GOAL_MB_S and fits)})"
        )
        rows.append([
            f"{count:,}", f"{got['values']:,.0f}",
            f"{got['build']:.1f} s (CPU {got['build_cpu']:.1f})", f"{got['mb']:.1f}",
            f"{got['find']:.2f} s (CPU {got['find_cpu']:.2f})", f"{rate:.1f} (CPU {rate_cpu:.1f})",
            f"{got['hits']:,.0f} ({got['put']:,.0f} put in)", f"{got['rss']:,.0f} MiB", goal,
        ])  # fmt: skip
    heads = ["known entities", "values", "build finder", "text MB", "find", "MB/s", "hits",
             "peak RSS", f"goal ≥ {GOAL_MB_S:.0f} MB/s, ≤ 1 GiB"]  # fmt: skip
    print(table(heads, rows))
    print(f"\nload:    {load()} (after the run)")


if __name__ == "__main__":
    main()
