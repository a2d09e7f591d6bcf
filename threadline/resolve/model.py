"""The Fellegi-Sunter scorer: m and u probabilities per comparison level, and a prior.

u (how often random non-matching pairs agree at a level) comes from random record pairs.
m (how often true matches do) and the prior are estimated without labels by
expectation-maximisation over the candidates' comparison vectors, with u held fixed (as
Splink does). Reviewers' judgements then update m and u as labelled evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from threadline.resolve.comparisons import COMPARISONS, NULL_LEVEL, Comparison

# fs-6: relations count people and organisations apart; fs-5: relations; fs-4:
# organisation-name typos by edits; fs-3: containment
VERSION = "fs-6"
# Comparisons whose exact level is weighed by the name's frequency, in PairLevels.tf order.
TF_COMPARISONS = ("first_name", "last_name", "contact", "identifier")
# Name parts: the frequency counts only where the other part does not disagree.
_NAME_PARTS = {"first_name": "last_name", "last_name": "first_name"}
Levels = npt.NDArray[np.int8]  # rows: pairs; columns: comparisons; values: level or -1
_FLOOR = 1e-9
_CHUNK = 250_000
TWIN_WEIGHT = 40.0


@dataclass
class Model:
    """m and u per comparison level (index = level number), and the match prior."""

    names: list[str]
    m: list[list[float]]
    u: list[list[float]]
    prior: float = 1e-3
    labelled_same: int = 0
    labelled_different: int = 0
    history: list[str] = field(default_factory=list)
    # Twins (different given names, same birth date and street address, no identifiers
    # to compare) are kept apart. Febrl-style data, where a record's given name is
    # replaced at random, looks exactly like twins; there it costs recall.
    twin_rule: bool = True
    # Whether the fields of a comparison group are nested in this data (a postcode lies
    # in one city): then a person who moved disagrees on street, postcode and city at
    # once, and a household shares them all, so within a group only the strongest
    # agreement and the strongest disagreement count. Where the fields were drawn
    # independently (Febrl), each is evidence of its own. See `nested_in`.
    nested: bool = True
    # Whether birth dates are reliable in this data: then clusters whose full birth dates
    # conflict are never joined (see birthdates.py).
    firm_dates: bool = True
    facts: list[str] = field(default_factory=list)  # what training measured on the data
    # Comparisons whose m was estimated from this data; the others keep the uninformed
    # start, which is a guess and must not be reported (or trusted) as learned.
    learned: list[str] = field(default_factory=list)
    # Kinds of record (person, org) whose data were too few or too unlike for EM: their
    # pairs are also decided by the documented priors (see priors.py).
    fallback: list[str] = field(default_factory=list)

    def note_fact(self, fact: str) -> None:
        """Record something measured on the data that decides how the model scores."""
        self.facts.append(fact)
        self.history.append(fact)

    @classmethod
    def initial(cls, comparisons: Sequence[Comparison] = COMPARISONS) -> Model:
        """Uninformed start: agreement likely for matches, unlikely for others."""
        m, u = [], []
        for c in comparisons:
            top = np.geomspace(1.0, 0.05, c.size - 1)
            m.append(_norm([0.05, *top[::-1]]))
            u.append(_norm([0.9, *np.geomspace(0.001, 0.1, c.size - 1)[::-1]]))
        return cls(names=[c.name for c in comparisons], m=m, u=u)

    def weights(self) -> list[npt.NDArray[np.float64]]:
        """log2(m/u) per comparison level: the evidence each level adds.

        Disagreeing never counts for a match and the strongest agreement never against
        it, whatever a skewed sample estimated (a field every record shares, say).
        """
        found = []
        for m, u in zip(self.m, self.u, strict=True):
            w = np.log2(np.maximum(np.array(m), _FLOOR) / np.maximum(np.array(u), _FLOOR))
            w[0] = min(w[0], 0.0)
            w[-1] = max(w[-1], 0.0)
            found.append(w)
        return found

    def feature_weights(
        self, levels: Levels, tf: npt.NDArray[np.floating[Any]] | None = None
    ) -> npt.NDArray[np.float64]:
        """Per pair and comparison, the weight its level adds.

        An exact name match weighs by how common the name is (`tf`: its share of the
        records, per TF comparison; NaN where unknown), as Splink's term-frequency
        adjustment does. A decisive disagreement (see Comparison.decisive) counts in full
        unless its overriding comparison agrees at some level.
        """
        result = np.zeros(levels.shape, dtype=np.float64)
        columns = {c.name: n for n, c in enumerate(COMPARISONS)}
        for column, (c, weight) in enumerate(zip(COMPARISONS, self.weights(), strict=True)):
            g = levels[:, column].astype(np.int64)
            result[:, column] = np.where(g == NULL_LEVEL, 0.0, weight[np.maximum(g, 0)])
            if tf is not None and c.name in TF_COMPARISONS:
                # Only where the other name part does not disagree: a rare family name
                # shared by two different given names is a family, not one person.
                position = TF_COMPARISONS.index(c.name)
                share = tf[:, position]
                exact = (g == c.size - 1) & np.isfinite(share)
                if c.name in _NAME_PARTS:
                    exact &= levels[:, columns[_NAME_PARTS[c.name]]] != 0
                m_top = max(self.m[column][-1], _FLOOR)
                adjusted = np.log2(m_top / np.maximum(share[exact], 1e-7))
                result[exact, column] = np.maximum(adjusted, 0.0)
            if c.decisive is not None:
                hit = g == 0
                if c.decisive_unless is not None:
                    hit &= levels[:, columns[c.decisive_unless]] <= 0
                result[hit, column] = np.minimum(result[hit, column], -c.decisive)
        # Twins: clearly different given names, the same birth date and the same street
        # address, and no identifiers on both sides. Nothing else tells them apart, so
        # the given names decide. (Where both have identifiers, those speak instead.)
        named = {c.name: n for n, c in enumerate(COMPARISONS)}
        if self.twin_rule and {"first_name", "birth_date", "address", "identifier"} <= named.keys():
            twins = (
                (levels[:, named["first_name"]] == 0)
                & (levels[:, named["birth_date"]] == COMPARISONS[named["birth_date"]].size - 1)
                & (levels[:, named["address"]] >= COMPARISONS[named["address"]].size - 2)
                & (levels[:, named["identifier"]] == NULL_LEVEL)
            )
            column = named["first_name"]
            result[twins, column] = np.minimum(result[twins, column], -TWIN_WEIGHT)
        if self.nested:
            _count_groups_once(result)
        return result

    def prior_weight(self) -> float:
        """log2 of the prior odds."""
        p = min(max(self.prior, _FLOOR), 1 - _FLOOR)
        return float(np.log2(p / (1 - p)))

    def match_weight(
        self, levels: Levels, tf: npt.NDArray[np.floating[Any]] | None = None
    ) -> npt.NDArray[np.float64]:
        """The total match weight (log2 odds) of each row of levels (in chunks, so a
        run of millions of pairs does not hold a float matrix of them all)."""
        total = np.empty(len(levels), dtype=np.float64)
        for start in range(0, len(levels), _CHUNK):
            stop = start + _CHUNK
            part = None if tf is None else tf[start:stop]
            total[start:stop] = self.feature_weights(levels[start:stop], part).sum(axis=1)
        total += self.prior_weight()
        return total

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form, saved next to the store."""
        return {
            "version": VERSION,
            "names": self.names,
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "labelled_same": self.labelled_same,
            "labelled_different": self.labelled_different,
            "history": self.history,
            "twin_rule": self.twin_rule,
            "nested": self.nested,
            "firm_dates": self.firm_dates,
            "facts": self.facts,
            "learned": self.learned,
            "fallback": self.fallback,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        """Load a saved model; a model of other comparisons is refused."""
        names = [c.name for c in COMPARISONS]
        if data.get("version") != VERSION or data.get("names") != names:
            raise ValueError("the saved match model was made for other comparisons; retrain")
        sizes = [c.size for c in COMPARISONS]
        if [len(m) for m in data["m"]] != sizes or [len(u) for u in data["u"]] != sizes:
            raise ValueError("the saved match model has other comparison levels; retrain")
        return cls(
            names=names,
            m=data["m"],
            u=data["u"],
            prior=data["prior"],
            labelled_same=data.get("labelled_same", 0),
            labelled_different=data.get("labelled_different", 0),
            history=list(data.get("history", [])),
            twin_rule=bool(data.get("twin_rule", True)),
            nested=bool(data.get("nested", True)),
            firm_dates=bool(data.get("firm_dates", True)),
            facts=list(data.get("facts", [])),
            learned=list(data.get("learned", [])),
            fallback=list(data.get("fallback", [])),
        )


def _count_groups_once(result: npt.NDArray[np.float64]) -> None:
    """Within each comparison group, keep only the strongest agreement and the strongest
    disagreement of each pair (in place)."""
    groups: dict[str, list[int]] = {}
    for column, c in enumerate(COMPARISONS):
        if c.group:
            groups.setdefault(c.group, []).append(column)
    for members in groups.values():
        block = result[:, members]
        rows = np.arange(len(block))
        against = np.minimum(block, 0.0)
        support = np.maximum(block, 0.0)
        once = np.zeros_like(block)
        once[rows, np.argmin(against, axis=1)] = against.min(axis=1)
        once[rows, np.argmax(support, axis=1)] += support.max(axis=1)
        result[:, members] = once


# A training session, and a comparison within it, needs this many pairs to estimate m.
MIN_SESSION_PAIRS = 10


# Fewer records than this with both a postcode and a city say nothing about nesting.
NESTING_RECORDS = 100
# Nested where at least this share of records has its postcode's most common city.
NESTING_SHARE = 0.8


def nested_in(records: int, share: float) -> bool:
    """Whether location fields are nested, from how far postcodes decide cities: real
    addresses give a share near 1 (a postcode lies in one city, give or take typos);
    fields drawn apart give far less. Too few records: assume real addresses."""
    return records < NESTING_RECORDS or share >= NESTING_SHARE


def probability(weight: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Match probability from match weight."""
    result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp2(-weight))
    return result


def _norm(values: Sequence[float] | npt.NDArray[np.float64]) -> list[float]:
    array = np.maximum(np.asarray(values, dtype=np.float64), _FLOOR)
    return [float(x) for x in array / array.sum()]


def level_counts(levels: Levels, sizes: Sequence[int], weights: Any = None) -> list[list[float]]:
    """Per comparison, the (weighted) count of pairs at each level, nulls left out."""
    counts = []
    for column, size in enumerate(sizes):
        g = levels[:, column].astype(np.int64)
        keep = g != NULL_LEVEL
        w = None if weights is None else np.asarray(weights)[keep]
        counts.append([float(x) for x in np.bincount(g[keep], weights=w, minlength=size)])
    return counts


def estimate_u(
    model: Model, sample: Levels, sizes: Sequence[int], only: Sequence[str] = ()
) -> None:
    """u from the levels of random pairs (nearly all of them non-matches); with `only`,
    of those comparisons alone."""
    found = [_norm(np.array(c) + 1.0) for c in level_counts(sample, sizes)]
    if only:
        for name in only:
            column = model.names.index(name)
            model.u[column] = found[column]
        model.history.append(f"u of {', '.join(only)} from {len(sample)} random pairs")
        return
    model.u = found
    model.history.append(f"u from {len(sample)} random pairs")


def expectation_maximisation(
    model: Model,
    levels: Levels,
    sizes: Sequence[int],
    sessions: Sequence[tuple[npt.NDArray[np.bool_], Sequence[int]]] = (),
    iterations: int = 25,
    total_pairs: int | None = None,
) -> None:
    """m and the prior from unlabelled candidate pairs, u fixed.

    Each session is (pairs, comparisons to leave out): the pairs a blocking rule found,
    without the comparisons they all agree on by construction. Estimating those from
    such pairs would credit agreement that blocking forced (as Splink's training
    sessions avoid). A comparison's m is the mean of the sessions that estimate it.
    Without sessions, one session over every pair estimates everything.

    The prior is the expected number of matches among the candidates over
    `total_pairs`, the pairs there are in all: u comes from random pairs, so the prior
    must be a random pair's chance of matching, or blocking's evidence counts twice.
    """
    if len(levels) == 0:
        return
    if not sessions:
        sessions = [(np.ones(len(levels), dtype=bool), ())]
    estimates: list[list[npt.NDArray[np.float64]]] = [[] for _ in sizes]
    for mask, left_out in sessions:
        if mask.sum() < MIN_SESSION_PAIRS:
            continue
        session = levels[mask].copy()
        session[:, list(left_out)] = NULL_LEVEL
        m = _em(model, session, sizes, iterations)
        # A session estimates only the comparisons its pairs have values for: persons'
        # pairs say nothing of organisation names, and an estimate from no pairs is
        # the flat smoothing, not a measurement.
        valued = (session != NULL_LEVEL).sum(axis=0)
        for column in range(len(sizes)):
            if column not in left_out and valued[column] >= MIN_SESSION_PAIRS:
                estimates[column].append(np.array(m[column]))
    model.m = [
        _norm(np.mean(found, axis=0)) if found else model.m[column]
        for column, found in enumerate(estimates)
    ]
    model.learned = [name for name, found in zip(model.names, estimates, strict=True) if found]
    share = _prior(model, levels, iterations)
    total = total_pairs or len(levels)
    model.prior = min(max(share * len(levels) / max(total, 1), _FLOOR), 1 - _FLOOR)
    model.history.append(f"m by EM over {len(levels)} candidate pairs in {len(sessions)} sessions")


def _em(model: Model, levels: Levels, sizes: Sequence[int], iterations: int) -> list[list[float]]:
    codes, counts = _patterns(levels)
    trial = Model(names=model.names, m=list(model.m), u=model.u)
    prior = 0.1
    for _ in range(iterations):
        weight = np.log2(prior / (1 - prior)) + _pattern_weights(trial, codes)
        expected = counts / (1.0 + np.exp2(-weight))
        prior = float(min(max(expected.sum() / counts.sum(), 1e-6), 1 - 1e-6))
        trial.m = [_norm(np.array(c) + 0.01) for c in level_counts(codes, sizes, expected)]
    return trial.m


def _prior(model: Model, levels: Levels, iterations: int) -> float:
    """The share of matches among the candidates, m and u fixed."""
    codes, counts = _patterns(levels)
    evidence = _pattern_weights(model, codes)
    prior = 0.1
    for _ in range(iterations):
        expected = counts / (1.0 + np.exp2(-(np.log2(prior / (1 - prior)) + evidence)))
        prior = float(min(max(expected.sum() / counts.sum(), 1e-6), 1 - 1e-6))
    return prior


def _patterns(levels: Levels) -> tuple[Levels, npt.NDArray[np.float64]]:
    """The distinct rows of `levels` and how often each occurs.

    Rows are packed into one integer each (4 bits per comparison) so that finding the
    distinct ones is a sort of integers, not of rows: 10x faster on millions of pairs.
    """
    if levels.shape[1] > 15:
        codes, counts = np.unique(levels, axis=0, return_counts=True)
        return codes, counts.astype(np.float64)
    packed = np.zeros(len(levels), dtype=np.int64)
    for column in range(levels.shape[1]):
        packed |= (levels[:, column].astype(np.int64) + 1) << (4 * column)
    _, first, counts = np.unique(packed, return_index=True, return_counts=True)
    return levels[first], counts.astype(np.float64)


def _pattern_weights(model: Model, codes: Levels) -> npt.NDArray[np.float64]:
    total = np.zeros(len(codes))
    for column, weight in enumerate(model.weights()):
        g = codes[:, column].astype(np.int64)
        total += np.where(g == NULL_LEVEL, 0.0, weight[np.maximum(g, 0)])
    return total


def learn_from_judgements(
    model: Model, same: Levels, different: Levels, sizes: Sequence[int], strength: float = 50.0
) -> None:
    """Blend reviewers' labelled pairs into m (from "same") and u (from "not same").

    `strength` is how many labelled pairs the current estimate counts for.
    """
    if len(same):
        counts = level_counts(same, sizes)
        model.m = [
            _norm(np.array(m) * strength + np.array(c))
            for m, c in zip(model.m, counts, strict=True)
        ]
    if len(different):
        counts = level_counts(different, sizes)
        model.u = [
            _norm(np.array(u) * strength + np.array(c))
            for u, c in zip(model.u, counts, strict=True)
        ]
    model.labelled_same = len(same)
    model.labelled_different = len(different)
    model.history.append(f"updated from {len(same)} same and {len(different)} not-same judgements")
