"""The generated resolution SQL as Spark runs it: statements split into what to do.

threadline.resolve.sql writes DDL the DuckDB way (CREATE OR REPLACE [TEMPORARY] TABLE,
INSERT INTO, DROP TABLE) and spells two functions DuckDB's way (`unnest`, `starts_with`). Spark 4 reads the rest
as written (QUALIFY, `::` casts, `range(n) t(i)`); the Spark engine materialises each
table itself (tables are Parquet files in its work folder), so a statement is parsed
here into an action, a table name and a query. Nothing here imports pyspark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Action = Literal["create", "insert", "drop", "query"]

_CREATE = re.compile(
    r"^\s*CREATE\s+OR\s+REPLACE\s+(TEMPORARY\s+)?TABLE\s+(\w+)\s+AS\s+(.*)$", re.I | re.S
)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s+(SELECT\b.*)$", re.I | re.S)
_DROP = re.compile(r"^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\w+)\s*$", re.I | re.S)
# DuckDB spellings the generated SQL still writes directly, not through the Dialect:
# `unnest(list)` in a SELECT list (blocking.py) and `starts_with` (comparisons.py).
_RENAMED = {"unnest": "explode", "starts_with": "startswith"}
_FUNCTION = re.compile(r"\b(" + "|".join(_RENAMED) + r")\(", re.I)


@dataclass(frozen=True)
class Statement:
    """One generated statement: what to do, with which table, from which query."""

    action: Action
    table: str | None
    query: str
    temporary: bool = False  # a scratch table (CREATE TEMPORARY TABLE)


def spark_query(sql: str) -> str:
    """A query of the generated SQL in Spark's spelling."""
    return _FUNCTION.sub(lambda found: _RENAMED[found.group(1).lower()] + "(", sql)


def parse(sql: str) -> Statement:
    """The action a generated statement asks for."""
    if found := _CREATE.match(sql):
        temporary = found.group(1) is not None
        return Statement("create", found.group(2), spark_query(found.group(3)), temporary)
    if found := _INSERT.match(sql):
        return Statement("insert", found.group(1), spark_query(found.group(2)))
    if found := _DROP.match(sql):
        return Statement("drop", found.group(1), "")
    return Statement("query", None, spark_query(sql))
