"""Relations as evidence: the names of the people and organisations a record is linked to.

Two records of one inventor on different patents share co-inventors; two records of one
company share directors and owners. Each record gets the name keys of its neighbours:

- the other end of every link entity (followthemoney's edge schemata: Ownership,
  Directorship, Family, Documentation...) that has the record at one end, when that end
  is a party (a legal entity, which resolution compares);
- through a hub (a party's neighbour that is not itself a party: a Document, a Project),
  the parties at the hub's other links: a patent's other inventors and its assignee.

A hub's own mentions count as well: a Document's `peopleMentioned` and
`companiesMentioned` (what an entity extractor, or a patent's list of inventors and
assignees, puts there) are names of parties it ties to whoever it is linked to.

Hubs with more than `HUB_LIMIT` links are passed over: a register everyone is listed in
says nothing about any two of them. A record's own name is never its neighbour.
The comparison (`relations` in comparisons.py) counts the name keys two records share.

People and organisations count apart: an organisation's key carries the `ORG` prefix.
Thousands of inventors share an employer, and two subsidiaries their parent, where two
records sharing a co-inventor or a director are rarely two people; so a shared
organisation is weaker evidence than a shared person. `companiesMentioned` and
`namesMentioned` (a name of either kind) count as organisations: the weaker kind.

A person of a common name is weaker evidence too: two Wei Zhangs who each worked with a
Wei Wang may have worked with two different ones. How common a name is comes from its
words, as often as they occur among the distinct person names of the store: a name
whose words are so common that, taken independently, they would make it up more than
`COMMON_NAMESAKES` times (D x the product of each word's share of the D distinct
names) is marked with the `COMMON` prefix, and counts with the organisations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import pyarrow as pa
from followthemoney import model
from normality import normalize

from threadline.model.statement import StatementRow
from threadline.resolve.orgnames import org_name
from threadline.store.base import Store

HUB_LIMIT = 50  # links of a hub beyond which it ties nothing together
_MAX_NAMES = 64  # neighbour names kept per record (people first, each kind sorted)
# Name properties of a hub that name the parties it concerns (not the hub itself).
MENTIONS = frozenset({"namesMentioned", "peopleMentioned", "companiesMentioned"})
PEOPLE_MENTIONED = "peopleMentioned"
ORG = "org:"  # prefix of an organisation's name key (name keys hold no colon)
COMMON = "common:"  # prefix of a person's name key when the name is common
# A person name whose words would form it more than this many times by chance is common.
COMMON_NAMESAKES = 1.0


@lru_cache(maxsize=256)
def _ends(schema: str) -> tuple[str, str] | None:
    """The two end properties of an edge schema, or None for any other schema."""
    found = model.get(schema)
    if found is None or not found.edge or not found.edge_source or not found.edge_target:
        return None
    return found.edge_source, found.edge_target


@lru_cache(maxsize=512)
def _is_a(schema: str, base: str) -> bool:
    """Whether a schema (by name) is `base` or descends from it."""
    found = model.get(schema)
    return found is not None and found.is_a(base)


def name_key(value: str) -> str | None:
    """A name compared as its words, in any order, without case or accents."""
    text = normalize(value, ascii=True)
    return " ".join(sorted(text.split())) if text else None


@lru_cache(maxsize=500_000)
def person_key(value: str) -> str | None:
    """A person's name key without initials: "Austin L. Gurney" on one patent is
    "Austin Gurney" on the next (unless initials are all there is)."""
    words = (normalize(value, ascii=True) or "").split()
    full = [w for w in words if len(w) > 1]
    return " ".join(sorted(full if len(full) >= 2 else words)) or None


def org_key(value: str) -> str | None:
    """An organisation's name key without its legal form: "Qualcomm Incorporated" and
    "QUALCOMM Inc." are one assignee (orgnames.py)."""
    found = org_name(value)
    return " ".join(sorted(found.core.split())) if found else name_key(value)


def kind_key(value: str, person: bool) -> str | None:
    """The name key of a person, or of an organisation with the `ORG` prefix."""
    if person:
        return person_key(value)
    key = org_key(value)
    return ORG + key if key else None


def common_names(keys: Iterable[str]) -> set[str]:
    """The common ones among person name keys (all the store holds): those whose words,
    at their share of the distinct keys, would make them up more than
    `COMMON_NAMESAKES` times by chance (a name's words held by no other name make it
    up once: rare)."""
    distinct = set(keys)
    total = len(distinct)
    counts = Counter(word for key in distinct for word in set(key.split()))
    found: set[str] = set()
    for key in distinct:
        expected = float(total)
        for word in key.split():
            expected *= counts[word] / total
        if expected > COMMON_NAMESAKES:
            found.add(key)
    return found


def links(rows: Iterable[tuple[str, ...]]) -> list[tuple[str, str]]:
    """(one end, other end) of each link entity among entity-typed statement rows
    (entity_id, schema, prop, prop_type, value, ...), in entity id order."""
    found: list[tuple[str, str]] = []
    ends: dict[str, list[str]] = {}
    current: str | None = None

    def close() -> None:
        for source in ends.get("source", ()):
            for target in ends.get("target", ()):
                if source != target:
                    found.append((source, target))

    for row in rows:
        entity_id, schema, prop, value = row[0], row[1], row[2], row[4]
        if entity_id != current:
            close()
            current, ends = entity_id, {}
        pair = _ends(schema)
        if pair is not None and prop in pair:
            ends.setdefault("source" if prop == pair[0] else "target", []).append(value)
    close()
    return found


class Graph:
    """Links between entities, and the schema and name keys of those that matter."""

    def __init__(self) -> None:
        self.adjacent: dict[str, set[str]] = defaultdict(set)
        self.schemata: dict[str, str] = {}
        self.names: dict[str, set[str]] = defaultdict(set)
        self.mentions: dict[str, set[str]] = defaultdict(set)
        self.common: set[str] = set()  # person name keys of common names

    def link(self, a: str, b: str) -> None:
        self.adjacent[a].add(b)
        self.adjacent[b].add(a)

    def note(self, entity_id: str, schema: str, prop: str, name: str) -> None:
        self.schemata[entity_id] = schema
        mention = prop in MENTIONS
        key = kind_key(name, prop == PEOPLE_MENTIONED if mention else _is_a(schema, "Person"))
        if key:
            (self.mentions if mention else self.names)[entity_id].add(key)

    def hub(self, entity_id: str) -> bool:
        """Whether links pass through this entity: not a party, and not too many."""
        return not _is_a(self.schemata.get(entity_id, "Thing"), "LegalEntity") and (
            len(self.adjacent.get(entity_id, ())) <= HUB_LIMIT
        )

    def around(self, record: str) -> set[str]:
        """The entities whose names count for `record`: neighbours, and through hubs."""
        found: set[str] = set()
        for n in self.adjacent.get(record, ()):
            if not self.hub(n):
                found.add(n)
            else:
                found |= self.adjacent[n] - {record}
        return found

    def keys(self, record: str) -> list[str] | None:
        """The record's neighbour name keys: people first, then organisations (`ORG`)."""
        keys: set[str] = set()
        for n in self.around(record):
            if _is_a(self.schemata.get(n, "Thing"), "LegalEntity"):
                keys |= self.names.get(n, set())
        for n in self.adjacent.get(record, ()):
            if self.hub(n):
                keys |= self.mentions.get(n, set())
        keys -= self.names.get(record, set())
        orgs = sorted(k for k in keys if k.startswith(ORG))
        people = sorted(k for k in keys if not k.startswith(ORG) and k not in self.common)
        common = sorted(COMMON + k for k in keys if k in self.common)
        return (people + common + orgs)[:_MAX_NAMES] or None


