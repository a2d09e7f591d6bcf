"""Screening queries: a record that is not in the store, compared with entities that are.

A query (a yente example entity, an OpenRefine reconciliation query, a row of a list to
screen) is a schema and property values. It becomes statement rows of its own and then
a match record like any stored entity's, so the resolver compares it with a candidate
exactly as `explain` compares two stored records: each pair is prepared on its own (two
rows, as `explain` prepares a pair), and gets the same features, weights and rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.model.schema import get_schema
from threadline.model.statement import StatementRow, entity_statements
from threadline.resolve.extract import MATCHED_SCHEMATA, match_row
from threadline.resolve.frame import Row
from threadline.resolve.pairrarity import pair_rarity
from threadline.resolve.prepare import prepare
from threadline.resolve.schemas import can_match

# The query's record id and dataset in a prepared pair (never stored; a candidate whose
# id is the same is prepared under another name, see `pair_table`).
QUERY_ID = "screening-query"
QUERY_DATASET = "screening-query"
MAX_VALUES = 50  # values per property of one query
MAX_LENGTH = 1000  # characters per value


def _values(raw: Any, where: str) -> list[str]:
    items = raw if isinstance(raw, list | tuple) else [raw]
    if len(items) > MAX_VALUES:
        raise ValueError(f"{where}: at most {MAX_VALUES} values")
    values = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ValueError(f"{where}: values must be strings (or numbers)")
        text = str(item).strip()
        if len(text) > MAX_LENGTH:
            raise ValueError(f"{where}: a value is longer than {MAX_LENGTH} characters")
        if text:
            values.append(text)
    return values


@dataclass(frozen=True)
class MatchQuery:
    """One record to screen: a followthemoney schema and its values, cleaned as ingest
    cleans them (a country name becomes its code). Entity-typed values are left out:
    they would point at stored entities, which a query has no business naming."""

    schema: str
    properties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    id: str | None = None

    @classmethod
    def parse(cls, data: Any, where: str = "query") -> MatchQuery:
        """A query from its JSON form (`{"schema": ..., "properties": {...}}`), or a
        ValueError naming the field at fault (`where` is the query's own name)."""
        if isinstance(data, MatchQuery):
            return data
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: must be an object with schema and properties")
        name = data.get("schema")
        schema = model.get(name) if isinstance(name, str) else None
        if schema is None:
            raise ValueError(f"{where}.schema: no followthemoney schema named {name!r}")
        if not any(schema.is_a(m) for m in MATCHED_SCHEMATA):
            resolved = ", ".join(sorted(MATCHED_SCHEMATA))
            raise ValueError(f"{where}.schema: threadline matches only {resolved}")
        raw = data.get("properties", {})
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where}.properties: must be an object of property names")
        proxy = model.make_entity(schema)
        for prop_name, value in raw.items():
            prop = schema.get(prop_name)
            if prop is None:
                raise ValueError(
                    f"{where}.properties.{prop_name}: {schema.name} has no such property"
                )
            if prop.type == registry.entity:
                continue
            for text in _values(value, f"{where}.properties.{prop_name}"):
                proxy.add(prop, text, cleaned=False, quiet=True)
        properties = {p.name: tuple(proxy.get(p)) for p in proxy.iterprops()}
        ident = data.get("id")
        return cls(schema.name, properties, str(ident) if ident is not None else None)

    @property
    def names(self) -> list[str]:
        """The names to look candidates up by (the name-typed values)."""
        return self._of_type("name")

    @property
    def identifiers(self) -> list[str]:
        """Registration numbers and other identifiers, which find candidates too."""
        return self._of_type("identifier")

    def _of_type(self, type_name: str) -> list[str]:
        schema = model.get(self.schema)
        found = [
            v
            for prop, values in self.properties.items()
            if schema is not None and (p := schema.get(prop)) is not None
            if p.type.name == type_name
            for v in values
        ]
        return list(dict.fromkeys(found))

    def proxy(self, schema: str | None = None) -> EntityProxy:
        """The query as a followthemoney entity (under another schema if given)."""
        data = {"id": self.id or QUERY_ID, "properties": {k: list(v) for k, v in self.items()}}
        return EntityProxy(get_schema(schema or self.schema), data, cleaned=True)

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        """(property, values), in property order."""
        return sorted(self.properties.items())

    def to_json(self) -> dict[str, Any]:
        """The query as yente echoes it: id, schema and cleaned properties."""
        return {"id": self.id, "schema": self.schema, "properties": dict(self.items())}

    def compared_as(self, candidate_schema: str) -> str | None:
        """The schema the query is compared under with a candidate of this schema, or
        None if the two cannot be the same entity. A broader query (LegalEntity) takes
        the candidate's narrower schema (Person, Company), so it is compared as one."""
        query, candidate = model.get(self.schema), model.get(candidate_schema)
        if query is None or candidate is None or not can_match(self.schema, candidate_schema):
            return None
        if candidate.is_a(query) and candidate.name in MATCHED_SCHEMATA:
            return candidate.name
        return query.name

    def rows(self, schema: str | None = None) -> list[StatementRow]:
        """Statement rows of the query (never stored), as a match record reads them."""
        return entity_statements(self.proxy(schema), QUERY_DATASET, QUERY_DATASET, None, "")


