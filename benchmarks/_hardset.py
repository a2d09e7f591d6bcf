"""A seeded generator of person records that are hard to resolve, with the true clusters.

Each true person has 1 to 5 records (mean about 2.1) spread over four datasets
(`registry`, `leak`, `donations`, `officers`), each dataset filling its own fields and
writing names its own way. Records of one person differ by typos, nicknames,
transliteration (Russian and Ukrainian names in four Latin spellings or in Cyrillic),
swapped name order, initials, day/month swaps and mistyped birth dates, missing fields,
address spellings ("Straße"/"Str."/"Strasse", "12a"/"12 A") and old addresses. About
13% of persons belong to hard-negative groups that must stay apart: relatives (same
surname and household), twins (same surname, household and birth date), namesakes (a
common full name, other birth date and city) and flatmates (same address).

Names come from the built-in lists in `_hardset_lists.py` (about 300 first names and 270
real surnames in six cultures, plus invented surnames for a long tail), drawn with
Zipf-Mandelbrot weights so a few surnames are common. Only the standard library is used:
a million records take about 20 s and 550 MiB.
"""

# Surname endings are Cyrillic and the fold table holds Turkish letters on purpose; RUF001
# flags letters that look Latin.
# ruff: noqa: RUF001

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TypeVar

from _hardset_lists import (
    CITIES,
    CULTURES,
    EMAIL_DOMAINS,
    NICKNAMES,
    STREETS_DE,
    STREETS_GB,
    STREETS_OTHER,
    TRANSLIT,
    Culture,
)

# The match-frame fields (threadline/resolve/frame.py), in column order.
FIELDS: tuple[str, ...] = ("id", "dataset", "schema", "name", "first_name", "last_name",
    "birth_date", "identifier", "address", "postcode", "city", "country", "email", "phone")  # fmt: skip
DATASETS: tuple[tuple[str, float], ...] = (
    ("registry", 0.35),
    ("leak", 0.25),
    ("donations", 0.20),
    ("officers", 0.20),
)
# How often each dataset fills a field ("split": first and last name in their own fields).
PROFILES: dict[str, dict[str, float]] = {
    "registry": {"split": 1.0, "birth_date": 0.97, "identifier": 0.7, "address": 0.95,
                 "city": 0.95, "email": 0.1, "phone": 0.15},
    "leak": {"split": 0.0, "birth_date": 0.85, "identifier": 0.05, "address": 0.75, "city": 0.7,
             "email": 0.9, "phone": 0.7},
    "donations": {"split": 0.5, "birth_date": 0.7, "identifier": 0.0, "address": 0.95,
                  "city": 0.95, "email": 0.2, "phone": 0.1},
    "officers": {"split": 1.0, "birth_date": 0.95, "identifier": 0.2, "address": 0.8,
                 "city": 0.8, "email": 0.05, "phone": 0.05},
}  # fmt: skip
CLUSTER_SIZES = (0.40, 0.30, 0.15, 0.10, 0.05)  # P(1 record) .. P(5 records): mean 2.1
GROUP_RATE = 0.055  # chance that a person starts a hard-negative group
GROUP_KINDS = (("relatives", 0.35), ("twins", 0.10), ("namesakes", 0.30), ("flatmates", 0.25))
FIRST_OFFSET, SURNAME_OFFSET = 15, 30  # Zipf-Mandelbrot offsets of the name draws
FIRST_DAY = date(1940, 1, 1).toordinal()
LAST_DAY = date(2005, 12, 31).toordinal()

Value = str | None
T = TypeVar("T")


@dataclass
class HardSet:
    """Generated records, column by column, and the true person of every record."""

    columns: dict[str, list[Value]]
    truth: dict[str, str]  # record id -> true person ("cluster")
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # person -> (group, kind)

    def __len__(self) -> int:
        return len(self.columns["id"])

    def rows(self) -> Iterator[dict[str, Value]]:
        """The records as match-frame dicts, in their shuffled order."""
        for values in zip(*(self.columns[f] for f in FIELDS), strict=True):
            yield dict(zip(FIELDS, values, strict=True))


