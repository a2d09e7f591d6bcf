"""Rows of the match frame to normalised columns, ready for blocking and comparison.

Each column is normalised by mapping its distinct values once: a million records share
far fewer distinct first names, surnames and dates, so the Python work is per distinct
value, and the per-row work is a dictionary lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from followthemoney.types import registry

from threadline.resolve import orgnames
from threadline.resolve.address import ADDRESS_COLUMNS, address_columns
from threadline.resolve.frame import FIELDS, Value
from threadline.resolve.namefrequency import name_frequency
from threadline.resolve.names import (
    clear_caches,
    fold,
    given_forms,
    nickname_group,
    person_name,
    skeleton,
    sorted_key,
)
from threadline.resolve.orgnames import org_name

PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset(
    {"Company", "Organization", "PublicBody", "LegalEntity", "Asset", "Airplane", "Vessel"}
)

_DIGITS = re.compile(r"\d+")

# The prepared columns and their Arrow types; `rid` is the row number joins use.
COLUMNS: dict[str, pa.DataType] = {
    "rid": pa.int32(),
    "id": pa.string(),
    "dataset": pa.string(),
    "kind": pa.string(),
    "schema": pa.string(),  # the FtM schema, for schema compatibility (resolve/schemas.py)
    "first": pa.string(),
    "last": pa.string(),
    "first_sk": pa.string(),
    "last_sk": pa.string(),
    "initial": pa.string(),
    "nicks": pa.list_(pa.string()),
    "last_initial": pa.string(),
    "last_nicks": pa.list_(pa.string()),
    "first_tf": pa.float64(),  # how common the given name is among the records
    "last_tf": pa.float64(),
    "email_tf": pa.float64(),
    "ident_tf": pa.float64(),
    "name_sks": pa.list_(pa.string()),  # skeletons of the name words, for blocking
    "dob_ym": pa.string(),
    "dob_y": pa.string(),
    "name_key": pa.string(),
    # Organisations only (null for people), see orgnames.OrgName: the name with its legal
    # form in compare form, the name without legal form, its significant words, the
    # acronym pattern of a one-word name, and how common the name without legal form is.
    "org_key": pa.string(),
    "org_core": pa.string(),
    "org_tokens": pa.list_(pa.string()),
    "org_acronym": pa.string(),
    "org_core_tf": pa.float64(),
    "dob": pa.string(),
    "ident": pa.string(),
    "idents": pa.list_(pa.string()),
    **ADDRESS_COLUMNS,  # addr, street, house, postcode, city, addr_tokens, addr_idf...
    "country": pa.string(),
    "email": pa.string(),
    "phone": pa.string(),
    # Name keys of the parties a record is linked to (resolve/relations.py); null when
    # the caller gives none.
    "rel_names": pa.list_(pa.string()),
}


def _values(value: Value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if v and v.strip()]


def _first(value: Value) -> str | None:
    found = _values(value)
    return found[0] if found else None


def kind_of(schema: str | None, has_person_names: bool) -> str:
    """person, org or other: which comparisons apply to a record."""
    if schema in PERSON_SCHEMATA or (schema in (None, "LegalEntity") and has_person_names):
        return "person"
    if schema is None or schema in ORG_SCHEMATA:
        return "org"
    return "other"


def split_person(name: str | None, first: str | None, last: str | None) -> tuple[str, str]:
    """Folded (first, last) from name parts when given, else from the full name
    (honorifics and titles stripped: see names.person_name)."""
    return person_name(name or "", first or "", last or "")


def date_digits(value: str | None) -> str | None:
    """A birth date as its digits, YYYYMMDD or a prefix of it; None when unusable."""
    if not value:
        return None
    digits = "".join(_DIGITS.findall(value))[:8]
    return digits if len(digits) >= 4 else None


_NOT_ALNUM = re.compile(r"[\W_]+")


def identifier_key(value: str) -> str:
    """An identifier as upper-case letters and digits only."""
    return _NOT_ALNUM.sub("", value.upper())


def country_key(value: str) -> str | None:
    """An ISO country code from a code or a name in many languages ("Österreich" = at)."""
    return registry.country.clean(value) or _or_none(fold(value))


def phone_key(value: str | None) -> str | None:
    """The last nine digits of a phone number."""
    if not value:
        return None
    digits = "".join(_DIGITS.findall(value))
    return digits[-9:] if len(digits) >= 6 else None


_SEP = "\x1f"


def _or_none(text: str | None) -> str | None:
    return text if text else None


def _map(array: pa.Array, func: Callable[[Any], Any], kind: pa.DataType) -> pa.Array:
    """`func` applied to each distinct value once (None stays None); the rows then take
    their results by index, in Arrow, not Python."""
    distinct = pc.unique(array)
    results = pa.array([None if v is None else func(v) for v in distinct.to_pylist()], type=kind)
    return results.take(pc.index_in(array, value_set=distinct))


def _frequency(array: pa.Array) -> pa.Array:
    """Each value's share of the non-null values (null stays null)."""
    counts = pc.value_counts(array)
    values = counts.field("values")
    total = max(len(array) - array.null_count, 1)
    shares = pc.divide(counts.field("counts").cast(pa.float64()), float(total))
    # value_counts counts nulls too, and index_in finds them: keep them null.
    found = shares.take(pc.index_in(array, value_set=values))
    return pc.if_else(pc.is_valid(array), found, pa.scalar(None, pa.float64()))


