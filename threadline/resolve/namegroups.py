"""Name and address groups: whether the records holding one organisation name can be one
company, and how many records share one street address.

Registers keep company names distinct within their jurisdiction (Companies House refuses
a name already on its index; a German court register, one already used in the same
place). So when every record that holds an organisation name (the same words and legal
form) agrees wherever it says anything (one country, at most one postcode and one city,
and at most one identifier of each kind), nothing in the data tells two companies apart:
the records are one company, whether two records hold the name or five. A group where
two records differ (two registration numbers, two cities) holds at least two companies,
and a record of it that says nothing of its place could be either.

Counting records instead (a name held by two records is rare, by three is not) leaves
every third copy of a company in review: three datasets naming one company is common.
People are not covered: namesakes are common, and a person's name is no registered name.

An address is evidence in proportion to how few hold it: the same street, house number
and postcode held by a company's few records says more than a registered agent's
address, where thousands of companies are registered (`address_counts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from threadline.resolve.identifiers import identifier_shape

# A larger group is left to the learned weights and the other rules: a short generic
# name ("Holding GmbH") held by many records without a place proves nothing.
MAX_GROUP = 8
# The prepared columns a group's records must not disagree on.
PLACES = ("postcode", "city", "country")
# The prepared columns that make a full street address.
ADDRESS = ("street", "house", "postcode")


def name_groups(table: pa.Table, names: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """`consistent_groups` over a prepared table (see prepare.COLUMNS), with `names`
    its rows' name codes."""
    is_org = np.array([k != "person" for k in table.column("kind").to_pylist()], dtype=bool)
    if not (is_org & (names >= 0)).any():
        return np.zeros(len(names), dtype=bool)
    places = [table.column(c).to_pylist() for c in PLACES]
    return consistent_groups(names, is_org, table.column("idents").to_pylist(), places)


def consistent_groups(
    names: npt.NDArray[np.int64],
    is_org: npt.NDArray[np.bool_],
    idents: Sequence[Sequence[str] | None],
    places: Sequence[Sequence[str | None]],
) -> npt.NDArray[np.bool_]:
    """Per record, whether it is an organisation whose name group (records with the same
    name code, `names`; -1 for none) has 2 to `MAX_GROUP` members that never disagree:
    in each of `places` (columns such as postcode, city, country: one value per record,
    None for none) at most one value, and at most one identifier of each shape."""
    found = np.zeros(len(names), dtype=bool)
    held = is_org & (names >= 0)
    if not held.any():
        return found
    rows = np.flatnonzero(held)
    order = rows[np.argsort(names[rows], kind="stable")]
    codes = names[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if not 2 <= end - start <= MAX_GROUP:
            continue
        members = order[start:end].tolist()
        if _agree(members, idents, places):
            found[members] = True
    return found


def _agree(
    members: list[int],
    idents: Sequence[Sequence[str] | None],
    places: Sequence[Sequence[str | None]],
) -> bool:
    for column in places:
        if len({column[m] for m in members} - {None}) > 1:
            return False
    shapes: dict[str, str] = {}
    for m in members:
        for value in idents[m] or ():
            if value and shapes.setdefault(identifier_shape(value), value) != value:
                return False
    return True


def one_company(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Whether prepared records holding one organisation name (every record of the run
    that holds it: kind, idents and `PLACES`) can be one company."""
    names = np.zeros(len(rows), dtype=np.int64)
    is_org = np.array([r.get("kind") != "person" for r in rows], dtype=bool)
    idents = [r.get("idents") for r in rows]
    places = [[r.get(c) for r in rows] for c in PLACES]
    return bool(consistent_groups(names, is_org, idents, places).all())


def address_counts(table: pa.Table) -> npt.NDArray[np.int64]:
    """Per record, how many records hold its full street address (`ADDRESS`: street,
    house number and postcode); 0 where one of them is missing."""
    # Each part as its code among the part's distinct values (-1 for none), so a
    # million addresses are counted in NumPy, not as a million tuples.
    codes = np.stack(
        [
            pc.dictionary_encode(table.column(c).combine_chunks())
            .indices.fill_null(-1)
            .to_numpy(zero_copy_only=False)
            .astype(np.int64)
            for c in ADDRESS
        ],
        axis=1,
    )
    whole = (codes >= 0).all(axis=1)
    counts = np.zeros(len(codes), dtype=np.int64)
    if whole.any():
        _, inverse, tally = np.unique(codes[whole], axis=0, return_inverse=True, return_counts=True)
        counts[whole] = tally[inverse.reshape(-1)]
    return counts
