"""Cross-script search: a name written in one script finds it written in another.

Issue 15 asks for recall@10 >= 0.9 on Cyrillic and Greek queries of Latin names and the
reverse, and for Arabic, CJK and Devanagari to be measured and reported. The names come
from data we did not make: the territory names rigour ships (taken from Wikidata), where
each country has its English name and names in many scripts. Each country becomes one
entity per script (`Organization`, one `name`), among a background of generated
entities so that a query must rank its target, not merely find it.

For every country and script S, two queries go through `Workbench.search`:
- S -> Latin: the name in S must bring the English-named entity into the top 10;
- Latin -> S: the English name must bring the S-named entity into the top 10.

Many of these names are translations, not transliterations ("德国", "Deutschland" are
not spellings of "Germany"); no transliteration can join them. The table therefore
also splits the pairs by whether rigour's ASCII transliteration (`ascii_text`) of the S name is close to the
English name (a normalised edit similarity of at least `CLOSE`). That split uses the
same transliteration threadline uses, so it tells losses of search (pairs already close
after transliteration, yet not found) from pairs that only a dictionary could join.
The anchor is raw tantivy over the same entities: fuzzy name search, no
transliteration.

    python benchmarks/cross_script.py                      # 100,000 background entities
    python benchmarks/cross_script.py --background 10000   # a quick run
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from _common import WORK_DIR, fresh_dir, header, in_child, load, snapshot_threadline, table
from _entities import write_entities

DATASET = "bench"
LIMIT = 10
GOAL = 0.9
GOAL_SCRIPTS = ("Cyrillic", "Greek")
SCRIPTS = ("Cyrillic", "Greek", "Arabic", "Han", "Devanagari")
CLOSE = 0.8


@dataclass(frozen=True)
class Pair:
    """A country's English name and its name in one other script."""

    code: str
    script: str
    latin: str
    other: str

    @property
    def latin_id(self) -> str:
        return f"territory-{self.code}-latin"

    @property
    def other_id(self) -> str:
        return f"territory-{self.code}-{self.script.lower()}"


def pairs() -> list[Pair]:
    """One pair per country and script: the first name rigour lists in that script."""
    from rigour._core import territories_jsonl, text_scripts

    found: list[Pair] = []
    for line in territories_jsonl().splitlines():
        data = orjson.loads(line)
        if not data.get("is_country") or data.get("is_historical"):
            continue
        names = [*data.get("names_strong", []), *data.get("names_weak", [])]
        for script in SCRIPTS:
            for name in names:
                if text_scripts(name) == {script}:
                    found.append(Pair(data["code"], script, data["name"], name))
                    break
    return found


def _similarity(a: str, b: str) -> float:
    from rigour._core import raw_levenshtein

    a, b = a.lower(), b.lower()
    longest = max(len(a), len(b)) or 1
    return 1.0 - raw_levenshtein(a, b) / longest


def is_close(pair: Pair) -> bool:
    """Whether rigour's ASCII form of the other name is near the English one: the
    same name spelled in another script, not a translation or another language's."""
    return similarity(pair) >= CLOSE


def territory_entities(found: list[Pair]) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for pair in found:
        for eid, name in ((pair.latin_id, pair.latin), (pair.other_id, pair.other)):
            if eid not in seen:
                seen.add(eid)
                yield {"id": eid, "schema": "Organization", "properties": {"name": [name]}}


def write_corpus(path: Path, found: list[Pair], background: int) -> None:
    write_entities(path, background, seed=15, samples=0)
    with path.open("ab") as fh:
        fh.write(b"".join(orjson.dumps(e) + b"\n" for e in territory_entities(found)))


def similarity(pair: Pair) -> float:
    """Normalised edit similarity of rigour's ASCII form of the other name and the
    English name."""
    from rigour.text import ascii_text

    return _similarity(ascii_text(pair.other), pair.latin)


