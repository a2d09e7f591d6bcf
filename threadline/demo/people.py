"""Synthetic people: one true identity each, with the spellings different sources use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Final

from threadline.demo import names
from threadline.demo.translit import feminine_ru, romanise

# The gender a relationship implies (a spouse is taken to be of the other gender).
RELATION_GENDER: Final = {
    "brother": "m",
    "son": "m",
    "father": "m",
    "brother-in-law": "m",
    "sister": "f",
    "daughter": "f",
    "mother": "f",
    "sister-in-law": "f",
}
BLOOD: Final = frozenset({"brother", "sister", "son", "daughter", "father", "mother"})


@dataclass(frozen=True, eq=False)
class Person:
    """A natural person as they really are; sources only ever see spellings of them."""

    key: str
    origin: str
    gender: str
    first: str
    last: str
    birth_date: date
    nationality: str
    # Latin spellings of the full name, most common first (several for romanised names).
    latin: tuple[str, ...]
    # The name in native script (Cyrillic, Greek) if it is not Latin.
    native: str | None = None
    # Exact spellings a given source must use, cycled per occurrence (the story uses it).
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _birth_date(rng: Random) -> date:
    return date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))


def make_person(
    rng: Random, key: str, origin: str, gender: str | None = None, surname: str | None = None
) -> Person:
    """Draw one person of the given origin with all the spellings their name has.

    A surname can be imposed for Latin-script origins, so that relatives share it.
    """
    drawn = "f" if rng.random() < 0.42 else "m"
    gender = gender or drawn
    female = gender == "f"
    native: str | None = None
    if origin in ("de", "gb", "tr"):
        pools = {
            "de": (names.DE_FEMALE, names.DE_MALE, names.DE_LAST),
            "gb": (names.GB_FEMALE, names.GB_MALE, names.GB_LAST),
            "tr": (names.TR_FEMALE, names.TR_MALE, names.TR_LAST),
        }[origin]
        first = rng.choice(pools[0] if female else pools[1])
        last = surname or rng.choice(pools[2])
        latin: tuple[str, ...] = (f"{first} {last}",)
    elif origin in ("ru", "ua"):
        if origin == "ru":
            first_n = rng.choice(names.RU_FEMALE if female else names.RU_MALE)
            last_n = rng.choice(names.RU_LAST)
            last_n = feminine_ru(last_n) if female else last_n
            systems: tuple[str, ...] = ("english", "passport", "german")
        else:
            first_n = rng.choice(names.UA_FEMALE if female else names.UA_MALE)
            last_n = rng.choice(names.UA_LAST)
            systems = ("ukrainian", "english", "german")
        native = f"{first_n} {last_n}"
        latin = tuple(dict.fromkeys(romanise(native, system) for system in systems))
        first, last = latin[0].split(" ", 1)
    else:
        given = rng.choice(names.GR_FEMALE if female else names.GR_MALE)
        family = rng.choice(names.GR_LAST)
        last_n, last_l = (family[2], family[3]) if female else (family[0], family[1])
        native = f"{given[0]} {last_n}"
        alt_last = last_l.replace("Ch", "H").replace("mp", "mb")
        latin = tuple(dict.fromkeys((f"{given[1]} {last_l}", f"{given[2]} {alt_last}")))
        first, last = given[1], last_l
    return Person(
        key=key,
        origin=origin,
        gender=gender,
        first=first,
        last=last,
        birth_date=_birth_date(rng),
        nationality=origin,
        latin=latin,
        native=native,
    )


class PersonFactory:
    """Hands out people with unique keys, never reusing a name the story has reserved."""

    def __init__(self, rng: Random, reserved: frozenset[str]) -> None:
        self._rng = rng
        self._reserved = reserved
        self._count = 0

    def make(self, origin: str, gender: str | None = None, surname: str | None = None) -> Person:
        """Draw a new person of the given origin (and gender and surname, if given)."""
        while True:
            self._count += 1
            key = f"person-{self._count:06d}"
            person = make_person(self._rng, key, origin, gender, surname)
            spelled = {person.native, *person.latin}
            if not spelled & self._reserved:
                return person

    def relative(self, of: Person, relationship: str) -> Person:
        """Draw a relative of a person; blood relatives share the surname where it is Latin."""
        gender = RELATION_GENDER.get(relationship)
        if relationship == "spouse":
            gender = "f" if of.gender == "m" else "m"
        if relationship in BLOOD and of.origin in ("de", "gb", "tr"):
            return self.make(of.origin, gender, of.last)
        return self.make(of.origin if self._rng.random() < 0.8 else "de", gender)

    def draw(self, weights: Mapping[str, float]) -> Person:
        """Draw a new person with an origin picked by the given weights."""
        origins = list(weights)
        origin = self._rng.choices(origins, weights=[weights[o] for o in origins])[0]
        return self.make(origin)
