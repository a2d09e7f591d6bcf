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
from threadline.resolve.names import GIVEN_PAIR
from threadline.resolve.relations import COMMON, ORG

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


def _one_edit(d: Dialect, a: str, b: str) -> str:
    """`a` and `b` at most one edit apart (Damerau-Levenshtein <= 1).

    The edit distance is dear (DuckDB's costs several Jaro-Winklers), and nearly every
    pair of dates or postcodes is further apart: it is computed only where a cheap
    condition that one edit always meets holds. An edit changes at most two
    neighbouring characters, so it leaves the first h or the last h characters of the
    two alike, h = (the shorter length - 1) // 2."""
    h = f"CAST(floor(greatest(least(length({a}), length({b})) - 1, 0) / 2) AS INTEGER)"
    return (
        f"(left({a}, {h}) = left({b}, {h}) OR right({a}, {h}) = right({b}, {h}))"
        f" AND {d.damerau(a, b)} <= 1"
    )


def _contained(d: Dialect) -> str:
    # Significant words only: "Porsche AG" within "Dr. Ing. h. c. F. Porsche AG".
    return (
        f"{d.contains_all('l.org_tokens', 'r.org_tokens')}"
        f" OR {d.contains_all('r.org_tokens', 'l.org_tokens')}"
    )


def _org_typo(d: Dialect) -> str:
    # Jaro-Winkler forgives little at the start of a name ("Naorzentor" for "Norzentor"
    # scores 0.85): edits counted against the length catch typos anywhere, one per
    # eight characters of the shorter name, in names of eight characters or more.
    # A word more or less is no typo: "X Holding" is X's subsidiary (containment decides).
    shorter = "least(length(l.org_core), length(r.org_core))"
    return (
        f"{d.length('l.org_tokens')} = {d.length('r.org_tokens')} AND ("
        f"{d.jaro_winkler('l.org_core', 'r.org_core')} >= 0.95"
        f" OR ({shorter} >= 8 AND 8 * {d.damerau('l.org_core', 'r.org_core')} <= {shorter}))"
    )


def _acronym(d: Dialect) -> str:
    # The long side must have two words or more: a one-word name is no expansion.
    return (
        f"(r.org_core LIKE '% %' AND {d.regex_match('r.org_core', 'l.org_acronym')})"
        f" OR (l.org_core LIKE '% %' AND {d.regex_match('l.org_core', 'r.org_acronym')})"
    )


def _shared_weight(d: Dialect) -> str:
    """The summed rarity of the left address's tokens that the right one has too."""
    if d.name == "spark":
        return (
            "aggregate(zip_with(l.addr_tokens, l.addr_idf, (t, w) ->"
            " IF(array_contains(r.addr_tokens, t), w, 0D)), 0D, (a, x) -> a + x)"
        )
    return (
        "coalesce(list_sum(list_transform(list_zip(l.addr_tokens, l.addr_idf), lambda x:"
        " CASE WHEN list_contains(r.addr_tokens, x[1]) THEN x[2] ELSE 0 END)), 0)"
    )


def _shared_comparable(d: Dialect) -> str:
    """`_shared_weight` where two addresses can agree at all (no two different house
    numbers: neighbours share every token but one; a left address with weight), else
    NULL, which no level takes. Its text is one `repeated` expression: the three
    levels it decides compute it once per pair."""
    return (
        "(CASE WHEN (l.house IS NULL OR r.house IS NULL OR l.house = r.house)"
        f" AND l.addr_idf_sum > 0 THEN {_shared_weight(d)} END)"
    )


def _tokens_at(share: float) -> Condition:
    """Weighted Jaccard of the address tokens at least `share`, and no two different
    house numbers (`_shared_comparable`)."""

    def condition(d: Dialect) -> str:
        shared = _shared_comparable(d)
        return f"{shared} >= {share} * (l.addr_idf_sum + r.addr_idf_sum - {shared})"

    return condition


def _all_shared(d: Dialect) -> str:
    return d.shared("l.rel_names", "r.rel_names")


def _people(d: Dialect) -> str:
    """How many people's names of rare names (relations.py keys without the organisation
    or common-name prefix) both records' neighbours hold."""
    person = f"x NOT LIKE '{ORG}%' AND x NOT LIKE '{COMMON}%'"
    if d.name == "spark":
        return f"size(filter(array_intersect(l.rel_names, r.rel_names), x -> {person}))"
    return f"len(list_filter(list_intersect(l.rel_names, r.rel_names), lambda x: {person}))"


