"""FtM mapping YAML: checked line by line before anything runs, then run by followthemoney.

followthemoney's mapping engine does the mapping; we add what an analyst needs around
it: errors that name the YAML line, CSV paths relative to the YAML, encoding detection,
and the CSV line number of every record for provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidMapping
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from threadline.errors import InputError, MappingError
from threadline.ingest import yamltext
from threadline.ingest.confine import Confinement
from threadline.ingest.records import read_csv_header
from threadline.ingest.source import SourceFile, open_source

EXTENSIONS = (".yml", ".yaml")
_TEMPLATE = re.compile(r"{{\s*([^}]+?)\s*}}")


@dataclass
class MappingQuery:
    """One query of a mapping: CSV files and followthemoney's compiled mapping."""

    csvs: list[SourceFile]
    data: dict[str, Any]
    line: int


@dataclass
class MappingFile:
    """A validated mapping YAML file, ready to run."""

    path: Path
    dataset: str
    queries: list[MappingQuery] = field(default_factory=list)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _get(node: Node, key: str) -> tuple[ScalarNode, Node] | None:
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _scalars(node: Node) -> list[ScalarNode]:
    if isinstance(node, ScalarNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [n for n in node.value if isinstance(n, ScalarNode)]
    return []


class _Checker:
    """Walks the YAML nodes and raises MappingError at the first bad line."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = set(header)

    def fail(self, node: Node, message: str) -> None:
        raise MappingError(self.path, message, _line(node))

    def columns(self, node: Node) -> None:
        for scalar in _scalars(node):
            if scalar.value not in self.header:
                known = ", ".join(sorted(self.header))
                self.fail(scalar, f"unknown column {scalar.value!r} (the CSV has: {known})")

    def query(self, node: Node) -> None:
        entities = _get(node, "entities")
        if entities is None or not isinstance(entities[1], MappingNode):
            self.fail(node, "a query needs an 'entities' mapping")
            return
        names = {k.value for k, _ in entities[1].value}
        for filt in ("filters", "filters_not"):
            found = _get(node, filt)
            if found is not None and isinstance(found[1], MappingNode):
                for key_node, _ in found[1].value:
                    self.columns(key_node)
        for name_node, entity_node in entities[1].value:
            self.entity(name_node, entity_node, names)

    def entity(self, name_node: Node, node: Node, names: set[str]) -> None:
        schema_item = _get(node, "schema")
        if schema_item is None or not isinstance(schema_item[1], ScalarNode):
            self.fail(name_node, f"entity {name_node.value!r} has no schema")
            return
        schema = model.get(schema_item[1].value)
        if schema is None:
            self.fail(schema_item[1], f"unknown schema {schema_item[1].value!r}")
            return
        for key in ("keys", "key", "id_column"):
            found = _get(node, key)
            if found is not None:
                self.columns(found[1])
        props = _get(node, "properties")
        if props is None or not isinstance(props[1], MappingNode):
            return
        for prop_node, spec in props[1].value:
            prop = schema.get(prop_node.value)
            if prop is None:
                self.fail(prop_node, f"schema {schema.name} has no property {prop_node.value!r}")
            for key in ("column", "columns"):
                found = _get(spec, key)
                if found is not None:
                    self.columns(found[1])
            found = _get(spec, "entity")
            if found is not None:
                for scalar in _scalars(found[1]):
                    if scalar.value not in names:
                        self.fail(scalar, f"no entity named {scalar.value!r} in this query")
            found = _get(spec, "template")
            if found is not None and isinstance(found[1], ScalarNode):
                for column in _TEMPLATE.findall(found[1].value):
                    if column not in self.header:
                        self.fail(found[1], f"template names unknown column {column!r}")


def _queries(path: Path, root: Node) -> Iterator[tuple[str, Node]]:
    if not isinstance(root, MappingNode) or not root.value:
        raise MappingError(path, "expected a mapping of dataset name to its queries", 1)
    for name_node, config in root.value:
        found = _get(config, "queries") or _get(config, "query")
        if found is None:
            raise MappingError(path, "dataset has no 'queries'", _line(name_node))
        items = found[1].value if isinstance(found[1], SequenceNode) else [found[1]]
        for item in items:
            if not isinstance(item, MappingNode):
                raise MappingError(path, "a query must be a mapping of keys", _line(item))
            yield str(name_node.value), item


def load_mapping(
    path: Path, dataset: str | None, confinement: Confinement | None = None
) -> MappingFile:
    """Parse and check a mapping file; nothing is written if this raises.

    Every file the mapping names must pass `confinement` (by default: anywhere but the
    data directory, which the caller puts in it).
    """
    confinement = confinement or Confinement()
    source = open_source(path)
    try:
        text = path.read_text(encoding=source.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise MappingError(path, f"cannot be decoded as {source.encoding}: {exc}") from None
    root = yamltext.parse(path, text)
    result: MappingFile | None = None
    for name, node in _queries(path, root):
        if result is None:
            result = MappingFile(path=path, dataset=dataset or name)
        query_data: dict[str, Any] = yamltext.build(path, node)
        result.queries.append(_load_query(path, node, query_data, result.dataset, confinement))
    if result is None:  # pragma: no cover - _queries raises first
        raise MappingError(path, "has no queries")
    return result


def _load_query(
    path: Path, node: Node, data: dict[str, Any], dataset: str, confinement: Confinement
) -> MappingQuery:
    if _get(node, "database") is not None:
        raise MappingError(path, "SQL database queries are not supported; use CSV", _line(node))
    url_items = [i for i in (_get(node, "csv_url"), _get(node, "csv_urls")) if i]
    if not url_items:
        raise MappingError(path, "query has no csv_url", _line(node))
    csvs: list[SourceFile] = []
    for _, url_node in url_items:
        if not isinstance(url_node, ScalarNode | SequenceNode):
            raise MappingError(path, "csv_url must be a file name or a list", _line(url_node))
        items = url_node.value if isinstance(url_node, SequenceNode) else [url_node]
        for item in items:
            if not isinstance(item, ScalarNode):
                raise MappingError(path, "csv_url must be a file name", _line(item))
            csv_path = confinement.check_name(path, item.value, _line(item))
            try:
                csvs.append(open_source(csv_path))
            except InputError as exc:
                raise MappingError(
                    path, f"csv_url {item.value!r}: {exc.message}", _line(item)
                ) from None
    if not csvs:
        raise MappingError(path, "query has no csv_url", _line(node))
    header = read_csv_header(csvs[0])
    for other in csvs[1:]:
        if read_csv_header(other) != header:
            raise MappingError(path, f"{other.name} has different columns", _line(node))
    _Checker(path, header).query(node)
    data = {k: v for k, v in data.items() if k not in ("csv_url", "csv_urls")}
    data["csv_urls"] = [str(c.path) for c in csvs]
    try:
        # Compiled here only to check it; each converter compiles its own copy.
        model.make_mapping(data, key_prefix=dataset)
    except InvalidMapping as exc:
        raise MappingError(path, f"invalid mapping: {exc}", _line(node)) from None
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # followthemoney assumes well-formed YAML shapes (a list where it wants a list).
        raise MappingError(
            path, f"invalid mapping: {exc.__class__.__name__}: {exc}", _line(node)
        ) from None
    return MappingQuery(csvs=csvs, data=data, line=_line(node))


def quick_mapping(schema: str, maps: dict[str, str], keys: list[str]) -> dict[str, Any]:
    """The mapping query that `--schema S --map prop=column` flags stand for."""
    if model.get(schema) is None:
        raise MappingError("--schema", f"unknown schema {schema!r}")
    if not maps:
        raise MappingError("--map", "give at least one --map property=column")
    properties = {prop: {"column": column} for prop, column in maps.items()}
    return {
        "entities": {
            "record": {
                "schema": schema,
                "keys": keys or sorted(set(maps.values())),
                "properties": properties,
            }
        }
    }
