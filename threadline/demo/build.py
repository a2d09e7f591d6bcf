"""Builds the demo world: the random background population, then landmarks and the story."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Final

from threadline.demo import landmarks, names, story
from threadline.demo.companies import Address, Company, CompanyFactory
from threadline.demo.people import BLOOD, RELATION_GENDER, Person, PersonFactory
from threadline.demo.world import (
    Authority,
    Award,
    Directorship,
    Donation,
    Holding,
    Kinship,
    Party,
    Post,
    Transfer,
    World,
)

# Counts at scale 1.0; together they give roughly 50,000 entities across the sources.
COUNTS: Final = {
    "de_companies": 4300,
    "gb_companies": 500,
    "foreign_owners": 260,
    "serial_directors": 220,
    "authorities": 110,
    "contracts": 3300,
    "suppliers": 1200,
    "outside_suppliers": 150,
    "officials": 480,
    "kinships": 380,
    "person_donors": 1500,
    "company_donors": 600,
    "offshores": 560,
    "leak_people": 380,
    "counterparts": 480,
    "transfers": 2900,
}
REGISTRY_ORIGINS: Final = {"de": 0.8, "gb": 0.03, "tr": 0.07, "ru": 0.05, "ua": 0.02, "gr": 0.03}
GB_ORIGINS: Final = {"gb": 0.85, "de": 0.05, "ru": 0.04, "gr": 0.06}
LEAK_ORIGINS: Final = {"ru": 0.3, "ua": 0.15, "gr": 0.15, "de": 0.25, "gb": 0.15}
OFFSHORE_SEATS: Final = {"vg": 35, "cy": 25, "sc": 10, "pa": 10, "ae": 10, "mt": 5, "bz": 5}
FOREIGN_OWNERS: Final = {"nl": 30, "lu": 25, "cy": 20, "us": 10, "ch": 10, "at": 5}


def _count(name: str, scale: float) -> int:
    return max(1, round(COUNTS[name] * scale))


def _day(rng: Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _founded(party: Party) -> date:
    """The earliest day a party can own or run anything: incorporation, or adulthood."""
    if isinstance(party, Company):
        return party.incorporated or date(1990, 1, 1)
    return party.birth_date + timedelta(days=21 * 365)


def _pick(rng: Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _registry(
    world: World, rng: Random, people: PersonFactory, firms: CompanyFactory, scale: float
) -> list[Person]:
    """Companies, their officers and shareholders; returns everyone the registry knows."""
    for _ in range(_count("de_companies", scale)):
        world.companies.append(firms.make_de())
    for _ in range(_count("gb_companies", scale)):
        world.companies.insert(rng.randrange(len(world.companies) + 1), firms.make_gb())
    serial = [people.draw(REGISTRY_ORIGINS) for _ in range(_count("serial_directors", scale))]
    known: list[Person] = list(serial)
    foreign = [
        firms.make_foreign(_pick(rng, FOREIGN_OWNERS))
        for _ in range(_count("foreign_owners", scale))
    ]
    for index, company in enumerate(world.companies):
        since = company.incorporated or date(2000, 1, 1)
        british = company.jurisdiction == "gb"
        officers: list[Person] = []
        for _ in range(rng.choices((1, 2, 3), weights=(55, 33, 12))[0]):
            roll = rng.random()
            if roll < 0.12:
                person = rng.choice(serial)
            elif roll < 0.3:
                person = rng.choice(known)
            else:
                person = people.draw(GB_ORIGINS if british else REGISTRY_ORIGINS)
                known.append(person)
            if person in officers:
                continue
            officers.append(person)
            role = (
                "director"
                if british
                else ("Vorstand" if company.form == "AG" else "Geschäftsführer")
            )
            if not british and rng.random() < 0.12:
                role = "Prokurist"
            start = _day(rng, max(since, _founded(person)), date(2024, 1, 1))
            end = _day(rng, start, date(2024, 6, 1)) if rng.random() < 0.1 else None
            world.directorships.append(Directorship(company, person, role, start, end))
        if rng.random() > 0.7:
            continue
        owners: list[Party] = []
        for _ in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
            roll = rng.random()
            owner: Party
            if roll < 0.45:
                owner = rng.choice(officers)
            elif roll < 0.6:
                owner = rng.choice(known)
            elif roll < 0.9 and index > 0:
                # Only earlier companies may own later ones: the ownership graph stays acyclic.
                owner = world.companies[rng.randrange(index)]
            else:
                owner = rng.choice(foreign)
            if owner not in owners:
                owners.append(owner)
        cuts = sorted(rng.randrange(1, 100) for _ in range(len(owners) - 1))
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        for owner, share in zip(owners, shares, strict=True):
            percentage = None if rng.random() < 0.05 else float(share or 1)
            start = _day(rng, max(since, _founded(owner)), date(2024, 1, 1))
            world.holdings.append(Holding(company, owner, percentage, start))
    return known


def _authorities(world: World, rng: Random, scale: float) -> None:
    seen: set[str] = set(story.RESERVED_AUTHORITIES)
    while len(world.authorities) < _count("authorities", scale):
        city, _ = rng.choice(names.DE_CITIES)
        name = rng.choice(names.AUTHORITY_PATTERNS).format(
            city=city, region=rng.choice(names.REGIONS)
        )
        if name in seen:
            continue
        seen.add(name)
        world.authorities.append(
            Authority(f"authority-{len(world.authorities) + 1:04d}", name, city)
        )


def _procurement(
    world: World,
    rng: Random,
    people: PersonFactory,
    firms: CompanyFactory,
    known: list[Person],
    scale: float,
) -> None:
    """Contract awards, the officials at each authority, and the relatives they declared."""
    eligible = [
        c
        for c in world.companies
        if c.sector not in ("finance", "property") and c.dissolved is None
    ]
    suppliers = rng.sample(eligible, min(len(eligible), _count("suppliers", scale)))
    suppliers += [
        firms.make_foreign(rng.choice(("at", "nl"))) if rng.random() < 0.6 else firms.make_gb()
        for _ in range(_count("outside_suppliers", scale))
    ]
    # A few suppliers win most contracts, as in real markets.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(suppliers))]
    busy = [1 / (rank + 1) ** 0.5 for rank in range(len(world.authorities))]
    by_sector: dict[str, list[tuple[str, str]]] = {}
    for template, cpv, sector in names.CONTRACT_TITLES:
        by_sector.setdefault(sector, []).append((template, cpv))
    for number in range(_count("contracts", scale)):
        authority = rng.choices(world.authorities, weights=busy)[0]
        awarded = _day(rng, date(2016, 1, 1), date(2024, 6, 30))
        notice = f"{awarded.year}/S {rng.randrange(1, 250):03d}-{100001 + number:06d}"
        lots = 1 if rng.random() < 0.82 else rng.randrange(2, 5)
        for lot in range(1, lots + 1):
            supplier = rng.choices(suppliers, weights=weights)[0]
            options = by_sector.get(supplier.sector) or [
                (t, c) for t, c, _ in names.CONTRACT_TITLES
            ]
            template, cpv = rng.choice(options)
            title = template.format(
                place=rng.choice(names.REGIONS),
                city=authority.city,
                road=f"L {rng.randrange(10, 400)}",
                unit=rng.choice(("Bauordnung", "Kfz-Zulassung", "Steuern")),
            )
            scale_up = 2.5 if supplier.sector == "construction" else 1.0
            amount = min(rng.lognormvariate(11.7, 1.1) * scale_up, 9_500_000.0)
            world.awards.append(
                Award(
                    notice,
                    lot,
                    authority,
                    supplier,
                    title,
                    cpv,
                    round(amount, 2),
                    "EUR",
                    awarded - timedelta(days=50),
                    awarded,
                )
            )
    for _ in range(_count("officials", scale)):
        person = people.draw({"de": 0.9, "tr": 0.05, "ru": 0.02, "gr": 0.03})
        world.posts.append(
            Post(
                person,
                rng.choice(world.authorities),
                rng.choice(names.OFFICIAL_ROLES),
                _day(rng, date(1995, 1, 1), date(2023, 1, 1)),
            )
        )
    for post in rng.sample(world.posts, min(len(world.posts), _count("kinships", scale))):
        if rng.random() < 0.25:
            # Some declared relatives also sit on company boards: leads worth checking.
            relative = rng.choice(known)
            relationship = rng.choice(
                [
                    r
                    for r in names.RELATIONSHIPS
                    if RELATION_GENDER.get(r, relative.gender) == relative.gender and r not in BLOOD
                ]
            )
        else:
            relationship = rng.choice(names.RELATIONSHIPS)
            relative = people.relative(post.person, relationship)
        world.kinships.append(
            Kinship(post, relative, relationship, _day(rng, date(2017, 1, 1), date(2024, 3, 31)))
        )


def _donations(
    world: World,
    rng: Random,
    people: PersonFactory,
    firms: CompanyFactory,
    known: list[Person],
    scale: float,
) -> None:
    donors: list[tuple[Party, Address]] = []
    for _ in range(_count("person_donors", scale)):
        person = rng.choice(known) if rng.random() < 0.45 else people.draw(REGISTRY_ORIGINS)
        home = firms.de_address()
        donors.append((person, home if rng.random() > 0.04 else home.partial()))
    living = [c for c in world.companies if c.dissolved is None and c.jurisdiction == "de"]
    for company in rng.sample(living, min(len(living), _count("company_donors", scale))):
        donors.append((company, company.address))
    rng.shuffle(donors)
    favourites = [1 / (rank + 1) for rank in range(len(names.PARTIES))]
    for donor, address in donors:
        # Companies give more; amounts are clamped to what party reports typically show.
        mu, low, high = (
            (9.8, 1_000.0, 150_000.0) if isinstance(donor, Company) else (8.3, 300.0, 50_000.0)
        )
        party = rng.choices(names.PARTIES, weights=favourites)[0]
        for _ in range(1 + min(int(rng.expovariate(0.7)), 8)):
            amount = round(min(max(rng.lognormvariate(mu, 1.0), low), high), 2)
            received = _day(rng, date(2014, 1, 1), date(2024, 6, 30))
            world.donations.append(Donation(donor, party, amount, received, address))


def _leak(
    world: World,
    rng: Random,
    people: PersonFactory,
    firms: CompanyFactory,
    known: list[Person],
    scale: float,
) -> None:
    """Offshore vehicles, their owners, and the ledger of payments through them."""
    for _ in range(_count("offshores", scale)):
        world.offshores.append(firms.make_foreign(_pick(rng, OFFSHORE_SEATS)))
    owners = [
        rng.choice(known) if rng.random() < 0.35 else people.draw(LEAK_ORIGINS)
        for _ in range(_count("leak_people", scale))
    ]
    for index, vehicle in enumerate(world.offshores):
        since = vehicle.incorporated or date(2005, 1, 1)
        split = rng.random() < 0.25 and len(owners) > 1
        shares = (50.0, 50.0) if split else (100.0,)
        picked: list[Party] = []
        while len(picked) < len(shares):
            owner: Party = rng.choice(owners)
            if index > 0 and rng.random() < 0.2:
                owner = world.offshores[rng.randrange(index)]
            if owner not in picked:
                picked.append(owner)
        for owner, share in zip(picked, shares, strict=True):
            start = max(since, _founded(owner))
            world.leak_holdings.append(Holding(vehicle, owner, share, start))
    living = [c for c in world.companies if c.dissolved is None]
    counterparts = rng.sample(living, min(len(living), _count("counterparts", scale)))
    for _ in range(_count("transfers", scale)):
        vehicle = rng.choice(world.offshores)
        roll = rng.random()
        payer: Party
        beneficiary: Party
        if roll < 0.45:
            payer, beneficiary = rng.choice(counterparts), vehicle
        elif roll < 0.7:
            payer, beneficiary = vehicle, rng.choice(counterparts)
        elif roll < 0.85:
            payer, beneficiary = vehicle, rng.choice(world.offshores)
        else:
            payer, beneficiary = vehicle, rng.choice(owners)
        if payer is beneficiary:
            continue
        currency = rng.choices(("EUR", "USD", "GBP", "CHF"), weights=(60, 30, 5, 5))[0]
        world.transfers.append(
            Transfer(
                payer,
                beneficiary,
                round(rng.lognormvariate(11.2, 1.3), 2),
                currency,
                _day(rng, date(2012, 1, 1), date(2024, 3, 31)),
                rng.choice(names.PAYMENT_PURPOSES),
            )
        )


def build_world(seed: int, scale: float) -> World:
    """Draw the whole demo world from one seed; the same seed and scale give the same world."""
    rng = Random(seed)
    reserved_people = story.RESERVED_PEOPLE | landmarks.RESERVED_PEOPLE
    people = PersonFactory(Random(f"{seed}:people"), reserved_people)
    firms = CompanyFactory(
        Random(f"{seed}:companies"),
        story.RESERVED_STEMS | landmarks.RESERVED_STEMS,
        story.RESERVED_NUMBERS | landmarks.RESERVED_NUMBERS,
    )
    world = World()
    known = _registry(world, rng, people, firms, scale)
    _authorities(world, rng, scale)
    _procurement(world, rng, people, firms, known, scale)
    _donations(world, rng, people, firms, known, scale)
    _leak(world, rng, people, firms, known, scale)
    landmarks.plant_landmarks(world, rng, people)
    story.plant_story(world, rng, people)
    return world