def _full_name(key: str) -> str | None:
    """A person's whole name, middle names too, from its name, given and family name
    (the parts where the record has them, so records with and without the full name
    agree)."""
    name, given, family = [*key.split(_SEP), "", ""][:3]
    return fold(f"{given} {family}" if given or family else name) or None


def _joined(*arrays: pa.Array) -> pa.Array:
    """Several string columns as one key per row (nulls as empty strings)."""
    filled = [pc.fill_null(a, "") for a in arrays]
    return pc.binary_join_element_wise(*filled, _SEP)


def _text_column(values: Sequence[Any] | pa.Array) -> pa.Array:
    """A string column from plain values: the first non-empty value of lists."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            array = values.cast(pa.string())
            return pc.if_else(pc.equal(pc.utf8_trim_whitespace(array), ""), None, array)
        if pa.types.is_null(values.type):
            return pa.nulls(len(values), pa.string())
        values = values.to_pylist()
    return pa.array([_first(v) for v in values], type=pa.string())


def _identifier_column(values: Sequence[Any] | pa.Array) -> pa.Array:
    """Identifiers of each record joined into one string, for distinct-value mapping."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return values.cast(pa.string())
        if pa.types.is_null(values.type):
            return pa.nulls(len(values), pa.string())
        values = values.to_pylist()
    return pa.array([_SEP.join(_values(v)) or None for v in values], type=pa.string())


def _columns(rows: Iterable[Mapping[str, Value]]) -> dict[str, list[Any]]:
    raw: dict[str, list[Any]] = {name: [] for name in FIELDS}
    for row in rows:
        for name in FIELDS:
            raw[name].append(row.get(name))
    return raw


# Starts the address columns' work (address.address_columns) on the address, postcode,
# city and country text columns, and returns what waits for its result: a caller may
# run it elsewhere (another process) while the names are prepared here.
Locate = Callable[[pa.Array, pa.Array, pa.Array, pa.Array], Callable[[], Mapping[str, pa.Array]]]


def locate_here(
    address: pa.Array, postcode: pa.Array, city: pa.Array, country: pa.Array
) -> Callable[[], Mapping[str, pa.Array]]:
    """`Locate` in this process, when its result is asked for."""
    return lambda: address_columns(address, postcode, city, country)


