"""Entities, assembled on read from their statements, with provenance for every value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney.dataset import Dataset
from followthemoney.schema import Schema
from followthemoney.statement import Statement, StatementEntity

from threadline.model.schema import merged_schema
from threadline.model.statement import BASE_PROP, StatementRow


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
    _proxy: StatementEntity | None = field(default=None, repr=False)

    @classmethod
    def assemble(
        cls,
        entity_id: str,
        statements: Iterable[StatementRow],
        source_names: dict[str, str] | None = None,
    ) -> Entity:
        """Build an entity from all its statements (from any dataset)."""
        rows = sorted(statements, key=lambda s: (s.prop, s.value, s.dataset, s.id))
        if not rows:
            raise ValueError(f"No statements for entity {entity_id!r}")
        return cls(entity_id, rows, dict(source_names or {}))

    @property
    def schema(self) -> Schema:
        """The merged schema of all statements."""
        return merged_schema(s.schema for s in self.statements)

    @property
    def proxy(self) -> StatementEntity:
        """A followthemoney StatementEntity view (caption, typed values, export)."""
        if self._proxy is None:
            proxy = StatementEntity(
                Dataset.make({"name": "threadline"}),
                {
                    "id": self.id,
                    "schema": self.schema.name,
                },
            )
            for row in self.statements:
                proxy.add_statement(
                    Statement(
                        entity_id=row.entity_id,
                        prop=row.prop,
                        schema=row.schema,
                        value=row.value,
                        dataset=row.dataset,
                        lang=row.lang,
                        original_value=row.original_value,
                        first_seen=row.first_seen,
                        last_seen=row.last_seen,
                        id=row.id,
                        canonical_id=self.id,
                        origin=f"{row.source}:{row.location}",
                    )
                )
            self._proxy = proxy
        return self._proxy

    @property
    def caption(self) -> str:
        """A human label, as followthemoney picks it."""
        return self.proxy.caption

    @property
    def datasets(self) -> list[str]:
        """Every dataset that contributed a statement."""
        return sorted({s.dataset for s in self.statements})

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
