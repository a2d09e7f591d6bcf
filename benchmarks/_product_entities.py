"""Benchmark records as the FtM entities a user would ingest: one JSON-lines file per dataset.

The product benchmark feeds threadline the way its users do: entities in files, through
`Workbench.ingest`. The records start as match-frame rows (`_hardset.FIELDS`, the rows
the anchors also read), and become:

- **flat**: a `Person` (or `Company`) with the address as one string in `address`
  ("street, postcode city", as a spreadsheet column would hold it) and `country`;
- **native**: the same, but the address is an `Address` entity (street, postalCode,
  city, country) linked by `addressEntity`. Records with the same address parts share
  one Address entity, as an FtM mapping keyed on them makes.

Identifiers go to `idNumber` (Person) or `registrationNumber` (Company); `extra` adds
properties a set has beyond the frame (notes, say).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

Row = Mapping[str, Any]
Entity = dict[str, Any]  # an FtM entity as JSON: id, schema, properties
SHAPES = ("flat", "native")
_PERSON = {"first_name": "firstName", "last_name": "lastName", "birth_date": "birthDate",
           "identifier": "idNumber", "email": "email", "phone": "phone"}  # fmt: skip
_COMPANY = {"identifier": "registrationNumber", "email": "email", "phone": "phone"}


def entities(row: Row, shape: str, extra: Mapping[str, list[str]] | None = None) -> list[Entity]:
    """The FtM entities of one frame row: the record, and its Address in the native shape."""
    schema = row.get("schema") or "Person"
    props: dict[str, list[str]] = {}
    for field, prop in (_PERSON if schema == "Person" else _COMPANY).items():
        _put(props, prop, row.get(field))
    _put(props, "name", row.get("name"))
    out: list[Entity] = []
    if shape == "flat":
        _put(props, "address", flat_address(row))
        _put(props, "country", row.get("country"))
    elif shape == "native":
        address = address_entity(row)
        if address is not None:
            out.append(address)
            props["addressEntity"] = [address["id"]]
        elif row.get("country"):
            _put(props, "country", row.get("country"))
    else:
        raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")
    for prop, values in (extra or {}).items():
        for value in values:
            _put(props, prop, value)
    out.insert(0, {"id": row["id"], "schema": schema, "properties": props})
    return out


def flat_address(row: Row) -> str | None:
    """The address as one string: "street, postcode city" (parts the street lacks)."""
    street = row.get("address") or ""
    place = " ".join(v for v in (row.get("postcode"), row.get("city")) if v and v not in street)
    return ", ".join(v for v in (street, place) if v) or None


def address_entity(row: Row) -> Entity | None:
    """An FtM Address of the row's address parts, its id a hash of them; None if none."""
    street = row.get("address")
    if street and row.get("postcode") and f", {row['postcode']}" in street:
        street = street.split(",")[0]  # the user's street column, without the place
    parts = {"street": street, "postalCode": row.get("postcode"), "city": row.get("city"),
             "country": row.get("country")}  # fmt: skip
    if not any(parts.values()):
        return None
    key = "|".join(str(parts[k] or "") for k in sorted(parts))
    props: dict[str, list[str]] = {}
    for prop, value in parts.items():
        _put(props, prop, value)
    return {"id": "addr-" + hashlib.sha1(key.encode()).hexdigest()[:16], "schema": "Address",
            "properties": props}  # fmt: skip


def write_jsonl(
    rows: Iterable[Row],
    folder: Path,
    shape: str,
    extra: Mapping[str, Mapping[str, list[str]]] | None = None,
) -> list[tuple[Path, str]]:
    """Write `rows` as FtM entities, one file per dataset; (path, dataset) of each file.

    An Address shared by several records is written once per file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handles: dict[str, Any] = {}
    seen: dict[str, set[str]] = {}
    try:
        for row in rows:
            dataset = str(row.get("dataset") or "default")
            if dataset not in handles:
                handles[dataset] = (folder / f"{dataset}-{shape}.jsonl").open("wb")
                seen[dataset] = set()
            for entity in entities(row, shape, (extra or {}).get(str(row["id"]))):
                if entity["id"] in seen[dataset]:
                    continue
                if entity["schema"] == "Address":
                    seen[dataset].add(entity["id"])
                handles[dataset].write(orjson.dumps(entity) + b"\n")
    finally:
        for handle in handles.values():
            handle.close()
    return [(folder / f"{d}-{shape}.jsonl", d) for d in sorted(handles)]


def _put(props: dict[str, list[str]], prop: str, value: object) -> None:
    if value is None:
        return
    text = str(value).strip()
    if text and text not in props.setdefault(prop, []):
        props[prop].append(text)