@dataclass
class Address:
    """Where a person lives: kept apart so records can spell it differently."""

    style: str  # "de", "gb" or "other"
    street: str
    number: int
    suffix: str  # house number letter, or ""
    postcode: str
    city: str
    country: str


@dataclass
class Person:
    """One true person; records are renderings of it."""

    key: str
    culture: Culture
    male: bool
    first: str
    last: str
    born: int  # date ordinal
    address: Address
    identifier: str
    email: str
    phone: str


def generate(n_records: int, seed: int) -> HardSet:
    """`n_records` person records from `seed`; the same arguments give the same set."""
    rnd = random.Random(seed)
    positions = list(range(n_records))
    rnd.shuffle(positions)  # so one person's records are not neighbours
    columns: dict[str, list[Value]] = {f: [None] * n_records for f in FIELDS}
    truth: dict[str, str] = {}
    groups: dict[str, tuple[str, str]] = {}
    maker = _Maker(rnd)
    written = 0
    for person, group in maker.people():
        if group is not None:
            groups[person.key] = group
        for _ in range(_pick(rnd, _SIZE_CUM) + 1):
            if written == n_records:
                return HardSet(columns, truth, groups)
            record_id = f"r{positions[written]:07d}"
            row = maker.record(person)
            position = positions[written]
            columns["id"][position] = record_id
            for name, value in row.items():
                columns[name][position] = value
            truth[record_id] = person.key
            written += 1
    raise AssertionError("unreachable: people() is endless")