def prepare(
    rows: Iterable[Mapping[str, Value]] | pa.Table, locate: Locate = locate_here
) -> pa.Table:
    """The normalised table (see COLUMNS) of match records: mappings, or an Arrow table
    with (some of) the frame.FIELDS as columns; `locate` makes the address columns."""
    if isinstance(rows, pa.Table):
        n = rows.num_rows
        columns: dict[str, Any] = {
            f: rows.column(f) if f in rows.column_names else pa.nulls(n, pa.string())
            for f in FIELDS
        }
        if "rel_names" in rows.column_names:
            columns["rel_names"] = rows.column("rel_names")
    else:
        columns = _columns(rows)
    table = prepare_columns(columns, locate)
    # Arrow's allocator keeps the intermediate arrays' memory for reuse; at a million
    # records that is a quarter of a gigabyte the rest of the run never asks for.
    pa.default_memory_pool().release_unused()
    return table


def _org_key(name: str) -> str | None:
    found = org_name(name)
    return found.key if found else None


def _org_core(name: str) -> str | None:
    found = org_name(name)
    return found.core if found else None


def _org_tokens(name: str) -> list[str] | None:
    found = org_name(name)
    return list(found.tokens) if found and found.tokens else None


def _org_words(name: str) -> list[str] | None:
    """Skeletons of an organisation's significant words (for blocking)."""
    found = org_name(name)
    return _name_words(" ".join(found.tokens)) if found else None


def _org_acronym(name: str) -> str | None:
    found = org_name(name)
    return found.acronym if found else None


def _person(key: str) -> tuple[str, str | None, list[str] | None]:
    """A joined (name, given, family) to its folded first and last name (joined too),
    its whole name (`_full_name`) and its first name's forms (names.first_name_forms):
    one reading of each distinct name gives all three."""
    name, given, family = key.split(_SEP)
    first, last = person_name(name, given, family)
    forms = given_forms(first, name, given, family)
    return _SEP.join((first, last)), _full_name(key), list(forms) or None


def _map_many(
    array: pa.Array, func: Callable[[Any], tuple[Any, ...]], kinds: Sequence[pa.DataType]
) -> list[pa.Array]:
    """`_map` for a `func` of several results, each distinct value once (None gives a
    None of each)."""
    distinct = pc.unique(array)
    found = [None if v is None else func(v) for v in distinct.to_pylist()]
    where = pc.index_in(array, value_set=distinct)
    return [
        pa.array([None if f is None else f[n] for f in found], type=kind).take(where)
        for n, kind in enumerate(kinds)
    ]


def _kind(key: str) -> str:
    schema, _, has_names = key.partition(_SEP)
    return kind_of(schema or None, has_names == "1")


def _ids(joined: str) -> list[str] | None:
    found = sorted({identifier_key(v) for v in joined.split(_SEP) if v.strip()} - {""})
    return found or None


def _name_words(key: str) -> list[str] | None:
    words = {skeleton(w) for w in key.replace(_SEP, " ").split() if len(w) > 1}
    return sorted(words) or None


