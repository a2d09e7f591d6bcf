"""A common name's block is too big to pair whole; its sorted neighbourhood still pairs
each record with the next few by place, so a prolific inventor's mentions chain."""

from __future__ import annotations

from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve.blocking import NAME_WINDOW, RULES
from threadline.resolve.prepare import prepare


def _pairs(rows: list[dict[str, object]]) -> set[tuple[str, str]]:
    engine = DuckDBEngine()
    try:
        table = prepare(rows)
        engine.load(table)
        engine.candidates(RULES[:1])  # same first and last name only
        ids = table.column("id").to_pylist()
        found = engine.conn.execute("SELECT a, b FROM pairs").fetchall()
        return {(ids[a], ids[b]) for a, b in found}
    finally:
        engine.close()


def _person(n: int, city: str) -> dict[str, object]:
    return {"id": f"p{n:03d}", "dataset": "d", "schema": "Person", "name": "Junyi Li",
            "first_name": "Junyi", "last_name": "Li", "city": city}  # fmt: skip


def test_a_big_block_pairs_each_record_with_its_neighbours_by_place() -> None:
    # 60 mentions of one name in two cities, interleaved in id order.
    rows = [_person(n, "Chester" if n % 2 else "Bedminster") for n in range(60)]
    pairs = _pairs(rows)
    assert len(pairs) == 60 * NAME_WINDOW - NAME_WINDOW * (NAME_WINDOW + 1) // 2
    city = {r["id"]: r["city"] for r in rows}
    # Neighbours by place: no pair crosses the cities but the one at the seam.
    assert sum(city[a] != city[b] for a, b in pairs) <= NAME_WINDOW * (NAME_WINDOW + 1) // 2
    assert all(a < b for a, b in pairs)


def test_a_small_block_pairs_whole() -> None:
    pairs = _pairs([_person(n, "Chester") for n in range(5)])
    assert len(pairs) == 10
