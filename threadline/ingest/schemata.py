"""The schema of each entity of a file: the most specific one its records gave it.

A mapping may give one key several schemata: an unfiltered query makes every donor a
LegalEntity, filtered queries over the same CSV make some of them Company or Person.
followthemoney's aggregation merges such fragments with `model.common_schema`. Our
statements are keyed the followthemoney way, by (dataset, entity, property, value),
without the schema, and the store keeps the first statement of a key: the fragments'
statements are the same statements, so the first fragment's schema would be the only
one stored. So the id statement of every entity is held back until the whole file is
read, and written once, with the merged schema (and the first record's provenance).
The entity then assembles with the refined schema whichever query came first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from followthemoney import model
from followthemoney.exc import InvalidData

from threadline.model.statement import BASE_PROP, RawRow, statement_id


class EntitySchemata:
    """Entities seen in one file, each with its merged schema and where it was first seen."""

    def __init__(self) -> None:
        # entity id -> (merged schema name, source sha256 and location of its first record)
        self._entities: dict[str, tuple[str, str, int | None]] = {}

    def __len__(self) -> int:
        return len(self._entities)

    def ids(self) -> set[str]:
        """The ids of every entity seen."""
        return set(self._entities)

    def note(self, entity_id: str, schema: str, source: str, location: int | None) -> None:
        """An entity produced with `schema` by the record at `location` of `source`."""
        known = self._entities.get(entity_id)
        if known is None:
            # Interned: a file has a handful of each, and millions of entities.
            self._entities[entity_id] = (sys.intern(schema), sys.intern(source), location)
            return
        if known[0] == schema:
            return
        try:
            merged = model.common_schema(known[0], schema).name
        except InvalidData:
            # Truly conflicting (Person and Company): keep the first, as assembly does;
            # the other schema stays on the property statements that record gave.
            return
        if merged != known[0]:
            self._entities[entity_id] = (merged, known[1], known[2])

    def id_rows(self, dataset: str, seen: str) -> Iterator[RawRow]:
        """The id statement of every entity, with its merged schema, in id order."""
        for entity_id in sorted(self._entities):
            schema, source, location = self._entities[entity_id]
            key = statement_id(dataset, entity_id, BASE_PROP, entity_id, None)
            yield (
                entity_id,
                key,
                schema,
                BASE_PROP,
                "id",
                entity_id,
                None,
                None,
                dataset,
                source,
                location,
                seen,
                seen,
            )
