"""Writes the leak: a corporate-services ledger as FtM entity JSON lines with its own ids."""

from __future__ import annotations

from pathlib import Path
from random import Random
from typing import Any, Final

from threadline.demo.companies import Company
from threadline.demo.output import fmt_amount, fmt_date, write_entities
from threadline.demo.people import Person
from threadline.demo.spelling import Habits, Speller
from threadline.demo.world import Party, World

HABITS: Final = Habits(
    native=0.75,
    caps=0.35,
    transcribe=0.25,
    fold=0.05,
    form_variant=0.4,
    typo=0.02,
    romanisation=0,
    stable=0.95,
)
DATE: Final = "%Y-%m-%d"


def _entity(entity_id: str, schema: str, **props: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "schema": schema,
        "properties": {k: [v] for k, v in sorted(props.items()) if v},
    }


class _Ledger:
    """Collects the leak's entities, naming each party once with a leak-local id."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._spell = Speller("leak", rng, HABITS)
        self._ids: dict[str, str] = {}
        self._people = 0
        self.parties: list[dict[str, Any]] = []

    def party(self, party: Party) -> str:
        """The leak id of a party, adding its entity on first mention."""
        known = self._ids.get(party.key)
        if known is not None:
            return known
        rng = self._rng
        if isinstance(party, Person):
            self._people += 1
            entity_id = f"leak-person-{self._people:05d}"
            # The story's owner is the provider's own client: its know-your-customer file
            # (passport copy) gives a birth date and a nationality at every scale, as the
            # full-size demo's draws happen to. Left to the dice, the small demo's owner
            # was a bare name, which resolution rightly leaves for review. Both draws
            # are made either way, so every other record stays the same.
            kyc = party.key.startswith("story")
            name = self._spell.person(party)  # first: the speller draws from the same rng
            with_nationality = rng.random() < 0.5 or kyc
            with_birth_date = rng.random() < 0.4 or kyc
            entity = _entity(
                entity_id,
                "Person",
                name=name,
                nationality=party.nationality if with_nationality else "",
                birthDate=fmt_date(party.birth_date if with_birth_date else None, DATE),
            )
        else:
            entity_id = f"leak-company-{len(self._ids) - self._people + 1:05d}"
            entity = self._company(entity_id, party)
        self._ids[party.key] = entity_id
        self.parties.append(entity)
        return entity_id

    def _company(self, entity_id: str, company: Company) -> dict[str, Any]:
        rng = self._rng
        # The service provider knows its own vehicles well and its clients' partners less so.
        offshore = company.jurisdiction not in ("de", "gb")
        return _entity(
            entity_id,
            "Company",
            name=self._spell.company(company),
            jurisdiction=company.jurisdiction,
            registrationNumber=company.reg_no if rng.random() < (0.7 if offshore else 0.3) else "",
            incorporationDate=fmt_date(company.incorporated if offshore else None, DATE),
            address=company.address.full if rng.random() < 0.5 else "",
        )


def write_leak(world: World, out_dir: Path, rng: Random) -> tuple[Path, ...]:
    """Write the leak as one .ijson file; returns its path."""
    ledger = _Ledger(rng)
    links: list[dict[str, Any]] = []
    for number, holding in enumerate(world.leak_holdings, start=1):
        owner = ledger.party(holding.owner)
        asset = ledger.party(holding.asset)
        links.append(
            _entity(
                f"leak-ownership-{number:05d}",
                "Ownership",
                owner=owner,
                asset=asset,
                percentage="" if holding.percentage is None else f"{holding.percentage:g}",
                startDate=fmt_date(holding.start, DATE),
            )
        )
    for number, transfer in enumerate(world.transfers, start=1):
        payer = ledger.party(transfer.payer)
        beneficiary = ledger.party(transfer.beneficiary)
        links.append(
            _entity(
                f"leak-payment-{number:06d}",
                "Payment",
                payer=payer,
                beneficiary=beneficiary,
                amount=fmt_amount(transfer.amount),
                currency=transfer.currency,
                date=fmt_date(transfer.paid, DATE),
                purpose=transfer.purpose,
                transactionNumber=f"TRX{rng.randrange(10**7, 10**8)}",
            )
        )
    path = write_entities(out_dir / "leak.ijson", [*ledger.parties, *links])
    return (path,)
