"""The one planted story: an official, her brother-in-law, two shells and a lucky contractor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Final, TypeVar

from threadline.demo.companies import Address, Company
from threadline.demo.people import Person, PersonFactory
from threadline.demo.world import (
    Authority,
    Award,
    Directorship,
    Donation,
    Holding,
    Kinship,
    Post,
    Transfer,
    World,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Story:
    """The names a user (or a test) needs to find the planted conflict of interest."""

    official: str
    relative: str
    relative_native: str
    relationship: str
    offshore: str
    holding: str
    contractor: str
    authority: str
    narrative: str
    # (role, spellings as they appear in the sources), so searches can aim at each one.
    spellings: tuple[tuple[str, tuple[str, ...]], ...]

    def spelled(self, role: str) -> tuple[str, ...]:
        """Every spelling under which the given role ("relative", "holding"...) appears."""
        for name, values in self.spellings:
            if name == role:
                return values
        raise KeyError(role)


# The story's cast. Each carries the exact spellings each source uses for it.
_OFFICIAL: Final = Person(
    key="story-official",
    origin="de",
    gender="f",
    first="Katrin",
    last="Albrecht",
    birth_date=date(1968, 9, 2),
    nationality="de",
    latin=("Katrin Albrecht",),
    spellings={"procurement": ("Katrin Albrecht",), "declarations": ("Albrecht, Katrin",)},
)
_RELATIVE: Final = Person(
    key="story-relative",
    origin="ru",
    gender="m",
    first="Dmitry",
    last="Sokolov",
    birth_date=date(1974, 5, 19),
    nationality="ru",
    latin=("Dmitry Sokolov", "Dmitrii Sokolov", "Dmitri Sokolow"),
    native="Дмитрий Соколов",
    spellings={
        "donations": ("Dmitry Sokolov",),
        "declarations": ("Dmitri Sokolow",),
        "leak": ("Дмитрий Соколов",),
    },
)
_CONTRACTOR: Final = Company(
    key="story-contractor",
    stem="Brückenbau Hansa",
    form="GmbH",
    jurisdiction="de",
    reg_no="HRB 73518",
    sector="construction",
    incorporated=date(2004, 4, 21),
    address=Address("Große Elbstraße 212", "22767", "Hamburg", "de"),
    spellings={
        "registry": ("Brückenbau Hansa GmbH",),
        "procurement": (
            "Brückenbau Hansa GmbH",
            "Bruckenbau Hansa GmbH",
            "Brückenbau Hansa G.m.b.H.",
        ),
        "leak": ("BRUECKENBAU HANSA GMBH",),
    },
)
_HOLDING: Final = Company(
    key="story-holding",
    stem="Nordwall Beteiligungs",
    form="GmbH",
    jurisdiction="de",
    reg_no="HRB 150292",
    sector="finance",
    incorporated=date(2017, 3, 14),
    address=Address("Ballindamm 40", "20095", "Hamburg", "de"),
    spellings={
        "registry": ("Nordwall Beteiligungs GmbH",),
        "leak": ("Nordwall Beteiligungsgesellschaft mbH",),
    },
)
_OFFSHORE: Final = Company(
    key="story-offshore",
    stem="Halcyon Crest Holdings",
    form="Ltd",
    jurisdiction="vg",
    reg_no="VG1894417",
    sector="finance",
    incorporated=date(2016, 11, 2),
    address=Address("Palm Grove House", "", "Road Town, Tortola", "vg"),
    spellings={"leak": ("Halcyon Crest Holdings Ltd",)},
)
_AUTHORITY: Final = Authority(
    key="story-authority", name="Landesamt für Straßenbau Nordmark", city="Kiel"
)
_AWARDS: Final = (
    ("Ersatzneubau Brücke über den Nordmarkkanal", 4_870_000.00, date(2019, 5, 14)),
    ("Instandsetzung Brückenbauwerke Landesstraße 221", 12_340_500.00, date(2020, 2, 3)),
    ("Sanierung der Hafenbrücke Kiel-Wik", 7_915_250.00, date(2021, 6, 22)),
    ("Neubau Querung Eiderwiesen, Los Brückenbau", 21_480_000.00, date(2022, 9, 8)),
    ("Fahrbahnerneuerung Brückenzug Nord", 3_190_000.00, date(2023, 4, 17)),
)
_KICKBACKS: Final = (
    (date(2019, 11, 29), 245_000.00),
    (date(2020, 12, 18), 612_000.00),
    (date(2022, 6, 30), 398_500.00),
    (date(2023, 12, 15), 540_000.00),
)
_TOTAL: Final = sum(amount for _, amount, _ in _AWARDS)


def _every(spellings: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for names in spellings.values() for name in names))


STORY: Final = Story(
    official=_OFFICIAL.latin[0],
    relative=_RELATIVE.latin[0],
    relative_native=_RELATIVE.native or "",
    relationship="brother-in-law",
    offshore=_OFFSHORE.spellings["leak"][0],
    holding=_HOLDING.spellings["registry"][0],
    contractor=_CONTRACTOR.spellings["registry"][0],
    authority=_AUTHORITY.name,
    narrative=(
        "Between 2019 and 2023 the Landesamt für Straßenbau Nordmark awarded five bridge "
        f"contracts worth EUR {_TOTAL:,.2f} to Brückenbau Hansa GmbH (procurement). The "
        "company registry shows that Brückenbau Hansa is wholly owned by Nordwall "
        "Beteiligungs GmbH, a Hamburg holding whose own shareholder is not on file. The "
        "leaked corporate-services ledger fills the gap: Nordwall is held by Halcyon Crest "
        "Holdings Ltd of the British Virgin Islands, whose owner is Дмитрий Соколов "
        "(Dmitry Sokolov), and Brückenbau Hansa paid Halcyon Crest for 'consulting "
        "services' after each award. Sokolov is the brother-in-law of Katrin Albrecht, who "
        "heads the authority's procurement office and declared him as 'Dmitri Sokolow'. "
        "He also gave just under the disclosure threshold to a party, as 'Dmitry Sokolov'."
    ),
    spellings=(
        ("official", _every(_OFFICIAL.spellings)),
        ("relative", _every(_RELATIVE.spellings)),
        ("offshore", _every(_OFFSHORE.spellings)),
        ("holding", _every(_HOLDING.spellings)),
        ("contractor", _every(_CONTRACTOR.spellings)),
        ("authority", (_AUTHORITY.name,)),
    ),
)

# What the random population must not produce, so every story name stays unambiguous.
RESERVED_PEOPLE: Final = frozenset({*_OFFICIAL.latin, *_RELATIVE.latin, STORY.relative_native})
RESERVED_STEMS: Final = frozenset(c.stem for c in (_CONTRACTOR, _HOLDING, _OFFSHORE))
RESERVED_NUMBERS: Final = frozenset(c.reg_no for c in (_CONTRACTOR, _HOLDING, _OFFSHORE))
RESERVED_AUTHORITIES: Final = frozenset({_AUTHORITY.name})


def _insert(rng: Random, items: list[T], item: T) -> None:
    items.insert(rng.randrange(len(items) + 1), item)


def plant_story(world: World, rng: Random, people: PersonFactory) -> None:
    """Add the story's people, companies and links to the world, spread among the rest."""
    official, relative, authority = _OFFICIAL, _RELATIVE, _AUTHORITY
    contractor, holding, offshore = _CONTRACTOR, _HOLDING, _OFFSHORE
    _insert(rng, world.companies, contractor)
    _insert(rng, world.companies, holding)
    _insert(
        rng,
        world.directorships,
        Directorship(contractor, people.make("de"), "Geschäftsführer", date(2004, 4, 21)),
    )
    _insert(
        rng,
        world.directorships,
        Directorship(holding, people.make("de"), "Geschäftsführer", date(2017, 3, 14)),
    )
    _insert(rng, world.holdings, Holding(contractor, holding, 100.0, date(2018, 6, 1)))
    _insert(rng, world.authorities, authority)
    post = Post(official, authority, "Leitung Vergabestelle", date(2015, 1, 1))
    _insert(rng, world.posts, post)
    _insert(rng, world.kinships, Kinship(post, relative, STORY.relationship, date(2021, 3, 31)))
    for number, (title, amount, awarded) in enumerate(_AWARDS):
        notice = f"{awarded.year}/S {rng.randrange(1, 250):03d}-{900001 + number:06d}"
        _insert(
            rng,
            world.awards,
            Award(
                notice=notice,
                lot=1,
                authority=authority,
                supplier=contractor,
                title=title,
                cpv="45221111",
                amount=amount,
                currency="EUR",
                published=awarded - timedelta(days=63),
                awarded=awarded,
            ),
        )
    home = Address("Elbchaussee 377", "22609", "Hamburg", "de")
    _insert(
        rng,
        world.donations,
        Donation(relative, "Bürgerbund Nordmark", 9_900.00, date(2020, 8, 14), home),
    )
    _insert(rng, world.offshores, offshore)
    _insert(rng, world.leak_holdings, Holding(offshore, relative, 100.0, date(2016, 11, 2)))
    _insert(rng, world.leak_holdings, Holding(holding, offshore, 100.0, date(2017, 3, 14)))
    for paid, amount in _KICKBACKS:
        _insert(
            rng,
            world.transfers,
            Transfer(contractor, offshore, amount, "EUR", paid, "consulting services"),
        )
