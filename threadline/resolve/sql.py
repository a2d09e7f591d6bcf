"""SQL generation for candidates, comparison levels and random samples.

The engine executes these statements over a table `rec` of prepared records (see
prepare.COLUMNS, plus a boolean `new` for incremental runs); nothing here runs SQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from threadline.resolve.blocking import SWAPPED_RULE, BlockingRule
from threadline.resolve.comparisons import Comparison
from threadline.resolve.dialect import Dialect


def _keys(rule: BlockingRule, max_block: int) -> str:
    partition = ", ".join(f"k{i}" for i in range(len(rule.columns)))
    return (
        f"(SELECT * FROM (SELECT rid, dataset, kind, new, {rule.key_select()} FROM rec"
        f" WHERE {rule.key_filter()}) QUALIFY count(*) OVER (PARTITION BY {partition})"
        f" <= {max_block})"
    )


def candidates_sql(
    rules: Sequence[BlockingRule], *, link_only: bool, new_only: bool, max_block: int
) -> str:
    """CREATE the table `pairs(a, b, rule)`: each candidate pair once, a < b, with the
    first rule that found it."""
    selects = []
    for number, rule in enumerate(rules):
        width = len(rule.columns)
        if number == SWAPPED_RULE:
            on = ["l.k0 = r.k1", "l.k1 = r.k0", "l.k0 <> l.k1"]
        else:
            on = [f"l.k{i} = r.k{i}" for i in range(width)]
        on += ["l.rid < r.rid", "l.kind = r.kind"]
        if link_only:
            on.append("l.dataset <> r.dataset")
        if new_only:
            on.append("(l.new OR r.new)")
        keys = _keys(rule, max_block)
        selects.append(
            f"SELECT l.rid AS a, r.rid AS b, {number} AS rule FROM {keys} l"
            f" JOIN {keys} r ON {' AND '.join(on)}"
        )
    union = " UNION ALL ".join(selects)
    return (
        f"CREATE OR REPLACE TABLE pairs AS SELECT a, b, min(rule)::TINYINT AS rule"
        f" FROM ({union}) GROUP BY a, b"
    )


def gammas_sql(
    comparisons: Sequence[Comparison],
    dialect: Dialect,
    pairs: str,
    rules: Sequence[BlockingRule] = (),
) -> str:
    """SELECT a, b, rule, one level column per comparison, and one flag `r<i>` per given
    rule (whether the pair agrees on that rule's keys), for every pair in `pairs`."""
    levels = ", ".join(f"({c.sql(dialect)})::TINYINT AS {c.name}" for c in comparisons)
    flags = "".join(
        f", ({' AND '.join(f'l.{c} = r.{c}' for c in rule.columns)}) AS r{i}"
        for i, rule in enumerate(rules)
    )
    return (
        f"SELECT p.a, p.b, p.rule, {levels}{flags} FROM {pairs} p"
        " JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b ORDER BY p.a, p.b"
    )


def sample_sql(
    comparisons: Sequence[Comparison],
    dialect: Dialect,
    *,
    records: int,
    samples: int,
    seed: int,
    link_only: bool,
) -> str:
    """`keep` and the comparison levels of `samples` pseudo-random record pairs."""
    levels = ", ".join(f"({c.sql(dialect)})::TINYINT AS {c.name}" for c in comparisons)
    # The filter is returned as a column `keep` for the caller to apply: any condition
    # between l and r, even outside, becomes a join condition, a cross product.
    keep = "l.rid <> r.rid AND l.kind = r.kind"
    if link_only:
        keep += " AND l.dataset <> r.dataset"
    return (
        f"SELECT ({keep}) AS keep, {levels} FROM"
        f" (SELECT (hash(i, {seed}) % {records})::INTEGER AS a,"
        f" (hash(i, {seed + 1}) % {records})::INTEGER AS b FROM range({samples}) t(i)) p"
        " JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b"
    )