class _Maker:
    """Draws people and renders their records; all randomness comes from `rnd`."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.count = itertools.count()
        self.groups = itertools.count()

    # People --------------------------------------------------------------------------

    def people(self) -> Iterator[tuple[Person, tuple[str, str] | None]]:
        """An endless stream of people; some come with their hard negatives."""
        rnd = self.rnd
        while True:
            person = self.person()
            if rnd.random() >= GROUP_RATE:
                yield person, None
                continue
            kind = GROUP_KINDS[_pick(rnd, _KIND_CUM)][0]
            group = (f"g{next(self.groups):06d}", kind)
            if kind == "namesakes":  # a common name: among the 10 first and 20 surnames
                person.first = rnd.choice(_first_names(person.culture, person.male)[:10])
                stem = rnd.choice(_surnames(person.culture)[:20])
                person.last = _surname(person.culture, stem, person.male)
                person.email = self.email(person.culture, person.first, person.last)
            yield person, group
            extra = {"relatives": rnd.randint(1, 3), "twins": 1, "namesakes": rnd.randint(1, 3),
                     "flatmates": rnd.randint(1, 2)}[kind]  # fmt: skip
            for _ in range(extra):
                yield self.negative(person, kind), group

    def person(self, culture: Culture | None = None) -> Person:
        """A new person, of `culture` or of one drawn by the cultures' weights."""
        rnd = self.rnd
        culture = culture or CULTURES[_pick(rnd, _CULTURE_CUM)]
        male = rnd.random() < 0.5
        first = _zipf(rnd, _first_names(culture, male), FIRST_OFFSET)
        last = _surname(culture, _zipf(rnd, _surnames(culture), SURNAME_OFFSET), male)
        return Person(
            key=f"p{next(self.count):07d}",
            culture=culture,
            male=male,
            first=first,
            last=last,
            born=rnd.randint(FIRST_DAY, LAST_DAY),
            address=self.address(culture),
            identifier="".join(str(rnd.randint(0, 9)) for _ in range(11)),
            email=self.email(culture, first, last),
            phone=f"{rnd.choice(('30', '40', '89', '221', '69', '151', '160', '176'))}"
            f"{rnd.randint(1000000, 9999999)}",
        )

    def negative(self, base: Person, kind: str) -> Person:
        """A different person who looks like `base` in the way `kind` says."""
        rnd = self.rnd
        if kind == "flatmates":
            other = self.person()
            other.address = base.address
            return other
        other = self.person(base.culture)
        if kind == "namesakes":
            other.first, other.last, other.male = base.first, base.last, base.male
            while other.address.city == base.address.city:
                other.address = self.address(base.culture)
            while other.born == base.born:
                other.born = rnd.randint(FIRST_DAY, LAST_DAY)
            other.email = self.email(other.culture, other.first, other.last)
            return other
        # Relatives and twins share the household: surname, address, often the phone.
        stem = _stem(base.culture, base.last)
        other.last = _surname(base.culture, stem, other.male)
        other.address = base.address
        if rnd.random() < 0.3:
            other.phone = base.phone
        while _latin(base.culture, other.first, "en") == _latin(base.culture, base.first, "en"):
            other.first = _zipf(rnd, _first_names(base.culture, other.male), FIRST_OFFSET)
        if kind == "twins":
            other.born = base.born
        else:  # a parent, child, spouse or sibling
            gap = rnd.choice((rnd.randint(20, 35), rnd.randint(1, 6)))
            born = base.born + (gap if rnd.random() < 0.5 else -gap) * 365 + rnd.randint(-150, 150)
            other.born = min(max(born, FIRST_DAY), LAST_DAY)
        other.email = self.email(other.culture, other.first, other.last)
        return other

    def email(self, culture: Culture, first: str, last: str) -> str:
        """A personal address made from the name, as people choose them."""
        rnd = self.rnd
        first, last = _latin(culture, first, "en"), _latin(culture, last, "en")
        user = rnd.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{rnd.randint(50, 99)}",
                           f"{last}.{first}"))  # fmt: skip
        return f"{_fold(user).lower().replace(' ', '')}@{rnd.choice(EMAIL_DOMAINS)}"

    def address(self, culture: Culture) -> Address:
        rnd = self.rnd
        country = "DE" if rnd.random() < 0.8 else culture.home
        city, prefix = _zipf(rnd, CITIES[country])
        postcode = _postcode(rnd, country, prefix)
        if country in ("DE", "AT"):
            base, kind = _zipf(rnd, STREETS_DE), rnd.choice(_STREET_TYPES)
            style, street = "de", base + (kind.capitalize() if base.endswith("-") else kind)
        elif country == "GB":
            style, street = "gb", _zipf(rnd, STREETS_GB)
        else:
            style, street = "other", rnd.choice(STREETS_OTHER[country])
        suffix = rnd.choice("abc") if rnd.random() < 0.1 else ""
        return Address(style, street, _zipf(rnd, _HOUSE_NUMBERS), suffix, postcode, city, country)

    # Records -------------------------------------------------------------------------

    def record(self, person: Person) -> dict[str, Value]:
        """One rendering of `person`, as the dataset it lands in would write it."""
        rnd = self.rnd
        dataset = DATASETS[_pick(rnd, _DATASET_CUM)][0]
        first, last = self.names(person)
        row: dict[str, Value] = {"dataset": dataset, "schema": "Person"}
        chance = PROFILES[dataset]
        if rnd.random() < chance["split"]:
            if rnd.random() < 0.03:  # the form's fields were filled the wrong way round
                row["first_name"], row["last_name"] = last, first
            else:
                row["first_name"], row["last_name"] = first, last
        row["name"] = self.full_name(first, last, dataset)
        if rnd.random() < chance["birth_date"]:
            row["birth_date"] = self.birth_date(person.born, partial=dataset == "officers")
        if rnd.random() < chance["identifier"]:
            row["identifier"] = self.identifier(person.identifier)
        where = person.address
        if rnd.random() < 0.05:  # an old address
            where = self.address(person.culture)
        if rnd.random() < chance["address"]:
            line = self.street_line(where)
            if dataset in ("leak", "donations") and rnd.random() < 0.5:
                line = f"{line}, {where.postcode} {where.city}"
            row["address"] = line
            if dataset != "leak" and rnd.random() < 0.9:
                row["postcode"] = where.postcode
        if rnd.random() < chance["city"]:
            row["city"] = self.city(where.city)
        if dataset != "leak" and rnd.random() < 0.85:
            row["country"] = self.country(where.country)
        if rnd.random() < chance["email"]:
            row["email"] = person.email if rnd.random() < 0.85 else self.other_email(person)
        if rnd.random() < chance["phone"]:
            row["phone"] = self.phone(person.phone, where.country)
        return row

    def names(self, person: Person) -> tuple[str, str]:
        """First and last name as this record spells them."""
        rnd = self.rnd
        first, last = person.first, person.last
        nick = NICKNAMES.get(first)
        if nick and rnd.random() < 0.12:
            first = rnd.choice(nick)
        if person.culture.cyrillic and rnd.random() >= 0.3:
            system = rnd.choice(("en", "en", "de", "de", "fr", "iso"))
            first, last = (
                _latin(person.culture, first, system),
                _latin(person.culture, last, system),
            )
        elif not person.culture.cyrillic and rnd.random() < 0.12:
            first, last = _fold(first), _fold(last)  # a system without umlauts or accents
        if rnd.random() < 0.15:
            if rnd.random() < 0.5:
                first = _typo(rnd, first)
            else:
                last = _typo(rnd, last)
        if rnd.random() < 0.06:
            first = first[0] + rnd.choice((".", ".", ""))
        return first, last

    def full_name(self, first: str, last: str, dataset: str) -> str:
        rnd = self.rnd
        roll = rnd.random()
        if dataset == "registry" and roll < 0.3:
            return f"{last.upper()}, {first}"
        if dataset in ("leak", "donations") and roll < 0.3:
            return f"{last}, {first}" if roll < 0.15 else f"{last} {first}"
        if dataset == "leak" and roll < 0.4:
            return f"{first} {last}".lower()
        return f"{first} {last}"

    def birth_date(self, born: int, partial: bool) -> str:
        rnd = self.rnd
        day = date.fromordinal(born)
        roll = rnd.random()
        if partial and roll < 0.2:
            return f"{day.year:04d}-{day.month:02d}"
        if roll < 0.03:
            return f"{day.year:04d}"
        if roll < 0.07 and day.day <= 12 and day.day != day.month:
            return f"{day.year:04d}-{day.day:02d}-{day.month:02d}"
        text = day.isoformat()
        if roll > 0.97:  # one mistyped digit, which may make the date invalid
            i = rnd.choice((2, 3, 6, 8, 9))
            text = text[:i] + str(rnd.randint(0, 9)) + text[i + 1 :]
        return text

    def identifier(self, number: str) -> str:
        rnd = self.rnd
        if rnd.random() < 0.05:
            number = _typo(rnd, number, digits=True)
        if rnd.random() < 0.1:
            return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"
        return number

    def street_line(self, where: Address) -> str:
        rnd = self.rnd
        number = str(where.number)
        if where.suffix:
            number += rnd.choice((where.suffix, where.suffix.upper(), " " + where.suffix))
        if where.style == "gb":
            street = where.street
            if rnd.random() < 0.4:
                for word, short in _GB_ABBREVIATIONS:
                    street = street.replace(word, short)
            return f"{number} {street}"
        street = where.street
        if where.style == "de":
            roll = rnd.random()
            for word, shorter in _DE_ABBREVIATIONS:
                if word in street:
                    if roll < 0.25:
                        street = street.replace(word, shorter[0])
                    elif roll < 0.35:
                        street = street.replace(word, shorter[1])
                    elif roll < 0.4:
                        street = street.replace(word, shorter[2])
                    break
        elif street.startswith("ul. ") and rnd.random() < 0.4:
            street = street[4:]
        return f"{street} {number}"

    def city(self, city: str) -> str:
        rnd = self.rnd
        variants = _CITY_VARIANTS.get(city)
        if variants and rnd.random() < 0.15:
            return rnd.choice(variants)
        if rnd.random() < 0.05:
            return city.upper()
        return city

    def country(self, code: str) -> str:
        roll = self.rnd.random()
        names = _COUNTRY_NAMES[code]
        if roll < 0.6:
            return code
        return names[int((roll - 0.6) / 0.4 * len(names))]

    def phone(self, number: str, country: str) -> str:
        code = {"DE": "49", "AT": "43", "GB": "44", "PL": "48", "TR": "90", "RU": "7"}.get(
            country, "49"
        )
        area, rest = number[:-7], number[-7:]
        return self.rnd.choice((f"+{code} {area} {rest}", f"0{area} {rest}", f"+{code}{area}{rest}",
                                f"00{code} {area} {rest}", f"(0{area}) {rest[:3]}-{rest[3:]}"))  # fmt: skip

    def other_email(self, person: Person) -> str:
        user = person.email.split("@")[0]
        return f"{user}{self.rnd.randint(1, 9)}@{self.rnd.choice(EMAIL_DOMAINS)}"