def prepare_columns(
    columns: Mapping[str, Sequence[Any] | pa.Array], locate: Locate = locate_here
) -> pa.Table:
    """The normalised table of match records given column by column."""
    text = {f: _text_column(columns[f]) for f in FIELDS if f != "identifier"}
    # Street, house number, postcode and city, split from one-line addresses too: begun
    # first, asked for last, so that `locate` may work meanwhile.
    located = locate(text["address"], text["postcode"], text["city"], text["country"])
    n = len(text["id"])
    for field in ("id", "dataset"):
        missing = text[field].is_null()
        if pc.any(missing).as_py():
            number = pc.index(missing, True).as_py()
            raise ValueError(f"match record {number}: 'id' and 'dataset' are required")
    if pc.count_distinct(text["id"]).as_py() != n:
        raise ValueError("match records must have unique ids")
    person_names = pc.or_(pc.is_valid(text["first_name"]), pc.is_valid(text["last_name"]))
    kinds = _map(_joined(text["schema"], pc.if_else(person_names, "1", "0")), _kind, pa.string())
    is_person = pc.equal(kinds, "person")
    # Only people's names are split into first and last (the others' stay null), each
    # distinct name once; both parts travel as one string until Arrow parts them.
    split_key = _joined(text["name"], text["first_name"], text["last_name"])
    # Every word of the name, middle names too: "Jung Ho Kim" and "Jung Sun Kim" are two.
    # The first name's forms are null where the first name is (a person without one
    # has none, and the others are not people).
    split, full_names, forms = _map_many(
        pc.if_else(is_person, split_key, None),
        _person,
        (pa.string(), pa.string(), pa.list_(pa.string())),
    )
    halves = pc.split_pattern(split, _SEP)
    first, last = (
        pc.if_else(pc.and_(is_person, pc.not_equal(part, "")), part, None)
        for part in (pc.list_element(halves, 0), pc.list_element(halves, 1))
    )
    both = _joined(first, last)
    org_names = pc.if_else(is_person, None, text["name"])
    name_keys = pc.if_else(
        is_person,
        _map(both, lambda k: _or_none(sorted_key(k.replace(_SEP, " ").split())), pa.string()),
        _map(org_names, _org_key, pa.string()),
    )
    org_core = _map(org_names, _org_core, pa.string())
    org_tokens = _map(org_names, _org_tokens, pa.list_(pa.string()))
    idents = _map(_identifier_column(columns["identifier"]), _ids, pa.list_(pa.string()))
    dob = _map(text["birth_date"], date_digits, pa.string())
    dob_len = pc.utf8_length(dob)
    prepared: dict[str, pa.Array] = {
        "rid": pa.array(range(n), type=pa.int32()),
        "id": text["id"],
        "dataset": text["dataset"],
        "kind": kinds,
        "schema": text["schema"],
        "first": first,
        "last": last,
        "first_sk": _map(first, skeleton, pa.string()),
        "last_sk": _map(last, lambda v: " ".join(map(skeleton, v.split())), pa.string()),
        "initial": pc.utf8_slice_codeunits(first, 0, 1),
        # Nicknames, and a given name in two words as one ("Hans Peter": "hanspeter").
        "nicks": forms,
        "last_initial": pc.utf8_slice_codeunits(last, 0, 1),
        "last_nicks": _map(last, lambda v: list(nickname_group(v)), pa.list_(pa.string())),
        "first_tf": name_frequency(first, full_names),
        "last_tf": name_frequency(last, full_names),
        "name_sks": pc.if_else(
            is_person,
            _map(both, _name_words, pa.list_(pa.string())),
            _map(org_names, _org_words, pa.list_(pa.string())),
        ),
        "name_key": name_keys,
        "org_key": pc.if_else(is_person, None, name_keys),
        "org_core": org_core,
        "org_tokens": org_tokens,
        "org_acronym": _map(org_names, _org_acronym, pa.string()),
        "org_core_tf": _frequency(org_core),
        "dob": dob,
        "dob_ym": pc.if_else(
            pc.greater_equal(dob_len, 6), pc.utf8_slice_codeunits(dob, 0, 6), None
        ),
        "dob_y": pc.utf8_slice_codeunits(dob, 0, 4),
        "ident": pc.list_element(pc.fill_null(idents, pa.scalar([""], pa.list_(pa.string()))), 0),
        "idents": idents,
        "country": _map(text["country"], country_key, pa.string()),
        "email": _map(text["email"], lambda v: v.strip().lower() or None, pa.string()),
        "phone": _map(text["phone"], phone_key, pa.string()),
    }
    prepared["email_tf"] = _frequency(prepared["email"])
    prepared["ident"] = pc.if_else(pc.equal(prepared["ident"], ""), None, prepared["ident"])
    prepared["ident_tf"] = _frequency(prepared["ident"])
    prepared.update(located())
    relations = columns.get("rel_names")
    prepared["rel_names"] = (
        pa.nulls(len(prepared["id"]), COLUMNS["rel_names"]) if relations is None else relations
    )
    table = pa.table({k: prepared[k].cast(COLUMNS[k]) for k in COLUMNS})
    clear_caches()  # a million distinct values would otherwise stay cached
    orgnames.clear_caches()
    return table
