"""Statements: one fact per row, with the file and row (or line) it came from.

Statement ids follow followthemoney's key (dataset, entity, property, value, language), so
re-ingesting the same file is idempotent and ids agree with the wider FtM ecosystem. When
the same fact is seen again, the store keeps the first provenance and moves `last_seen`.
"""

from __future__ import annotations

from hashlib import sha1
from typing import NamedTuple

from followthemoney.proxy import EntityProxy
from followthemoney.statement import BASE_ID, Statement
from followthemoney.util import HASH_ENCODING

BASE_PROP = BASE_ID


class StatementRow(NamedTuple):
    """A stored statement; a NamedTuple because ingest makes millions of them."""

    entity_id: str
    id: str
    schema: str
    prop: str
    prop_type: str
    value: str
    original_value: str | None
    lang: str | None
    dataset: str
    source: str
    location: int | None
    first_seen: str
    last_seen: str


# A statement as a plain tuple in StatementRow's field order. Bulk paths (worker
# processes, the store's executemany) use it: plain tuples pickle three times faster.
RawRow = tuple[str, str, str, str, str, str, str | None, str | None, str, str, int | None, str, str]


def statement_id(dataset: str, entity_id: str, prop: str, value: str, lang: str | None) -> str:
    """The followthemoney statement key of a fact."""
    key = Statement.make_key(dataset, entity_id, prop, value, False, lang=lang)
    if key is None:  # pragma: no cover - make_key only returns None for missing values
        raise ValueError(f"Cannot key statement {entity_id}.{prop}")
    return key


def entity_statements(
    entity: EntityProxy,
    dataset: str,
    source: str,
    location: int | None,
    seen: str,
) -> list[StatementRow]:
    """Break an entity into statements carrying the given provenance."""
    entity_id = entity.id
    if entity_id is None:
        raise ValueError("Entity has no id")
    schema = entity.schema.name
    # The id statement records the entity (and its schema) even if it has no values.
    facts = [(BASE_PROP, "id", entity_id)]
    facts.extend((prop.name, prop.type.name, value) for prop, value in entity.itervalues())
    return [
        StatementRow(
            entity_id,
            statement_id(dataset, entity_id, prop, value, None),
            schema,
            prop,
            prop_type,
            value,
            None,
            None,
            dataset,
            source,
            location,
            seen,
            seen,
        )
        for prop, prop_type, value in facts
    ]


def raw_statements(
    entity: EntityProxy,
    dataset: str,
    source: str,
    location: int | None,
    seen: str,
) -> list[RawRow]:
    """`entity_statements` as plain tuples, without the id statement: the bulk path.

    Ingest makes millions of statements: this builds each id from the key text
    directly, as `Statement.make_key` does for a statement without language (the same
    text, the same SHA-1), and makes each row once, as the tuple the store takes. The
    id statement is left out: ingest writes one per entity with the schema merged over
    the file (`ingest.schemata`).
    """
    entity_id = entity.id
    if entity_id is None:
        raise ValueError("Entity has no id")
    schema = entity.schema
    name = schema.name
    prefix = f"{dataset}.{entity_id}."
    rows: list[RawRow] = []
    append = rows.append
    for prop, values in entity.properties.items():
        prop_type = schema.properties[prop].type.name
        stem = f"{prefix}{prop}."
        for value in values:
            key = sha1(f"{stem}{value}".encode(HASH_ENCODING)).hexdigest()
            append(
                (entity_id, key, name, prop, prop_type, value, None, None, dataset, source,
                 location, seen, seen)
            )  # fmt: skip
    return rows
