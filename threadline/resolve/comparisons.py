"""The comparison features: how two records' fields agree, as ordered levels.

A comparison is a list of levels, strongest first; the first level whose condition holds
gives the pair its level for that feature. Level 0 is "disagrees", -1 is "one side has no
value" (neutral). Conditions are SQL over the prepared columns of `l` and `r`, written
against a Dialect so the same features run on DuckDB or Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from threadline.resolve.dialect import Dialect

NULL_LEVEL = -1
ELSE_LEVEL = 0

Condition = Callable[[Dialect], str]


@dataclass(frozen=True)
class Level:
    """One way two values can agree."""

    label: str
    condition: Condition


@dataclass(frozen=True)
class Comparison:
    """One feature: its name, when it is undefined, and its levels (strongest first)."""

    name: str
    description: str
    null_if: Condition
    levels: tuple[Level, ...]
    # At least this much evidence against (in bits) when the values differ outright:
    # different given names with the same family, birth date and address are twins or
    # siblings, however strongly the rest agrees.
    decisive: float | None = None
    decisive_unless: str | None = None  # ... unless this comparison agrees at any level
    # Comparisons of one group measure one thing (where someone lives): their agreements
    # are not independent, so only the strongest agreement and disagreement count.
    group: str | None = None

    @property
    def size(self) -> int:
        """Levels including "disagrees" (0); -1 is handled apart."""
        return len(self.levels) + 1

    def label(self, gamma: int) -> str:
        """The human label of a level number."""
        if gamma == NULL_LEVEL:
            return "no value on one side"
        if gamma == ELSE_LEVEL:
            return "different"
        return self.levels[len(self.levels) - gamma].label

    def sql(self, dialect: Dialect) -> str:
        """A CASE expression giving the level number."""
        whens = [f"WHEN {self.null_if(dialect)} THEN {NULL_LEVEL}"]
        for position, level in enumerate(self.levels):
            whens.append(f"WHEN {level.condition(dialect)} THEN {len(self.levels) - position}")
        return f"CASE {' '.join(whens)} ELSE {ELSE_LEVEL} END"


def _null(*columns: str) -> Condition:
    def condition(d: Dialect) -> str:
        return " OR ".join(f"l.{c} IS NULL OR r.{c} IS NULL" for c in columns)

    return condition


def _sql(text: str) -> Condition:
    return lambda d: text


def _jw(column: str, at_least: float) -> Condition:
    return lambda d: f"{d.jaro_winkler(f'l.{column}', f'r.{column}')} >= {at_least}"


_SWAPPED = "(l.first = r.last AND l.last = r.first)"


def _dob_swap(d: Dialect) -> str:
    return (
        "length(l.dob) = 8 AND length(r.dob) = 8"
        f" AND {d.substring('l.dob', 1, 4)} = {d.substring('r.dob', 1, 4)}"
        f" AND {d.substring('l.dob', 5, 2)} = {d.substring('r.dob', 7, 2)}"
        f" AND {d.substring('l.dob', 7, 2)} = {d.substring('r.dob', 5, 2)}"
    )


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "first_name",
        "given names: exact, name order swapped, nickname, typo, spelling or initial",
        _null("first"),
        (
            Level("same (or name order swapped)", _sql(f"l.first = r.first OR {_SWAPPED}")),
            Level("typo (Jaro-Winkler >= 0.92)", _jw("first", 0.92)),
            Level("same spelling skeleton (transliteration)", _sql("l.first_sk = r.first_sk")),
            Level("nickname or formal form", lambda d: d.overlap("l.nicks", "r.nicks")),
            Level(
                "initial matches",
                _sql("(length(l.first) = 1 OR length(r.first) = 1) AND l.initial = r.initial"),
            ),
            Level("similar (Jaro-Winkler >= 0.8)", _jw("first", 0.8)),
        ),
        decisive=13.0,
        decisive_unless="identifier",
    ),
    Comparison(
        "last_name",
        "family names: exact, typo, spelling skeleton (transliteration)",
        _null("last"),
        (
            Level("same (or name order swapped)", _sql(f"l.last = r.last OR {_SWAPPED}")),
            Level("typo (Jaro-Winkler >= 0.92)", _jw("last", 0.92)),
            Level("same spelling skeleton (transliteration)", _sql("l.last_sk = r.last_sk")),
            Level("similar (Jaro-Winkler >= 0.8)", _jw("last", 0.8)),
        ),
    ),
    Comparison(
        "org_name",
        "organisation names with legal forms normalised (Aktiengesellschaft = AG)",
        _sql("l.kind = 'person' OR l.name_key IS NULL OR r.name_key IS NULL"),
        (
            Level("same name", _sql("l.name_key = r.name_key")),
            Level("typo (Jaro-Winkler >= 0.95)", _jw("name_key", 0.95)),
            Level("similar (Jaro-Winkler >= 0.88)", _jw("name_key", 0.88)),
        ),
    ),
    Comparison(
        "birth_date",
        "dates of birth: exact, day and month swapped, one typo, same year",
        _null("dob"),
        (
            Level("same date", _sql("l.dob = r.dob")),
            Level(
                "same as far as both go (a partial date)",
                _sql(
                    "length(l.dob) <> length(r.dob) AND length(l.dob) >= 6"
                    " AND length(r.dob) >= 6"
                    " AND (starts_with(l.dob, r.dob) OR starts_with(r.dob, l.dob))"
                ),
            ),
            Level("day and month swapped", _dob_swap),
            Level(
                "one typo",
                lambda d: f"length(l.dob) = length(r.dob) AND {d.damerau('l.dob', 'r.dob')} <= 1",
            ),
            Level(
                "same year",
                lambda d: f"{d.substring('l.dob', 1, 4)} = {d.substring('r.dob', 1, 4)}",
            ),
        ),
        decisive=10.0,
        decisive_unless="identifier",
    ),
    Comparison(
        "identifier",
        "registration, tax or personal identifiers",
        _null("ident"),
        (
            Level("an identifier in common", lambda d: d.overlap("l.idents", "r.idents")),
            Level("one typo", lambda d: f"{d.levenshtein('l.ident', 'r.ident')} <= 1"),
        ),
    ),
    Comparison(
        "address",
        "street addresses, street words shortened",
        _null("addr"),
        (
            Level("same address", _sql("l.addr = r.addr")),
            Level("typo (Jaro-Winkler >= 0.9)", _jw("addr", 0.9)),
            Level("same house number", _sql("l.house = r.house")),
        ),
        group="location",
    ),
    Comparison(
        "postcode",
        "postcodes",
        _null("postcode"),
        (
            Level("same postcode", _sql("l.postcode = r.postcode")),
            Level("one typo", lambda d: f"{d.damerau('l.postcode', 'r.postcode')} <= 1"),
        ),
        group="location",
    ),
    Comparison(
        "city",
        "cities or suburbs",
        _null("city"),
        (
            Level("same city", _sql("l.city = r.city")),
            Level("typo (Jaro-Winkler >= 0.9)", _jw("city", 0.9)),
        ),
        group="location",
    ),
    Comparison(
        "contact",
        "email addresses and phone numbers",
        _sql("(l.email IS NULL OR r.email IS NULL) AND (l.phone IS NULL OR r.phone IS NULL)"),
        (Level("same email or phone", _sql("l.email = r.email OR l.phone = r.phone")),),
    ),
    Comparison(
        "country",
        "countries",
        _null("country"),
        (Level("same country", _sql("l.country = r.country")),),
        group="location",
    ),
)

BY_NAME = {c.name: c for c in COMPARISONS}
