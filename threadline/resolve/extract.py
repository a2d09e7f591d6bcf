"""Match records from an entity's statements: the fields resolution compares.

Works on statement rows directly (no entity proxy), because a full resolution run reads
every matchable entity in the store. A person's or company's `addressEntity` points at
`Address` entities (street, postcode, city, country), which are not matched themselves
but lend their parts to the records that refer to them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from followthemoney import model

from threadline.model.statement import BASE_PROP, StatementRow
from threadline.resolve.frame import FIELDS, Row
from threadline.store.bulkread import light_table

# Schemata resolution compares. Addresses, accounts and positions are matchable in
# followthemoney but are not who-is-who questions.
MATCHED_SCHEMATA = frozenset(
    {"Person", "LegalEntity", "Organization", "Company", "PublicBody", "Vessel", "Airplane"}
)
ADDRESS_SCHEMA = "Address"
_DATE_PROPS = ("birthDate", "incorporationDate")
_COUNTRY_PROPS = frozenset({"country", "jurisdiction", "mainCountry"})
_TYPED = ("identifier", "email", "phone")  # fields taken from every property of a type
# The separator of several identifiers in one column (prepare splits on it).
SEP = "\x1f"


def _props_of_types(types: Iterable[str]) -> set[str]:
    wanted = set(types)
    return {
        prop.name
        for schema in model.schemata.values()
        for prop in schema.properties.values()
        if prop.type.name in wanted
    }


# Every property a match record or an address reads: a bulk read asks for only these.
READ_PROPS = frozenset(
    {
        BASE_PROP,
        "name",
        "firstName",
        "lastName",
        *_DATE_PROPS,
        "address",
        "addressEntity",
        "postalCode",
        "city",
        *_COUNTRY_PROPS,
        "street",
        "street2",
        "region",
        "state",
        "full",
        *_props_of_types(_TYPED),
    }
)

# (schema, prop, prop_type, value, dataset): what a record needs of a statement.
Fact = tuple[str, str, str, str, str]


class AddressRecord(NamedTuple):
    """What an Address entity lends to the records that point at it."""

    line: str | None  # the street line ("Hauptstr. 5"), else the whole address
    postcode: str | None
    city: str | None
    country: str | None


def is_matchable(schema_name: str) -> bool:
    """Whether entities of this schema take part in resolution."""
    return schema_name in MATCHED_SCHEMATA


def _schema(names: set[str]) -> str:
    if len(names) == 1:
        return next(iter(names))
    schemata = [model.get(n) for n in names]
    known = [s for s in schemata if s is not None]
    for candidate in known:
        if all(candidate.is_a(other) for other in known):
            return candidate.name
    return sorted(names)[0]


def schema_of(rows: Sequence[StatementRow]) -> str:
    """The most specific schema among an entity's statements."""
    return _schema({r.schema for r in rows})


def _facts(rows: Iterable[StatementRow]) -> list[Fact]:
    return [(r.schema, r.prop, r.prop_type, r.value, r.dataset) for r in rows]


def address_record(facts: Sequence[Fact]) -> AddressRecord:
    """The parts of one Address entity (the first value of each, in sorted order)."""
    values: dict[str, list[str]] = {}
    for _, prop, _, value, _ in facts:
        values.setdefault(prop, []).append(value)

    def first(*props: str) -> str | None:
        found = sorted(v for p in props for v in values.get(p, []) if v.strip())
        return found[0] if found else None

    street = first("street")
    extra = first("street2")
    line = f"{street}, {extra}" if street and extra else street
    return AddressRecord(
        line or first("full"),
        first("postalCode"),
        first("city", "region", "state"),
        first("country"),
    )


