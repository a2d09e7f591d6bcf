"""Statements as a bundle sends them, checked field by field against the FtM model.

A bad field is a `ValueError` naming where it is (`statements.jsonl line 7: field
'entity_id' ...`); the importer turns it into a `BundleError` naming the bundle.
"""

from __future__ import annotations

from typing import Any

from followthemoney import model

from threadline.model.statement import BASE_PROP, StatementRow, statement_id


def text_field(where: str, data: dict[str, Any], name: str, *, empty: bool = False) -> str:
    """A string field of a bundle's JSON object (non-empty unless `empty`)."""
    value = data.get(name)
    if not isinstance(value, str) or (not empty and not value):
        raise ValueError(f"{where}: field {name!r} is missing or not a string")
    return value


def statement_row(where: str, data: Any, dataset: str) -> StatementRow:
    """A sent statement as a local row in `dataset`, its id re-derived for it."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object")
    schema = model.get(text_field(where, data, "schema"))
    prop = text_field(where, data, "prop")
    if schema is None:
        raise ValueError(f"{where}: unknown schema {data['schema']!r}")
    known = schema.get(prop)
    prop_type = "id" if prop == BASE_PROP else known.type.name if known else None
    if prop_type is None or data.get("prop_type") != prop_type:
        raise ValueError(f"{where}: {schema.name} has no property {prop!r} of that type")
    entity_id, value = text_field(where, data, "entity_id"), text_field(where, data, "value")
    lang, location = data.get("lang"), data.get("location")
    if not (lang is None or isinstance(lang, str)) or not (
        location is None or isinstance(location, int)
    ):
        raise ValueError(f"{where}: field 'lang' or 'location' has the wrong type")
    original = data.get("original_value")
    return StatementRow(
        entity_id,
        statement_id(dataset, entity_id, prop, value, lang),
        schema.name,
        prop,
        prop_type,
        value,
        original if isinstance(original, str) else None,
        lang,
        dataset,
        text_field(where, data, "source"),
        location,
        text_field(where, data, "first_seen"),
        text_field(where, data, "last_seen"),
    )
