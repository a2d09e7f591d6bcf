"""Bulk ingest keeps the statements: cached cleaning maps as followthemoney does, and the
SQLite store's sorted write stores what batch-by-batch writing stored; the bulk statement rows
are followthemoney's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.statement import Statement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.ingest.cleaning import cache_cleaning
from threadline.model.statement import BASE_PROP, RawRow, entity_statements, raw_statements
from threadline.store.sql import SQLStore

QUERY: dict[str, Any] = {
    "csv_url": "unused.csv",
    "entities": {
        "party": {
            "schema": "Organization",
            "keys": ["party"],
            "properties": {"name": {"column": "party"}, "country": {"column": "country"}},
        },
        "donor": {
            "schema": "Person",
            "keys": ["donor", "born"],
            "properties": {
                "name": {"column": "donor"},
                "country": {"column": "country"},
                "birthDate": {"column": "born", "format": "%d/%m/%Y"},
                "phone": {"column": "phone"},
                "email": {"column": "email"},
            },
        },
        "address": {
            "schema": "Address",
            "keys": ["street"],
            "properties": {
                "full": {"template": "{{street}}, {{city}}"},
                "city": {"column": "city"},
            },
        },
        "payment": {
            "schema": "Payment",
            "keys": ["id"],
            "properties": {
                "payer": {"entity": "donor"},
                "beneficiary": {"entity": "party"},
                "amount": {"column": "amount"},
                "date": {"column": "born"},
                "summary": {"columns": ["donor", "party"], "join": " / "},
                "programme": {"column": "tags", "split": ";"},
            },
        },
    },
}

# Values that repeat, values followthemoney rejects ("xx", "soon"), spaces to strip,
# control characters and non-Latin script: each is cleaned once and then remembered.
records = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.integers(0, 20).map(str),
            "party": st.sampled_from(["Greens", " Liberals ", "Зелёные", ""]),
            "donor": st.sampled_from(["Ann Lee", "Bob\u200b Roe", "Зоя Ким", "  ", ""]),
            "country": st.sampled_from(["de", "Germany", "xx", "FRANCE", ""]),
            "born": st.sampled_from(["01/02/1990", "1990-02-01", "soon", "31/02/1990", ""]),
            "phone": st.sampled_from(["+49 30 1234567", "12345", ""]),
            "email": st.sampled_from(["a@b.de", "not mail", ""]),
            "street": st.sampled_from(["1 Main St", "Hauptstr. 2\x07", ""]),
            "city": st.sampled_from(["Berlin", "Zürich", ""]),
            "amount": st.sampled_from(["1,000.50", "7", ""]),
            "tags": st.sampled_from(["a;b", "b; a", ";", ""]),
        }
    ).map(lambda r: {k: v for k, v in r.items() if v}),
    max_size=30,
)


def _statements(records: list[dict[str, str]], cached: bool) -> list[Any]:
    """Every statement of every entity mapped from the records, in order."""
    mapping = model.make_mapping(QUERY, key_prefix="test")
    if cached:
        cache_cleaning(mapping)
    out: list[Any] = []
    for line, record in enumerate(records):
        for entity in mapping.map(record).values():
            out.append(sorted(entity_statements(entity, "test", "f" * 64, line, "now")))
    return out


@settings(max_examples=60, deadline=None)
@given(records)
def test_cached_cleaning_maps_as_followthemoney(rows: list[dict[str, str]]) -> None:
    assert _statements(rows, cached=True) == _statements(rows, cached=False)


@settings(max_examples=60, deadline=None)
@given(records, st.sampled_from(["test", "Ünïcode.set"]))
def test_raw_statements_are_followthemoneys(rows: list[dict[str, str]], dataset: str) -> None:
    # The bulk path builds statement ids itself: they must be followthemoney's keys
    # (`Statement.make_key`), and the rows those of `entity_statements` but the id one.
    mapping = model.make_mapping(QUERY, key_prefix="test")
    for line, record in enumerate(rows):
        for entity in mapping.map(record).values():
            raw = raw_statements(entity, dataset, "f" * 64, line, "now")
            made = entity_statements(entity, dataset, "f" * 64, line, "now")
            assert raw == [tuple(r) for r in made if r.prop != BASE_PROP]
            for row in raw:
                key = Statement.make_key(dataset, row[0], row[3], row[5], False)
                assert row[1] == key


def test_cached_cleaning_reports_the_values_followthemoney_discards(caplog: Any) -> None:
    # The mapper turns these warnings into row errors (`ingest.mapper`): they must stay.
    record = {"id": "1", "donor": "Ann", "born": "soon", "country": "xx"}

    def discarded(cached: bool) -> list[str]:
        mapping = model.make_mapping(QUERY, key_prefix="test")
        if cached:
            cache_cleaning(mapping)
        said: list[str] = []
        for _ in range(2):  # cached: the second time from the cache
            caplog.clear()
            mapping.map(record)
            said += sorted(r.getMessage() for r in caplog.records if "unclean" in r.getMessage())
        return said

    plain = discarded(cached=False)
    assert len(plain) == 8  # two countries and two dates, twice
    assert discarded(cached=True) == plain


def _row(entity: str, value: str, dataset: str, seen: str, prop: str = "name") -> RawRow:
    statement = f"{dataset}.{entity}.{prop}.{value}"
    return (
        entity,
        statement,
        "Person",
        prop,
        "name",
        value,
        None,
        None,
        dataset,
        "s",
        1,
        seen,
        seen,
    )


batches = st.lists(
    st.lists(
        st.tuples(
            st.sampled_from(["e1", "e2", "e3"]),
            st.sampled_from(["Ann", "Bob"]),
            st.sampled_from(["one", "two"]),
            st.sampled_from(["name", "id"]),
        ),
        max_size=8,
    ),
    max_size=4,
)


def _stored(path: Path) -> tuple[list[tuple[Any, ...]], list[Any]]:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT * FROM statements ORDER BY entity_id, id").fetchall()
        stats = db.execute("SELECT * FROM dataset_counts ORDER BY dataset").fetchall()
        return rows, stats
    finally:
        db.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=batches, second=batches, stage_rows=st.sampled_from([1, 5, 1_000]))
def test_staged_write_keeps_first_provenance_and_last_seen(
    tmp_path_factory: Any, first: list[Any], second: list[Any], stage_rows: int
) -> None:
    """Two transactions of several batches, with repeats inside a batch, across batches
    and across transactions, moved in at once or in runs (`stage_rows`): the first row of a statement is stored, `last_seen` moves
    to the last, and the counts add up to what is stored."""
    path = tmp_path_factory.mktemp("staged") / "store.sqlite3"
    store = SQLStore(f"sqlite:///{path}", stage_rows=stage_rows)
    try:
        expected: dict[tuple[str, str], RawRow] = {}
        for when, transaction in (("t1", first), ("t2", second)):
            with store.writer() as writer:
                for number, batch in enumerate(transaction):
                    rows = [_row(e, v, d, f"{when}-{number}", p) for e, v, d, p in batch]
                    writer.add(rows)
                    for row in rows:
                        known = expected.get((row[0], row[1]))
                        expected[(row[0], row[1])] = (
                            row
                            if known is None
                            else (
                                *known[:12],
                                row[12],
                            )
                        )
        rows, stats = _stored(path)
        assert rows == sorted(expected.values())
        datasets = sorted({row[8] for row in rows})
        assert [s[0] for s in stats] == datasets
        for name, statements, entities, _sources in stats:
            mine = [row for row in rows if row[8] == name]
            assert statements == len(mine)
            assert entities == sum(1 for row in mine if row[3] == "id")
    finally:
        store.close()
