"""The documented rules' rulings on pairs explained apart from a resolution run.

`explain` and screening score a pair of two prepared records outside the run that
counted names and addresses; they hand in those counts, and `priors.apply` says how far
its rules moved the pair's learned weight, and which rule did. `explain_pairs` rules on
many pairs at once (a screened list: one `apply` for the batch); each pair reads exactly
as `explain_pair` would read it on its own two-row table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from threadline.resolve.model import Model
from threadline.resolve.namegroups import name_groups
from threadline.resolve.priors import Records, apply, describe, name_codes
from threadline.resolve.thresholds import Thresholds

Ruling = tuple[float, str] | None  # (weight the rules added, the rule), or None


def explain_pair(
    model: Model,
    thresholds: Thresholds,
    table: pa.Table,
    levels: Sequence[int],
    total: float,
    name_count: int | None,
    one_company: bool | None = None,
    address_count: int | None = None,
) -> Ruling:
    """For `explain`: how much the rules moved a pair of two prepared records (rows 0
    and 1 of `table`) from `total`, and which rule did; None if none did. `name_count`
    is how many records of the last run held the pair's name (None: unknown), and
    `one_company` whether they can all be one company (namegroups.py; None: unknown,
    told from the pair alone where only the two hold the name), and `address_count` how
    many held the left record's street address (None: unknown, and not rare)."""
    return explain_pairs(
        model,
        thresholds,
        table,
        np.array([levels], dtype=np.int8),
        [total],
        [name_count],
        [one_company],
        [address_count],
    )[0]


def explain_pairs(
    model: Model,
    thresholds: Thresholds,
    table: pa.Table,
    levels: npt.NDArray[np.int8],
    totals: Sequence[float],
    name_counts: Sequence[int | None],
    one_company: Sequence[bool | None] | None = None,
    address_counts: Sequence[int | None] | None = None,
) -> list[Ruling]:
    """`explain_pair` for pairs stacked in one table (pair n is rows 2n and 2n + 1,
    `levels[n]` its comparison levels, `totals[n]` its learned weight), with the counts
    per pair."""
    size = len(totals)
    if not size:
        return []
    companies = list(one_company) if one_company is not None else [None] * size
    addresses = list(address_counts) if address_counts is not None else [None] * size
    codes = name_codes(table)
    # Unknown counts are told from the pair alone: a record's name is held by one of
    # the two, or by both.
    same = np.repeat(codes[0::2] == codes[1::2], 2)
    within = np.where(codes >= 0, 1 + same, 0)
    known = np.repeat([c is not None for c in name_counts], 2)
    counts = np.where(known, np.repeat([c or 0 for c in name_counts], 2), within)
    # Whether a name's records can be one company: given, or not where more than the two
    # hold it, or else told from the pair (its codes offset so no group spans pairs).
    asked = np.array(
        [c is None and (k is None or k == 2) for c, k in zip(companies, name_counts, strict=True)]
    )
    alike = np.array([bool(c) for c in companies], dtype=bool)
    if asked.any():
        pair = np.repeat(np.arange(size, dtype=np.int64), 2)
        offset = np.where(
            (codes >= 0) & np.repeat(asked, 2), pair * (int(codes.max()) + 1) + codes, -1
        )
        grouped = name_groups(table, offset)
        alike[asked] = grouped[0::2][asked]
    records = Records.from_table(
        table,
        counts.tolist(),
        np.repeat(alike, 2).tolist(),
        np.repeat([a or 0 for a in addresses], 2).tolist(),
    )
    first = np.arange(0, 2 * size, 2, dtype=np.int64)
    learned = np.array(totals, dtype=np.float64)
    decided = apply(model, thresholds, records, first, first + 1, levels, learned)
    rulings: list[Ruling] = []
    for n in range(size):
        text = describe(int(decided.reason[n]))
        rulings.append(None if text is None else (float(decided.weight[n]) - totals[n], text))
    return rulings
