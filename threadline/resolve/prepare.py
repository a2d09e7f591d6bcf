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

from threadline.resolve.frame import FIELDS, Value
from threadline.resolve.names import fold, nickname_group, org_key, skeleton, sorted_key

PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset(
    {"Company", "Organization", "PublicBody", "LegalEntity", "Asset", "Airplane", "Vessel"}
)

_DIGITS = re.compile(r"\d+")
_ADDRESS_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bstrasse\b|\bstr\b|strasse\b|str\b"), " str"),
    (re.compile(r"\bstreet\b"), "st"),
    (re.compile(r"\broad\b"), "rd"),
    (re.compile(r"\bavenue\b"), "ave"),
    (re.compile(r"\bplatz\b"), "pl"),
    (re.compile(r"\bulitsa\b|\bul\b"), "ul"),
)

# The prepared columns and their Arrow types; `rid` is the row number joins use.
COLUMNS: dict[str, pa.DataType] = {
    "rid": pa.int32(),
    "id": pa.string(),
    "dataset": pa.string(),
    "kind": pa.string(),
    "first": pa.string(),
    "last": pa.string(),
    "first_sk": pa.string(),
    "last_sk": pa.string(),
    "initial": pa.string(),
    "nicks": pa.list_(pa.string()),
    "last_initial": pa.string(),
    "last_nicks": pa.list_(pa.string()),
    "name_sks": pa.list_(pa.string()),  # skeletons of the name words, for blocking
    "dob_ym": pa.string(),
    "dob_y": pa.string(),
    "name_key": pa.string(),
    "dob": pa.string(),
    "ident": pa.string(),
    "idents": pa.list_(pa.string()),
    "addr": pa.string(),
    "house": pa.string(),
    "postcode": pa.string(),
    "city": pa.string(),
    "country": pa.string(),
    "email": pa.string(),
    "phone": pa.string(),
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
    """Folded (first, last) from name parts when given, else from the full name."""
    if first or last:
        f = fold(first or "").split()
        return (f[0] if f else "", fold(last or ""))
    if not name:
        return ("", "")
    if "," in name:
        head, _, tail = name.partition(",")
        words = fold(tail).split()
        return (words[0] if words else "", fold(head))
    words = fold(name).split()
    if len(words) < 2:
        return ("", words[0] if words else "")
    return (words[0], words[-1])


def date_digits(value: str | None) -> str | None:
    """A birth date as its digits, YYYYMMDD or a prefix of it; None when unusable."""
    if not value:
        return None
    digits = "".join(_DIGITS.findall(value))[:8]
    return digits if len(digits) >= 4 else None


def address_key(value: str | None) -> str | None:
    """A folded street address with common street words shortened; a postcode and city
    after a comma ("Hauptstr. 1, 10115 Berlin") are left out, as they have fields of
    their own."""
    if not value:
        return None
    head, comma, _ = value.partition(",")
    if comma and head.strip() and any(ch.isdigit() for ch in head):
        value = head
    text = fold(value)
    for pattern, repl in _ADDRESS_WORDS:
        text = pattern.sub(repl, text)
    text = " ".join(text.split())
    return text or None


def house_number(address: str | None) -> str | None:
    """The first number of an address."""
    if not address:
        return None
    found = _DIGITS.search(address)
    return found.group(0) if found else None


def identifier_key(value: str) -> str:
    """An identifier as upper-case letters and digits only."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def phone_key(value: str | None) -> str | None:
    """The last nine digits of a phone number."""
    if not value:
        return None
    digits = "".join(_DIGITS.findall(value))
    return digits[-9:] if len(digits) >= 6 else None


def _mapped(column: Sequence[Any], func: Callable[[Any], Any]) -> list[Any]:
    """`func` applied to each distinct value once, then looked up per row."""
    table = {value: func(value) for value in set(column)}
    return [table[value] for value in column]


def _or_none(text: str | None) -> str | None:
    return text if text else None


def _columns(rows: Iterable[Mapping[str, Value]]) -> dict[str, list[Any]]:
    raw: dict[str, list[Any]] = {name: [] for name in FIELDS}
    for row in rows:
        for name in FIELDS:
            raw[name].append(row.get(name))
    return raw


def _scalars(column: list[Any]) -> list[str | None]:
    if all(v is None or isinstance(v, str) for v in column):
        return [v if v and v.strip() else None for v in column]
    return [_first(v) for v in column]


def prepare(rows: Iterable[Mapping[str, Value]] | pa.Table) -> pa.Table:
    """The normalised table (see COLUMNS) of match records: mappings, or an Arrow table
    with (some of) the frame.FIELDS as columns."""
    if isinstance(rows, pa.Table):
        given = rows.to_pydict()
        n = rows.num_rows
        columns = {f: given[f] if f in given else [None] * n for f in FIELDS}
    else:
        columns = _columns(rows)
    return prepare_columns(columns)


def prepare_columns(columns: dict[str, list[Any]]) -> pa.Table:
    """The normalised table of match records given column by column."""
    for number, (record_id, dataset) in enumerate(
        zip(columns["id"], columns["dataset"], strict=True)
    ):
        if not record_id or not dataset:
            raise ValueError(f"match record {number}: 'id' and 'dataset' are required")
    raw = {f: columns[f] if f == "identifier" else _scalars(columns[f]) for f in FIELDS}
    raw["identifier"] = _mapped(
        [v if v is None or isinstance(v, str) else tuple(v) for v in columns["identifier"]],
        lambda v: tuple(_values(v)),
    )
    n = len(raw["id"])
    if len(set(raw["id"])) != n:
        raise ValueError("match records must have unique ids")
    names = list(zip(raw["name"], raw["first_name"], raw["last_name"], strict=True))
    parts = _mapped(names, lambda t: split_person(*t))
    kinds = [
        kind_of(schema, bool(first or last))
        for schema, first, last in zip(
            raw["schema"], raw["first_name"], raw["last_name"], strict=True
        )
    ]
    first = [p[0] or None if k == "person" else None for p, k in zip(parts, kinds, strict=True)]
    last = [p[1] or None if k == "person" else None for p, k in zip(parts, kinds, strict=True)]
    name_keys = [
        _or_none(org_key(n_[0] or ""))
        if k != "person"
        else _or_none(sorted_key([*f.split(), *l_.split()]))
        for n_, k, f, l_ in zip(
            names, kinds, [p[0] for p in parts], [p[1] for p in parts], strict=True
        )
    ]
    idents = _mapped(raw["identifier"], lambda ids: sorted({identifier_key(v) for v in ids} - {""}))
    addr = _mapped(raw["address"], address_key)
    dob = _mapped(raw["birth_date"], date_digits)
    prepared: dict[str, list[Any]] = {
        "rid": list(range(n)),
        "id": raw["id"],
        "dataset": raw["dataset"],
        "kind": kinds,
        "first": first,
        "last": last,
        "first_sk": _mapped(first, lambda f: skeleton(f) if f else None),
        "last_sk": _mapped(last, lambda v: " ".join(map(skeleton, v.split())) if v else None),
        "initial": [f[0] if f else None for f in first],
        "nicks": _mapped(first, lambda f: list(nickname_group(f)) if f else None),
        "last_initial": [v[0] if v else None for v in last],
        "last_nicks": _mapped(last, lambda v: list(nickname_group(v)) if v else None),
        "name_sks": _mapped(
            list(zip(first, last, strict=True)),
            lambda t: (
                sorted({skeleton(w) for v in t if v for w in v.split() if len(w) > 1}) or None
            ),
        ),
        "name_key": name_keys,
        "dob": dob,
        "dob_ym": [d[:6] if d and len(d) >= 6 else None for d in dob],
        "dob_y": [d[:4] if d else None for d in dob],
        "ident": [ids[0] if ids else None for ids in idents],
        "idents": [ids or None for ids in idents],
        "addr": addr,
        "house": _mapped(addr, house_number),
        "postcode": _mapped(
            raw["postcode"], lambda v: _or_none(fold(v).replace(" ", "")) if v else None
        ),
        "city": _mapped(raw["city"], lambda v: _or_none(fold(v)) if v else None),
        "country": _mapped(raw["country"], lambda v: _or_none(fold(v)) if v else None),
        "email": _mapped(raw["email"], lambda v: v.strip().lower() or None if v else None),
        "phone": _mapped(raw["phone"], phone_key),
    }
    return pa.table({k: pa.array(v, type=COLUMNS[k]) for k, v in prepared.items()})
