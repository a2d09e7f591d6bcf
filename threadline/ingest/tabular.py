"""Plain CSV or XLSX with quick flags (`--schema Person --map name="Full name"`), no YAML."""

from __future__ import annotations

from typing import Any

from followthemoney import model

from threadline.errors import MappingError
from threadline.ingest.mapping import quick_mapping

EXTENSIONS = (".csv", ".tsv", ".xlsx")


def parse_maps(items: list[str]) -> dict[str, str]:
    """`prop=column` strings to a dict, with an error naming the bad flag."""
    maps: dict[str, str] = {}
    for item in items:
        prop, sep, column = item.partition("=")
        prop, column = prop.strip(), column.strip().strip('"').strip("'")
        if not sep or not prop or not column:
            raise MappingError("--map", f"expected property=column, got {item!r}")
        if prop in maps:
            # A dict keeps one column per property; the first one must not vanish silently.
            raise MappingError(
                "--map", f"{prop} is mapped twice ({maps[prop]!r} and {column!r}); give one"
            )
        maps[prop] = column
    return maps


def build_quick_mapping(
    schema: str,
    maps: dict[str, str],
    keys: list[str],
    header: list[str],
    dataset: str,
    data_path: str,
) -> dict[str, Any]:
    """Check the flags against the schema and the file's header; the mapping query."""
    query: dict[str, Any] = quick_mapping(schema, maps, keys)
    ftm_schema = model.get(schema)
    assert ftm_schema is not None  # quick_mapping checked it
    columns = set(header)
    for prop, column in maps.items():
        if ftm_schema.get(prop) is None:
            raise MappingError("--map", f"schema {schema} has no property {prop!r}")
        if column not in columns:
            known = ", ".join(header)
            raise MappingError(
                "--map", f"{prop}={column}: no column {column!r} in {data_path} (it has: {known})"
            )
    for key in keys:
        if key not in columns:
            raise MappingError("--key", f"no column {key!r} in {data_path}")
    query["csv_url"] = data_path
    model.make_mapping(query, key_prefix=dataset)  # raises InvalidMapping if wrong
    return query
