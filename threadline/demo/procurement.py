"""Writes the procurement source: award notices, authority staff and their declared relatives."""

from __future__ import annotations

from pathlib import Path
from random import Random
from typing import Final

from threadline.demo.output import copy_mapping, fmt_amount, fmt_date, write_csv
from threadline.demo.spelling import Habits, Speller
from threadline.demo.world import World

AWARD_HABITS: Final = Habits(
    fold=0.12, transcribe=0.04, form_variant=0.3, typo=0.02, caps=0.04, romanisation=2, stable=0.8
)
DECLARATION_HABITS: Final = Habits(fold=0.05, typo=0.02, surname_first=0.5, romanisation=2)
DATE: Final = "%Y-%m-%d"
PROCEDURES: Final = ("open", "open", "restricted", "negotiated", "competitive dialogue")


def write_procurement(world: World, out_dir: Path, rng: Random) -> tuple[Path, ...]:
    """Write the procurement CSVs and their mapping; returns the mapping path."""
    spell = Speller("procurement", rng, AWARD_HABITS)
    authority_ids = {a.key: f"DE-VB-{n:04d}" for n, a in enumerate(world.authorities, start=1)}
    procedures: dict[str, str] = {}
    awards = []
    for award in world.awards:
        supplier = award.supplier
        known_number = supplier.jurisdiction == "de" and rng.random() < 0.5
        city = supplier.address.city if rng.random() > 0.1 else ""
        awards.append(
            [
                award.notice,
                str(award.lot),
                fmt_date(award.published, DATE),
                authority_ids[award.authority.key],
                award.authority.name,
                award.authority.city,
                award.title,
                award.cpv,
                procedures.setdefault(award.notice, rng.choice(PROCEDURES)),
                spell.company(supplier),
                supplier.reg_no if known_number else "",
                supplier.jurisdiction.upper(),
                city,
                fmt_amount(award.amount),
                award.currency,
                fmt_date(award.awarded, DATE),
            ]
        )
    write_csv(
        out_dir / "procurement_awards.csv",
        [
            "notice_id",
            "lot",
            "published",
            "authority_id",
            "authority_name",
            "authority_city",
            "title",
            "cpv",
            "procedure",
            "supplier_name",
            "supplier_reg_no",
            "supplier_country",
            "supplier_city",
            "amount",
            "currency",
            "award_date",
        ],
        awards,
    )

    staff_ids = {id(post): f"ST-{n:05d}" for n, post in enumerate(world.posts, start=1)}
    officials = [
        [
            staff_ids[id(post)],
            spell.person(post.person),
            authority_ids[post.authority.key],
            post.authority.name,
            post.role,
            fmt_date(post.start, DATE),
        ]
        for post in world.posts
    ]
    write_csv(
        out_dir / "procurement_officials.csv",
        ["staff_id", "name", "authority_id", "authority_name", "role", "since"],
        officials,
    )

    declare = Speller("declarations", rng, DECLARATION_HABITS)
    declarations = []
    for number, kin in enumerate(world.kinships, start=1):
        relative = kin.relative
        born = (
            relative.birth_date if rng.random() > 0.3 or relative.key.startswith("story") else None
        )
        declarations.append(
            [
                f"DECL-{number:05d}",
                staff_ids[id(kin.official)],
                declare.person(kin.official.person),
                declare.person(relative),
                kin.relationship,
                fmt_date(born, DATE),
                fmt_date(kin.declared, DATE),
            ]
        )
    write_csv(
        out_dir / "procurement_declarations.csv",
        [
            "declaration_id",
            "staff_id",
            "official_name",
            "relative_name",
            "relationship",
            "relative_birth_date",
            "declared_on",
        ],
        declarations,
    )
    return (copy_mapping("procurement.yml", out_dir),)
