"""Priors: documented rules that decide pairs the trained model cannot be trusted with.

Fellegi-Sunter weights are only as good as the data they were learned from. A register
of a few hundred companies gives EM too few pairs; name frequencies counted in a small
file make every shared name look common; and a model trained on people says nothing of
organisations. Like nomenklatura's logic rules, these rules sit on top of the learned
weights and are written down here, so `explain` can name the one that decided a pair.

Always:

1. **Schemata that cannot match** (followthemoney's `Schema.can_match`: a Person and a
   Company) are refused outright, and no chain of merges through a LegalEntity may put
   them in one cluster.
2. **Organisations with different identifiers** (both have registration, tax or other
   identifiers of one kind, by their shape, and none in common: a parent and its
   subsidiary) never merge; at most they
   are queued for review, and no chain of merges may join them.
3. **An identical rare name across datasets** (the same normalised name, held by at most
   `RARE_NAME_RECORDS` records, in two datasets, with no conflicting identifier or birth
   date) is at least queued for review, whatever training made of it. A Person and a
   LegalEntity have the same name when their name words agree (the person's given and
   family name may sit within the legal entity's longer name); for them one dataset is
   enough, as the model has no name weights across kinds.

4a. **An identical rare organisation name in one place** (the same normalised name, held by
   at most `RARE_NAME_RECORDS` records, with an agreeing city, postcode, street address,
   identifier, e-mail or phone, or the same legal form in the same country, and no
   conflicting identifier, postcode, city or country) merges, however many records there
   are. Registers keep company names distinct within their jurisdiction (the UK's
   Companies House refuses a name already on its index; a German court register, one
   already used in the same place), so the same name and legal form in one country is
   itself a place, where no third record holds that name. The learned weights average
   over every name: "Müller Bau GmbH", held by ten companies, teaches EM that a shared
   name proves little, and a name only two records hold is then under-weighted. (On the
   generated company set, such pairs in one place were the same company 99.5% of the
   time; their learned weight left them in review.) People are not covered: namesakes
   are common. The same name in the same country merges too where no record holding the
   name tells two companies apart (one identifier of each kind, one postcode, one city
   among them all: `namegroups.py`), whether two records hold it or eight: three datasets
   naming one company is common, and counting records left every third copy in review.

4b. **Organisation names alike at a rare street address** (the same name, a typo apart,
   or one the other's initials, a letter a word: "WG AG" and "Weiss & Gaertner AG"), at the same
   street, house number and postcode, held by at most `RARE_ADDRESS_RECORDS` records,
   with no conflicting identifier, postcode, city or country, merge. Each is evidence the
   model weighs on its own, and their sum fell just short of the merge bar; but a rare
   address is held by one company's few records, and a name as close as this at it is
   that company. A registered agent's address, held by many, does not count. One name
   within the other ("X" and "X Holding" at the parent's address) is not alike.

Where the data were too few for EM (a kind of record with fewer than `FALLBACK_RECORDS`
records; see `choose_fallback`), the kind is scored with priors as well. (A large kind
whose name weights could not be learned keeps the default weights, and says so in the
model's facts: on PatentsView, 133,541 inventor mentions with names and cities only,
the rules below held name-and-city pairs at review and cost most of the recall.)

4. **An identical rare name with an agreeing street address, identifier, e-mail or
   phone** (and no conflicting identifier or birth date) merges.
5. **An identical name and nothing else agreeing** (no identifier, address, postcode,
   birth date, e-mail or phone in common) goes to review: a common name alone is not
   enough to merge, nor so little that a reviewer should not see it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from threadline.resolve.comparisons import BY_NAME, COMPARISONS
from threadline.resolve.identifiers import identifier_shape, identifiers_differ
from threadline.resolve.model import Model
from threadline.resolve.namegroups import address_counts, name_groups
from threadline.resolve.schemas import can_match
from threadline.resolve.thresholds import Thresholds

# A name held by at most this many records is rare (two datasets' copies of one entity,
# and a few more).
RARE_NAME_RECORDS = 4
# A street address held by at most this many records is rare: a company's copies in a
# few datasets, and a subsidiary's at the parent's address (rule 4b).
RARE_ADDRESS_RECORDS = 8
# A kind of record with fewer records than this is scored with the priors too.
FALLBACK_RECORDS = 500
# The weight of a refused pair: far below any veto, but finite for averaging.
REFUSED_WEIGHT = -60.0

(NONE, INCOMPATIBLE, IDENTIFIERS_DIFFER, PRIOR_MERGE, PRIOR_REVIEW, RARE_NAME, RARE_ORG,
 SHARED_ADDRESS) = range(8)  # fmt: skip
REASONS = {
    INCOMPATIBLE: "rule 1: their schemata cannot be the same entity (followthemoney)",
    IDENTIFIERS_DIFFER: "rule 2: organisations with different identifiers never merge",
    PRIOR_MERGE: "rule 4 (priors, too few data for EM): an identical rare name with an"
    " agreeing address, identifier, e-mail or phone merges",
    PRIOR_REVIEW: "rule 5 (priors, too few data for EM): an identical name with nothing"
    " else agreeing goes to review",
    RARE_NAME: "rule 3: an identical rare name across datasets is at least reviewed",
    RARE_ORG: "rule 4a: an identical rare organisation name with an agreeing place,"
    " identifier or contact, or in one country where no record holding the name tells"
    " two companies apart, merges",
    SHARED_ADDRESS: "rule 4b: organisation names alike (the same, a typo apart, or an"
    " acronym) at one street address that few records hold merge",
}
SUMMARY = "documented rules over the learned weights (threadline.resolve.priors)"
_KINDS = {"person": 0, "org": 1, "other": 2}
_COLUMN = {c.name: n for n, c in enumerate(COMPARISONS)}
# What corroborates a name: agreeing on any of these at its strongest level.
_CORROBORATING = ("identifier", "address", "postcode", "birth_date", "contact")
_NAMES = {"person": ("first_name", "last_name"), "org": ("org_name",)}
# The organisation name comparison's level numbers, by the start of their labels.
_ORG_LEVEL = {
    start: BY_NAME["org_name"].size - 1 - n
    for n, level in enumerate(BY_NAME["org_name"].levels)
    for start in ("typo", "one name an acronym")
    if level.label.startswith(start)
}


def name_codes(table: pa.Table) -> npt.NDArray[np.int64]:
    """A code per distinct name key of a prepared table's rows, -1 for none."""
    name = pc.dictionary_encode(table.column("name_key")).combine_chunks()
    codes = name.indices.to_numpy(zero_copy_only=False).astype(np.float64)
    return np.where(np.isnan(codes), -1, codes).astype(np.int64)


