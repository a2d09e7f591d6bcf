"""The match frame: the flat, normalisable record that resolution compares.

Entities (followthemoney statements) and plain tables (benchmarks, bulk files) both become
rows of this shape before candidates are generated. Each field holds a string, a list of
strings, or None; lists stand for the several values an entity may carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# The fields the resolution engine understands, in column order.
FIELDS: tuple[str, ...] = (
    "id",  # unique record id (an entity id); required
    "dataset",  # the collection the record comes from; required
    "schema",  # followthemoney schema: Person, Company, Organization, LegalEntity, ...
    "name",  # full name(s) as written
    "first_name",
    "last_name",
    "birth_date",  # ISO date, possibly partial ("1970", "1970-03") or mistyped
    "identifier",  # registration numbers, tax ids, passport or social security numbers
    "address",  # full street address(es) as written
    "postcode",
    "city",
    "country",  # ISO 3166-1 alpha-2, or a country name
    "email",
    "phone",
)

Value = str | Sequence[str] | None
Row = Mapping[str, Value]
