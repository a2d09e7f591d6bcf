"""Fixed names planted for search tests: a typo target, an accent target and two scripts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Final

from threadline.demo.companies import Address, Company
from threadline.demo.people import Person, PersonFactory
from threadline.demo.story import STORY
from threadline.demo.world import Award, Directorship, Donation, Holding, Transfer, World


@dataclass(frozen=True)
class Landmarks:
    """Names that are guaranteed to appear in the demo data, and where."""

    daimler: str  # registry and procurement
    daimler_typo: str  # donations
    vermoegensberatung: str  # registry
    vermoegensberatung_folded: str  # donations
    vermoegensberatung_transcribed: str  # leak
    cyrillic_person: str  # leak (the story's relative)
    latin_person: str  # donations
    greek_person: str  # leak
    greek_latin_person: str  # registry


_DAIMLER: Final = Company(
    key="landmark-daimler",
    stem="Daimler Nutzfahrzeuge Service Nord",
    form="GmbH",
    jurisdiction="de",
    reg_no="HRB 211804",
    sector="logistics",
    incorporated=date(1998, 2, 11),
    address=Address("Industriestraße 61", "30179", "Hannover", "de"),
    spellings={
        "registry": ("Daimler Nutzfahrzeuge Service Nord GmbH",),
        "procurement": (
            "Daimler Nutzfahrzeuge Service Nord GmbH",
            "Daimler Nutzfahrzeuge Service Nord G.m.b.H.",
        ),
        "donations": ("Diamler Nutzfahrzeuge Service Nord GmbH",),
    },
)
_KESSLER: Final = Company(
    key="landmark-kessler",
    stem="Kessler Vermögensberatung",
    form="GmbH",
    jurisdiction="de",
    reg_no="HRB 98113",
    sector="finance",
    incorporated=date(2009, 7, 1),
    address=Address("Königsallee 92", "40212", "Düsseldorf", "de"),
    spellings={
        "registry": ("Kessler Vermögensberatung GmbH",),
        "donations": ("Kessler Vermogensberatung GmbH",),
        "leak": ("KESSLER VERMOEGENSBERATUNG GMBH",),
    },
)
_GREEK: Final = Person(
    key="landmark-greek",
    origin="gr",
    gender="m",
    first="Georgios",
    last="Papadopoulos",
    birth_date=date(1961, 10, 3),
    nationality="gr",
    latin=("Georgios Papadopoulos", "Giorgos Papadopoulos"),
    native="Γεώργιος Παπαδόπουλος",
    spellings={"registry": ("Georgios Papadopoulos",), "leak": ("Γεώργιος Παπαδόπουλος",)},
)

LANDMARKS: Final = Landmarks(
    daimler=_DAIMLER.spellings["registry"][0],
    daimler_typo=_DAIMLER.spellings["donations"][0],
    vermoegensberatung=_KESSLER.spellings["registry"][0],
    vermoegensberatung_folded=_KESSLER.spellings["donations"][0],
    vermoegensberatung_transcribed=_KESSLER.spellings["leak"][0],
    cyrillic_person=STORY.relative_native,
    latin_person=STORY.relative,
    greek_person=_GREEK.spellings["leak"][0],
    greek_latin_person=_GREEK.spellings["registry"][0],
)
# What the random population must not produce, so every landmark stays unambiguous.
RESERVED_PEOPLE: Final = frozenset({*_GREEK.latin, _GREEK.native or ""})
RESERVED_STEMS: Final = frozenset(c.stem for c in (_DAIMLER, _KESSLER))
RESERVED_NUMBERS: Final = frozenset(c.reg_no for c in (_DAIMLER, _KESSLER))


def plant_landmarks(world: World, rng: Random, people: PersonFactory) -> None:
    """Add the landmark companies and person to the world with a few links each."""
    daimler, kessler, greek = _DAIMLER, _KESSLER, _GREEK
    world.companies.insert(rng.randrange(len(world.companies) + 1), daimler)
    world.companies.insert(rng.randrange(len(world.companies) + 1), kessler)
    world.directorships.append(
        Directorship(daimler, people.make("de"), "Geschäftsführer", date(2012, 1, 1))
    )
    world.directorships.append(
        Directorship(kessler, people.make("de"), "Geschäftsführer", date(2009, 7, 1))
    )
    british = [c for c in world.companies if c.jurisdiction == "gb"]
    if british:
        world.directorships.append(
            Directorship(rng.choice(british), greek, "director", date(2008, 5, 12))
        )
    for number in range(3):
        awarded = date(2018 + 2 * number, 3 + number, 10)
        world.awards.append(
            Award(
                notice=f"{awarded.year}/S {rng.randrange(1, 250):03d}-{910001 + number:06d}",
                lot=1,
                authority=rng.choice(world.authorities),
                supplier=daimler,
                title="Wartung Fuhrpark",
                cpv="50110000",
                amount=round(rng.uniform(8e4, 9e5), 2),
                currency="EUR",
                published=awarded - timedelta(days=45),
                awarded=awarded,
            )
        )
    world.donations.append(
        Donation(daimler, "Liberale Mitte", 25_000.00, date(2021, 5, 3), daimler.address)
    )
    world.donations.append(
        Donation(kessler, "Konservative Erneuerung", 12_500.00, date(2019, 11, 20), kessler.address)
    )
    if world.offshores:
        vehicle = rng.choice(world.offshores)
        world.leak_holdings.append(Holding(vehicle, greek, 100.0, date(2012, 2, 1)))
        for paid in (date(2018, 3, 1), date(2019, 3, 1)):
            world.transfers.append(
                Transfer(
                    kessler, vehicle, round(rng.uniform(5e4, 2e5), 2), "EUR", paid, "advisory fee"
                )
            )
