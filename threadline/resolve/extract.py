"""Match records from an entity's statements: the fields resolution compares.

Works on statement rows directly (no entity proxy), because a full resolution run reads
every matchable entity in the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from followthemoney import model

from threadline.model.statement import StatementRow
from threadline.resolve.frame import Row

# Schemata resolution compares. Addresses, accounts and positions are matchable in
# followthemoney but are not who-is-who questions.
MATCHED_SCHEMATA = frozenset(
    {"Person", "LegalEntity", "Organization", "Company", "PublicBody", "Vessel", "Airplane"}
)
_DATE_PROPS = ("birthDate", "incorporationDate")
_COUNTRY_PROPS = frozenset({"country", "jurisdiction", "mainCountry"})


def is_matchable(schema_name: str) -> bool:
    """Whether entities of this schema take part in resolution."""
    return schema_name in MATCHED_SCHEMATA


def schema_of(rows: Sequence[StatementRow]) -> str:
    """The most specific schema among an entity's statements."""
    names = {r.schema for r in rows}
    if len(names) == 1:
        return next(iter(names))
    schemata = [model.get(n) for n in names]
    known = [s for s in schemata if s is not None]
    for candidate in known:
        if all(candidate.is_a(other) for other in known):
            return candidate.name
    return sorted(names)[0]


def match_row(entity_id: str, rows: Iterable[StatementRow]) -> Row | None:
    """The match record of one entity, or None if its schema is not resolved."""
    rows = list(rows)
    if not rows:
        return None
    schema = schema_of(rows)
    if not is_matchable(schema):
        return None
    values: dict[str, list[str]] = {}
    for r in rows:
        values.setdefault(r.prop, []).append(r.value)
    by_type: dict[str, list[str]] = {}
    for r in rows:
        by_type.setdefault(r.prop_type, []).append(r.value)
    dates = [v for p in _DATE_PROPS for v in values.get(p, [])]
    return {
        "id": entity_id,
        "dataset": sorted({r.dataset for r in rows})[0],
        "schema": schema,
        "name": sorted(set(values.get("name", []))),
        "first_name": sorted(set(values.get("firstName", []))),
        "last_name": sorted(set(values.get("lastName", []))),
        "birth_date": sorted(set(dates)),
        "identifier": sorted(set(by_type.get("identifier", []))),
        "address": sorted(set(values.get("address", []))),
        "postcode": sorted(set(values.get("postalCode", []))),
        "city": sorted(set(values.get("city", []))),
        "country": sorted({r.value for r in rows if r.prop in _COUNTRY_PROPS}),
        "email": sorted(set(by_type.get("email", []))),
        "phone": sorted(set(by_type.get("phone", []))),
    }