def _record(entity_id: str, facts: Sequence[Fact]) -> tuple[dict[str, list[str]], list[str]]:
    """The match record (every value, sorted) and the Address ids it refers to."""
    values: dict[str, list[str]] = {}
    by_type: dict[str, list[str]] = {}
    datasets = set()
    for _, prop, prop_type, value, dataset in facts:
        values.setdefault(prop, []).append(value)
        if prop_type in _TYPED:
            by_type.setdefault(prop_type, []).append(value)
        datasets.add(dataset)
    dates = [v for p in _DATE_PROPS for v in values.get(p, [])]
    record = {
        "id": [entity_id],
        "dataset": [min(datasets)],
        "name": sorted(set(values.get("name", []))),
        "first_name": sorted(set(values.get("firstName", []))),
        "last_name": sorted(set(values.get("lastName", []))),
        "birth_date": sorted(set(dates)),
        "identifier": sorted(set(by_type.get("identifier", []))),
        "address": sorted(set(values.get("address", []))),
        "postcode": sorted(set(values.get("postalCode", []))),
        "city": sorted(set(values.get("city", []))),
        "country": sorted({v for p in _COUNTRY_PROPS for v in values.get(p, [])}),
        "email": sorted(set(by_type.get("email", []))),
        "phone": sorted(set(by_type.get("phone", []))),
    }
    return record, sorted(set(values.get("addressEntity", [])))


# The frame field each property fills (bulk path; `_record` says the same at length).
_FIELD_OF_PROP = {
    "name": "name",
    "firstName": "first_name",
    "lastName": "last_name",
    **dict.fromkeys(_DATE_PROPS, "birth_date"),
    "address": "address",
    "postalCode": "postcode",
    "city": "city",
    **dict.fromkeys(_COUNTRY_PROPS, "country"),
}


# Parts of a light row (entity_id, schema, prop, prop_type, value, dataset).
_ENTITY_ID = itemgetter(0)
_FACTS = itemgetter(slice(1, None))  # all but the entity id


def _lend(record: dict[str, list[str]], found: AddressRecord) -> None:
    """Fill a record's missing location fields from the Address entity it points at."""
    for name, value in (
        ("address", found.line),
        ("postcode", found.postcode),
        ("city", found.city),
        ("country", found.country),
    ):
        if value and not record[name]:
            record[name] = [value]


def _resolve(refs: Sequence[str], addresses: Mapping[str, AddressRecord]) -> AddressRecord | None:
    for ref in refs:
        found = addresses.get(ref)
        if found is not None:
            return found
    return None


def match_row(
    entity_id: str,
    rows: Iterable[StatementRow],
    addresses: Mapping[str, AddressRecord] | None = None,
) -> Row | None:
    """The match record of one entity, or None if its schema is not resolved.

    `addresses` are the Address entities it may point at (see `address_lookup`)."""
    rows = list(rows)
    if not rows:
        return None
    schema = schema_of(rows)
    if not is_matchable(schema):
        return None
    record, refs = _record(entity_id, _facts(rows))
    found = _resolve(refs, addresses or {})
    if found is not None:
        _lend(record, found)
    return {**record, "id": entity_id, "dataset": record["dataset"][0], "schema": schema}


def address_refs(rows: Iterable[StatementRow]) -> set[str]:
    """The Address ids an entity's statements point at."""
    return {r.value for r in rows if r.prop == "addressEntity"}


def address_lookup(found: Mapping[str, Sequence[StatementRow]]) -> dict[str, AddressRecord]:
    """Address records by id, from the statements of (possibly) Address entities."""
    return {
        entity_id: address_record(_facts(rows))
        for entity_id, rows in found.items()
        if rows and schema_of(rows) == ADDRESS_SCHEMA
    }


@dataclass
class Records:
    """The match records of a whole store, column by column: the frame's fields as
    strings (the first value of each, in sorted order; identifiers joined by SEP),
    with a fingerprint of every value of each record for incremental runs."""

    table: pa.Table
    fingerprints: list[str]

    @property
    def ids(self) -> list[str]:
        """Record ids, in row order."""
        return [str(i) for i in self.table.column("id").to_pylist()]

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def __iter__(self) -> Iterator[Row]:
        for batch in self.table.to_batches(10_000):
            yield from batch.to_pylist()


