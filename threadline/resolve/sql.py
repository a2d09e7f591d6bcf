"""SQL generation for candidates, comparison levels and random samples.

The engine executes these statements over a table `rec` of prepared records (see
prepare.COLUMNS, plus a boolean `new` for incremental runs); nothing here runs SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from threadline.resolve.blocking import SWAPPED_RULE, BlockingRule
from threadline.resolve.comparisons import Comparison, repeated
from threadline.resolve.dialect import Dialect
from threadline.resolve.schemas import compatible_sql


def _keys(rule: BlockingRule, size: str, ordered: bool = False) -> str:
    """The records' keys under `rule`, in blocks whose record count passes `size`
    ("<= 8"); `ordered` adds `pos`, each record's place in its block by `rule.order`
    (keys are unnested first: DuckDB allows no window function beside an unnest)."""
    partition = ", ".join(f"k{i}" for i in range(len(rule.columns)))
    orders = "".join(f", {c} AS o{i}" for i, c in enumerate(rule.order)) if ordered else ""
    position = ""
    if ordered:
        by = ", ".join([*(f"o{i} NULLS LAST" for i in range(len(rule.order))), "rid"])
        position = f", row_number() OVER (PARTITION BY {partition} ORDER BY {by}) AS pos"
    return (
        f"(SELECT *{position} FROM (SELECT rid, dataset, kind, schema, new{orders},"
        f" {rule.key_select()} FROM rec WHERE {rule.key_filter()})"
        f" QUALIFY count(*) OVER (PARTITION BY {partition}) {size})"
    )


def _window_sql(rule: BlockingRule, number: int, limit: int, on: list[str]) -> str:
    """Pairs of the blocks over `limit` records: each record and the next `rule.window`
    in the block, ordered by `rule.order` (a sorted neighbourhood)."""
    big = _keys(rule, f"> {limit}", ordered=True)
    near = [*on, f"r.pos BETWEEN l.pos + 1 AND l.pos + {rule.window}"]
    return (
        f"SELECT least(l.rid, r.rid) AS a, greatest(l.rid, r.rid) AS b, {number} AS rule"
        f" FROM {big} l JOIN {big} r ON {' AND '.join(near)}"
    )


def candidates_sql(
    rules: Sequence[BlockingRule], *, link_only: bool, new_only: bool, max_block: int
) -> list[str]:
    """Statements that CREATE the table `pairs(a, b, rule)`: each candidate pair once,
    a < b, with the first rule that found it.

    Each rule's pairs are found by a statement of their own into a scratch table, so
    that a rule whose join runs out of the engine's memory limit is run again alone,
    not with every other rule (on PatentsView, "last name, initial and city" did).
    """
    selects = []
    for number, rule in enumerate(rules):
        width = len(rule.columns)
        if number == SWAPPED_RULE:
            on = ["l.k0 = r.k1", "l.k1 = r.k0", "l.k0 <> l.k1"]
        else:
            on = [f"l.k{i} = r.k{i}" for i in range(width)]
        on += [rule.kind_join("l", "r"), compatible_sql()]
        if link_only:
            on.append("l.dataset <> r.dataset")
        if new_only:
            on.append("(l.new OR r.new)")
        limit = min(max_block, rule.max_block or max_block)
        keys = _keys(rule, f"<= {limit}")
        selects.append(
            f"SELECT l.rid AS a, r.rid AS b, {number} AS rule FROM {keys} l"
            f" JOIN {keys} r ON {' AND '.join(['l.rid < r.rid', *on])}"
        )
        if rule.window and number != SWAPPED_RULE:
            selects.append(_window_sql(rule, number, limit, on))
    first, *rest = selects
    return [
        f"CREATE OR REPLACE TEMPORARY TABLE found AS {first}",
        *(f"INSERT INTO found {select}" for select in rest),
        "CREATE OR REPLACE TABLE pairs AS SELECT a, b, min(rule)::TINYINT AS rule"
        " FROM found GROUP BY a, b",
        "DROP TABLE found",
    ]


# Name parts that trade places when a record writes the family name first.
SWAPS = {
    "first": "last",
    "last": "first",
    "first_sk": "last_sk",
    "last_sk": "first_sk",
    "initial": "last_initial",
    "last_initial": "initial",
    "nicks": "last_nicks",
    "last_nicks": "nicks",
    "first_tf": "last_tf",
    "last_tf": "first_tf",
}
# Term frequencies of names that agree exactly: a rare shared name is stronger evidence.
TF_COLUMNS = ("first", "last", "email", "ident")
_REF = re.compile(r"\b([lr])\.(\w+)")


# The four name similarities the swap test weighs, over the records as joined; with
# the name parts swapped, the first and last names' own similarities are two of them.
_NAME_JW = {"ff": ("first", "first"), "ll": ("last", "last"),
            "fl": ("first", "last"), "lf": ("last", "first")}  # fmt: skip
_ORIENTED_JW = {"jw_first": ("ff", "fl"), "jw_last": ("ll", "lf")}  # (as is, swapped)


# Whether the right record's names line up better swapped (over _NAME_JW's columns).
_SWAP_TEST = (
    "coalesce((coalesce(o.jw_fl, 0) + coalesce(o.jw_lf, 0))"
    " > (coalesce(o.jw_ff, 0) + coalesce(o.jw_ll, 0) + 0.05), false)"
)


def oriented_sql(
    columns: Sequence[str],
    dialect: Dialect,
    pairs: str,
    shared: Mapping[str, str] | None = None,
) -> str:
    """Pairs with both records' columns as l_<name> and r_<name>; the right record's
    name parts are swapped when that lines its names up better with the left's.

    Each side's record is joined once: the swap test is computed beside the columns
    and applied in the select above (joining `rec` again per side to apply it doubled
    the scoring's joins, its largest operators after the level expressions). `shared`
    (comparisons.repeated, over `l` and `r`) are computed once per pair as columns of
    their names: the given and family names' Jaro-Winkler from the swap test's own
    (as the pair is oriented), the others, which read no swapped column, beside it."""
    shared = dict(shared or {})
    wanted = list(dict.fromkeys([*columns, *(SWAPS[c] for c in columns if c in SWAPS)]))
    both = ", ".join(f"l.{c} AS l_{c}, r.{c} AS r_{c}" for c in wanted)
    similar = "".join(
        f", {dialect.jaro_winkler(f'l.{x}', f'r.{y}')} AS jw_{pair}"
        for pair, (x, y) in _NAME_JW.items()
    )
    outside = "".join(f", {sql} AS {name}" for name, sql in shared.items()
                      if name not in _ORIENTED_JW)  # fmt: skip
    sw = _SWAP_TEST
    left = ", ".join(f"o.l_{c}" for c in columns)
    right = ", ".join(
        f"CASE WHEN {sw} THEN o.r_{SWAPS[c]} ELSE o.r_{c} END AS r_{c}"
        if c in SWAPS
        else f"o.r_{c}"
        for c in columns
    )
    hoisted = ""
    for name in shared:
        if name in _ORIENTED_JW:
            same, swapped = _ORIENTED_JW[name]
            hoisted += f", CASE WHEN {sw} THEN o.jw_{swapped} ELSE o.jw_{same} END AS {name}"
        else:
            hoisted += f", o.{name}"
    return (
        f"SELECT o.a, o.b, o.rule, {left}, {right}{hoisted} FROM"
        f" (SELECT p.a, p.b, p.rule, {both}{similar}{outside} FROM {pairs} p"
        " JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b) o"
    )


def _hoist(levels: str, dialect: Dialect, oriented: bool) -> tuple[str, dict[str, str]]:
    """`levels` (over q.l_<c> and q.r_<c>) with each `comparisons.repeated` expression
    it holds read from a column `q.<name>` instead; and those expressions (over `l` and
    `r`), by name. The longest first, so that none is taken apart by a shorter one
    inside it. Where the pair is `oriented` (oriented_sql), an expression that reads a
    column the swap moves is left in place, but for the names' own similarities."""
    hoisted: dict[str, str] = {}
    found = sorted(repeated(dialect).items(), key=lambda item: -len(item[1]))
    for name, sql in found:
        if oriented and name not in _ORIENTED_JW and _reads(sql) & SWAPS.keys():
            continue
        text = _flat(sql)
        if text in levels:
            levels = levels.replace(text, f"q.{name}")
            hoisted[name] = sql
    return levels, hoisted


def _reads(sql: str) -> set[str]:
    """The record columns an expression over `l` and `r` reads."""
    return {found.group(2) for found in _REF.finditer(sql)}


def _flat(sql: str) -> str:
    """Comparison SQL over l.<c>/r.<c> rewritten for the oriented rows' l_<c>/r_<c>."""
    return _REF.sub(lambda m: f"q.{m.group(1)}_{m.group(2)}", sql)


def _agrees(rule: BlockingRule, dialect: Dialect) -> str:
    """Whether an oriented pair agrees on a rule's keys (a list key: any value in
    common) and both records are of the rule's kinds."""
    kinds = ", ".join(f"'{k}'" for k in rule.kinds)
    keys = " AND ".join(
        dialect.overlap(f"q.l_{c}", f"q.r_{c}") if c == rule.unnest else f"q.l_{c} = q.r_{c}"
        for c in rule.columns
    )
    return f"coalesce(q.l_kind IN ({kinds}) AND q.r_kind IN ({kinds}) AND {keys}, false)"


def gammas_sql(
    comparisons: Sequence[Comparison],
    dialect: Dialect,
    pairs: str,
    rules: Sequence[BlockingRule] = (),
    columns: Sequence[str] = (),
) -> str:
    """SELECT a, b, rule, one level column per comparison, and one flag `r<i>` per given
    rule (whether the pair agrees on that rule's keys), for every pair in `pairs`."""
    levels = ", ".join(f"({_flat(c.sql(dialect))})::TINYINT AS {c.name}" for c in comparisons)
    levels, shared = _hoist(levels, dialect, oriented=True)
    flags = "".join(f", {_agrees(rule, dialect)} AS r{i}" for i, rule in enumerate(rules))
    tf = "".join(
        f", CASE WHEN q.l_{c} = q.r_{c} THEN greatest(q.l_{c}_tf, q.r_{c}_tf)"
        f" ELSE 'NaN'::DOUBLE END AS tf_{c}"
        for c in TF_COLUMNS
        if f"{c}_tf" in columns
    )
    return (
        f"SELECT q.a, q.b, q.rule, {levels}{flags}{tf}"
        f" FROM ({oriented_sql(columns, dialect, pairs, shared)}) q"
        " ORDER BY q.a, q.b"
    )


def sample_sql(
    comparisons: Sequence[Comparison],
    dialect: Dialect,
    *,
    records: int,
    samples: int,
    seed: int,
    link_only: bool,
    kinds: Sequence[str] = (),
) -> str:
    """`keep` and the comparison levels of `samples` pseudo-random record pairs; with
    `kinds`, pairs of records of those kinds only (a few hundred companies among a
    million people would otherwise give organisation names a handful of pairs)."""
    levels = ", ".join(f"({c.sql(dialect)})::TINYINT AS {c.name}" for c in comparisons)
    read = sorted(_reads(levels))
    levels, shared = _hoist(_flat(levels), dialect, oriented=False)
    # The pairs' columns, and the hoisted expressions, in a select below the levels.
    columns = "".join(f", l.{c} AS l_{c}, r.{c} AS r_{c}" for c in read)
    columns += "".join(f", {sql} AS {name}" for name, sql in shared.items())
    # The filter is returned as a column `keep` for the caller to apply: any condition
    # between l and r, even outside, becomes a join condition, a cross product.
    keep = "l.rid <> r.rid AND l.kind = r.kind"
    if link_only:
        keep += " AND l.dataset <> r.dataset"
    if not kinds:
        return (
            f"SELECT q.keep, {levels} FROM (SELECT ({keep}) AS keep{columns} FROM"
            f" (SELECT (hash(i, {seed}) % {records})::INTEGER AS a,"
            f" (hash(i, {seed + 1}) % {records})::INTEGER AS b FROM range({samples}) t(i)) p"
            " JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b) q"
        )
    listed = ", ".join(f"'{k}'" for k in kinds)
    chosen = (
        "SELECT rid, (row_number() OVER (ORDER BY rid) - 1)::INTEGER AS n,"
        f" count(*) OVER () AS size FROM rec WHERE kind IN ({listed})"
    )
    draws = (
        f"SELECT (hash(i, {seed}) % k.size)::INTEGER AS a,"
        f" (hash(i, {seed + 1}) % k.size)::INTEGER AS b"
        f" FROM range({samples}) t(i), (SELECT max(size) AS size FROM k) k"
    )
    return (
        f"WITH k AS ({chosen}) SELECT q.keep, {levels} FROM"
        f" (SELECT ({keep}) AS keep{columns} FROM ({draws}) p"
        " JOIN k ka ON ka.n = p.a JOIN k kb ON kb.n = p.b"
        " JOIN rec l ON l.rid = ka.rid JOIN rec r ON r.rid = kb.rid) q"
    )


# Records per dataset and kind, for the model's "too few to learn" checks; the same
# SQL on every engine (a kind's sizes in dataset order).
DATASET_SIZES_SQL = "SELECT kind, count(*) FROM rec GROUP BY kind, dataset ORDER BY kind, dataset"


def sizes_by_kind(rows: Iterable[Sequence[Any]]) -> dict[str, list[int]]:
    """The rows of `DATASET_SIZES_SQL` as {kind: [records of each dataset]}."""
    sizes: dict[str, list[int]] = {}
    for kind, size in rows:
        sizes.setdefault(str(kind), []).append(int(size))
    return sizes


def nesting_sql(finer: str, coarser: str) -> str:
    """SELECT (records, share): of the records having both columns, how many there are
    and the share whose `coarser` value is the most common one for their `finer` value
    (near 1 where postcodes lie in one city, far lower where fields were drawn apart)."""
    return (
        f"WITH g AS (SELECT {finer} AS f, {coarser} AS c, count(*) AS n FROM rec"
        f" WHERE {finer} IS NOT NULL AND {coarser} IS NOT NULL GROUP BY 1, 2),"
        " t AS (SELECT f, sum(n) AS n, max(n) AS top FROM g GROUP BY f)"
        " SELECT coalesce(sum(n), 0), coalesce(sum(top) / sum(n), 1.0) FROM t"
    )