def query_row(query: MatchQuery, schema: str) -> Row | None:
    """The query's match record under `schema` (None if that is not resolved)."""
    row = match_row(QUERY_ID, query.rows(schema))
    return None if row is None else {**row, "id": QUERY_ID}


def pair_table(query: Row, candidate: Row, relations: Sequence[str] | None) -> pa.Table:
    """The prepared two-row table of one pair (the query first), with the candidate's
    neighbour names as its relations evidence (a query has none)."""
    if candidate.get("id") == QUERY_ID:  # ids must differ within a prepared table
        candidate = {**candidate, "id": QUERY_ID + "-candidate"}
    table = prepare([query, candidate])
    column = table.schema.get_field_index("rel_names")
    names = pa.array([None, list(relations) if relations else None], pa.list_(pa.string()))
    return table.set_column(column, "rel_names", names)


# The prepared columns that depend on the table a record is prepared in (shares and
# rarities among its records), by the column they are computed from.
_SHARES = {
    "first_tf": "first",
    "last_tf": "last",
    "org_core_tf": "org_core",
    "email_tf": "email",
    "ident_tf": "ident",
}


def _share(a: Any, b: Any) -> tuple[float | None, float | None]:
    """A value's share of the pair's non-null values, as `prepare` computes it."""
    if a is None or b is None:
        return (None if a is None else 1.0, None if b is None else 1.0)
    return (1.0, 1.0) if a == b else (0.5, 0.5)


def pair_tables(pairs: Sequence[tuple[Row, Row, Sequence[str] | None]]) -> pa.Table:
    """`stacked([pair_table(q, c, rel) for q, c, rel in pairs])`, with one `prepare`
    of each distinct record (row object) instead of two rows per pair, which is what
    makes a long list fast. Every prepared column is the record's own except the shares
    and address rarities `prepare` counts among the records of its table: those are
    computed again within each pair, so every pair reads exactly as its own two-row
    table would."""
    rows: list[Row] = []
    order: list[int] = []
    ids: list[str] = []
    seen: dict[int, int] = {}  # a record's row in `rows`, by the record object
    for query, candidate, _ in pairs:
        for record in (query, candidate):
            if id(record) not in seen:
                seen[id(record)] = len(rows)
                rows.append({**record, "id": str(len(rows))})
            order.append(seen[id(record)])
        own = str(candidate.get("id"))
        ids += [QUERY_ID, QUERY_ID + "-candidate" if own == QUERY_ID else own]
    table = prepare(rows).take(pa.array(order, pa.int64()))
    columns = {name: table.column(name) for name in table.column_names}
    columns["rid"] = pa.array(range(table.num_rows), pa.int32())
    columns["id"] = pa.array(ids, pa.string())
    for share, source in _SHARES.items():
        values = columns[source].to_pylist()
        shares = [s for n in range(0, len(values), 2) for s in _share(values[n], values[n + 1])]
        columns[share] = pa.array(shares, pa.float64())
    idf, sums = pair_rarity(columns["addr_tokens"].to_pylist())
    columns["addr_idf"] = pa.array(idf, table.schema.field("addr_idf").type)
    columns["addr_idf_sum"] = pa.array(sums, table.schema.field("addr_idf_sum").type)
    relations = [r for _, _, rel in pairs for r in (None, list(rel) if rel else None)]
    columns["rel_names"] = pa.array(relations, table.schema.field("rel_names").type)
    return pa.table({f.name: columns[f.name] for f in table.schema}, schema=table.schema)


def stacked(tables: Iterable[pa.Table]) -> pa.Table:
    """Pair tables as one, rows renumbered: pair n is rows 2n and 2n + 1."""
    table = pa.concat_tables(list(tables)).combine_chunks()
    column = table.schema.get_field_index("rid")
    return table.set_column(column, "rid", pa.array(range(table.num_rows), pa.int32()))
