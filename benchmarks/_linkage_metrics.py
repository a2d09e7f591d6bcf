"""Precision, recall and F1 of a resolution against the true clusters, on pairs and clusters.

Two views of the same question, "which records are the same person?":

- **pairs**: the pairs a tool judged 'same' against the true pairs (records of one
  true cluster). A pair the tool never judged directly but that its clustering implies
  (a-b and b-c, so a-c) does not count here.
- **clusters**: the pairs implied by the tool's final clusters against the true pairs.
  Counted from the contingency table of (predicted cluster, true cluster), never by
  listing pairs: a cluster of n records holds C(n, 2) pairs.

For a linkage (`datasets` given) only pairs across datasets count, on both sides: a group
of n records, n_d of them in dataset d, holds C(n, 2) - sum_d C(n_d, 2) such pairs.
Records missing from the predicted clusters count as singletons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Counts of pairs, and the precision, recall and F1 they give."""

    true_positives: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(
    pairs: Iterable[tuple[str, str]],
    truth: Mapping[str, str],
    datasets: Mapping[str, str] | None = None,
) -> Scores:
    """Score predicted pairs; duplicates, order within a pair and self-pairs are ignored."""
    seen: set[tuple[str, str]] = set()
    hits = 0
    for a, b in pairs:
        if a == b or (datasets is not None and datasets[a] == datasets[b]):
            continue
        key = (a, b) if a < b else (b, a)
        if key in seen:
            continue
        seen.add(key)
        if truth[a] == truth[b]:
            hits += 1
    return Scores(hits, len(seen), _pairs_within(truth.items(), datasets))


def cluster_scores(
    clusters: Mapping[str, str],
    truth: Mapping[str, str],
    datasets: Mapping[str, str] | None = None,
) -> Scores:
    """Score the pairs implied by predicted clusters (record id -> cluster id)."""
    unknown = next((r for r in clusters if r not in truth), None)
    if unknown is not None:
        raise KeyError(f"predicted cluster for a record not in the truth: {unknown!r}")
    # Singletons get their record id wrapped in a tuple, so they cannot collide with a
    # predicted cluster id.
    predicted = [(r, clusters.get(r, (r,))) for r in truth]
    both = [(r, (cluster, truth[r])) for r, cluster in predicted]
    return Scores(
        _pairs_within(both, datasets),
        _pairs_within(predicted, datasets),
        _pairs_within(truth.items(), datasets),
    )


def hard_negative_merges(
    clusters: Mapping[str, str],
    truth: Mapping[str, str],
    groups: Mapping[str, tuple[str, str]],
) -> dict[str, tuple[int, int]]:
    """Per kind of hard-negative group: (pairs the clusters merge, pairs there are).

    A pair here joins records of two different true persons of one group (relatives,
    twins, namesakes, flatmates): every merged one is a false positive of a known kind.
    `groups` maps a true person to its (group id, kind).
    """
    kinds = {group: kind for group, kind in groups.values()}
    merged: dict[str, int] = dict.fromkeys(kinds.values(), 0)
    possible: dict[str, int] = dict.fromkeys(kinds.values(), 0)
    by_group: Counter[tuple[str, Hashable]] = Counter()  # (group, predicted cluster)
    by_person: Counter[tuple[str, str, Hashable]] = Counter()  # (group, person, cluster)
    for record, person in truth.items():
        if person not in groups:
            continue
        group = groups[person][0]
        cluster = clusters.get(record, (record,))
        by_group[(group, cluster)] += 1
        by_person[(group, person, cluster)] += 1
    for (group, _), n in by_group.items():
        merged[kinds[group]] += n * (n - 1) // 2
    for (group, _, _), n in by_person.items():
        merged[kinds[group]] -= n * (n - 1) // 2
    sizes: Counter[str] = Counter()
    persons: Counter[tuple[str, str]] = Counter()
    for person in truth.values():
        if person in groups:
            sizes[groups[person][0]] += 1
            persons[(groups[person][0], person)] += 1
    for group, n in sizes.items():
        possible[kinds[group]] += n * (n - 1) // 2
    for (group, _), n in persons.items():
        possible[kinds[group]] -= n * (n - 1) // 2
    return {kind: (merged[kind], possible[kind]) for kind in merged}


def components(records: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Clusters as connected components of `pairs`: record id -> smallest id in its cluster.

    For tools that give pairs only (recordlinkage); every record in `records` gets a cluster.
    """
    parent: dict[str, str] = {r: r for r in records}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps the trees flat
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {r: root(r) for r in parent}


def _pairs_within(
    membership: Iterable[tuple[str, Hashable]], datasets: Mapping[str, str] | None
) -> int:
    """Pairs of records in the same group (across datasets only, if `datasets` is given)."""
    sizes: Counter[Hashable] = Counter()
    same_dataset: Counter[tuple[Hashable, str]] = Counter()
    for record, group in membership:
        sizes[group] += 1
        if datasets is not None:
            same_dataset[(group, datasets[record])] += 1
    total = sum(n * (n - 1) // 2 for n in sizes.values())
    return total - sum(n * (n - 1) // 2 for n in same_dataset.values())


def conflicting_merges(clusters: Mapping[str, str], identifiers: Mapping[str, str]) -> int:
    """Pairs of records that the clusters join although both carry an identifier and the
    identifiers differ (two registration numbers: two companies)."""
    with_id: Counter[Hashable] = Counter()
    same_id: Counter[tuple[Hashable, str]] = Counter()
    for record, identifier in identifiers.items():
        cluster = clusters.get(record, (record,))
        with_id[cluster] += 1
        same_id[(cluster, identifier)] += 1
    total = sum(n * (n - 1) // 2 for n in with_id.values())
    return total - sum(n * (n - 1) // 2 for n in same_id.values())
