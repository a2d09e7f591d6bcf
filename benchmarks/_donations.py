"""A synthetic political donations register (CSV) and its FtM mapping, for the ingest benchmark.

Shaped like the UK Electoral Commission or Bundestag registers: one row per donation, the
same donors again and again, donors typed by party staff (so name variants), and gaps.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random

from _names import NameFactory

COLUMNS = [
    "donation_id", "party", "accounting_unit", "donor_type", "donor_name", "donor_reg_no",
    "street", "postcode", "city", "country", "amount", "currency", "accepted_on", "nature",
]  # fmt: skip
PARTIES = [
    "Progressive Alliance", "Conservative Union", "Green Future Party", "Liberal Democrats",
    "Workers' Party", "National Renewal", "Social Democratic Party", "Pirate Party",
    "Christian People's Party", "Regionalist League", "Animal Welfare Party", "Reform Movement",
]  # fmt: skip
# Mapped entities per row: party, accounting unit, donor, address, payment.
ENTITIES_PER_ROW = 5

MAPPING = """\
# Synthetic donations register for benchmarks/ingest.py. csv_url is relative to this file.
# Two queries, one per donor type, so a donor is a Person or a Company. Each row maps to
# 5 entities: party, accounting unit (parent: party), donor, donor address, payment.
donations:
  queries:
{queries}
"""
QUERY = """\
    - csv_url: donations.csv
      filters:
        donor_type: {donor_type}
      entities:
        party:
          schema: Organization
          keys: [party]
          key_literal: party
          properties:
            name: {{column: party}}
        unit:
          schema: Organization
          keys: [party, accounting_unit]
          key_literal: unit
          properties:
            name: {{column: accounting_unit}}
            parent: {{entity: party}}
        address:
          schema: Address
          keys: [street, postcode, city, country]
          key_literal: address
          properties:
            full: {{template: "{{{{street}}}}, {{{{postcode}}}} {{{{city}}}}"}}
            street: {{column: street}}
            postalCode: {{column: postcode}}
            city: {{column: city}}
            country: {{column: country}}
        donor:
          schema: {schema}
          keys: [{donor_keys}]
          key_literal: donor
          properties:
            name: {{column: donor_name}}
{donor_extra}            addressEntity: {{entity: address}}
            country: {{column: country}}
        payment:
          schema: Payment
          keys: [donation_id]
          key_literal: payment
          properties:
            recordId: {{column: donation_id}}
            payer: {{entity: donor}}
            beneficiary: {{entity: unit}}
            amount: {{column: amount}}
            currency: {{column: currency}}
            date: {{column: accepted_on, format: "%d/%m/%Y"}}
            purpose: {{column: nature}}
"""


@dataclass
class Donor:
    """One real-world donor as the generator knows it (before staff retype it)."""

    kind: str
    name: str
    reg_no: str
    address: tuple[str, str, str, str]
    party: int


def _variant(rng: Random, donor: Donor) -> str:
    """How a clerk might type the donor's name this time."""
    name = donor.name
    roll = rng.random()
    if roll < 0.3:
        return name.upper()
    if roll < 0.5 and donor.kind == "person" and name.count(" ") >= 2:
        parts = name.split(" ")
        return f"{parts[0]} {parts[-1]}"
    if roll < 0.7 and donor.kind == "person":
        parts = name.split(" ")
        return f"{parts[-1].upper()}, {' '.join(parts[:-1])}"
    if roll < 0.85 and donor.kind == "company":
        for long, short in ((" Limited", " Ltd"), (" Ltd", " Limited"), (" Inc.", " Inc")):
            if name.endswith(long):
                return name[: -len(long)] + short
    return "  " + name.lower() + " "


def _amount(rng: Random) -> str:
    value = round(min(rng.lognormvariate(8.0, 1.4), 2_000_000), 2)
    roll = rng.random()
    if roll < 0.08:
        return f"£{value:,.2f}"
    if roll < 0.2:
        return f"{value:,.2f}"
    if roll < 0.25:
        return str(int(value))
    return f"{value:.2f}"


def write_register(folder: Path, rows: int, seed: int = 42) -> Path:
    """Write donations.csv and mapping.yml into `folder`; returns the mapping path."""
    rng = Random(seed)
    names = NameFactory(rng)
    units = [
        [f"{party} (central)"]
        + [
            f"{party} \N{EN DASH} {names.address()[2]} {names.invented(2, 2)} branch"
            for _ in range(50)
        ]
        for party in PARTIES
    ]
    donors: list[Donor] = []
    for _ in range(max(1, rows * 3 // 10)):
        if rng.random() < 0.75:
            kind, name, reg_no = "person", names.person()[0], ""
        else:
            kind, name = "company", names.company()[0]
            reg_no = f"{rng.randint(100000, 99999999):08d}" if rng.random() < 0.7 else ""
        donors.append(Donor(kind, name, reg_no, names.address(), rng.randrange(len(PARTIES))))
    start = date(2015, 1, 1)
    path = folder / "donations.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for number in range(1, rows + 1):
            # Skewed: a few donors give very often, most give once or twice.
            donor = donors[int(len(donors) * rng.random() ** 2)]
            party = donor.party if rng.random() < 0.9 else rng.randrange(len(PARTIES))
            unit = units[party][0 if rng.random() < 0.5 else rng.randrange(1, 51)]
            street, postcode, city, country = donor.address
            name = _variant(rng, donor) if rng.random() < 0.12 else donor.name
            if rng.random() < 0.03:
                postcode = ""
            if rng.random() < 0.02:
                street = ""
            if rng.random() < 0.05:
                country = ""
            elif rng.random() < 0.05:
                country = {"gb": "United Kingdom", "de": "Germany"}.get(country, country.upper())
            accepted = start + timedelta(days=rng.randrange(3650))
            writer.writerow(
                [
                    f"D{number:07d}",
                    PARTIES[party],
                    unit,
                    donor.kind,
                    name,
                    donor.reg_no if rng.random() < 0.95 else "",
                    street,
                    postcode,
                    city,
                    country,
                    _amount(rng),
                    "GBP" if rng.random() < 0.9 else "EUR",
                    accepted.strftime("%d/%m/%Y") if rng.random() > 0.005 else "",
                    rng.choice(("Cash", "Cash", "Cash", "Non Cash", "Visit", "Sponsorship")),
                ]
            )
    queries = [
        QUERY.format(
            donor_type="person", schema="Person", donor_keys="donor_name, postcode", donor_extra=""
        ),
        QUERY.format(
            donor_type="company",
            schema="Company",
            donor_keys="donor_name, donor_reg_no",
            donor_extra="            registrationNumber: {column: donor_reg_no}\n",
        ),
    ]
    mapping = folder / "mapping.yml"
    mapping.write_text(MAPPING.format(queries="\n".join(queries)), encoding="utf-8")
    return mapping
