"""Writes the company registry extract: companies, officers and shareholders as three CSVs."""

from __future__ import annotations

from pathlib import Path
from random import Random
from typing import Final

from threadline.demo.companies import FORM_LABELS, Company
from threadline.demo.output import copy_mapping, fmt_date, write_csv
from threadline.demo.people import Person
from threadline.demo.spelling import Habits, Speller
from threadline.demo.world import World

HABITS: Final = Habits(
    form_variant=0.08, typo=0.004, caps=0.05, surname_first=0.15, romanisation=1, stable=0.97
)
DATE: Final = "%d.%m.%Y"


def _status(company: Company) -> str:
    if company.jurisdiction == "gb":
        return "dissolved" if company.dissolved else "active"
    return "gelöscht" if company.dissolved else "aktiv"


def write_registry(world: World, out_dir: Path, rng: Random) -> tuple[Path, ...]:
    """Write the registry CSVs and their mapping; returns the mapping path."""
    spell = Speller("registry", rng, HABITS)
    officer_ids: dict[str, str] = {}

    def officer_id(person: Person) -> str:
        # One officer number per person, in order of first appearance, as registries do.
        return officer_ids.setdefault(person.key, f"{len(officer_ids) + 1:08d}")

    companies = []
    for company in world.companies:
        address = company.address
        label = FORM_LABELS[company.form] if rng.random() > 0.05 else ""
        companies.append(
            [
                company.reg_no,
                company.jurisdiction.upper(),
                spell.company(company),
                label,
                _status(company),
                fmt_date(company.incorporated if rng.random() > 0.04 else None, DATE),
                fmt_date(company.dissolved, DATE),
                address.street,
                address.postcode,
                address.city,
                address.country.upper(),
                address.full,
            ]
        )
    write_csv(
        out_dir / "registry_companies.csv",
        [
            "company_number",
            "jurisdiction",
            "name",
            "legal_form",
            "status",
            "incorporation_date",
            "dissolution_date",
            "street",
            "postcode",
            "city",
            "country",
            "address",
        ],
        companies,
    )

    officers = []
    for post in world.directorships:
        person, company = post.person, post.company
        officers.append(
            [
                company.reg_no,
                company.jurisdiction.upper(),
                spell.company(company),
                officer_id(person),
                spell.person(person),
                fmt_date(person.birth_date if rng.random() > 0.12 else None, DATE),
                person.nationality.upper() if rng.random() > 0.1 else "",
                post.role,
                fmt_date(post.start, DATE),
                fmt_date(post.end, DATE),
            ]
        )
    write_csv(
        out_dir / "registry_officers.csv",
        [
            "company_number",
            "jurisdiction",
            "company_name",
            "officer_id",
            "name",
            "birth_date",
            "nationality",
            "role",
            "appointed_on",
            "resigned_on",
        ],
        officers,
    )

    shareholders = []
    for number, holding in enumerate(world.holdings, start=1):
        asset, owner = holding.asset, holding.owner
        row = [f"S{number:07d}", asset.reg_no, asset.jurisdiction.upper(), spell.company(asset)]
        if isinstance(owner, Person):
            row += ["person", officer_id(owner), spell.person(owner), "", ""]
        else:
            row += ["company", "", spell.company(owner), owner.reg_no, owner.jurisdiction.upper()]
        percentage = "" if holding.percentage is None else f"{holding.percentage:g}"
        row += [percentage, fmt_date(holding.start, DATE)]
        shareholders.append(row)
    write_csv(
        out_dir / "registry_shareholders.csv",
        [
            "holding_id",
            "company_number",
            "jurisdiction",
            "company_name",
            "owner_type",
            "owner_id",
            "owner_name",
            "owner_number",
            "owner_jurisdiction",
            "percentage",
            "since",
        ],
        shareholders,
    )
    return (copy_mapping("registry.yml", out_dir),)
