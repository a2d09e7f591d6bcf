"""Blocking: the rules that pick candidate pairs, so not every pair is compared.

A rule is a key: two records become a candidate pair when their keys are equal (and not
null). Keys come from the prepared columns; a list column (nicknames, identifiers) gives
one key per value. The rule that first brought a pair together is kept for explanations.

Records pair only when their schemata can match (see schemas.py). Most rules pair
records of one kind; a few (identifiers, the same name) also pair a person with a
LegalEntity, which followthemoney allows to be either.

Organisations block on what identifies them as well as people do: identifiers,
e-mails, phones, websites, and rare name words (`org_tokens`, the significant words of
the name without legal forms, once the name columns provide them; name word skeletons
until then), limited to small blocks so "bank" or "holding" cost nothing.

A common full name's records are compared all against all only in small blocks, and
beyond that with their neighbours by place; so people of one name who share a party (a
co-inventor, an employer, a director: relations.py's neighbour names) are paired as
well, wherever they live. The relations comparison then weighs what they share: an
inventor who moved keeps his co-inventors, not his city.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from threadline.resolve.prepare import COLUMNS
from threadline.resolve.schemas import can_match

Pairing = Literal["same", "any", "cross"]  # kinds: equal, any, or different only


@dataclass(frozen=True)
class BlockingRule:
    """Records whose `columns` are all equal (list columns unnested) are compared."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...] = ("person",)
    unnest: str | None = None  # a list column among `columns`, one key per value
    max_block: int | None = None  # keys shared by more records than this are skipped
    # ... except for their sorted neighbourhood: with a window, each record of a larger
    # block is compared with the next `window` records in `order` (a prolific inventor's
    # hundreds of mentions, side by side by city, still chain into one).
    window: int = 0
    order: tuple[str, ...] = ("city", "postcode", "dob")
    pairing: Pairing = "same"  # which kinds of records pair (schemata must match too)

    def key_select(self) -> str:
        """SELECT list giving (rid, k0, k1, ...) for this rule's keys."""
        parts = [f"unnest({c})" if c == self.unnest else c for c in self.columns]
        return ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(parts))

    def pairs_kinds(self, left: Any, right: Any) -> bool:
        """Whether records of these two kinds pair under this rule."""
        if left not in self.kinds or right not in self.kinds:
            return False
        if self.pairing == "same":
            return bool(left == right)
        return self.pairing == "any" or left != right

    def kind_join(self, left: str, right: str) -> str:
        """The SQL condition on the two sides' kinds."""
        if self.pairing == "same":
            return f"{left}.kind = {right}.kind"
        if self.pairing == "cross":
            return f"{left}.kind <> {right}.kind"
        return "true"

    def key_filter(self) -> str:
        """The WHERE clause keeping records that have every key column."""
        kinds = ", ".join(f"'{k}'" for k in self.kinds)
        present = " AND ".join(f"{c} IS NOT NULL" for c in self.columns)
        return f"kind IN ({kinds}) AND {present}"


# Which comparison a key column decides: a training session over a rule's pairs must
# not estimate the comparisons that every one of its pairs agrees on by construction.
COLUMN_COMPARISON = {
    "first_sk": "first_name",
    "nicks": "first_name",
    "last_sk": "last_name",
    "dob": "birth_date",
    "postcode": "postcode",
    "addr": "address",
    "house": "address",
    "city": "city",
    "name_sks": "last_name",
    "dob_ym": "birth_date",
    "dob_y": "birth_date",
    "initial": "first_name",
    "last_initial": "last_name",
    "idents": "identifier",
    "email": "contact",
    "phone": "contact",
    "name_key": "org_name",
    "org_tokens": "org_name",
    "website": "contact",
    "rel_names": "relations",
}

# The organisation name words to block on: the name columns' significant tokens when
# prepared, else the skeletons of every name word (legal forms then fall to max_block).
ORG_TOKENS = "org_tokens" if "org_tokens" in COLUMNS else "name_sks"
# A name word shared by more organisations than this is not rare enough to block on.
RARE_TOKEN_BLOCK = 12
# Organisations at one address: more than this many is a registered agent's, not a cue.
ORG_ADDRESS_BLOCK = 20
# People born on one day whose family names start alike: more than this many is a year
# or month alone (a partial date), not a day.
DATE_INITIAL_BLOCK = 12
# People at one street address: more than this many is a block of flats or an office.
HOUSEHOLD = 12
# Records of a common full name compared with this many neighbours each (by place).
NAME_WINDOW = 8
# People of one name linked to one party (a co-inventor, an employer, a director): all
# pairs up to this many records, a sorted neighbourhood beyond.
PARTY_BLOCK = 50