# Helpers ---------------------------------------------------------------------------

_STREET_TYPES = ("straße",) * 6 + ("weg", "allee", "platz", "gasse")
_DE_ABBREVIATIONS = (("straße", ("str.", "strasse", "str")), ("Straße", ("Str.", "Strasse", "Str")))
_GB_ABBREVIATIONS = ((" Road", " Rd"), (" Street", " St"), (" Lane", " Ln"), (" Avenue", " Ave"))
_HOUSE_NUMBERS = tuple(range(1, 201))
_CITY_VARIANTS: dict[str, tuple[str, ...]] = {
    "München": ("Muenchen", "Munich"),
    "Köln": ("Koeln", "Cologne"),
    "Frankfurt am Main": ("Frankfurt", "Frankfurt a.M.", "Frankfurt/Main"),
    "Nürnberg": ("Nuernberg", "Nuremberg"),
    "Düsseldorf": ("Duesseldorf",),
    "Wien": ("Vienna",),
    "Warszawa": ("Warsaw", "Warschau"),
    "İstanbul": ("Istanbul",),
    "Москва": ("Moscow", "Moskau", "Moskva"),
    "Roma": ("Rome", "Rom"),
}
_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "DE": ("Germany", "Deutschland", "DEU"),
    "AT": ("Austria", "Österreich", "AUT"),
    "GB": ("United Kingdom", "UK", "GBR"),
    "PL": ("Poland", "Polska", "POL"),
    "TR": ("Turkey", "Türkiye", "TUR"),
    "RU": ("Russia", "Russian Federation", "RUS"),
    "IT": ("Italy", "Italia", "ITA"),
}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
    "ß": "ss", "ı": "i", "İ": "I", "ş": "s", "Ş": "S", "ç": "c", "Ç": "C", "ğ": "g", "ł": "l",
    "Ł": "L", "ś": "s", "Ś": "S", "ż": "z", "Ż": "Z", "ź": "z", "ą": "a", "ę": "e", "ć": "c",
    "ń": "n", "ó": "o", "é": "e", "è": "e", "á": "a", "í": "i", "ú": "u", "ñ": "n"})  # fmt: skip
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюя"


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = sum(weights)
    return list(itertools.accumulate(w / total for w in weights))


