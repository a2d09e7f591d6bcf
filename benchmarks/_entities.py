"""A million synthetic FtM entities (JSON lines) and name queries with one typo, for search.

People and companies dominate, as in a leak or a corporate register; names come from
`_names.NameFactory`, so some carry accents and about 7% are in Cyrillic.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

import orjson
from _names import CITIES, NameFactory

_WORD = re.compile(r"[^\W_]+")
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "".join(chr(c) for c in range(0x430, 0x450)) + "\N{CYRILLIC SMALL LETTER IO}"
EDITS = ("substitute", "insert", "delete", "transpose")
# A typo goes into a token at least this long: one edit in "Ltd" or "Ana" is another word.
MIN_TYPO_TOKEN = 4


@dataclass(frozen=True)
class Source:
    """An entity a query was made from."""

    id: str
    schema: str
    name: str
    script: str


@dataclass(frozen=True)
class TypoQuery:
    """A name with one edit in one token, and the entity it should find."""

    text: str
    source: Source
    edit: str
    token: str
    typo: str
    shared_name: int  # how many entities carry exactly the source's name (case-folded)


def entity_id(seed: int, number: int) -> str:
    """A stable, well-spread id, like the hashed ids of FtM mappings."""
    return hashlib.sha1(f"bench:{seed}:{number}".encode()).hexdigest()[:20]


def _day(rng: Random, start_year: int, years: int) -> str:
    return (date(start_year, 1, 1) + timedelta(days=rng.randrange(365 * years))).isoformat()


def make_entity(rng: Random, names: NameFactory, eid: str) -> tuple[dict[str, Any], str]:
    """One entity as FtM JSON, and the script of its name."""
    roll = rng.random()
    country = rng.choice(CITIES)[0]
    street, postcode, city, addr_country = names.address()
    address = f"{street}, {postcode} {city}"
    props: dict[str, list[str]] = {}
    if roll < 0.55:
        schema = "Person"
        name, script = names.person()
        props["name"] = [name]
        props["nationality"] = [country]
        if rng.random() < 0.6:
            props["birthDate"] = [_day(rng, 1940, 65)]
        if rng.random() < 0.05:
            props["alias"] = [names.person()[0]]
        if rng.random() < 0.2:
            props["position"] = [rng.choice(("Director", "Shareholder", "Secretary", "Agent"))]
    elif roll < 0.95:
        schema = "Company"
        name, script = names.company()
        props["name"] = [name]
        props["jurisdiction"] = [country]
        if rng.random() < 0.8:
            props["registrationNumber"] = [f"{rng.randint(10000, 99999999):08d}"]
        if rng.random() < 0.7:
            props["incorporationDate"] = [_day(rng, 1980, 44)]
        if rng.random() < 0.05:
            props["previousName"] = [names.company()[0]]
        if rng.random() < 0.3:
            props["status"] = [rng.choice(("Active", "Dissolved", "In liquidation"))]
    else:
        schema = "Organization"
        name, script = names.company()
        props["name"] = [name.rsplit(" ", 1)[0]]
        if rng.random() < 0.5:
            props["description"] = [f"Association registered in {city}"]
    if rng.random() < 0.75:
        props["address"] = [address]
        props["country"] = [addr_country]
    return {"id": eid, "schema": schema, "properties": props}, script


def write_entities(path: Path, count: int, seed: int, samples: int) -> list[Source]:
    """Write `count` entities as JSON lines; return `samples` of them, drawn at random."""
    rng = Random(seed)
    names = NameFactory(rng)
    wanted = set(Random(seed + 1).sample(range(count), min(samples, count)))
    picked: list[Source] = []
    with path.open("wb") as fh:
        lines: list[bytes] = []
        for number in range(count):
            eid = entity_id(seed, number)
            data, script = make_entity(rng, names, eid)
            if number in wanted:
                name = data["properties"]["name"][0]
                picked.append(Source(eid, data["schema"], name, script))
            lines.append(orjson.dumps(data))
            if len(lines) >= 10_000:
                fh.write(b"\n".join(lines) + b"\n")
                lines = []
        if lines:
            fh.write(b"\n".join(lines) + b"\n")
    return picked


def name_counts(path: Path, names: set[str]) -> Counter[str]:
    """How many entities in the file carry each of `names` (case-folded) as a name."""
    counts: Counter[str] = Counter()
    with path.open("rb") as fh:
        for line in fh:
            props = orjson.loads(line)["properties"]
            for name in props.get("name", []):
                folded = name.casefold()
                if folded in names:
                    counts[folded] += 1
    return counts


def _typo(rng: Random, token: str, edit: str) -> str:
    alphabet = _CYRILLIC if any("\u0400" <= c <= "\u04ff" for c in token) else _LATIN
    upper = token.isupper()
    chars = list(token)
    pos = rng.randrange(len(chars))
    if edit == "substitute":
        current = chars[pos].lower()
        chars[pos] = rng.choice([c for c in alphabet if c != current])
    elif edit == "insert":
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(alphabet))
    elif edit == "delete":
        del chars[pos]
    else:
        pairs = [i for i in range(len(chars) - 1) if chars[i].lower() != chars[i + 1].lower()]
        if not pairs:  # "Anna" has no swappable pair that changes it; substitute instead
            return _typo(rng, token, "substitute")
        i = rng.choice(pairs)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    typo = "".join(chars)
    return typo.upper() if upper else typo


def make_queries(sources: list[Source], path: Path, seed: int) -> list[TypoQuery]:
    """One query per source: its name with one edit in one token of 4+ letters."""
    rng = Random(seed + 2)
    counts = name_counts(path, {s.name.casefold() for s in sources})
    queries = []
    for source in sources:
        spans = [m for m in _WORD.finditer(source.name) if len(m.group(0)) >= MIN_TYPO_TOKEN]
        if not spans:
            spans = [max(_WORD.finditer(source.name), key=lambda m: len(m.group(0)))]
        span = rng.choice(spans)
        edit = rng.choice(EDITS)
        typo = _typo(rng, span.group(0), edit)
        text = source.name[: span.start()] + typo + source.name[span.end() :]
        queries.append(
            TypoQuery(text, source, edit, span.group(0), typo, counts[source.name.casefold()])
        )
    return queries