RULES: tuple[BlockingRule, ...] = (
    # Names alone pick pairs only among records with a rare name: a common name shared
    # with nothing else could not be merged anyway, and would cost most of the pairs.
    BlockingRule(
        "same first and last name (spelling skeleton)",
        ("first_sk", "last_sk"),
        max_block=8,
        window=NAME_WINDOW,
    ),
    BlockingRule("nickname and last name", ("nicks", "last_sk"), unnest="nicks", max_block=8),
    BlockingRule("name order swapped", ("first_sk", "last_sk"), max_block=8),  # crosswise
    BlockingRule("full name and city", ("first_sk", "last_sk", "city"), max_block=50),
    BlockingRule("last name, initial and city", ("last_sk", "initial", "city"), max_block=50),
    BlockingRule("last name and birth date", ("last_sk", "dob")),
    BlockingRule("first name and birth date", ("first_sk", "dob")),
    BlockingRule("birth date and postcode", ("dob", "postcode")),
    BlockingRule("first name and postcode", ("first_sk", "postcode")),
    BlockingRule("last name and postcode", ("last_sk", "postcode")),
    BlockingRule(
        "a name word and birth month", ("name_sks", "dob_ym"), unnest="name_sks", max_block=8
    ),
    BlockingRule("a name word and address", ("name_sks", "addr"), unnest="name_sks"),
    BlockingRule("a name word and postcode", ("name_sks", "postcode"), unnest="name_sks"),
    BlockingRule("birth date and address", ("dob", "addr")),
    BlockingRule("house number, postcode and city", ("house", "postcode", "city")),
    BlockingRule(
        "identifier",
        ("idents",),
        kinds=("person", "org", "other"),
        unnest="idents",
        pairing="any",
    ),
    BlockingRule("email", ("email",)),
    BlockingRule("phone", ("phone",)),
    BlockingRule("same name", ("name_key",), kinds=("org", "other")),
    BlockingRule(
        "an organisation name word and address",
        ("name_sks", "addr"),
        kinds=("org", "other"),
        unnest="name_sks",
        max_block=50,
    ),
    # New rules go last: stored pairs keep the number of the rule that found them.
    BlockingRule("organisation email", ("email",), kinds=("org", "other")),
    BlockingRule("organisation phone", ("phone",), kinds=("org", "other")),
    BlockingRule(
        "a rare organisation name word",
        (ORG_TOKENS,),
        kinds=("org", "other"),
        unnest=ORG_TOKENS,
        max_block=RARE_TOKEN_BLOCK,
    ),
    # Found by "identifier" already; listed again so that training has a session of
    # organisations only (see TRAINING_RULES).
    BlockingRule("organisation identifier", ("idents",), kinds=("org", "other"), unnest="idents"),
    # A person and a LegalEntity (schemas.py keeps Companies out): their names are keyed
    # differently (given and family name; the whole name), so rare name words pair them.
    BlockingRule(
        "a rare name word, person and legal entity",
        ("name_sks",),
        kinds=("person", "org"),
        unnest="name_sks",
        max_block=RARE_TOKEN_BLOCK,
        pairing="cross",
    ),
    *(
        (BlockingRule("organisation website", ("website",), kinds=("org", "other")),)
        if "website" in COLUMNS
        else ()
    ),
    # Every word of a name mistyped ("Gärtcner Medin" for "Gärtner Medien") leaves the
    # place: organisations at one street address and postcode, unless many share it (a
    # registered agent's address).
    BlockingRule(
        "organisation address",
        ("addr", "postcode"),
        kinds=("org", "other"),
        max_block=ORG_ADDRESS_BLOCK,
    ),
    # Both names mistyped ("Biragit Brandner", "Birgit Brancdner") leave no name key in
    # common: the full birth date and the family name's first letter still pair them.
    # A year or month alone makes blocks too large to be worth it: max_block drops them.
    BlockingRule(
        "birth date and family name initial",
        ("dob", "last_initial"),
        max_block=DATE_INITIAL_BLOCK,
    ),
    # One street address, and one postcode or city, where one side lacks the other
    # ("house number, postcode and city" needs all three): a household, not a street.
    BlockingRule("street address and postcode", ("addr", "postcode"), max_block=HOUSEHOLD),
    BlockingRule("street address and city", ("addr", "city"), max_block=HOUSEHOLD),
    BlockingRule(
        "full name and a party in common",
        ("first_sk", "last_sk", "rel_names"),
        unnest="rel_names",
        max_block=PARTY_BLOCK,
        window=NAME_WINDOW,
    ),
)

_NUMBER = {rule.name: n for n, rule in enumerate(RULES)}
# The rule joined crosswise: l.first_sk = r.last_sk, l.last_sk = r.first_sk.
SWAPPED_RULE = _NUMBER["name order swapped"]
# Rules whose pairs train the model (each leaves out the comparisons it forces).
TRAINING_RULES = tuple(
    _NUMBER[name]
    for name in (
        "same first and last name (spelling skeleton)",
        "last name and birth date",
        "first name and birth date",
        "birth date and postcode",
        # Organisations: their name weights are learned from pairs found by what
        # identifies them, leaving out the comparison each rule forces.
        "organisation identifier",
        "organisation email",
        "organisation phone",
    )
)


def agreeing_rules(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """Names of the rules under which two prepared records would be compared."""
    found: list[str] = []
    if not can_match(left.get("schema"), right.get("schema")):
        return found
    for number, rule in enumerate(RULES):
        if not rule.pairs_kinds(left.get("kind"), right.get("kind")):
            continue
        if number == SWAPPED_RULE:
            first, last = rule.columns
            agree = (
                left.get(first) is not None
                and left.get(first) != left.get(last)
                and left.get(first) == right.get(last)
                and left.get(last) == right.get(first)
            )
        else:
            agree = all(_agree(left.get(c), right.get(c)) for c in rule.columns)
        if agree:
            found.append(rule.name)
    return found


def _agree(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, list) and isinstance(b, list):
        return bool(set(a) & set(b))
    return bool(a == b)
