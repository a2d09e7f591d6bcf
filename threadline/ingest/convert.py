"""Converters: one record (a CSV row, a JSON line) to entities.

A converter is described by a small picklable spec, so that worker processes can build
their own copy; followthemoney's compiled mappings themselves do not pickle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidMapping
from followthemoney.mapping.csv import CSVSource
from followthemoney.proxy import EntityProxy

from threadline.errors import InputError
from threadline.ingest.cleaning import cache_cleaning
from threadline.ingest.documents.plan import DocumentSpec
from threadline.ingest.ftm import parse_entity
from threadline.ingest.limits import Limits
from threadline.ingest.mapper import Mapper, UncleanValues
from threadline.ingest.namespace import DatasetNamespace
from threadline.ingest.phones import hint_phones
from threadline.ingest.source import SourceFile

Converter = Callable[[int, Any], list[EntityProxy]]


@dataclass(frozen=True)
class MappingSpec:
    """A followthemoney mapping query (already checked) for rows of one CSV or XLSX."""

    query: dict[str, Any]
    dataset: str
    path: str
    namespace: str | None = None  # sign ids with this dataset (`ingest.namespace`)
    country: str | None = None  # default phone country (`ingest.phones`), checked

    def build(self) -> Converter:
        """Compile the mapping and return a row converter."""
        try:
            mapping = model.make_mapping(self.query, key_prefix=self.dataset)
        except (InvalidMapping, TypeError, AttributeError, ValueError, KeyError) as exc:
            # followthemoney meets a malformed mapping (a string where it wants a dict,
            # a dict where it wants a column name) with whatever Python raises.
            raise InputError(self.path, f"invalid mapping: {exc}") from None
        hint_phones(mapping, self.country)
        cache_cleaning(mapping)  # after the phones: their mappings keep their own path
        mapper = Mapper(mapping)
        source = mapping.source
        assert isinstance(source, CSVSource)  # every query we build names csv_urls

        def convert(location: int, record: Any) -> list[EntityProxy]:
            try:
                if not source.check_filters(record):
                    return []
                return mapper.map(record)
            except MemoryError:
                raise  # the file's limit, not this row's fault: handled by the worker
            except UncleanValues as exc:
                message = f"followthemoney discarded unclean values: {exc}"
                if exc.phones:
                    message += self._phone_hint()
                raise InputError(self.path, message, location) from None
            except Exception as exc:
                raise InputError(self.path, f"cannot map row: {exc}", location) from None

        return _signed(convert, self.namespace)

    def _phone_hint(self) -> str:
        if self.country is None:
            return (
                " (a phone number without a +country prefix needs the country it is "
                "dialed in: give --country, or a country in the mapping)"
            )
        return f" (not a complete phone number as dialed in {self.country.upper()} either)"


@dataclass(frozen=True)
class EntityLineSpec:
    """FtM entity JSON lines of one file."""

    source: SourceFile
    namespace: str | None = None  # sign ids with this dataset (`ingest.namespace`)
    limits: Limits = field(default_factory=Limits)
    country: str | None = None  # default phone country (`ingest.phones`), checked

    def build(self) -> Converter:
        """Return a line converter."""

        def convert(location: int, line: Any) -> list[EntityProxy]:
            entity = parse_entity(
                self.source, location, line, self.limits.max_field_chars, self.country
            )
            return [] if entity is None else [entity]

        return _signed(convert, self.namespace)


def _signed(convert: Converter, dataset: str | None) -> Converter:
    """The converter, with ids signed in the dataset's namespace if one is given."""
    if dataset is None:
        return convert
    namespace = DatasetNamespace(dataset)

    def signed(location: int, payload: Any) -> list[EntityProxy]:
        return [namespace.apply(entity) for entity in convert(location, payload)]

    return signed


ConverterSpec = MappingSpec | EntityLineSpec | DocumentSpec
