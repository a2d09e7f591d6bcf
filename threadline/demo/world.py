"""The demo's ground truth: who exists and how they are linked, before any source writes it down."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from threadline.demo.companies import Address, Company
from threadline.demo.people import Person

Party = Person | Company


@dataclass(frozen=True, eq=False)
class Authority:
    """A contracting authority: a public body that awards contracts."""

    key: str
    name: str
    city: str


@dataclass(frozen=True)
class Directorship:
    """A person holding an office in a company."""

    company: Company
    person: Person
    role: str
    start: date | None
    end: date | None = None


@dataclass(frozen=True)
class Holding:
    """A share of a company held by a person or another company."""

    asset: Company
    owner: Party
    percentage: float | None
    start: date | None


@dataclass(frozen=True)
class Post:
    """An official's job at a contracting authority."""

    person: Person
    authority: Authority
    role: str
    start: date


@dataclass(frozen=True)
class Kinship:
    """A family tie an official declared."""

    official: Post
    relative: Person
    relationship: str
    declared: date


@dataclass(frozen=True)
class Award:
    """One lot of a public contract won by a supplier."""

    notice: str
    lot: int
    authority: Authority
    supplier: Company
    title: str
    cpv: str
    amount: float
    currency: str
    published: date
    awarded: date


@dataclass(frozen=True)
class Donation:
    """A gift to a political party."""

    donor: Party
    party: str
    amount: float
    received: date
    address: Address


@dataclass(frozen=True)
class Transfer:
    """A payment recorded in the leaked ledger."""

    payer: Party
    beneficiary: Party
    amount: float
    currency: str
    paid: date
    purpose: str


@dataclass
class World:
    """Everything the four sources will write about, each list in a stable order."""

    companies: list[Company] = field(default_factory=list)
    directorships: list[Directorship] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    authorities: list[Authority] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    kinships: list[Kinship] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    donations: list[Donation] = field(default_factory=list)
    offshores: list[Company] = field(default_factory=list)
    leak_holdings: list[Holding] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
