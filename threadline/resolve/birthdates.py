"""One person, one birth date: a constraint on clusters where birth dates are reliable.

A strong link between two records can still be wrong: two people of one common name who
share an e-mail address made from it, say. Their other records often carry full birth
dates that plainly differ. Where the data's birth dates are reliable, two clusters whose
full dates all conflict (beyond one typo or a day and month swapped) are never joined.

Reliable means: of the candidate pairs that share an identifier (nearly all the same
person, whatever their dates say), hardly any have conflicting dates. Reference data
whose dates were corrupted at random (Febrl, about 5% conflicts) is left unconstrained.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from threadline.resolve.comparisons import COMPARISONS

DateArray = npt.NDArray[np.int32]  # YYYYMMDD per record, 0 where no full date

# Fewer identifier-sharing pairs with dates than this say nothing: dates are trusted.
CHECK_PAIRS = 50
# Reliable where fewer than this share of identifier-sharing pairs have conflicting dates.
CONFLICT_SHARE = 0.01


def full_dates(dob: pa.ChunkedArray | pa.Array) -> DateArray:
    """The prepared `dob` column (digits, maybe partial) as YYYYMMDD numbers, 0 for a
    missing or partial date."""
    full = pc.if_else(pc.equal(pc.utf8_length(dob), 8), dob, None)
    numbers = pc.cast(full, pa.int32())
    result: DateArray = np.asarray(pc.fill_null(numbers, 0).to_numpy(), dtype=np.int32)
    return result


def reliable(levels: npt.NDArray[np.int8]) -> tuple[bool, int, float]:
    """(reliable, pairs checked, conflict share) from candidate pairs' levels."""
    names = [c.name for c in COMPARISONS]
    ident, dob = levels[:, names.index("identifier")], levels[:, names.index("birth_date")]
    checked = (ident == COMPARISONS[names.index("identifier")].size - 1) & (dob >= 0)
    count = int(checked.sum())
    share = float((dob[checked] == 0).mean()) if count else 0.0
    return count < CHECK_PAIRS or share < CONFLICT_SHARE, count, share


def compatible(x: int, y: int) -> bool:
    """Whether two full dates may be one person's: equal, one digit wrong, two
    neighbouring digits swapped, or day and month swapped."""
    if x == y:
        return True
    a, b = f"{x:08d}", f"{y:08d}"
    if a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]:
        return True
    wrong = [i for i in range(8) if a[i] != b[i]]
    if len(wrong) == 1:
        return True
    first, *rest = wrong
    return rest == [first + 1] and a[first] == b[first + 1] and a[first + 1] == b[first]


def conflict(left: Iterable[int], right: Iterable[int]) -> bool:
    """Whether two sets of full dates (0s left out) cannot be one person's: both have
    dates and no date of one is compatible with any of the other."""
    xs = [x for x in left if x]
    ys = [y for y in right if y]
    return bool(xs and ys) and not any(compatible(x, y) for x in xs for y in ys)


def pair_conflicts(dates: DateArray, a: Sequence[int], b: Sequence[int]) -> npt.NDArray[np.bool_]:
    """Per pair (a[i], b[i]) of records: whether their full dates conflict."""
    da, db = dates[np.asarray(a, dtype=np.int64)], dates[np.asarray(b, dtype=np.int64)]
    found = np.zeros(len(da), dtype=bool)
    for i in np.flatnonzero((da != 0) & (db != 0) & (da != db)).tolist():
        found[i] = not compatible(int(da[i]), int(db[i]))
    return found
