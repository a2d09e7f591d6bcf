"""How one source writes names down: its habits, plus the slips its clerks make."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from threadline.demo.companies import FORMS, Address, Company
from threadline.demo.noise import fold, is_latin, street_variant, transcribe, typo
from threadline.demo.people import Person


@dataclass(frozen=True)
class Habits:
    """Probabilities describing how carefully a source spells names."""

    fold: float = 0.0  # drop accents ("Vermogensberatung")
    transcribe: float = 0.0  # write umlauts out ("Vermoegensberatung")
    form_variant: float = 0.0  # another spelling of the legal form
    typo: float = 0.0
    caps: float = 0.0
    native: float = 0.0  # native script for people who have one
    surname_first: float = 0.0  # "SOKOLOV, Dmitry"
    romanisation: int = 0  # preferred index into Person.latin
    stable: float = 0.85  # a repeat mention keeps the earlier spelling
    street: float = 0.0  # "Str." / "Strasse" for "Straße"


class Speller:
    """Spells people, companies and addresses the way one source would."""

    def __init__(self, source: str, rng: Random, habits: Habits) -> None:
        self.source = source
        self._rng = rng
        self._habits = habits
        self._memo: dict[str, str] = {}
        self._seen: dict[str, int] = {}

    def _explicit(self, key: str, spellings: tuple[str, ...] | None) -> str | None:
        if not spellings:
            return None
        count = self._seen.get(key, 0)
        self._seen[key] = count + 1
        return spellings[count % len(spellings)]

    def _remembered(self, key: str) -> str | None:
        known = self._memo.get(key)
        if known is not None and self._rng.random() < self._habits.stable:
            return known
        return None

    def _accents(self, text: str) -> str:
        roll = self._rng.random()
        if roll < self._habits.fold:
            return fold(text)
        if roll < self._habits.fold + self._habits.transcribe:
            return transcribe(text)
        return text

    def person(self, person: Person) -> str:
        """The name of a person as this source writes it."""
        explicit = self._explicit(person.key, person.spellings.get(self.source))
        if explicit is not None:
            return explicit
        known = self._remembered(person.key)
        if known is not None:
            return known
        rng, habits = self._rng, self._habits
        if person.native is not None and rng.random() < habits.native:
            text = person.native
        else:
            index = habits.romanisation if rng.random() < 0.8 else rng.randrange(len(person.latin))
            text = self._accents(person.latin[min(index, len(person.latin) - 1)])
        if is_latin(text) and rng.random() < habits.typo:
            text = typo(rng, text)
        shout = rng.random() < habits.caps
        if rng.random() < habits.surname_first and " " in text:
            given, surname = text.split(" ", 1)
            text = f"{surname.upper() if shout else surname}, {given}"
        elif shout:
            text = text.upper()
        self._memo[person.key] = text
        return text

    def company(self, company: Company) -> str:
        """The name of a company as this source writes it."""
        explicit = self._explicit(company.key, company.spellings.get(self.source))
        if explicit is not None:
            return explicit
        known = self._remembered(company.key)
        if known is not None:
            return known
        rng, habits = self._rng, self._habits
        stem, form = company.stem, company.form
        if rng.random() < habits.form_variant:
            if form == "GmbH" and stem.endswith("Beteiligungs") and rng.random() < 0.5:
                stem, form = stem + "gesellschaft", "mbH"
            else:
                form = rng.choice(FORMS[form][1:])
        text = self._accents(f"{stem} {form}")
        if rng.random() < habits.typo:
            text = typo(rng, text)
        if rng.random() < habits.caps:
            text = text.upper()
        self._memo[company.key] = text
        return text

    def address(self, address: Address) -> Address:
        """An address as this source writes it (street abbreviated, accents lost...)."""
        rng = self._rng
        street = address.street
        if rng.random() < self._habits.street:
            street = street_variant(rng, street)
        street, city = self._accents(street), address.city
        if rng.random() < self._habits.fold:
            city = fold(city)
        return Address(street, address.postcode, city, address.country)
