"""Converters: one record (a CSV row, a JSON line) to entities.

A converter is described by a small picklable spec, so that worker processes can build
their own copy; followthemoney's compiled mappings themselves do not pickle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.mapping.csv import CSVSource
from followthemoney.proxy import EntityProxy

from threadline.errors import InputError
from threadline.ingest.ftm import parse_entity
from threadline.ingest.mapper import Mapper
from threadline.ingest.source import SourceFile

Converter = Callable[[int, Any], list[EntityProxy]]


@dataclass(frozen=True)
class MappingSpec:
    """A followthemoney mapping query (already checked) for rows of one CSV or XLSX."""

    query: dict[str, Any]
    dataset: str
    path: str

    def build(self) -> Converter:
        """Compile the mapping and return a row converter."""
        mapping = model.make_mapping(self.query, key_prefix=self.dataset)
        mapper = Mapper(mapping)
        source = mapping.source
        assert isinstance(source, CSVSource)  # every query we build names csv_urls

        def convert(location: int, record: Any) -> list[EntityProxy]:
            if not source.check_filters(record):
                return []
            try:
                return mapper.map(record)
            except Exception as exc:
                raise InputError(self.path, f"cannot map row: {exc}", location) from None

        return convert


@dataclass(frozen=True)
class EntityLineSpec:
    """FtM entity JSON lines of one file."""

    source: SourceFile

    def build(self) -> Converter:
        """Return a line converter."""

        def convert(location: int, line: Any) -> list[EntityProxy]:
            entity = parse_entity(self.source, location, line)
            return [] if entity is None else [entity]

        return convert


ConverterSpec = MappingSpec | EntityLineSpec