def bucket_rows(
    found: list[Pair], asked: list[tuple[str, str, str, bool]], ids: list[list[str]]
) -> list[list[object]]:
    """threadline's recall@10 (both directions, scripts together) by similarity."""
    hits: dict[float, list[int]] = defaultdict(list)
    for number, (_direction, _text, wanted, _close) in enumerate(asked):
        pair = found[number // 2]
        hits[min(int(similarity(pair) * 10), 9) / 10].append(int(wanted in ids[number]))
    return [
        [f"{low:.1f}-{low + 0.1:.1f}", len(got), f"{sum(got) / len(got):.3f}"]
        for low, got in sorted(hits.items())
    ]


def queries(found: list[Pair]) -> list[tuple[str, str, str, bool]]:
    """(direction, query text, wanted id, close) for every pair, both ways."""
    out: list[tuple[str, str, str, bool]] = []
    for pair in found:
        close = is_close(pair)
        out.append((f"{pair.script} -> Latin", pair.other, pair.latin_id, close))
        out.append((f"Latin -> {pair.script}", pair.latin, pair.other_id, close))
    return out


def phase_threadline(jsonl: Path, data_dir: Path, texts: list[str]) -> dict[str, Any]:
    """Ingest through the facade, then run every query through `Workbench.search`."""
    from threadline.app.workbench import Workbench

    fresh_dir(data_dir)
    with Workbench(data_dir=data_dir) as workbench:
        started = time.perf_counter()
        workbench.ingest([jsonl], dataset=DATASET)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        ids = [[hit.id for hit in workbench.search(t, limit=LIMIT).hits] for t in texts]
        return {"ids": ids, "ingest_s": ingest_s, "query_s": time.perf_counter() - started}


def phase_raw(jsonl: Path, folder: Path, texts: list[str]) -> dict[str, Any]:
    """The anchor: raw tantivy, fuzzy terms on the name field."""
    import _rawtantivy

    fresh_dir(folder)
    _rawtantivy.build(jsonl, folder, DATASET)
    raw = _rawtantivy.RawSearch(folder)
    return {"ids": [raw.search(t, limit=LIMIT, facets=False) for t in texts]}


def recall_rows(
    asked: list[tuple[str, str, str, bool]], results: dict[str, list[list[str]]]
) -> list[list[object]]:
    """Per direction: pairs, recall@10 of each engine, and on the close pairs."""
    hits: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    for number, (direction, _text, wanted, close) in enumerate(asked):
        for engine, ids in results.items():
            hits[direction, engine, close].append(int(wanted in ids[number]))
    rows: list[list[object]] = []
    for direction in dict.fromkeys(q[0] for q in asked):
        row: list[object] = [direction]
        for subset in (None, True):
            for engine in results:
                got = [
                    v
                    for c in (True, False)
                    for v in hits[direction, engine, c]
                    if subset in (None, c)
                ]
                row.append(f"{sum(got) / len(got):.3f}" if got else "-")
        counts = [len(hits[direction, "threadline", c]) for c in (True, False)]
        rows.append([*row[:1], sum(counts), counts[0], *row[1:]])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--background", type=int, default=100_000)
    args = parser.parse_args(argv)
    work = fresh_dir(WORK_DIR / "cross_script")
    header("Cross-script search: recall@10 through Workbench.search", snapshot_threadline(work))
    found = pairs()
    asked = queries(found)
    texts = [q[1] for q in asked]
    jsonl = work / "entities.jsonl"
    write_corpus(jsonl, found, args.background)
    print(f"{len(found)} country-script pairs from rigour's territory names (Wikidata), ")
    print(f"{len(asked)} queries, among {args.background:,} generated background entities\n")
    ours = in_child(phase_threadline, jsonl, work / "data", texts)
    raw = in_child(phase_raw, jsonl, work / "raw", texts)
    results = {"threadline": ours["ids"], "raw tantivy": raw["ids"]}
    headers = [
        "direction",
        "pairs",
        "close pairs",
        "threadline",
        "raw tantivy",
        "threadline (close)",
        "raw tantivy (close)",
    ]
    rows = recall_rows(asked, results)
    print(table(headers, rows))
    print("\nthreadline's recall@10 by similarity of the pair after transliteration:\n")
    print(table(["similarity", "queries", "recall@10"], bucket_rows(found, asked, ours["ids"])))
    print(
        f"\nthreadline: ingest {ours['ingest_s']:.1f} s, {len(texts)} queries "
        f"{ours['query_s']:.1f} s; load after the run: {load()}\n"
    )
    for label, column in (("close pairs", 5), ("all pairs", 3)):
        failed = [
            str(row[0])
            for row in rows
            if any(s in str(row[0]) for s in GOAL_SCRIPTS) and float(str(row[column])) < GOAL
        ]
        goal = f"recall@10 >= {GOAL} for {' and '.join(GOAL_SCRIPTS)}, both ways, {label}"
        print(f"goal ({goal}): {'PASS' if not failed else 'FAIL: ' + ', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
