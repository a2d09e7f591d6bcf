"""Reconciliation queries in the 1.0 draft's form: a list of queries, each with a
list of `conditions`, answered as a list of `{"candidates": [...]}` in the same order.

    {"queries": [{"type": "Person", "limit": 3, "conditions": [
        {"matchType": "name", "propertyValue": "Dmitry Sokolov"},
        {"matchType": "property", "propertyId": "birthDate", "propertyValue": "1971-03-02",
         "required": true}]}]}

`matchType` is `name` or `property`; `propertyId` is a followthemoney property name.
Every condition's values feed the resolver's comparison, as 0.2's `properties` do. A
`required` condition also filters: a candidate stays only if one of its values for
the property agrees with one given (followthemoney's comparison of the property's
type, at least `AGREES`). Only the quantifier `any` is offered, and no qualifiers;
others are refused by name rather than ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from followthemoney.schema import Schema

from threadline.api.schemas.reconcile import (
    DEFAULT_LIMIT,
    DEFAULT_TYPE,
    Candidate,
    query_value,
    type_of,
)
from threadline.app.verbs.matching import MAX_LIMIT, MAX_QUERIES, MatchCandidate, MatchResult

AGREES = 0.9  # followthemoney's type comparison, from which a required value agrees


@dataclass
class ListedQuery:
    """One query of a 1.0 batch: what the matcher gets, its limit and its filters."""

    match: dict[str, Any]
    limit: int
    required: dict[str, list[str]] = field(default_factory=dict)

    def keeps(self, found: MatchCandidate) -> bool:
        """Whether a candidate meets every required condition."""
        proxy = found.entity.proxy
        for name, wanted in self.required.items():
            prop = proxy.schema.get(name)
            if prop is None:
                return False
            have = proxy.get(prop, quiet=True)
            if not any(prop.type.compare(h, w) >= AGREES for h in have for w in wanted):
                return False
        return True

    def answer(self, result: MatchResult) -> dict[str, Any]:
        kept = [c for c in result.results if self.keeps(c)][: self.limit]
        return {"candidates": [Candidate.of(c).model_dump(mode="json") for c in kept]}


def is_listed(batch: Any) -> bool:
    """A 1.0 batch: `{"queries": [...]}` (0.2's is an object of queries by key)."""
    return isinstance(batch, dict) and isinstance(batch.get("queries"), list)


def _condition(
    condition: Any,
    at: str,
    schema: Schema,
    values: dict[str, list[str]],
    required: dict[str, list[str]],
) -> None:
    if not isinstance(condition, dict):
        raise ValueError(f"{at}: must be an object")
    kind = condition.get("matchType")
    given = condition.get("propertyValue")
    items = given if isinstance(given, list) else [given]
    found = [query_value(v, f"{at}.propertyValue") for v in items]
    quantifier = condition.get("matchQuantifier", "any")
    if quantifier != "any":
        raise ValueError(f"{at}.matchQuantifier: only 'any' is supported, not {quantifier!r}")
    if condition.get("matchQualifier") is not None:
        raise ValueError(f"{at}.matchQualifier: no qualifiers are supported")
    if kind == "name":
        values.setdefault("name", []).extend(found)
        return
    if kind != "property":
        raise ValueError(f"{at}.matchType: 'name' or 'property', not {kind!r}")
    pid = condition.get("propertyId")
    if not isinstance(pid, str) or schema.get(pid) is None:
        raise ValueError(f"{at}.propertyId: {schema.name} has no property {pid!r}")
    values.setdefault(pid, []).extend(found)
    if condition.get("required", False) is True:
        required.setdefault(pid, []).extend(found)


def parse_listed(batch: dict[str, Any]) -> list[ListedQuery]:
    """The queries of a 1.0 batch; a ValueError names the field at fault."""
    listed = batch["queries"]
    if not listed:
        raise ValueError("queries: at least one query")
    if len(listed) > MAX_QUERIES:
        raise ValueError(f"queries: at most {MAX_QUERIES} in one batch")
    queries: list[ListedQuery] = []
    for n, raw in enumerate(listed):
        where = f"queries[{n}]"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: must be an object")
        limit = raw.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, int | float) or not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"{where}.limit: between 1 and {MAX_LIMIT}")
        schema = type_of(raw.get("type", DEFAULT_TYPE), where)
        conditions = raw.get("conditions")
        if not isinstance(conditions, list) or not conditions:
            raise ValueError(f"{where}.conditions: a non-empty list of conditions")
        values: dict[str, list[str]] = {}
        required: dict[str, list[str]] = {}
        for m, condition in enumerate(conditions):
            _condition(condition, f"{where}.conditions[{m}]", schema, values, required)
        if not any(v.strip() for vs in values.values() for v in vs):
            raise ValueError(f"{where}.conditions: give a name or property value")
        match = {"schema": schema.name, "properties": values}
        queries.append(ListedQuery(match, int(limit), required))
    return queries
