"""Writes the political donations source: one CSV row per gift, donors as typed by party staff."""

from __future__ import annotations

from pathlib import Path
from random import Random
from typing import Final

from threadline.demo.companies import Address, Company
from threadline.demo.output import copy_mapping, fmt_amount, fmt_date, write_csv
from threadline.demo.spelling import Habits, Speller
from threadline.demo.world import World

HABITS: Final = Habits(
    fold=0.3,
    transcribe=0.08,
    form_variant=0.35,
    typo=0.03,
    caps=0.03,
    romanisation=0,
    stable=0.9,
    street=0.4,
)
DATE: Final = "%d/%m/%Y"


def write_donations(world: World, out_dir: Path, rng: Random) -> tuple[Path, ...]:
    """Write the donations CSV and its mapping; returns the mapping path."""
    spell = Speller("donations", rng, HABITS)
    rows = []
    for number, gift in enumerate(world.donations, start=1):
        donor = gift.donor
        if isinstance(donor, Company):
            kind, name = "company", spell.company(donor)
            reg_no = donor.reg_no if rng.random() < 0.6 else ""
        else:
            kind, name, reg_no = "person", spell.person(donor), ""
        address = spell.address(gift.address)
        if rng.random() < 0.03:
            address = Address(address.street, "", address.city, address.country)
        rows.append(
            [
                f"SP-{gift.received.year}-{number:06d}",
                gift.party,
                kind,
                name,
                reg_no,
                address.street,
                address.postcode,
                address.city,
                address.country.upper(),
                address.full,
                fmt_amount(gift.amount),
                "EUR",
                fmt_date(gift.received, DATE),
            ]
        )
    write_csv(
        out_dir / "donations.csv",
        [
            "donation_id",
            "party",
            "donor_type",
            "donor_name",
            "donor_reg_no",
            "street",
            "postcode",
            "city",
            "country",
            "address",
            "amount",
            "currency",
            "received_on",
        ],
        rows,
    )
    return (copy_mapping("donations.yml", out_dir),)