def _pick(rnd: random.Random, cumulative: Sequence[float]) -> int:
    """An index drawn by cumulative weights (from `_cumulative`)."""
    return min(bisect.bisect(cumulative, rnd.random()), len(cumulative) - 1)


_SIZE_CUM = _cumulative(CLUSTER_SIZES)
_CULTURE_CUM = _cumulative([c.weight for c in CULTURES])
_KIND_CUM = _cumulative([w for _, w in GROUP_KINDS])
_DATASET_CUM = _cumulative([w for _, w in DATASETS])


def _zipf(rnd: random.Random, items: Sequence[T], offset: int = 10) -> T:
    """An item drawn with Zipf-Mandelbrot weights 1/(rank + offset): a few are common.

    The offsets for names put the commonest surname of a culture at about 1.3% of its
    people and the commonest first name at about 5%, near real German figures.
    """
    cumulative = _zipf_weights(len(items), offset)
    return items[min(bisect.bisect(cumulative, rnd.random()), len(items) - 1)]


@cache
def _zipf_weights(n: int, offset: int) -> list[float]:
    return _cumulative([1 / (rank + offset) for rank in range(n)])


def _first_names(culture: Culture, male: bool) -> tuple[str, ...]:
    return culture.male if male else culture.female


@cache
def _surnames(culture: Culture) -> tuple[str, ...]:
    """Real surnames first (the common ones), then invented ones for a long tail."""
    invented = tuple(a + b for a in culture.roots for b in culture.endings)
    return culture.surnames + tuple(s for s in invented if s not in culture.surnames)