def _similar_given(d: Dialect) -> str:
    """Given names alike (Jaro-Winkler >= 0.8), unless both are two-word names that
    differ in a word: "Jun-Ho" and "Jun-Hee", "Hans-Peter" and "Hans Jürgen" share
    their first half, not their name (names.first_name_forms marks the pairs)."""
    pair = f"x LIKE '%{GIVEN_PAIR}%'"
    if d.name == "spark":
        held = "exists({}, x -> " + pair + ")"
        common = "array_intersect(l.nicks, r.nicks)"
    else:
        held = "len(list_filter({}, lambda x: " + pair + ")) > 0"
        common = "list_intersect(l.nicks, r.nicks)"
    differ = (
        f"coalesce({held.format('l.nicks')} AND {held.format('r.nicks')}"
        f" AND NOT {held.format(common)}, false)"
    )
    return f"{d.jaro_winkler('l.first', 'r.first')} >= 0.8 AND NOT {differ}"


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
            Level("similar (Jaro-Winkler >= 0.8)", _similar_given),
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
        "organisation names: legal forms normalised (Aktiengesellschaft = AG), one name"
        " within the other, acronym",
        _null("org_core"),
        (
            Level("same name", _sql("l.org_key = r.org_key")),
            Level("same name, legal form differs or missing", _sql("l.org_core = r.org_core")),
            Level("typo (Jaro-Winkler >= 0.95, or an edit per 8 characters)", _org_typo),
            Level("the same words in another order, or one name within the other", _contained),
            Level("similar (Jaro-Winkler >= 0.88)", _jw("org_core", 0.88)),
            Level("one name an acronym of the other (BMW, Bayerische Motorenwerke)", _acronym),
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
                lambda d: f"length(l.dob) = length(r.dob) AND {_one_edit(d, 'l.dob', 'r.dob')}",
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
        "street and house number (street words shortened); different numbers never agree",
        _null("street"),
        (
            Level(
                "same street and house number", _sql("l.street = r.street AND l.house = r.house")
            ),
            Level(
                "same house number, street typo (Jaro-Winkler >= 0.9)",
                lambda d: f"l.house = r.house AND {d.jaro_winkler('l.street', 'r.street')} >= 0.9",
            ),
            Level(
                "same street, a house number missing on one side",
                _sql("l.street = r.street AND (l.house IS NULL OR r.house IS NULL)"),
            ),
        ),
        group="location",
    ),
    Comparison(
        "address_tokens",
        "whole addresses as token sets, rare tokens weighing more; different house"
        " numbers never agree",
        _sql("l.addr_tokens IS NULL OR r.addr_tokens IS NULL"),
        (
            Level("nearly all of the address in common (weighted >= 0.8)", _tokens_at(0.8)),
            Level("most of the address in common (weighted >= 0.5)", _tokens_at(0.5)),
            Level("some rare part in common (weighted >= 0.25)", _tokens_at(0.25)),
        ),
        group="location",
    ),
    Comparison(
        "postcode",
        "postcodes",
        _null("postcode"),
        (
            Level("same postcode", _sql("l.postcode = r.postcode")),
            Level("one typo", lambda d: _one_edit(d, "l.postcode", "r.postcode")),
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
    Comparison(
        "relations",
        "names of the parties both are linked to: co-inventors, officers, owners; a"
        " person in common counts more than an organisation (an employer, a parent) or"
        " a person of a common name",
        _sql("l.rel_names IS NULL OR r.rel_names IS NULL"),
        (
            Level(
                "two names or more in common, a person of a rare name among them",
                lambda d: f"{_people(d)} >= 1 AND {_all_shared(d)} >= 2",
            ),
            Level("a person of a rare name in common", lambda d: f"{_people(d)} >= 1"),
            Level(
                "only organisations or common names in common",
                lambda d: f"{_all_shared(d)} >= 1",
            ),
        ),
    ),
)

BY_NAME = {c.name: c for c in COMPARISONS}


def repeated(d: Dialect) -> dict[str, str]:
    """The dear expressions that several levels evaluate, over `l` and `r`, by a column
    name. Engines evaluate a CASE branch by branch and recompute an expression in each
    branch that holds it (a given name that is not the same is compared by Jaro-Winkler
    at two levels, an address's shared weight at up to six places): the SQL generators
    (sql.py) compute each once per pair and read the column in its place. An expression
    is only hoisted where its text appears in the levels, so a change of wording here
    costs speed, never a wrong level."""
    return {
        "jw_first": d.jaro_winkler("l.first", "r.first"),
        "jw_last": d.jaro_winkler("l.last", "r.last"),
        "jw_org_core": d.jaro_winkler("l.org_core", "r.org_core"),
        "addr_shared": _shared_comparable(d),
        "rel_people": _people(d),
        "rel_shared": _all_shared(d),
    }
