"""A small deterministic population of people spread over datasets, for resolution tests."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyarrow as pa

from tests.conftest import entity, write_entities
from threadline.model.statement import StatementRow
from threadline.resolve.extract import address_lookup, match_row, records_table

FIRST = [
    "anna",
    "ben",
    "clara",
    "david",
    "emil",
    "frieda",
    "georg",
    "hanna",
    "ivan",
    "jana",
    "karl",
    "lena",
    "max",
    "nina",
    "otto",
    "paula",
    "rudi",
    "sara",
    "tom",
    "ute",
    "vera",
    "walter",
    "xenia",
    "yusuf",
    "zoe",
    "oskar",
    "ida",
    "luis",
    "mia",
    "noah",
]
LAST = [
    "schulz",
    "becker",
    "hoffmann",
    "koch",
    "richter",
    "wolf",
    "neumann",
    "schwarz",
    "zimmermann",
    "braun",
    "krueger",
    "hartmann",
    "lange",
    "werner",
    "krause",
    "lehmann",
    "koehler",
    "maier",
    "fuchs",
    "peters",
    "scholz",
    "moeller",
    "jung",
    "hahn",
    "vogel",
    "keller",
    "guenther",
    "frank",
    "berger",
    "roth",
]
STREETS = ["Lindenweg", "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße"]


def person(rng: random.Random, number: int) -> dict[str, Any]:
    """One true person."""
    return {
        "first": rng.choice(FIRST),
        "last": rng.choice(LAST),
        "dob": f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "address": f"{rng.choice(STREETS)} {rng.randint(1, 200)}, {rng.randint(10000, 99999)} Stadt",
        "idnum": f"ID{number:07d}",
    }


def record(p: dict[str, Any], entity_id: str, rng: random.Random, typo: bool) -> dict[str, Any]:
    """An FtM Person for a person, maybe with a typo in the last name."""
    last = p["last"]
    if typo and len(last) > 4:
        i = rng.randrange(1, len(last) - 1)
        last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]
    props: dict[str, Any] = {
        "name": f"{p['first'].title()} {last.title()}",
        "firstName": p["first"].title(),
        "lastName": last.title(),
        "birthDate": p["dob"],
        "address": p["address"],
    }
    if rng.random() < 0.5:
        props["idNumber"] = p["idnum"]
    return entity(entity_id, "Person", **props)


def population(folder: Path, people: int = 300, seed: int = 3) -> dict[str, Path]:
    """Files a.json, b.json, c.json: each person appears in one to three of them.

    Returns the files by dataset name; entity ids are `<dataset>-<person number>`.
    """
    rng = random.Random(seed)
    files: dict[str, list[dict[str, Any]]] = {"a": [], "b": [], "c": []}
    for number in range(people):
        p = person(rng, number)
        for dataset in rng.sample(sorted(files), rng.randint(1, 3)):
            files[dataset].append(record(p, f"{dataset}-{number}", rng, rng.random() < 0.2))
    folder.mkdir(parents=True, exist_ok=True)
    return {name: write_entities(folder / f"{name}.json", rows) for name, rows in files.items()}


def truth(entity_id: str) -> str:
    """The true person of a test entity id."""
    return entity_id.split("-", 1)[1]


def per_entity_records(
    groups: list[list[StatementRow]], datasets: set[str] | None = None
) -> pa.Table:
    """The match records the old way, entity by entity through statement objects: the
    oracle the bulk reader is held to."""
    addresses = address_lookup({g[0].entity_id: g for g in groups})
    rows = []
    for group in groups:
        if datasets and not any(r.dataset in datasets for r in group):
            continue
        row = match_row(group[0].entity_id, group, addresses)
        if row is not None:
            rows.append(row)
    return records_table(rows)
