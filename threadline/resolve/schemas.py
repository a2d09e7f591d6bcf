"""Schema compatibility: which FtM schemata may describe the same thing.

The rules are followthemoney's own (`Schema.can_match`, built from each schema's
`matchable` flag and its place in the hierarchy): a LegalEntity can be the same as a
Person or a Company, a Person never the same as a Company. Candidate generation only
pairs compatible records, and scoring refuses an incompatible pair outright, so a pair
stored by an older run cannot merge either. A record without a schema (a batch of plain
match records) is compatible with records of its own kind only.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from followthemoney import model

from threadline.resolve.extract import MATCHED_SCHEMATA
from threadline.resolve.prepare import ORG_SCHEMATA, PERSON_SCHEMATA

# Every schema a prepared record may carry.
RESOLVED = MATCHED_SCHEMATA | ORG_SCHEMATA | PERSON_SCHEMATA
_SEP = "|"


@cache
def can_match(left: str | None, right: str | None) -> bool:
    """Whether records of these two schemata may be the same entity (None: unknown)."""
    if left is None or right is None or left == right:
        return True
    a, b = model.get(left), model.get(right)
    if a is None or b is None:
        return False
    return bool(a.can_match(b) and b.can_match(a))


def compatible_pairs(schemata: Iterable[str]) -> list[tuple[str, str]]:
    """Ordered pairs of distinct known schemata that can match, among `schemata`."""
    names = sorted(set(schemata))
    return [(a, b) for a in names for b in names if a != b and can_match(a, b)]


def compatible_sql(schemata: Iterable[str] = RESOLVED, left: str = "l", right: str = "r") -> str:
    """A SQL condition: the two sides' schemata may match (either unknown counts as
    compatible here; kinds keep schema-less records apart)."""
    pairs = compatible_pairs(schemata)
    listed = ", ".join(f"'{a}{_SEP}{b}'" for a, b in pairs)
    same = f"{left}.schema IS NULL OR {right}.schema IS NULL OR {left}.schema = {right}.schema"
    if not listed:
        return f"({same})"
    return f"({same} OR concat({left}.schema, '{_SEP}', {right}.schema) IN ({listed}))"
