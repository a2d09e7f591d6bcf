"""Entities, assembled on read from their statements, with provenance for every value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema

from threadline.model.caption import is_link, link_caption
from threadline.model.schema import merged_schema
from threadline.model.statement import BASE_PROP, StatementRow

# Statements in an entity: by property, value, dataset and id (positions in a
# StatementRow: an itemgetter key runs in C, a lambda per statement does not).
_ORDER = itemgetter(3, 5, 8, 1)


@dataclass(frozen=True)
class Fact:
    """A property value together with where it was seen."""

    prop: str
    value: str
    dataset: str
    source: str
    source_name: str | None
    location: int | None
    statement_id: str
    first_seen: str
    last_seen: str


@dataclass
class Entity:
    """An entity assembled from statements; the statements stay the source of truth."""

    id: str
    statements: list[StatementRow]
    source_names: dict[str, str] = field(default_factory=dict)
    _proxy: EntityProxy | None = field(default=None, repr=False)
    # Worked out once: the indexer asks each entity for its schema and datasets several
    # times (document, link ends, pages), and an entity's statements do not change.
    _schema: Schema | None = field(default=None, repr=False, compare=False)
    _datasets: list[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def assemble(
        cls,
        entity_id: str,
        statements: Iterable[StatementRow],
        source_names: dict[str, str] | None = None,
    ) -> Entity:
        """Build an entity from all its statements (from any dataset)."""
        rows = sorted(statements, key=_ORDER)
        if not rows:
            raise ValueError(f"No statements for entity {entity_id!r}")
        return cls(entity_id, rows, dict(source_names or {}))

    @property
    def schema(self) -> Schema:
        """The merged schema of all statements."""
        if self._schema is None:
            self._schema = merged_schema(s.schema for s in self.statements)
        return self._schema

    @property
    def proxy(self) -> EntityProxy:
        """A followthemoney EntityProxy of the merged values (caption, types, export).

        Values are already clean (they were cleaned on ingest), so this is cheap: no
        per-statement objects are made. Values of properties the merged schema lacks
        (sources that disagree on the schema) stay in the statements but not here.
        """
        if self._proxy is None:
            schema = self.schema
            properties: dict[str, list[str]] = {}
            for row in self.statements:
                if row.prop == BASE_PROP or row.prop not in schema.properties:
                    continue
                values = properties.setdefault(row.prop, [])
                if row.value not in values:
                    values.append(row.value)
            self._proxy = EntityProxy(
                schema, {"id": self.id, "properties": properties}, cleaned=True
            )
        return self._proxy

    @property
    def caption(self) -> str:
        """A human label: followthemoney's pick, or for a link (a Payment, an Ownership,
        a Sanction...) what it says without the names of its ends (see `caption_with`)."""
        return self.caption_with({})

    def caption_with(self, ends: Mapping[str, str]) -> str:
        """The caption, a link's naming its ends from `ends` (captions by entity id):
        "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14"."""
        proxy = self.proxy
        if is_link(proxy.schema):
            return link_caption(proxy.schema, proxy.properties, ends)
        return proxy.caption

    @property
    def datasets(self) -> list[str]:
        """Every dataset that contributed a statement."""
        if self._datasets is None:
            self._datasets = sorted({s.dataset for s in self.statements})
        return list(self._datasets)

    def facts(self) -> list[Fact]:
        """Every property value with its provenance (the id statement excluded)."""
        return [
            Fact(
                prop=s.prop,
                value=s.value,
                dataset=s.dataset,
                source=s.source,
                source_name=self.source_names.get(s.source),
                location=s.location,
                statement_id=s.id,
                first_seen=s.first_seen,
                last_seen=s.last_seen,
            )
            for s in self.statements
            if s.prop != BASE_PROP
        ]

    def to_ftm(self) -> dict[str, Any]:
        """The followthemoney JSON form, with the datasets it came from."""
        data = self.proxy.to_dict()
        return {
            "id": self.id,
            "schema": data["schema"],
            "properties": data["properties"],
            "datasets": self.datasets,
            "caption": self.caption,
        }
