"""Synthetic companies and addresses, with the legal-form spellings each jurisdiction allows."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Final

from threadline.demo import names

# Canonical legal form -> spellings seen in the wild (canonical first).
FORMS: Final[Mapping[str, tuple[str, ...]]] = {
    "GmbH": (
        "GmbH",
        "G.m.b.H.",
        "Gesellschaft mit beschränkter Haftung",
        "GMBH",
        "Gesellschaft mbH",
    ),
    "GmbH & Co. KG": ("GmbH & Co. KG", "GmbH & Co KG", "GmbH u. Co. KG"),
    "UG (haftungsbeschränkt)": ("UG (haftungsbeschränkt)", "UG (haftungsbeschraenkt)", "UG"),
    "AG": ("AG", "Aktiengesellschaft", "A.G."),
    "Ltd": ("Ltd", "Ltd.", "Limited", "LTD"),
    "PLC": ("PLC", "plc", "Public Limited Company"),
    "LLC": ("LLC", "L.L.C.", "Limited Liability Company"),
    "B.V.": ("B.V.", "BV", "Besloten Vennootschap"),
    "S.à r.l.": ("S.à r.l.", "SARL", "S.a r.l."),
    "S.A.": ("S.A.", "SA", "Sociedad Anónima"),
    "Inc.": ("Inc.", "Inc", "Incorporated"),
    "FZE": ("FZE", "F.Z.E.", "Free Zone Establishment"),
}
# What a registry writes in its legal-form column.
FORM_LABELS: Final[Mapping[str, str]] = {
    "GmbH": "Gesellschaft mit beschränkter Haftung",
    "GmbH & Co. KG": "Kommanditgesellschaft",
    "UG (haftungsbeschränkt)": "Unternehmergesellschaft (haftungsbeschränkt)",
    "AG": "Aktiengesellschaft",
    "Ltd": "Private limited company",
    "PLC": "Public limited company",
    "LLC": "Limited liability company",
    "B.V.": "Besloten vennootschap",
    "S.à r.l.": "Société à responsabilité limitée",
    "S.A.": "Sociedad anónima",
    "Inc.": "Business company",
    "FZE": "Free zone establishment",
}
_FOREIGN_FORMS: Final = {
    "nl": "B.V.",
    "lu": "S.à r.l.",
    "cy": "Ltd",
    "us": "LLC",
    "ch": "AG",
    "at": "GmbH",
    "vg": "Ltd",
    "sc": "Ltd",
    "pa": "S.A.",
    "ae": "FZE",
    "mt": "Ltd",
    "bz": "Ltd",
}
_HOLDING_WORDS: Final = ("Holding", "Invest", "Beteiligungen", "Capital", "Ventures", "Finance")
_PREFIX_ONLY: Final = frozenset({"Beteiligungs", "Verwaltungs", "Handels", "Grundbesitz"})


@dataclass(frozen=True, eq=False)
class Address:
    """A postal address as the registry knows it."""

    street: str
    postcode: str
    city: str
    country: str

    @property
    def full(self) -> str:
        """The one-line form sources print."""
        place = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in (self.street, place) if part)

    def partial(self) -> Address:
        """The same address with only the city known, as sloppy records have it."""
        return Address("", "", self.city, self.country)


@dataclass(frozen=True, eq=False)
class Company:
    """A company as it really is; sources only ever see spellings of it."""

    key: str
    stem: str
    form: str
    jurisdiction: str
    reg_no: str
    sector: str
    incorporated: date | None
    address: Address
    dissolved: date | None = None
    # Exact spellings a given source must use, cycled per occurrence (the story uses it).
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class CompanyFactory:
    """Hands out companies with unique names and registration numbers."""

    def __init__(
        self, rng: Random, reserved_stems: frozenset[str], reserved_numbers: frozenset[str]
    ) -> None:
        self._rng = rng
        self._stems: set[str] = set(reserved_stems)
        self._reserved_numbers = reserved_numbers
        self._count = 0
        self._numbers: dict[str, int] = {}
        # Formation agents and virtual offices: many companies share these addresses.
        self._hubs: list[Address] = [self.de_address() for _ in range(40)]

    def _number(self, series: str, start: int) -> int:
        value = self._numbers.get(series, start)
        while True:
            value += self._rng.randrange(1, 40)
            if f"{series} {value}" not in self._reserved_numbers:
                self._numbers[series] = value
                return value

    def de_address(self) -> Address:
        """A German street address."""
        rng = self._rng
        city, prefix = rng.choice(names.DE_CITIES)
        street = f"{rng.choice(names.DE_STREETS)} {rng.randrange(1, 180)}"
        if rng.random() < 0.08:
            street += rng.choice("abc")
        return Address(street, f"{prefix}{rng.randrange(100, 999)}", city, "de")

    def _gb_address(self) -> Address:
        rng = self._rng
        city, area = rng.choice(names.GB_CITIES)
        street = f"{rng.randrange(1, 300)} {rng.choice(names.GB_STREETS)}"
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = f"{area}{rng.randrange(1, 20)} {rng.randrange(1, 9)}"
        postcode += rng.choice(letters) + rng.choice(letters)
        return Address(street, postcode, city, "gb")

    def seat(self, jurisdiction: str) -> Address:
        """An address in a foreign or offshore jurisdiction (often a formation agent's)."""
        city, streets = names.FOREIGN_SEATS[jurisdiction]
        return Address(self._rng.choice(streets), "", city, jurisdiction)

    def _since(self, earliest: int = 1955) -> date:
        span = (date(2023, 12, 31) - date(earliest, 1, 1)).days
        # Skew towards recent incorporations, as in real registers.
        offset = int(span * (1 - self._rng.random() ** 2))
        return date(earliest, 1, 1) + timedelta(days=offset)

    def _unique_stem(self, draw: Callable[[], tuple[str, ...]]) -> str:
        for attempt in itertools.count():
            stem = " ".join(part for part in draw() if part)
            if attempt > 20:
                # The word pools are finite; real registers number look-alikes the same way.
                stem = f"{stem} {attempt - 19}"
            if stem not in self._stems:
                self._stems.add(stem)
                return stem
        raise AssertionError("unreachable")

    def _next_key(self) -> str:
        self._count += 1
        return f"company-{self._count:06d}"

    def make_de(self) -> Company:
        """A German company from the commercial register."""
        rng = self._rng
        sector, kind = rng.choice(names.DE_SECTORS)

        def draw() -> tuple[str, ...]:
            last, other = rng.choice(names.DE_LAST), rng.choice(names.DE_LAST)
            region, fantasy = rng.choice(names.REGIONS), rng.choice(names.FANTASY)
            options: list[tuple[str, ...]] = [
                (last, sector),
                (fantasy, sector),
                (region, sector),
                (last, sector, region),
            ]
            if last != other:
                options.append((f"{last} & {other}", sector))
            if sector not in _PREFIX_ONLY:
                options.append((sector, region))
            return rng.choice(options)

        stem = self._unique_stem(draw)
        form = rng.choices(
            ("GmbH", "GmbH & Co. KG", "UG (haftungsbeschränkt)", "AG"), weights=(70, 14, 10, 6)
        )[0]
        series = "HRA" if form == "GmbH & Co. KG" else "HRB"
        reg_no = f"{series} {self._number(series, 1000)}"
        address = rng.choice(self._hubs) if rng.random() < 0.1 else self.de_address()
        return self._finish(stem, form, "de", reg_no, kind, address)

    def make_gb(self) -> Company:
        """A company from the UK register."""
        rng = self._rng
        sector, kind = rng.choice(names.GB_SECTORS)

        def draw() -> tuple[str, ...]:
            last, other = rng.choice(names.GB_LAST), rng.choice(names.GB_LAST)
            options = [
                (last, sector),
                (rng.choice(names.GB_PLACES), sector),
                (f"{last} & {other}",),
                (f"{last} & Sons",),
            ]
            return rng.choice(options)

        stem = self._unique_stem(draw)
        form = "PLC" if rng.random() < 0.05 else "Ltd"
        reg_no = f"{self._number('gb', 2_000_000):08d}"
        return self._finish(stem, form, "gb", reg_no, kind, self._gb_address())

    def make_foreign(self, jurisdiction: str) -> Company:
        """A holding or offshore vehicle registered abroad."""
        rng = self._rng

        def draw() -> tuple[str, ...]:
            if jurisdiction in ("nl", "lu", "ch", "at"):
                first = rng.choice((*names.FANTASY, *names.REGIONS, *names.OFFSHORE_WORDS))
                return (first, rng.choice(_HOLDING_WORDS))
            return (
                rng.choice(names.OFFSHORE_WORDS),
                rng.choice(names.OFFSHORE_SECOND),
                rng.choice(names.OFFSHORE_SUFFIX),
            )

        stem = self._unique_stem(draw)
        form = _FOREIGN_FORMS[jurisdiction]
        if jurisdiction == "vg" and rng.random() < 0.3:
            form = "Inc."
        # Cyprus numbers its companies "HE 123456"; the others get a plain prefix here.
        prefix = "HE " if jurisdiction == "cy" else jurisdiction.upper()
        reg_no = f"{prefix}{self._number(jurisdiction, 100_000)}"
        return self._finish(
            stem, form, jurisdiction, reg_no, "finance", self.seat(jurisdiction), earliest=1995
        )

    def _finish(
        self,
        stem: str,
        form: str,
        jurisdiction: str,
        reg_no: str,
        sector: str,
        address: Address,
        earliest: int = 1955,
    ) -> Company:
        rng = self._rng
        incorporated = self._since(earliest)
        dissolved = None
        if rng.random() < 0.06:
            dissolved = incorporated + timedelta(days=rng.randrange(400, 6000))
            dissolved = min(dissolved, date(2024, 6, 30))
        return Company(
            key=self._next_key(),
            stem=stem,
            form=form,
            jurisdiction=jurisdiction,
            reg_no=reg_no,
            sector=sector,
            incorporated=incorporated,
            address=address if rng.random() > 0.04 else address.partial(),
            dissolved=dissolved,
        )
