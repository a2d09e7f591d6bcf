"""A seeded generator of company records that are hard to resolve, with the true clusters.

Each true company has 1 to 4 records over three datasets (`registry`, `procurement`,
`leak`) that write its name differently: legal form long or short ("GmbH" / "Gesellschaft
mit beschränkter Haftung", "AG" / "Aktiengesellschaft", "Ltd" / "Limited", "LLC" /
"Limited Liability Company"), the name as initials ("BMW AG" for "Bayerische Motoren
Werke AG", always with the registration number), typos, "ü" as "ue", upper case,
registration numbers spaced or not, street spellings. Hard negatives that must stay
apart, each with its own registration number: subsidiaries ("X Holding GmbH", "X
Services GmbH", often at the parent's address), branches ("X Zweigniederlassung Hamburg
GmbH"), the same name abroad ("X Ltd"), and unrelated companies at a shared
registered-agent address or with the same name. Standard library only; the same seed
gives the same set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from _hardset import FIELDS, HardSet, _typo

PREFIXES = ("Bayerische", "Rheinische", "Nordische", "Hanseatische", "Süddeutsche", "Global",
            "United", "Atlantic", "Pacific", "Alpine", "Baltic", "Märkische", "Westfälische",
            "Northern", "Royal", "Continental", "Schwäbische", "Thüringer", "Central", "Euro")  # fmt: skip
FOUNDERS = ("Müller", "Schäfer", "Jürgens", "Köhler", "Brückner", "Thompson", "Hartley",
            "Özdemir", "Vogt", "Krämer", "Weiß", "Fischer", "Lindqvist", "Okafor", "Novak",
            "Hoffmann", "Reynolds", "Gärtner", "Schröder", "Delacroix", "Mbeki", "Tanaka")  # fmt: skip
TRADES = ("Motoren Werke", "Logistik", "Handels", "Energie", "Software", "Maschinenbau",
          "Bau", "Trading", "Systems", "Consulting", "Chemie", "Stahl Werke", "Pharma",
          "Medien", "Immobilien", "Shipping", "Textil", "Elektro", "Foods", "Capital",
          "Versicherungs", "Glas Werke", "Solar", "Robotics", "Brau", "Holz")  # fmt: skip
FORMS = {  # country -> [(short, long)]
    "DE": [("GmbH", "Gesellschaft mit beschränkter Haftung"), ("AG", "Aktiengesellschaft")],
    "GB": [("Ltd", "Limited"), ("PLC", "Public Limited Company")],
    "US": [("LLC", "Limited Liability Company"), ("Inc", "Incorporated")],
}
CITIES = {"DE": ("München", "Köln", "Düsseldorf", "Hamburg", "Nürnberg", "Berlin"),
          "GB": ("London", "Leeds", "Bristol", "Glasgow"), "US": ("Wilmington", "Dover", "Austin")}  # fmt: skip
STREETS = ("Hauptstraße", "Industriestraße", "Königsallee", "Mühlenweg", "Market Street",
           "High Street", "Orange Street", "Bahnhofstraße", "Schloßplatz", "Park Avenue")  # fmt: skip
SYLLABLES = (
    "nor",
    "vex",
    "ka",
    "tal",
    "mi",
    "ron",
    "sa",
    "lu",
    "dex",
    "ber",
    "gan",
    "ti",
    "ol",
    "war",
    "quin",
    "zen",
    "ha",
    "mo",
    "rik",
    "sel",
    "tor",
    "ve",
    "pla",
    "dru",
)
SUBSIDIARY = ("Holding", "Services", "Verwaltungs", "International", "Beteiligungs", "Digital")
DATASETS = (("registry", 0.4), ("procurement", 0.35), ("leak", 0.25))
FOLD = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss", "Ü": "Ue", "Ö": "Oe", "Ä": "Ae"})


@dataclass
class Company:
    """One true company; records are renderings of it."""

    key: str
    words: list[str]  # the name before the legal form
    country: str
    form: int  # index into FORMS[country]
    number: str  # registration number, unformatted
    street: str
    city: str
    postcode: str


def generate(n_records: int, seed: int) -> HardSet:
    """`n_records` company records; truth maps record -> company, groups company -> family."""
    rnd = random.Random(seed)
    columns: dict[str, list[str | None]] = {f: [] for f in FIELDS}
    truth: dict[str, str] = {}
    groups: dict[str, tuple[str, str]] = {}
    agents = [_address(rnd, "US") for _ in range(20)]  # registered agents: shared addresses
    count = 0
    while len(columns["id"]) < n_records:
        family = _company(rnd, f"c{count}", agents)
        count += 1
        members = [family]
        if rnd.random() < 0.15:
            for kind in rnd.sample(("subsidiary", "branch", "abroad"), rnd.randint(1, 2)):
                members.append(_relative(rnd, family, f"c{count}", kind))
                groups[f"c{count}"] = (family.key, kind)
                count += 1
            groups[family.key] = (family.key, "parent")
        for company in members:
            for _ in range(rnd.choice((1, 1, 2, 2, 2, 3, 3, 4))):
                if len(columns["id"]) == n_records:
                    break
                record = f"k{len(columns['id']):07d}"
                for name, value in _record(rnd, company).items():
                    columns[name].append(value)
                columns["id"].append(record)
                truth[record] = company.key
    return HardSet(columns, truth, groups)


def _company(
    rnd: random.Random, key: str, agents: list[tuple[str, str, str]], country: str | None = None
) -> Company:
    country = country or rnd.choice(("DE", "DE", "DE", "GB", "US"))
    shape = rnd.random()
    brand = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.choice((2, 2, 3)))).capitalize()
    if shape < 0.35:
        words = [brand, *rnd.choice(TRADES).split()]
    elif shape < 0.6:
        words = [rnd.choice(PREFIXES), brand, *rnd.choice(TRADES).split()]
    elif shape < 0.85:
        words = [rnd.choice(FOUNDERS), *rnd.choice(TRADES).split()]
    else:
        words = [rnd.choice(FOUNDERS), "&", rnd.choice(FOUNDERS)]
    use_agent = agents and country == "US" and rnd.random() < 0.5
    street, city, postcode = rnd.choice(agents) if use_agent else _address(rnd, country)
    # Unique per company by construction: a step of 13 per company, a random offset.
    n = int(key[1:]) * 13 + rnd.randint(0, 12)
    number = {"DE": f"HRB {10000 + n}", "GB": f"{n:08d}",
              "US": f"{10 + n // 10**7 % 90}-{n % 10**7:07d}"}[country]  # fmt: skip
    return Company(key, words, country, rnd.randrange(2), number, street, city, postcode)


def _relative(rnd: random.Random, parent: Company, key: str, kind: str) -> Company:
    """A company of `parent`'s family: its name, another registration number."""
    country = parent.country
    if kind == "abroad":  # the same name in another country, with that country's legal form
        country = rnd.choice([c for c in FORMS if c != parent.country])
    other = _company(rnd, key, [], country)
    words = list(parent.words)
    if kind == "subsidiary":
        words.append(rnd.choice(SUBSIDIARY))
    elif kind == "branch":
        words += ["Zweigniederlassung" if country == "DE" else "Branch", other.city]
    same_place = kind == "subsidiary" and rnd.random() < 0.7
    place = (parent.street, parent.city, parent.postcode) if same_place \
        else (other.street, other.city, other.postcode)  # fmt: skip
    form = other.form if kind == "abroad" else parent.form
    return Company(key, words, country, form, other.number, *place)