def _person_name(row: tuple[str, ...]) -> str | None:
    """The person name key of a name statement row, if it names a person."""
    prop = row[2]
    person = prop == PEOPLE_MENTIONED if prop in MENTIONS else _is_a(row[1], "Person")
    return person_key(row[4]) if person else None


def _common(rows: Iterable[tuple[str, ...]]) -> set[str]:
    """The common person names among name statement rows (the whole store's)."""
    return common_names(k for k in map(_person_name, rows) if k)


# The common names of the last store generation asked about: `explain` and single
# queries would otherwise read every name in the store on each call.
_COMMON_OF: dict[tuple[str, int], set[str]] = {}


def _store_common(store: Store) -> set[str]:
    """`_common` of the whole store, kept until the store's generation changes."""
    generation = store.generation()
    key = (generation.store_id, generation.number)
    found = _COMMON_OF.get(key)
    if found is None:
        found = _common(store.iter_values(("name",)))
        _COMMON_OF.clear()
        _COMMON_OF[key] = found
    return found


def neighbour_names(store: Store, ids: Sequence[str]) -> pa.Array:
    """Per record id, the sorted name keys of its neighbours (null for none): the whole
    store read in two scans, for a resolution run."""
    pairs = links(store.iter_values(("entity",)))
    if not pairs:
        return pa.nulls(len(ids), pa.list_(pa.string()))
    graph = Graph()
    for a, b in pairs:
        graph.link(a, b)
    wanted = set(ids)
    touched = {n for i in wanted for n in graph.adjacent.get(i, ())}
    touched |= {
        m for n in touched if len(graph.adjacent[n]) <= HUB_LIMIT for m in graph.adjacent[n]
    }
    people: set[str] = set()
    for row in store.iter_values(("name",)):
        if row[0] in touched or row[0] in wanted:
            graph.note(row[0], row[1], row[2], row[4])
        if key := _person_name(row):
            people.add(key)
    graph.common = common_names(people)
    return pa.array([graph.keys(i) for i in ids], pa.list_(pa.string()))


