"""FollowTheMoney entity JSON lines: one entity per line, ids kept as given."""

from __future__ import annotations

import orjson
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from followthemoney.types.common import PropertyType
from followthemoney.value import string_list

from threadline.errors import InputError
from threadline.ingest.notices import notice
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
    dialed in `country` (a checked code, see `ingest.phones`). A value followthemoney
    discards is left out and reported as a notice (see `ingest.notices`)."""
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
        if prop_.stub:
            raise InputError(source.path, f"property {prop!r} is set from the other side", number)
        dialed_in = country if prop_.type == registry.phone else None
        for value in string_list(values, sanitize=True):
            try:
                kept = entity.unsafe_add(prop_, value, format=dialed_in)
            except InvalidData as exc:
                raise InputError(source.path, f"property {prop!r}: {exc}", number) from None
            if kept is None:
                notice(number, _discarded(prop, value, prop_.type, country))
    return entity


def _discarded(prop: str, value: str, kind: PropertyType, country: str | None) -> str:
    """Why a value was not kept, and what to do where something can be done."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    message = f"property {prop!r}: followthemoney discarded the unclean {kind.name} {shown!r}"
    if kind == registry.phone:
        if country is None:
            message += (
                " (a phone number without a +country prefix needs the country it is "
                "dialed in: give --country)"
            )
        else:
            message += f" (not a complete phone number as dialed in {country.upper()} either)"
    elif kind.total_size is not None:
        message += (
            f" (or the {kind.name} values of one entity exceed {kind.total_size:,} characters)"
        )
    return message