def _surname(culture: Culture, stem: str, male: bool) -> str:
    """The surname in the person's gender (Соколов/Соколова, Kowalski/Kowalska)."""
    if male:
        return stem
    if culture.key == "ru":
        if stem.endswith(("ский", "цкий")):
            return stem[:-2] + "ая"
        if stem.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return stem + "а"
    if culture.key == "pl" and stem.endswith(("ski", "cki", "dzki")):
        return stem[:-1] + "a"
    return stem


def _stem(culture: Culture, surname: str) -> str:
    """The masculine form of a surname, to inflect it for a relative."""
    if culture.key == "ru":
        if surname.endswith(("ская", "цкая")):
            return surname[:-2] + "ий"
        if surname.endswith(("ова", "ева", "ёва", "ина", "ына")):
            return surname[:-1]
    if culture.key == "pl" and surname.endswith(("ska", "cka", "dzka")):
        return surname[:-1] + "i"
    return surname


@cache
def _latin(culture: Culture, name: str, system: str) -> str:
    """A Cyrillic name in one Latin transliteration (Latin names pass unchanged)."""
    if not culture.cyrillic:
        return name
    table = TRANSLIT[system]
    out = "".join(table.get(ch, ch) for ch in name.lower())
    if system == "fr" and out.endswith("ov"):
        out = out[:-2] + "off"
    return out[:1].upper() + out[1:]


@cache
def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _typo(rnd: random.Random, text: str, digits: bool = False) -> str:
    """`text` with one insertion, deletion, substitution or transposition."""
    if len(text) < 4:
        return text
    i = rnd.randrange(1, len(text) - 1)  # keep the first letter: people rarely miss it
    alphabet = "0123456789" if digits else (_CYRILLIC if text[i].lower() in _CYRILLIC else _LATIN)
    kind = rnd.randrange(4)
    if kind == 0:
        return text[:i] + rnd.choice(alphabet) + text[i:]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + rnd.choice(alphabet.replace(text[i].lower(), "")) + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _postcode(rnd: random.Random, country: str, prefix: str) -> str:
    if country == "GB":
        return f"{prefix}{rnd.randint(1, 20)} {rnd.randint(1, 9)}{rnd.choice('ABDEFGHJLNPQRSTUWXYZ')}{rnd.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    if country == "PL":
        return f"{prefix}{rnd.randint(0, 9)}-{rnd.randint(0, 999):03d}"
    width = {"AT": 4, "RU": 6}.get(country, 5)
    return prefix + "".join(str(rnd.randint(0, 9)) for _ in range(width - len(prefix)))
