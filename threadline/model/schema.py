"""Schema helpers on top of followthemoney's model: merging schemata, finding edges."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.schema import Schema


def get_schema(name: str) -> Schema:
    """The schema called `name`, or a ValueError naming it."""
    schema = model.get(name)
    if schema is None:
        raise ValueError(f"Unknown schema: {name!r}")
    return schema


def merged_schema(names: Iterable[str]) -> Schema:
    """The most specific schema all statements agree on (see `_merged_schema`)."""
    return _merged_schema(tuple(sorted(set(names))))


@lru_cache(maxsize=1024)
def _merged_schema(names: tuple[str, ...]) -> Schema:
    """The most specific schema all statements agree on.

    Sources disagree (one says LegalEntity, another Company); followthemoney's
    `common_schema` picks the more specific one. Where they truly conflict (Person
    vs. Company) we keep the first, rather than refuse to show the entity.
    """
    result: Schema | None = None
    for name in names:
        schema = get_schema(name)
        if result is None:
            result = schema
            continue
        try:
            result = model.common_schema(result, schema)
        except InvalidData:
            continue
    if result is None:
        raise ValueError("No statements, so no schema")
    return result


def schema_family(schema: Schema) -> list[str]:
    """The schema and every schema it extends, for filtering by a parent type."""
    return sorted(schema.names)