def _address(rnd: random.Random, country: str) -> tuple[str, str, str]:
    street = f"{rnd.choice(STREETS)} {rnd.randint(1, 250)}"
    postcode = {"DE": f"{rnd.randint(10000, 99999)}", "GB": f"E{rnd.randint(1, 20)} {rnd.randint(1, 9)}AB",
                "US": f"{rnd.randint(10000, 99999)}"}[country]  # fmt: skip
    return street, rnd.choice(CITIES[country]), postcode


def _record(rnd: random.Random, company: Company) -> dict[str, str | None]:
    dataset = rnd.choices([d for d, _ in DATASETS], [w for _, w in DATASETS])[0]
    short, long = FORMS[company.country][company.form]
    words = list(company.words)
    roll = rnd.random()
    initials = roll < 0.08 and len([w for w in words if w[0].isupper()]) >= 2
    if initials:  # "BMW": only with the registration number, else nothing ties it to the name
        words = ["".join(w[0] for w in words if w[0].isupper())]
    elif roll < 0.20:
        words = [_typo(rnd, w) if len(w) >= 5 and rnd.random() < 0.5 else w for w in words]
    name = " ".join([*words, long if rnd.random() < 0.35 else short])
    if rnd.random() < 0.3:
        name = name.translate(FOLD)
    if dataset == "leak" and rnd.random() < 0.5:
        name = name.upper()
    keep = rnd.random() < (0.95, 0.5, 0.2)[_index(dataset)] or initials
    number = company.number if keep else None
    if number and rnd.random() < 0.3:
        number = number.replace(" ", "").replace("-", "")
    street = company.street
    if rnd.random() < 0.3:
        street = street.replace("straße", "str.").replace("Street", "St")
    has_address = rnd.random() < 0.85
    return {"dataset": dataset, "schema": "Company", "name": name, "first_name": None,
            "last_name": None, "birth_date": None, "identifier": number,
            "address": street if has_address else None,
            "postcode": company.postcode if has_address else None,
            "city": company.city if has_address or rnd.random() < 0.5 else None,
            "country": company.country, "email": None, "phone": None}  # fmt: skip


def _index(dataset: str) -> int:
    return [d for d, _ in DATASETS].index(dataset)


def identifier_key(value: str | None) -> str | None:
    """A registration number compared as written apart from spaces, dashes and case."""
    if not value:
        return None
    return "".join(c for c in value.upper() if c.isalnum()) or None