@dataclass
class Records:
    """What the rules need of each prepared record, as arrays indexed by row number."""

    kind: npt.NDArray[np.int8]
    schema: npt.NDArray[np.int32]  # index into `schemata`
    schemata: list[str | None]
    dataset: npt.NDArray[np.int32]
    name: npt.NDArray[np.int64]  # a code per distinct name key, -1 for none
    name_count: npt.NDArray[np.int64]  # how many records hold the name
    words: pa.ChunkedArray | pa.Array  # name word skeletons, to compare across kinds
    # Per record, a code per identifier an organisation holds (empty for people and for
    # organisations without one): clusters holding different ones never join (rule 2).
    identifiers: list[frozenset[int]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # each identifier code's shape
    # Per record, whether its organisation name's records can all be one company (see
    # namegroups.py); empty: none can.
    one_company: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Per record, the initials of its organisation name's words (None: one word or none)
    # and the name itself, to tell a strict acronym ("wg" for "weiss gaertner").
    initials: list[frozenset[str]] = field(default_factory=list)
    cores: list[str | None] = field(default_factory=list)
    # Per record, how many records hold its street address (0: none, or unknown).
    address_count: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )

    @classmethod
    def from_table(
        cls,
        table: pa.Table,
        counts: Sequence[int] | None = None,
        one_company: Sequence[bool] | None = None,
        addresses: Sequence[int] | None = None,
    ) -> Records:
        """From a prepared table; `counts` overrides how many records hold each name,
        `one_company` whether each name's records can be one company, and `addresses`
        how many records hold each street address (for a pair explained apart from the
        run that counted them)."""
        kinds = table.column("kind").to_pylist()
        schema = pc.dictionary_encode(table.column("schema")).combine_chunks()
        dataset = pc.dictionary_encode(table.column("dataset")).combine_chunks()
        codes = name_codes(table)
        if counts is None:
            # At least one slot: records none of which holds a name still index it.
            tally = np.bincount(codes[codes >= 0], minlength=1)
            found = np.where(codes >= 0, tally[np.maximum(codes, 0)], 0)
        else:
            found = np.asarray(counts, dtype=np.int64)
        schema_codes = schema.indices.to_numpy(zero_copy_only=False).astype(np.float64)
        if one_company is None:
            alike = name_groups(table, codes)
        else:
            alike = np.asarray(one_company, dtype=bool)
        return cls(
            kind=np.array([_KINDS.get(k or "other", 2) for k in kinds], dtype=np.int8),
            schema=np.where(np.isnan(schema_codes), -1, schema_codes).astype(np.int32),
            schemata=[*schema.dictionary.to_pylist(), None],
            dataset=dataset.indices.to_numpy(zero_copy_only=False).astype(np.int32),
            name=codes,
            name_count=found.astype(np.int64),
            words=table.column("name_sks"),
            one_company=alike,
            **_initials(
                table.column("org_core").to_pylist(), table.column("org_tokens").to_pylist()
            ),
            address_count=(
                address_counts(table)
                if addresses is None
                else np.asarray(addresses, dtype=np.int64)
            ),
            **_org_identifiers(kinds, table.column("idents").to_pylist()),
        )

    def alike(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether each pair's records both belong to name groups that can be one company
        (see namegroups.py)."""
        if len(self.one_company) != len(self.kind):
            return np.zeros(len(a), dtype=bool)
        found: npt.NDArray[np.bool_] = self.one_company[a] & self.one_company[b]
        return found

    def rare_address(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Whether both records of each pair hold a street address few records hold."""
        if len(self.address_count) != len(self.kind):
            return np.zeros(len(a), dtype=bool)
        found: npt.NDArray[np.bool_] = np.ones(len(a), dtype=bool)
        for side in (a, b):
            count = self.address_count[side]
            found &= (count > 0) & (count <= RARE_ADDRESS_RECORDS)
        return found

    def initialled(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Whether one name of each pair is the other's initials, a letter a word."""
        found = np.zeros(len(a), dtype=bool)
        if len(self.cores) != len(self.kind):
            return found
        for n, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
            left, right = self.cores[x], self.cores[y]
            found[n] = (left in self.initials[y]) or (right in self.initials[x])
        return found

    def differ(self, x: int, y: int) -> bool:
        """Whether two records' identifiers conflict (see `identifiers_differ`)."""
        return identifiers_differ(self.identifiers[x], self.identifiers[y], self.kinds)

    def same_words(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Whether each pair's names have the same words, or one name all of the other's
        and at least two (a person's given and family name within a legal entity's
        name, which may hold a middle name too)."""
        left = self.words.take(pa.array(a)).to_pylist()
        right = self.words.take(pa.array(b)).to_pylist()
        found = []
        for x, y in zip(left, right, strict=True):
            s, t = set(x or ()), set(y or ())
            found.append(
                bool(s and t) and (s == t or (min(len(s), len(t)) >= 2 and (s <= t or t <= s)))
            )
        return np.array(found, dtype=bool)


def _initials(
    cores: Sequence[str | None], tokens: Sequence[Sequence[str] | None]
) -> dict[str, Any]:
    """Each name's initials, of all its words and of its significant words ("bank of
    america": "boa" and "ba"), where it has two or more."""
    found = []
    # One empty set for every name without initials (most of a million people): an
    # empty frozenset per record would be a fifth of a gigabyte.
    none: frozenset[str] = frozenset()
    for core, significant in zip(cores, tokens, strict=True):
        if core is None and not significant:
            found.append(none)
            continue
        ways = [[w for w in (core or "").split() if w[0].isalnum()], list(significant or ())]
        found.append(
            frozenset("".join(w[0] for w in words) for words in ways if len(words) >= 2) or none
        )
    return {"initials": found, "cores": list(cores)}


def _org_identifiers(
    kinds: Sequence[str | None], idents: Sequence[Sequence[str] | None]
) -> dict[str, Any]:
    codes: dict[str, int] = {}
    empty: frozenset[int] = frozenset()
    found = []
    for kind, values in zip(kinds, idents, strict=True):
        if kind == "person" or not values:
            found.append(empty)
        else:
            found.append(frozenset(codes.setdefault(v, len(codes)) for v in values if v))
    return {"identifiers": found, "kinds": [identifier_shape(v) for v in codes]}


@dataclass
class Decided:
    """Match weights after the rules, the rule that decided each pair (0: none), and
    pairs that must never end up in one cluster."""

    weight: npt.NDArray[np.float64]
    reason: npt.NDArray[np.int8]
    apart: list[tuple[int, int]] = field(default_factory=list)


def _top(levels: npt.NDArray[np.int8], name: str) -> npt.NDArray[np.bool_]:
    result: npt.NDArray[np.bool_] = levels[:, _COLUMN[name]] == BY_NAME[name].size - 1
    return result


def apply(
    model: Model,
    thresholds: Thresholds,
    records: Records,
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    levels: npt.NDArray[np.int8],
    weight: npt.NDArray[np.float64],
) -> Decided:
    """Apply the rules (see the module docstring) to scored pairs (a[i], b[i])."""
    learned = weight
    weight = weight.astype(np.float64, copy=True)
    reason = np.zeros(len(weight), dtype=np.int8)
    if not len(weight):
        return Decided(weight, reason)
    below_merge = thresholds.merge_weight - 1e-3
    # A hair above the threshold, so that summing the same weights in another order
    # (as `explain` does) cannot drop the pair below it.
    review = thresholds.review_weight + 0.01
    kind_a, kind_b = records.kind[a], records.kind[b]
    orgs = (kind_a != 0) & (kind_b != 0)
    exact = (records.name[a] == records.name[b]) & (records.name[a] >= 0)
    # A person and a legal entity: their name keys are built differently; compare words.
    cross = (kind_a != kind_b) & (kind_a != _KINDS["other"]) & (kind_b != _KINDS["other"])
    if cross.any():
        exact[cross] = records.same_words(a[cross], b[cross])
    counts = np.maximum(records.name_count[a], records.name_count[b])
    rare = exact & (counts <= RARE_NAME_RECORDS)
    numbers_differ = levels[:, _COLUMN["identifier"]] == 0
    kind_checked = numbers_differ & orgs
    if kind_checked.any() and records.identifiers:
        # Organisations' identifiers conflict only within a kind: a register number
        # against a VAT number says nothing.
        pairs = zip(a[kind_checked].tolist(), b[kind_checked].tolist(), strict=True)
        numbers_differ[kind_checked] = [records.differ(x, y) for x, y in pairs]
    conflict = numbers_differ | (levels[:, _COLUMN["birth_date"]] == 0)
    corroborated = np.zeros(len(weight), dtype=bool)
    for name in _CORROBORATING:
        corroborated |= _top(levels, name)
    fallback = np.zeros(len(weight), dtype=bool)
    for kind in model.fallback:
        code = _KINDS[kind]
        fallback |= (kind_a == code) | (kind_b == code)
        if kind == "org":
            fallback |= (kind_a == _KINDS["other"]) | (kind_b == _KINDS["other"])

    def set_where(mask: npt.NDArray[np.bool_], values: npt.NDArray[np.float64], code: int) -> None:
        # The reason is the last (strongest) rule that moved the learned weight.
        changed = mask & (values != learned)
        weight[mask] = values[mask]
        reason[changed] = code

    # Lowest priority first: a later rule overrides an earlier one.
    set_where(
        rare & ((records.dataset[a] != records.dataset[b]) | cross) & ~conflict,
        np.maximum(weight, review),
        RARE_NAME,
    )
    alone = fallback & exact & ~conflict & ~corroborated
    set_where(alone, np.clip(weight, review, below_merge), PRIOR_REVIEW)
    agreeing = _top(levels, "address") | _top(levels, "identifier") | _top(levels, "contact")
    # A register keeps company names apart within its jurisdiction: the same name with the
    # same legal form in the same country is one place enough, where no record holding
    # the name tells two companies apart (namegroups.py), however many records hold it.
    registered = _top(levels, "org_name") & _top(levels, "country") & records.alike(a, b)
    placed = agreeing | _top(levels, "city") | _top(levels, "postcode")
    elsewhere = np.zeros(len(weight), dtype=bool)
    for name in ("postcode", "city", "country"):
        elsewhere |= levels[:, _COLUMN[name]] == 0
    set_where(
        orgs & ((rare & placed) | (exact & registered)) & ~conflict & ~elsewhere,
        np.maximum(weight, thresholds.merge_weight + 1.0),
        RARE_ORG,
    )
    name_level = levels[:, _COLUMN["org_name"]]
    alike = name_level >= _ORG_LEVEL["typo"]
    acronym = name_level == _ORG_LEVEL["one name an acronym"]
    if acronym.any():
        # Initials only, a letter a word: the acronym level lets a word give more than one
        # ("Bayerische MotorenWerke"), and so "HPH" (Hoffmann Pharma Holding) matches
        # "Hoffmann PHarma", its parent, often at the same address.
        alike[acronym] = records.initialled(a[acronym], b[acronym])
    at_rare_address = _top(levels, "address") & records.rare_address(a, b)
    set_where(
        orgs & alike & at_rare_address & ~conflict & ~elsewhere,
        np.maximum(weight, thresholds.merge_weight + 1.0),
        SHARED_ADDRESS,
    )
    set_where(
        fallback & rare & agreeing & ~conflict,
        np.maximum(weight, thresholds.merge_weight + 1.0),
        PRIOR_MERGE,
    )
    differ = orgs & numbers_differ
    set_where(differ, np.minimum(weight, below_merge), IDENTIFIERS_DIFFER)
    names = records.schemata  # a code of -1 (no schema) picks the trailing None
    matrix = np.array([[can_match(x, y) for y in names] for x in names], dtype=bool)
    compatible = matrix[records.schema[a], records.schema[b]]
    set_where(~compatible, np.full(len(weight), REFUSED_WEIGHT), INCOMPATIBLE)
    apart = [(int(x), int(y)) for x, y in zip(a[differ].tolist(), b[differ].tolist(), strict=True)]
    apart += _bridged(records, a, b, weight >= thresholds.merge_weight)
    return Decided(weight, reason, apart)


def _bridged(
    records: Records,
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    strong: npt.NDArray[np.bool_],
) -> list[tuple[int, int]]:
    """Pairs of incompatible records both strongly linked to one record (a Person and a
    Company, each merging with the same LegalEntity): they must stay apart."""
    sa, sb = a[strong], b[strong]
    # Only a record whose strong neighbours hold two schemata or more can bridge: found
    # in NumPy first, so a run of one schema (a million people) loops over nothing.
    ends = np.concatenate([sa, sb])
    others = records.schema[np.concatenate([sb, sa])]
    size = len(records.schema)
    low = np.full(size, np.iinfo(np.int32).max, dtype=np.int64)
    high = np.full(size, np.iinfo(np.int32).min, dtype=np.int64)
    np.minimum.at(low, ends, others)
    np.maximum.at(high, ends, others)
    mixed = low < high
    keep = mixed[sa] | mixed[sb]
    neighbours: dict[int, set[int]] = {}
    for x, y in zip(sa[keep].tolist(), sb[keep].tolist(), strict=True):
        neighbours.setdefault(x, set()).add(y)
        neighbours.setdefault(y, set()).add(x)
    names = records.schemata
    found = []
    for linked in neighbours.values():
        if len(linked) < 2 or len({int(records.schema[n]) for n in linked}) < 2:
            continue
        ordered = sorted(linked)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                if not can_match(names[records.schema[x]], names[records.schema[y]]):
                    found.append((x, y))
    return found


def choose_fallback(model: Model, sizes: Mapping[str, Sequence[int]]) -> None:
    """Decide which kinds of record the priors also score, and say why in the facts."""
    defaults = [n for n in model.names if n not in model.learned]
    if defaults:
        model.note_fact(
            "m left at the uninformed default (too few candidate pairs with values): "
            + ", ".join(defaults)
        )
    model.fallback = []
    for kind, names in _NAMES.items():
        records = sum(sizes.get(kind, ())) + (sum(sizes.get("other", ())) if kind == "org" else 0)
        if not records:
            continue
        weak = [n for n in names if n not in model.learned or not _informative(model, n)]
        label = "people" if kind == "person" else "organisations"
        if records < FALLBACK_RECORDS:
            why = f"{records:,} records are too few for EM (fewer than {FALLBACK_RECORDS:,})"
        elif weak:
            # Many records, but no session could learn the name weights (no identifiers,
            # e-mails or phones to find sure pairs by): the defaults stand. Capping a
            # name with a city at review cost PatentsView most of its recall.
            model.note_fact(
                f"{label}: the {' and '.join(weak)} weights could not be learned from "
                "this data; their defaults are used"
            )
            continue
        else:
            continue
        model.fallback.append(kind)
        model.note_fact(f"{label} scored with the documented priors as well: {why}")


def _informative(model: Model, name: str) -> bool:
    """Whether a learned comparison's exact agreement counts for a match at all."""
    column = model.names.index(name)
    return model.m[column][-1] > model.u[column][-1]


def describe(code: int) -> str | None:
    """The rule behind a reason code, or None."""
    return REASONS.get(int(code))