def neighbour_names_of(
    store: Store, ids: Sequence[str], sees: Callable[[str], bool] | None = None
) -> pa.Array:
    """The same for a few records (`explain`), entity by entity through the store's
    reverse lookup instead of a scan; with `sees`, only statements in the datasets it
    accepts (what the caller may read) count."""
    graph = Graph()
    seen: set[str] = set()

    def readable(rows: list[StatementRow]) -> list[StatementRow]:
        return rows if sees is None else [r for r in rows if sees(r.dataset)]

    def expand(entity_id: str) -> set[str]:
        ends: set[str] = set()
        for ref in store.references(entity_id):
            pair = _ends(ref.schema)
            if pair is None or ref.prop not in pair:
                continue
            edge = readable(store.statements_for([ref.entity_id]).get(ref.entity_id, []))
            for row in edge:
                if row.prop in pair and row.value != entity_id:
                    graph.link(entity_id, row.value)
                    ends.add(row.value)
        return ends

    def describe(entity_ids: Iterable[str]) -> None:
        fresh = [i for i in entity_ids if i not in seen]
        seen.update(fresh)
        for entity_id, rows in store.statements_for(fresh).items():
            for row in readable(rows):
                graph.schemata.setdefault(entity_id, row.schema)
                if row.prop_type == "name":
                    graph.note(entity_id, row.schema, row.prop, row.value)

    for record in ids:
        ends = expand(record)
        describe([record, *ends])
        for n in ends:
            if graph.hub(n):
                describe(expand(n))
    held = [*graph.names.values(), *graph.mentions.values()]
    if any(not k.startswith(ORG) for keys in held for k in keys):
        graph.common = _store_common(store)  # as `neighbour_names` does
    return pa.array([graph.keys(i) for i in ids], pa.list_(pa.string()))
