"""FollowTheMoney entity JSON lines: one entity per line, ids kept as given."""

from __future__ import annotations

import orjson
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.errors import InputError
from threadline.ingest.source import SourceFile

EXTENSIONS = (".ijson", ".jsonl", ".json", ".ndjson")


def parse_entity(
    source: SourceFile,
    number: int,
    line: str,
    max_chars: int = 1 << 20,
    country: str | None = None,
) -> EntityProxy | None:
    """One line to an entity; blank lines are None, anything else wrong (a value over
    `max_chars` characters too) raises. Phone numbers in national format are read as
    dialed in `country` (a checked code, see `ingest.phones`)."""
    if not line.strip():
        return None
    try:
        # Without the newline, so a truncated line fails at its own end, not "line 2".
        data = orjson.loads(line.rstrip("\r\n"))
    except orjson.JSONDecodeError as exc:
        hint = ""
        if number == 1 and line.lstrip().startswith("["):
            hint = " (a JSON array? put one entity object per line)"
        # orjson's own text says "line 1 column 5", which contradicts the file line.
        message = f"invalid JSON at column {exc.colno}: {exc.msg}{hint}"
        raise InputError(source.path, message, number) from None
    if not isinstance(data, dict):
        raise InputError(source.path, "expected a JSON object (an FtM entity)", number)
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        raise InputError(source.path, "entity has no 'id'", number)
    schema = data.get("schema")
    if not isinstance(schema, str) or model.get(schema) is None:
        raise InputError(source.path, f"unknown or missing schema {schema!r}", number)
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        raise InputError(source.path, "'properties' must be an object", number)
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, values in properties.items():
        prop_ = entity.schema.get(prop)
        if prop_ is None:
            raise InputError(source.path, f"schema {schema} has no property {prop!r}", number)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and len(value) > max_chars:
                message = (
                    f"property {prop!r} holds {len(value):,} characters, more than the "
                    f"{max_chars:,} allowed in one value"
                )
                raise InputError(source.path, message, number)
        dialed_in = country if prop_.type == registry.phone else None
        try:
            entity.add(prop, values, cleaned=False, format=dialed_in)
        except InvalidData as exc:
            raise InputError(source.path, f"property {prop!r}: {exc}", number) from None
    return entity