def _quoted(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def _records_sql() -> str:
    """One row per entity of a light-row table `rows` (`bulkread.SCHEMA`), in read
    order: the first value (in sorted order) of each field of `_record`, identifiers
    sorted and joined; the entity's schemata when it has several (its `schema` is then
    NULL); whether it has a statement in the datasets given as the one parameter; the
    Address ids it refers to; and its fingerprint."""
    own = _quoted(_FIELD_OF_PROP)  # a property's own field comes before its type's

    def first(condition: str) -> str:
        return f"min(value) FILTER (WHERE {condition})"

    fields = {
        name: first(f"prop IN ({_quoted(p for p, f in _FIELD_OF_PROP.items() if f == name)})")
        for name in dict.fromkeys(_FIELD_OF_PROP.values())
    }
    fields["email"] = first(f"prop_type = 'email' AND prop NOT IN ({own})")
    fields["phone"] = first(f"prop_type = 'phone' AND prop NOT IN ({own})")
    fields["identifier"] = (
        "nullif(array_to_string(list_sort(list_distinct(list(value) FILTER "
        f"(WHERE prop_type = 'identifier' AND prop NOT IN ({own})))), chr({ord(SEP)})), '')"
    )
    columns = {
        "id": "entity_id",
        "dataset": "min(dataset)",
        "schema": "CASE WHEN count(DISTINCT schema) = 1 THEN min(schema) END",
        **{name: fields[name] for name in FIELDS if name in fields},
    }
    extra = {
        "schemata": "CASE WHEN count(DISTINCT schema) > 1 THEN list(DISTINCT schema) END",
        "wanted": "bool_or(list_contains(?::VARCHAR[], dataset))",  # in the datasets asked for
        "refs": "list_sort(list(DISTINCT value) FILTER (WHERE prop = 'addressEntity' "
        "AND prop_type NOT IN ('identifier', 'email', 'phone')))",
        # The fingerprint's text is `RecordReader`'s documented one: facts in read order.
        "fp": "sha1(string_agg(concat_ws(chr(31), schema, prop, prop_type, value, dataset), "
        "chr(30) ORDER BY ord))",
    }
    select = ",\n  ".join(f"{sql} AS {name}" for name, sql in {**columns, **extra}.items())
    return f"SELECT {select}\nFROM rows GROUP BY entity_id ORDER BY min(ord)"


_RECORDS_SQL = _records_sql()
_RECORD_SCHEMA = pa.schema([(name, pa.string()) for name in FIELDS])
_ADDRESS_FACTS = ("schema", "prop", "prop_type", "value", "dataset")


@dataclass
class RecordReader:
    """Builds `Records` from bulk statement batches (see `Store.iter_batches` and
    `threadline.store.bulkread`), batch by batch in DuckDB: one SQL aggregation per
    batch gives every record, and Python sees only what is rare (entities of several
    schemata, Address entities, references to them).

    Records are kept as Arrow columns batch by batch; only the Address parts and the
    references to them stay Python objects until the end, when references (which may
    come before or after their Address in store order) are resolved."""

    datasets: frozenset[str] | None = None
    _parts: list[pa.Table] = field(default_factory=list)
    _fingerprints: list[pa.Array] = field(default_factory=list)
    _refs: dict[int, list[str]] = field(default_factory=dict)
    _addresses: dict[str, AddressRecord] = field(default_factory=dict)
    _count: int = 0
    _db: duckdb.DuckDBPyConnection | None = None

    def add(self, batch: Sequence[tuple[str, str, str, str, str, str]]) -> int:
        """Read one batch of light rows (whole entities); return its entity count."""
        return self.add_table(light_table(batch))

    def add_table(self, rows: pa.Table) -> int:
        """Read one table of light rows (`bulkread.SCHEMA`, whole entities); return its
        entity count."""
        if rows.num_rows == 0:
            return 0
        if self._db is None:
            # One thread: each batch is small, and threads would cost more than they save.
            self._db = duckdb.connect(config={"threads": 1})
        self._db.register("rows", rows)
        try:
            wanted = sorted(self.datasets or ())
            found = self._db.sql(_RECORDS_SQL, params=[wanted]).to_arrow_table()
        finally:
            self._db.unregister("rows")
        schema = found.column("schema")
        if schema.null_count:  # entities of several schemata: the most specific one
            several = found.column("schemata").to_pylist()
            picked = [
                s or _schema(set(n)) for s, n in zip(schema.to_pylist(), several, strict=True)
            ]
            schema = pa.chunked_array([pa.array(picked, pa.string())])
        addresses = pc.equal(schema, ADDRESS_SCHEMA)
        if pc.any(addresses).as_py():
            self._read_addresses(rows, found.column("id").filter(addresses))
        keep = pc.is_in(schema, value_set=pa.array(sorted(MATCHED_SCHEMATA), pa.string()))
        if self.datasets is not None:
            keep = pc.and_(keep, found.column("wanted"))
        found = found.set_column(found.schema.get_field_index("schema"), "schema", schema)
        kept = found.filter(keep)
        refs = kept.column("refs")
        if refs.null_count < len(refs):
            rows_with = pc.indices_nonzero(pc.is_valid(refs)).to_pylist()
            for row, found_refs in zip(rows_with, refs.drop_null().to_pylist(), strict=True):
                self._refs[self._count + row] = found_refs
        self._count += kept.num_rows
        self._fingerprints.append(kept.column("fp").combine_chunks())
        self._parts.append(kept.select(list(FIELDS)).cast(_RECORD_SCHEMA))
        return int(found.num_rows)

    def _read_addresses(self, rows: pa.Table, ids: pa.ChunkedArray) -> None:
        """Keep the parts of these Address entities, from their light rows."""
        mine = rows.filter(pc.is_in(rows.column("entity_id"), value_set=ids.combine_chunks()))
        columns = [mine.column(n).to_pylist() for n in ("entity_id", *_ADDRESS_FACTS)]
        for entity_id, group in groupby(zip(*columns, strict=True), key=_ENTITY_ID):
            self._addresses[entity_id] = address_record(list(map(_FACTS, group)))

    def finish(self) -> Records:
        """The records, with the Address entities they point at lent in."""
        table = pa.concat_tables([_RECORD_SCHEMA.empty_table(), *self._parts]).combine_chunks()
        fingerprints = [str(fp) for part in self._fingerprints for fp in part.to_pylist()]
        self._parts, self._fingerprints, self._count = [], [], 0
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._refs:
            table, fingerprints = self._lend_all(table, fingerprints)
        self._refs, self._addresses = {}, {}
        return Records(table, fingerprints)

    def _lend_all(self, table: pa.Table, fingerprints: list[str]) -> tuple[pa.Table, list[str]]:
        names = ("address", "postcode", "city", "country")
        columns = {n: table.column(n).to_pylist() for n in names}
        for row, refs in self._refs.items():
            found = _resolve(refs, self._addresses)
            if found is None:
                continue
            lent = False
            for name, value in zip(names, found, strict=True):
                if value and columns[name][row] is None:
                    columns[name][row] = value
                    lent = True
            if lent:
                # The record changes when its Address does: so must its fingerprint.
                text = fingerprints[row] + "\x1f".join(v or "" for v in found)
                fingerprints[row] = hashlib.sha1(text.encode("utf-8")).hexdigest()
        for name in names:
            table = table.set_column(
                table.schema.get_field_index(name), name, pa.array(columns[name], pa.string())
            )
        return table, fingerprints


def records_table(rows: Iterable[Row]) -> pa.Table:
    """Match rows (mappings of lists) as the `Records` table: first values, identifiers
    joined. The per-entity path (`match_row`) and the bulk reader meet here in tests."""
    columns: dict[str, list[str | None]] = {f: [] for f in FIELDS}
    for row in rows:
        for name in FIELDS:
            value = row.get(name)
            if value is None or isinstance(value, str):
                columns[name].append(value or None)
            elif name == "identifier":
                columns[name].append(SEP.join(value) or None)
            else:
                columns[name].append(value[0] if value else None)
    return pa.table({f: pa.array(columns[f], pa.string()) for f in FIELDS})
