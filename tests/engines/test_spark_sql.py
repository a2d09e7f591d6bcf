"""Generated DuckDB-style statements become Spark actions (no Spark needed)."""

from __future__ import annotations

import pytest

from threadline.engines.spark_sql import Statement, parse, spark_query
from threadline.resolve.blocking import RULES
from threadline.resolve.sql import candidates_sql


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "CREATE OR REPLACE TEMPORARY TABLE found AS SELECT 1 AS a",
            Statement("create", "found", "SELECT 1 AS a", temporary=True),
        ),
        (
            "CREATE OR REPLACE TABLE pairs AS SELECT a FROM found GROUP BY a",
            Statement("create", "pairs", "SELECT a FROM found GROUP BY a"),
        ),
        ("INSERT INTO found SELECT 2 AS a", Statement("insert", "found", "SELECT 2 AS a")),
        ("DROP TABLE found", Statement("drop", "found", "")),
        (
            "SELECT unnest(name_sks) AS k0 FROM rec",
            Statement("query", None, "SELECT explode(name_sks) AS k0 FROM rec"),
        ),
    ],
)
def test_statements(sql: str, expected: Statement) -> None:
    assert parse(sql) == expected


def test_every_generated_candidate_statement_is_understood() -> None:
    statements = [
        parse(s) for s in candidates_sql(RULES, link_only=False, new_only=True, max_block=50)
    ]
    assert [s.action for s in statements[:1]] == ["create"]
    assert {s.action for s in statements} == {"create", "insert", "drop"}
    assert not any("unnest(" in s.query for s in statements)


def test_column_names_holding_unnest_are_kept() -> None:
    assert spark_query("SELECT l.unnested FROM rec l") == "SELECT l.unnested FROM rec l"
