"""Blocking: the rules that pick candidate pairs, so not every pair is compared.

A rule is a key: two records become a candidate pair when their keys are equal (and not
null). Keys come from the prepared columns; a list column (nicknames, identifiers) gives
one key per value. The rule that first brought a pair together is kept for explanations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BlockingRule:
    """Records whose `columns` are all equal (list columns unnested) are compared."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...] = ("person",)
    unnest: str | None = None  # a list column among `columns`, one key per value
    max_block: int | None = None  # keys shared by more records than this are skipped

    def key_select(self) -> str:
        """SELECT list giving (rid, k0, k1, ...) for this rule's keys."""
        parts = [f"unnest({c})" if c == self.unnest else c for c in self.columns]
        return ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(parts))

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
    "idents": "identifier",
    "email": "contact",
    "phone": "contact",
    "name_key": "org_name",
}

RULES: tuple[BlockingRule, ...] = (
    # Names alone pick pairs only among records with a rare name: a common name shared
    # with nothing else could not be merged anyway, and would cost most of the pairs.
    BlockingRule(
        "same first and last name (spelling skeleton)", ("first_sk", "last_sk"), max_block=8
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
    BlockingRule("identifier", ("idents",), kinds=("person", "org", "other"), unnest="idents"),
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
    )
)


def agreeing_rules(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """Names of the rules under which two prepared records would be compared."""
    found = []
    for number, rule in enumerate(RULES):
        if left.get("kind") != right.get("kind") or left.get("kind") not in rule.kinds:
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
